"""The milestone timeline picture, computed: where each note sits on the first 3 years, which
were sent, which come next, today's place, and for a baby born early both ages (to 24 months).

Pure: dates and rules in, positions (fractions of the line) and labels out; the drawing code
(bot/media/drawing.py) only renders them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date

from bot.core.age import add_months, corrected_until, is_preterm, term_date
from bot.core.locale_format import day_month_year
from bot.core.milestones.due import due_date
from bot.core.milestones.models import Baby, Milestone

YEARS_MONTHS = 36
TICK_MONTHS = 3
NEXT_SHOWN = 3  # how many upcoming notes get their date written next to them
SENT, MISSED, NEXT, LATER = "sent", "missed", "next", "later"


@dataclass(frozen=True)
class TimelineBaby:
    name: str | None
    birth: date
    gestational_weeks: int | None
    sent: Set[str]  # milestone ids already sent to this chat for this baby


@dataclass(frozen=True)
class Mark:
    number: int  # the marker's label; the list under the line explains it
    milestone_id: str
    title: str
    due: date
    when: str  # the due date as the chat's language writes it ("Mar 4, 2026", "4 mar 2026")
    position: float  # 0 at birth, 1 at 36 months
    status: str  # sent | missed (due before the sign-up, never sent) | next | later
    level: int  # 0 on the line, 1+ stacked above it when markers would overlap


@dataclass(frozen=True)
class Tick:
    position: float
    months: int


@dataclass(frozen=True)
class Timeline:
    names: tuple[str | None, ...]  # twins share one picture
    birth: date
    today: float | None  # position of today, None outside the 3 years
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]  # actual age
    corrected_ticks: tuple[Tick, ...]  # corrected age, only for a baby born early, to 24 months
    corrected_end: float | None  # where corrected age stops being used

    @property
    def preterm(self) -> bool:
        return bool(self.corrected_ticks)


def _position(birth: date, end: date, day: date) -> float:
    return (day - birth).days / max((end - birth).days, 1)


def _levels(positions: Sequence[float], min_gap: float) -> list[int]:
    """Stack markers that would overlap: each takes the lowest level where it has room."""
    last_on_level: list[float] = []
    levels: list[int] = []
    for position in positions:
        for level, last in enumerate(last_on_level):
            if position - last >= min_gap:
                last_on_level[level] = position
                levels.append(level)
                break
        else:
            last_on_level.append(position)
            levels.append(len(last_on_level) - 1)
    return levels


def timeline(
    babies: Sequence[TimelineBaby],
    milestones: Iterable[Milestone],
    today: date,
    locale: str,
    min_gap: float = 0.03,
) -> Timeline:
    """One picture for `babies` (one baby, or twins: same birth date and correction)."""
    first = babies[0]
    birth, weeks = first.birth, first.gestational_weeks
    end = add_months(birth, YEARS_MONTHS)
    baby = Baby(birth, weeks, first.name)
    sent = set().union(*(b.sent for b in babies))
    dated = sorted(
        ((due_date(m, baby), m) for m in milestones), key=lambda pair: (pair[0], pair[1].id)
    )
    dated = [(day, m) for day, m in dated if day <= end]
    upcoming = [m.id for day, m in dated if m.id not in sent and day >= today][:NEXT_SHOWN]
    positions = [_position(birth, end, day) for day, _ in dated]
    levels = _levels(positions, min_gap)
    marks = []
    for number, ((day, milestone), position, level) in enumerate(
        zip(dated, positions, levels, strict=True), start=1
    ):
        if milestone.id in sent:
            status = SENT
        elif milestone.id in upcoming:
            status = NEXT
        elif day < today:
            status = MISSED
        else:
            status = LATER
        title = milestone.title.get(locale)
        when = day_month_year(day, locale)
        marks.append(Mark(number, milestone.id, title, day, when, position, status, level))
    ticks = tuple(
        Tick(_position(birth, end, add_months(birth, months)), months)
        for months in range(0, YEARS_MONTHS + 1, TICK_MONTHS)
    )
    corrected: tuple[Tick, ...] = ()
    corrected_end = None
    if is_preterm(weeks):
        start, stop = term_date(birth, weeks), corrected_until(birth)
        corrected = tuple(
            Tick(_position(birth, end, add_months(start, months)), months)
            for months in range(0, YEARS_MONTHS, TICK_MONTHS)
            if add_months(start, months) < stop
        )
        corrected_end = _position(birth, end, stop)
    now = _position(birth, end, today)
    return Timeline(
        names=tuple(b.name for b in babies),
        birth=birth,
        today=now if 0 <= now <= 1 else None,
        marks=tuple(marks),
        ticks=ticks,
        corrected_ticks=corrected,
        corrected_end=corrected_end,
    )


def sent_milestones(notes: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The milestone ids of (milestone_id, status) pairs whose note went out."""
    return frozenset(milestone for milestone, status in notes if status == "sent")


def twins_of(babies: Mapping[int, TimelineBaby], chosen: int) -> list[int]:
    """The ids of the babies that share the chosen baby's picture (same birth, same correction),
    in the order given, the chosen one included."""
    from bot.core.milestones.render import schedule_key

    key = schedule_key(babies[chosen])
    return [ident for ident, baby in babies.items() if schedule_key(baby) == key]
