"""Milestone notes for a group chat that follows a cohort: the babies born in one month.

The cohort's reference birth date is the 15th of its month, about its middle, so a note goes out
when the middle of the cohort reaches the age: babies born on the 1st are about two weeks
older, those born on the 31st about two weeks younger. The cohort texts say "around" for this
reason. Groups get chronological age only (no one's gestation is known) and only the notes that
have a `cohort_text`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo

from bot.core.milestones.due import Entry, current_note, due_instant, schedule
from bot.core.milestones.models import Baby, Milestone

COHORT_DAY = 15


def cohort_birth_date(year: int, month: int) -> date:
    """The reference birth date of the cohort born in `month` of `year`."""
    return date(year, month, COHORT_DAY)


def cohort_baby(year: int, month: int) -> Baby:
    """A stand-in baby born on the reference date, on time (chronological age only)."""
    return Baby(cohort_birth_date(year, month))


def for_groups(milestones: Iterable[Milestone]) -> list[Milestone]:
    """The notes written for groups (those with a `cohort_text`)."""
    return [m for m in milestones if m.cohort_text is not None]


def cohort_due_instant(
    milestone: Milestone, year: int, month: int, tz: tzinfo, hour: int
) -> datetime:
    return due_instant(milestone, cohort_baby(year, month), tz, hour)


def cohort_schedule(
    milestones: Iterable[Milestone], year: int, month: int, tz: tzinfo, hour: int
) -> list[Entry]:
    return schedule(for_groups(milestones), cohort_baby(year, month), tz, hour)


def cohort_current_note(
    milestones: Iterable[Milestone], year: int, month: int, today: date
) -> Milestone | None:
    return current_note(for_groups(milestones), cohort_baby(year, month), today)
