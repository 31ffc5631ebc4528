"""Shared test data: one baby born on time, subscribed in London at 09:00."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.milestones import Baby

BIRTH = date(2026, 1, 1)
TZ = "Europe/London"
HOUR = 9
SUBSCRIBED_AT = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def baby(name: str | None = "Ann") -> Baby:
    return Baby(BIRTH, None, name)
