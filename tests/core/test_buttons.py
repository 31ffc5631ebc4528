"""Typed buttons: dataclass fields written into versioned callback data, checked on the way back."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.buttons import (
    Base36,
    ButtonKind,
    Buttons,
    Digits,
    Minute,
    Press,
    one_of,
)
from bot.core.callbacks import MAX_BYTES, InvalidCallback, StaleCallback


class Colour(enum.Enum):
    RED = "r"
    BLUE = "b"


@dataclass(frozen=True)
class Paint(Press):
    tag = "p"
    item_id: int
    colour: Colour
    hour: Annotated[int, one_of((7, 9))] | None = None


@dataclass(frozen=True)
class Born(Press):
    tag = "d"
    day: date


@dataclass(frozen=True)
class Close(Press):
    tag = "x"


@dataclass(frozen=True)
class Check(Press):
    owner: Base36
    started: Minute
    answers: Digits


@dataclass(frozen=True)
class Leftover(Press):
    first: str
    second: str | None = None


PAINT = ButtonKind("p", 1, Paint, Born, Close)
CHECK = ButtonKind("q", 2, Check, Leftover)
BUTTONS = Buttons(PAINT, CHECK)


@pytest.mark.parametrize(
    ("press", "data"),
    [
        (Paint(42, Colour.RED), "p1:p:42:r"),
        (Paint(42, Colour.BLUE, 9), "p1:p:42:b:9"),
        (Born(date(2026, 9, 1)), "p1:d:20260901"),
        (Close(), "p1:x"),
        (Check(123456789, 29_000_000, (0, 1, 35)), "q2:21i3v9:h9kjk:01z"),
        (Check(7, 0, ()), "q2:7:0:"),
    ],
)
def test_round_trip_in_the_exact_wire_format(press: Press, data: str) -> None:
    kind = PAINT if data.startswith("p") else CHECK
    assert kind.encode(press) == data
    decoded = BUTTONS.decode(data)
    assert decoded.press == press and decoded.kind is kind
    assert decoded.fields == tuple(data.split(":")[1:])


@pytest.mark.parametrize(
    "data",
    [
        "p1:p:4x:r",  # a letter where a number belongs
        "p1:p:42:g",  # not a colour
        "p1:p:42:r:8",  # an hour never offered
        "p1:p:42",  # a field missing
        "p1:p:42:r:9:1",  # one too many
        "p1:d:20260231",  # no such day
        "p1:d:2026091",  # not eight digits
        "p1:x:1",  # a tag that takes no value
        "p1:z:1",  # no such tag
        "p1:p:1234567890123456789:r",  # beyond any id
    ],
)
def test_forged_values_are_refused_like_forged_data(data: str) -> None:
    with pytest.raises(InvalidCallback):
        BUTTONS.decode(data)


def test_untagged_variants_are_tried_in_order() -> None:
    assert BUTTONS.decode("q2:1:0:1").press == Check(1, 0, (1,))
    assert BUTTONS.decode("q2:-:0").press == Leftover("-", "0")  # not a Check: the fallback
    assert BUTTONS.decode("q2:abc").press == Leftover("abc")
    with pytest.raises(InvalidCallback):
        BUTTONS.decode("q2:zzzzzzzzzzzzz:1:1:1")  # one field too many for either


def test_a_minute_off_the_calendar_is_refused() -> None:
    assert BUTTONS.decode("q2:1:1xuhhc0:1").press == Check(1, int("1xuhhc0", 36), (1,))  # 9999
    for minute in ("1xw9s5c", "zzzzzzzzzzzzz"):  # past year 9999
        with pytest.raises(InvalidCallback):
            BUTTONS.decode(f"q2:1:{minute}:1")


def test_an_older_version_is_stale() -> None:
    with pytest.raises(StaleCallback):
        BUTTONS.decode("p0:x")


def test_definitions_that_cannot_work_are_refused() -> None:
    @dataclass(frozen=True)
    class Gap(Press):
        first: int | None
        second: int

    with pytest.raises(TypeError):
        ButtonKind("g", 1, Gap)
    with pytest.raises(ValueError):
        ButtonKind("g", 1, Close, Close)
    with pytest.raises(TypeError):
        PAINT.encode(Check(1, 1, ()))  # a button of another kind


def test_encoding_refuses_what_telegram_would() -> None:
    with pytest.raises(ValueError):
        CHECK.encode(Leftover("a:b"))
    with pytest.raises(ValueError):
        CHECK.encode(Check(1, 1, tuple([35] * MAX_BYTES)))


@given(st.text(max_size=80))
def test_decode_never_crashes_on_garbage(data: str) -> None:
    try:
        decoded = BUTTONS.decode(data)
    except InvalidCallback:
        return
    assert isinstance(decoded.press, Paint | Born | Close | Check | Leftover)
