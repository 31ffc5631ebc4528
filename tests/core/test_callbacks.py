"""Callback data: short, prefixed, versioned, and never trusted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.callbacks import (
    MAX_BYTES,
    Codec,
    InvalidCallback,
    Kind,
    StaleCallback,
    from_base36,
    to_base36,
)

MENU = Kind("m", 1, 1, 1)
TRIAGE = Kind("t", 2, 4, 5)
CODEC = Codec(MENU, TRIAGE)


def test_round_trip() -> None:
    data = TRIAGE.encode("twitch", "q214", to_base36(123456789), "0120")
    assert data == "t2:twitch:q214:21i3v9:0120"
    decoded = CODEC.decode(data)
    assert decoded.kind is TRIAGE and decoded.fields[-1] == "0120"


@pytest.mark.parametrize(
    "data",
    ["", "x1:a", "m1", "m1:a:b", "m1:a b", "m1:<script>", "M1:a", "m:a", "t2:a:b:c:d:e:f", "é"],
)
def test_forged_data_is_refused(data: str) -> None:
    with pytest.raises(InvalidCallback):
        CODEC.decode(data)


def test_older_version_is_stale() -> None:
    with pytest.raises(StaleCallback):
        CODEC.decode("t1:twitch:q214:abc:01")


def test_encoding_refuses_what_telegram_would() -> None:
    with pytest.raises(ValueError):
        MENU.encode("a:b")
    with pytest.raises(ValueError):
        TRIAGE.encode("x" * 40, "y" * 10, "z" * 10, "0")  # over 64 bytes


@given(st.text(max_size=80))
def test_decode_never_crashes_on_garbage(data: str) -> None:
    try:
        decoded = CODEC.decode(data)
    except InvalidCallback:
        return
    assert len(data.encode()) <= MAX_BYTES and decoded.kind in (MENU, TRIAGE)


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_base36_round_trip(number: int) -> None:
    assert from_base36(to_base36(number)) == number


@pytest.mark.parametrize("text", ["", " 1", "1_0", "+1", "zzzzzzzzzzzzzz"])
def test_base36_refuses_what_int_would_quietly_accept(text: str) -> None:
    with pytest.raises(InvalidCallback):
        from_base36(text)
