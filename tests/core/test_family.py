"""The family rules: invite tokens, their expiry and single use, the 6-caregiver limit, and
who may remove whom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.family import (
    INVITE_TTL,
    MAX_CAREGIVERS,
    Invite,
    InviteProblem,
    Role,
    expiry,
    invite_problem,
    looks_like_token,
    may_invite,
    may_remove,
    new_token,
    token_hash,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def fresh() -> Invite:
    return Invite(baby_id=1, expires_at=expiry(NOW), used_at=None)


def problem(invite: Invite | None, now: datetime = NOW, **overrides: object) -> object:
    facts: dict[str, object] = {"inviter_still_in": True, "already_in": False, "caregivers": 1}
    facts.update(overrides)
    return invite_problem(invite, now, **facts)  # type: ignore[arg-type]


def test_tokens_are_random_url_safe_and_fit_a_start_link() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert looks_like_token(token)
        assert len("join_" + token) <= 64  # Telegram's limit for a /start parameter


def test_only_a_hash_is_stored_and_it_is_stable() -> None:
    token = new_token()
    assert token_hash(token) == token_hash(token)
    assert token not in token_hash(token) and len(token_hash(token)) == 64


@pytest.mark.parametrize("junk", ["", "short", "x" * 65, "has space in it ok", "<script>alert</x>"])
def test_junk_is_not_a_token(junk: str) -> None:
    assert not looks_like_token(junk)


def test_an_invite_lives_48_hours() -> None:
    assert timedelta(hours=48) == INVITE_TTL
    assert problem(fresh(), NOW + timedelta(hours=47, minutes=59)) is None
    assert problem(fresh(), NOW + timedelta(hours=48)) is InviteProblem.EXPIRED


def test_unknown_used_and_expired_are_told_apart() -> None:
    assert problem(None) is InviteProblem.UNKNOWN
    used = Invite(1, expiry(NOW), NOW)
    assert problem(used) is InviteProblem.USED
    assert problem(used, NOW + timedelta(days=3)) is InviteProblem.USED  # used wins over expired


def test_the_inviter_must_still_be_in_the_family() -> None:
    assert problem(fresh(), inviter_still_in=False) is InviteProblem.INVITER_GONE


def test_a_member_cannot_join_twice() -> None:
    assert problem(fresh(), already_in=True) is InviteProblem.ALREADY_IN


def test_at_most_six_caregivers() -> None:
    assert MAX_CAREGIVERS == 6
    assert problem(fresh(), caregivers=5) is None
    assert problem(fresh(), caregivers=6) is InviteProblem.FULL
    assert may_invite(True, 5) and not may_invite(True, 6)


def test_only_a_caregiver_invites() -> None:
    assert not may_invite(False, 1)


def test_the_creator_removes_others_and_anyone_leaves() -> None:
    assert may_remove(Role.CREATOR, 1, 2)
    assert not may_remove(Role.CAREGIVER, 2, 1)
    assert not may_remove(Role.CAREGIVER, 2, 3)
    assert may_remove(Role.CAREGIVER, 2, 2)  # leaving
    assert may_remove(Role.CREATOR, 1, 1)
