"""Local delivery hours as UTC instants, safe across daylight-saving changes, and the grace rule.

A note is due at the chat's delivery hour on its local due date. On a spring-forward day that
hour may not exist (01:00 in London, 02:00 in New York): the note is then due at the first valid
instant after the gap, the moment the clocks jump. On a fall-back day the hour may happen twice:
the first occurrence counts. Each local date thus maps to exactly one instant, so a daylight-
saving change neither skips nor doubles a note.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

GRACE = timedelta(hours=72)


def _wall(instant: datetime, tz: tzinfo) -> datetime:
    """The naive local wall-clock time of an aware instant."""
    return instant.astimezone(tz).replace(tzinfo=None)


def local_instant(day: date, hour: int, tz: tzinfo) -> datetime:
    """The UTC instant of `hour`:00 local time on `day` in `tz` (see the module docstring)."""
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0-23, not {hour}")
    wall = datetime.combine(day, time(hour))
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(first, tz) == wall:
        return first  # fold=0 picks the first of two repeated times
    # `wall` is in a gap. Its two readings (offset before and after the jump) bracket the jump;
    # find the jump to the second: the first instant whose wall time is past `wall`.
    second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    low, high = min(first, second), max(first, second)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _wall(middle, tz) > wall:
            high = middle
        else:
            low = middle
    return high


def is_within_grace(due: datetime, now: datetime) -> bool:
    """Whether a note due at `due` may still be sent at `now`: due, and at most GRACE late.

    After downtime the dispatcher sends what fell due in the last 72 hours and skips (records as
    skipped) anything older, so a parent is never flooded with stale notes.
    """
    return due <= now <= due + GRACE
