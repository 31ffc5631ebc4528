"""Which years, months and days the birth-date picker offers: only dates a parent may choose.

A birth date is allowed when it is not in the future and the baby is not yet 5 years old, the
same rule `age.parse_birth_date` applies to a typed date. "Today" is `age.latest_date_on_earth`.
"""

from __future__ import annotations

import calendar
from datetime import date

from bot.core.age import MAX_AGE_MONTHS, add_months

# Local delivery hours the hour pickers offer (and a pressed hour must be one of): never at night.
DELIVERY_HOURS = (6, 7, 8, 9, 10, 12, 14, 17, 19, 20)


def is_allowed_birth_date(day: date, today: date) -> bool:
    return day <= today and add_months(day, MAX_AGE_MONTHS) >= today


def days(year: int, month: int, today: date) -> list[int]:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return []
    last = calendar.monthrange(year, month)[1]
    return [d for d in range(1, last + 1) if is_allowed_birth_date(date(year, month, d), today)]


def months(year: int, today: date) -> list[int]:
    return [m for m in range(1, 13) if days(year, m, today)]


def years(today: date) -> list[int]:
    """Newest first: most parents pick this year or last."""
    return [y for y in range(today.year, today.year - 7, -1) if months(y, today)]
