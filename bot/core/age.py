"""A baby's age on plain calendar dates: typed birth dates, months, weeks and corrected age.

Pure: nothing here reads a clock or knows a time zone. Callers pass `today`, the chat's local
date. Decisions (docs/milestones.md explains them for parents and editors):

- Months are calendar months: the same day of the month, clamped to the month's last day.
  Born 31 Jan: 1 month old on 28 Feb (29 Feb in a leap year), 2 months old on 31 Mar.
- Corrected age counts from the term date (birth + weeks born before 40 weeks). It applies when
  a baby was born more than 3 weeks early (under 37 weeks) and only until 24 months of
  chronological age (clinical notes 2.4, [S32][S33]).
- Typed dates: ISO `2026-09-01`, or the month as a word (`1 Sep 2026`, `Sep 1, 2026`). A date of
  numbers with the year last (`25/12/2026`) is read only when just one reading is a real date;
  `03/04/2026` could be 3 April or 4 March, so it is `ambiguous` and the parent is asked again.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

TERM_WEEKS = 40
PRETERM_BELOW_WEEKS = 37  # "born more than 3 weeks early"
CORRECTED_UNTIL_MONTHS = 24
MAX_AGE_MONTHS = 60  # a typed birth date more than 5 years ago is refused

Unit = Literal["days", "weeks", "months"]
UNITS: tuple[Unit, ...] = ("days", "weeks", "months")


# --- calendar arithmetic ---------------------------------------------------------------------


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


# --- typed birth dates -----------------------------------------------------------------------


class DateCode(StrEnum):
    """Why a typed date was accepted or refused; the shell picks a message by this code."""

    OK = "ok"
    IMPOSSIBLE = "impossible"  # no such day, e.g. 31/02/2026 or 2026-02-30
    AMBIGUOUS = "ambiguous"  # 03/04/2026: 3 April or 4 March
    UNRECOGNISED = "unrecognised"  # not a date format we read
    FUTURE = "future"  # after today
    TOO_OLD = "too_old"  # more than 5 years ago


@dataclass(frozen=True)
class ParsedDate:
    code: DateCode
    date: date | None = None  # set for ok, future and too_old
    readings: tuple[date, ...] = ()  # for ambiguous: each possible date, earliest first

    @property
    def ok(self) -> bool:
        return self.code is DateCode.OK


def _fold(text: str) -> str:
    """Lower case without accents, so `März`, `MARZ` and `marz` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class DateWords:
    """The words one language may use in a typed date.

    `names` are the 12 month names, January first; a word matches a month when it is a name,
    a listed abbreviation, or the start (3 letters or more) of exactly one name. Other
    locales can build one from rules later with `DateWords.from_names`.
    """

    names: tuple[str, ...]
    abbreviations: Mapping[str, int] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()  # e.g. "st" in "1st", "of" in "1st of May"

    @classmethod
    def from_names(
        cls,
        names: Iterable[str],
        abbreviations: Mapping[str, int] | None = None,
        ignore: Iterable[str] = (),
    ) -> DateWords:
        folded = tuple(_fold(n) for n in names)
        if len(folded) != 12:
            raise ValueError("need exactly 12 month names")
        abbr = {_fold(k): v for k, v in (abbreviations or {}).items()}
        return cls(folded, abbr, frozenset(_fold(w) for w in ignore))

    def month(self, word: str) -> int | None:
        word = _fold(word)
        if word in self.names:
            return self.names.index(word) + 1
        if word in self.abbreviations:
            return self.abbreviations[word]
        if len(word) >= 3:
            matches = [i for i, name in enumerate(self.names) if name.startswith(word)]
            if len(matches) == 1:
                return matches[0] + 1
        return None


# Spelled out, not calendar.month_name, which follows the process locale.
ENGLISH = DateWords.from_names(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    ignore=("st", "nd", "rd", "th", "of", "the"),
)

_TOKENS = re.compile(r"\d+|[^\W\d_]+")
MAX_INPUT = 40


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, words: DateWords = ENGLISH) -> ParsedDate:
    """Read a typed date without judging it against today (see `parse_birth_date`)."""
    if len(text) > MAX_INPUT:
        return ParsedDate(DateCode.UNRECOGNISED)
    tokens = [t for t in _TOKENS.findall(_fold(text)) if t not in words.ignore]
    numbers = [t for t in tokens if t.isdigit()]
    letters = [t for t in tokens if not t.isdigit()]
    if len(numbers) == 3 and not letters:
        return _numeric(numbers)
    if len(numbers) == 2 and len(letters) == 1:
        month = words.month(letters[0])
        years = [n for n in numbers if len(n) == 4]
        days = [n for n in numbers if len(n) <= 2]
        if month is None or len(years) != 1 or len(days) != 1:
            return ParsedDate(DateCode.UNRECOGNISED)
        return _single(_make(int(years[0]), month, int(days[0])))
    return ParsedDate(DateCode.UNRECOGNISED)


def _single(day: date | None) -> ParsedDate:
    return ParsedDate(DateCode.OK, day) if day else ParsedDate(DateCode.IMPOSSIBLE)


def _numeric(numbers: list[str]) -> ParsedDate:
    first, second, third = numbers
    if len(first) == 4 and len(second) <= 2 and len(third) <= 2:
        return _single(_make(int(first), int(second), int(third)))  # year-month-day
    if len(third) == 4 and len(first) <= 2 and len(second) <= 2:
        year, a, b = int(third), int(first), int(second)
        readings = sorted({d for d in (_make(year, b, a), _make(year, a, b)) if d})
        if not readings:
            return ParsedDate(DateCode.IMPOSSIBLE)
        if len(readings) == 1:  # one real date, or both readings the same day (05/05/2026)
            return ParsedDate(DateCode.OK, readings[0])
        return ParsedDate(DateCode.AMBIGUOUS, readings=tuple(readings))
    return ParsedDate(DateCode.UNRECOGNISED)


def parse_birth_date(text: str, today: date, words: DateWords = ENGLISH) -> ParsedDate:
    """A typed birth date, refused when in the future or more than 5 years before `today`."""
    parsed = parse_date(text, words)
    if not parsed.ok or parsed.date is None:
        return parsed
    if parsed.date > today:
        return ParsedDate(DateCode.FUTURE, parsed.date)
    if add_months(parsed.date, MAX_AGE_MONTHS) < today:
        return ParsedDate(DateCode.TOO_OLD, parsed.date)
    return parsed
