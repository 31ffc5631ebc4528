"""Dates, months and times the way each locale writes them, from Babel (CLDR): no hand tables.

Times use the locale's 24-hour pattern (skeleton `Hm`: "08:00" in English, "8:00" in Spanish):
a note at "8:00" cannot be misread at 3 a.m. as evening, which "8:00 PM" style could be.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton, format_time


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


@functools.cache
def month_names(locale: str, width: str = "abbreviated") -> tuple[str, ...]:
    """The 12 month names, January first, as they stand alone (a button, a heading).

    `width` is "wide" ("September", "septiembre") or "abbreviated" ("Sep", "sept").
    """
    names = _locale(locale).months["stand-alone"][width]
    return tuple(names[month] for month in range(1, 13))


def month_year(day: date, locale: str) -> str:
    """The month and year of `day`: "March 2026", "marzo de 2026"."""
    return format_skeleton("yMMMM", day, locale=_locale(locale))


def day_month_year(day: date, locale: str) -> str:
    """A short date with the month as a word: "Mar 4, 2026", "4 mar 2026"."""
    return babel_format_date(day, format="medium", locale=_locale(locale))


def date_and_time(moment: datetime, locale: str) -> str:
    """A date and a 24-hour time: "Mar 4, 2026, 21:30"."""
    return f"{day_month_year(moment.date(), locale)}, {clock(moment, locale)}"


def clock(moment: datetime | time, locale: str) -> str:
    """A 24-hour time of day in the locale's pattern: "21:30", "8:00"."""
    if isinstance(moment, datetime):
        moment = moment.timetz().replace(tzinfo=None)
    return format_time(moment, format=_locale(locale).datetime_skeletons["Hm"], locale=locale)


def hour(value: int, locale: str) -> str:
    """A whole hour of the day: "08:00" for 8."""
    return clock(time(value), locale)
