"""Which note is due for which baby, on which local day and at which UTC instant.

The dispatcher stores `schedule(...)` entries and sends those whose instant has come (see
`due_between` and `is_within_grace`). Right after subscribing, the shell shows `current_note`
once and stores only the notes due after today (`plan_subscription`), so the backlog of
milestones already passed is never sent; only a safety note still relevant (`late_until`) is
sent the day after subscribing.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.core.age import date_reaching
from bot.core.milestones.models import Answer, Baby, Milestone
from bot.core.milestones.timing import local_instant

Entry = tuple[Milestone, datetime]


def due_date(milestone: Milestone, baby: Baby) -> date:
    """The local date on which the baby reaches the milestone's age."""
    return date_reaching(baby.birth, baby.gestational_weeks, milestone.age, milestone.corrected)


def due_instant(milestone: Milestone, baby: Baby, tz: tzinfo, hour: int) -> datetime:
    """The UTC instant of the local delivery `hour` on the due date (DST-safe, see timing)."""
    return local_instant(due_date(milestone, baby), hour, tz)


def _order(milestone: Milestone) -> tuple[float, str]:
    return (milestone.age.approx_days, milestone.id)


def schedule(
    milestones: Iterable[Milestone],
    baby: Baby,
    tz: tzinfo,
    hour: int,
    *,
    answers: Set[Answer] = frozenset(),
) -> list[Entry]:
    """Every note for this baby with its due instant, earliest first (ties: younger age first).

    Notes made unnecessary by `answers` are left out.
    """
    entries = [(m, due_instant(m, baby, tz, hour)) for m in milestones if not m.skipped(answers)]
    return sorted(entries, key=lambda entry: (entry[1], *_order(entry[0])))


def due_between(entries: Iterable[Entry], start: datetime, end: datetime) -> list[Entry]:
    """The entries due in `[start, end)`, in the order given; consecutive windows never overlap."""
    return [(m, due) for m, due in entries if start <= due < end]


def current_note(
    milestones: Iterable[Milestone],
    baby: Baby,
    today: date,
    *,
    answers: Set[Answer] = frozenset(),
) -> Milestone | None:
    """The one note that fits the baby's age today, or None.

    That is the latest note already due (due date on or before `today`), if it is still fresh:
    `today` is within its `current_for_weeks` of its due date. Older notes are the backlog and
    are never returned; a note due after today is left to the schedule.
    """
    reached = [
        (due_date(m, baby), *_order(m), m)
        for m in milestones
        if not m.skipped(answers) and due_date(m, baby) <= today
    ]
    if not reached:
        return None
    due, *_, latest = max(reached, key=lambda item: item[:3])
    if today < due + timedelta(weeks=latest.current_for_weeks):
        return latest
    return None


@dataclass(frozen=True)
class SubscriptionPlan:
    """What to do right after a subscription: show `current` now, store `upcoming`."""

    current: Milestone | None
    upcoming: list[Entry]


def plan_subscription(
    milestones: Iterable[Milestone],
    baby: Baby,
    tz: tzinfo,
    hour: int,
    now: datetime,
    *,
    answers: Set[Answer] = frozenset(),
) -> SubscriptionPlan:
    """Split the notes at the parent's local today, so that none is both shown and scheduled.

    A note due today counts as reached even if the delivery hour is still ahead: it is the
    current note (or backlog), never sent again by the dispatcher. The exception is a safety
    note with `late_until` (the infantile spasm signs): if it is not the current note and the
    baby is still younger than that age, it is scheduled for tomorrow's delivery hour, so a
    parent who subscribes late still gets it while it matters.
    """
    items = list(milestones)
    today = now.astimezone(tz).date()
    current = current_note(items, baby, today, answers=answers)
    upcoming = [
        (m, due)
        for m, due in schedule(items, baby, tz, hour, answers=answers)
        if due_date(m, baby) > today
    ]
    tomorrow = local_instant(today + timedelta(days=1), hour, tz)
    late = [
        (m, tomorrow)
        for m in items
        if m is not current and not m.skipped(answers) and still_relevant(m, baby, today)
    ]
    upcoming = sorted([*late, *upcoming], key=lambda entry: (entry[1], *_order(entry[0])))
    return SubscriptionPlan(current, upcoming)


def still_relevant(milestone: Milestone, baby: Baby, today: date) -> bool:
    """Whether a safety note already due (not the backlog rule's business) is still worth
    sending: the baby is younger than its `late_until` age on `today`."""
    if milestone.late_until is None or due_date(milestone, baby) > today:
        return False
    until = date_reaching(
        baby.birth, baby.gestational_weeks, milestone.late_until, milestone.corrected
    )
    return today < until
