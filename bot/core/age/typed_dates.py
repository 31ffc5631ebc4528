"""A birth date typed by a parent, read without guessing.

Pure: `today` is passed in. ISO `2026-09-01`, or the month as a word (`1 Sep 2026`,
`Sep 1, 2026`). A date of numbers with the year last (`25/12/2026`) is read only when just one
reading is a real date; `03/04/2026` could be 3 April or 4 March, so it is `ambiguous` and the
parent is asked again (docs/milestones.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.core.age.arithmetic import MAX_AGE_MONTHS, add_months


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
