"""A baby's age on plain calendar dates: months, weeks and corrected age.

Pure: nothing here reads a clock or knows a time zone. Callers pass `today`, the chat's local
date. Decisions (docs/milestones.md explains them for parents and editors):

- Months are calendar months: the same day of the month, clamped to the month's last day.
  Born 31 Jan: 1 month old on 28 Feb (29 Feb in a leap year), 2 months old on 31 Mar.
- Corrected age counts from the term date (birth + weeks born before 40 weeks). It applies when
  a baby was born more than 3 weeks early (under 37 weeks) and only until 24 months of
  chronological age (clinical notes 2.4, [S32][S33]).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

TERM_WEEKS = 40
PRETERM_BELOW_WEEKS = 37  # "born more than 3 weeks early"
CORRECTED_UNTIL_MONTHS = 24
MAX_AGE_MONTHS = 60  # a typed birth date more than 5 years ago is refused

Unit = Literal["days", "weeks", "months"]
UNITS: tuple[Unit, ...] = ("days", "weeks", "months")


def latest_date_on_earth(now: datetime) -> date:
    """The calendar date at UTC+14 (Kiribati) at `now`: before a chat's time zone is known, a
    baby born "today" where the parent lives must never be refused as born in the future."""
    return (now + timedelta(hours=14)).date()


def add_months(start: date, months: int) -> date:
    """`start` moved by whole calendar months: same day of the month, clamped to the month end.

    31 Jan + 1 = 28 Feb (29 Feb in a leap year); 29 Feb 2028 + 12 = 28 Feb 2029.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (not before start), matching `add_months`.

    So `months_between(b, d) >= n` exactly when `d >= add_months(b, n)`.
    """
    if end < start:
        raise ValueError(f"{end} is before {start}")
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


@dataclass(frozen=True)
class AgeSpan:
    """An age as written in rules: a whole number of days, weeks or calendar months."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")

    def after(self, start: date) -> date:
        """The date this span after `start` (months clamp to the month end)."""
        if self.unit == "months":
            return add_months(start, self.amount)
        return start + timedelta(days=self.amount * (7 if self.unit == "weeks" else 1))

    @property
    def key(self) -> tuple[str, int]:
        """Equal for spans that are always the same age: `weeks: 12` and `days: 84`."""
        if self.unit == "months":
            return ("months", self.amount)
        return ("days", self.amount * (7 if self.unit == "weeks" else 1))

    @property
    def approx_days(self) -> float:
        """For ordering spans of different units (a month is 30.44 days on average)."""
        unit, amount = self.key
        return amount * 30.436875 if unit == "months" else float(amount)

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


@dataclass(frozen=True)
class Age:
    """An age in whole days, weeks and calendar months (each rounded down; negative before 0)."""

    days: int
    weeks: int
    months: int

    @classmethod
    def between(cls, start: date, end: date) -> Age:
        if end < start:
            ahead = cls.between(end, start)
            return cls(-ahead.days, -ahead.weeks, -ahead.months)
        days = (end - start).days
        return cls(days, days // 7, months_between(start, end))


def age_on(birth: date, today: date) -> Age:
    """Chronological age on `today`."""
    if today < birth:
        raise ValueError(f"born {birth}, which is after {today}")
    return Age.between(birth, today)


def age_in_weeks(birth: date, today: date) -> int:
    """Completed weeks since birth, for the triage age question (0 if `today` is before birth).

    The triage windows (fever under 3 months, infantile spasms) are in chronological age.
    A birth date one day "ahead" can happen when the server's and the parent's days differ.
    """
    return max(0, (today - birth).days // 7)


# --- corrected age ---------------------------------------------------------------------------


def weeks_early(gestational_weeks: int | None) -> int:
    """Weeks born before 40 weeks of pregnancy (0 when on time, late, or not given)."""
    if gestational_weeks is None:
        return 0
    return max(0, TERM_WEEKS - gestational_weeks)


def is_preterm(gestational_weeks: int | None) -> bool:
    """Born more than 3 weeks early, so that corrected age is used for milestones."""
    return gestational_weeks is not None and gestational_weeks < PRETERM_BELOW_WEEKS


def term_date(birth: date, gestational_weeks: int | None) -> date:
    """The date the baby reached 40 weeks of pregnancy (its due date); corrected age counts
    from here. Equal to the birth date for a baby born at or after 40 weeks or not early."""
    return birth + timedelta(weeks=weeks_early(gestational_weeks))


def corrected_until(birth: date) -> date:
    """From this date on, chronological age is used again for every baby."""
    return add_months(birth, CORRECTED_UNTIL_MONTHS)


def uses_corrected_age(birth: date, gestational_weeks: int | None, today: date) -> bool:
    return is_preterm(gestational_weeks) and today < corrected_until(birth)


def corrected_age(birth: date, gestational_weeks: int | None, today: date) -> Age | None:
    """Age counted from the term date while corrected age applies, else None.

    Before the term date the result is negative: a baby born at 30 weeks is "-8 weeks" two
    weeks after birth.
    """
    if not uses_corrected_age(birth, gestational_weeks, today):
        return None
    return Age.between(term_date(birth, gestational_weeks), today)


def date_reaching(
    birth: date, gestational_weeks: int | None, span: AgeSpan, corrected: bool = True
) -> date:
    """The first day on which the baby is `span` old.

    With `corrected`, a preterm baby's age is its corrected age before `corrected_until(birth)`
    and its chronological age from then on, so an age not reached by corrected age before the
    switch is reached at the switch (or later, by chronological age).
    """
    chronological = span.after(birth)
    if not corrected or not is_preterm(gestational_weeks):
        return chronological
    by_corrected = span.after(term_date(birth, gestational_weeks))
    switch = corrected_until(birth)
    return by_corrected if by_corrected < switch else max(chronological, switch)
