"""A weekly "sleep signs" tip for a channel: the explainers in menu order, one a week.

Pure: which tip goes out when. A tip's note id names its week and topic ("tip03_why_twitch"), so
the same topic can come round again in a later cycle and the store's one-note-per-id rule holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from bot.core.milestones import local_instant

WEEKS = 52  # a year of tips; the admin links again to go on
PREFIX = "tip"


def tip_id(week: int, topic: str) -> str:
    return f"{PREFIX}{week:02d}_{topic}"[:32]


def topic_of(note_id: str) -> str | None:
    """The explainer topic of a tip's note id, or None if it is not a tip."""
    head, sep, topic = note_id.partition("_")
    if not sep or not head.startswith(PREFIX) or not head[len(PREFIX) :].isdigit():
        return None
    return topic


def tip_schedule(
    topics: Sequence[str], first_day: date, tz: tzinfo, hour: int, weeks: int = WEEKS
) -> list[tuple[str, datetime]]:
    """(note id, due instant in UTC) for `weeks` weekly tips from `first_day`, cycling topics."""
    if not topics:
        return []
    return [
        (
            tip_id(week + 1, topics[week % len(topics)]),
            local_instant(first_day + timedelta(weeks=week), hour, tz),
        )
        for week in range(weeks)
    ]
