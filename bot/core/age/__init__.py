"""A baby's age on plain calendar dates (`arithmetic`) and typed birth dates (`typed_dates`).

Pure: nothing here reads a clock or knows a time zone; callers pass `today`, the chat's local
date. The names are importable from here.
"""

from bot.core.age.arithmetic import (
    CORRECTED_UNTIL_MONTHS,
    MAX_AGE_MONTHS,
    PRETERM_BELOW_WEEKS,
    TERM_WEEKS,
    UNITS,
    Age,
    AgeSpan,
    Unit,
    add_months,
    age_in_weeks,
    age_on,
    corrected_age,
    corrected_until,
    date_reaching,
    is_preterm,
    latest_date_on_earth,
    months_between,
    term_date,
    uses_corrected_age,
    weeks_early,
)
from bot.core.age.typed_dates import (
    ENGLISH,
    MAX_INPUT,
    DateCode,
    DateWords,
    ParsedDate,
    parse_birth_date,
    parse_date,
)

__all__ = [
    "CORRECTED_UNTIL_MONTHS",
    "ENGLISH",
    "MAX_AGE_MONTHS",
    "MAX_INPUT",
    "PRETERM_BELOW_WEEKS",
    "TERM_WEEKS",
    "UNITS",
    "Age",
    "AgeSpan",
    "DateCode",
    "DateWords",
    "ParsedDate",
    "Unit",
    "add_months",
    "age_in_weeks",
    "age_on",
    "corrected_age",
    "corrected_until",
    "date_reaching",
    "is_preterm",
    "latest_date_on_earth",
    "months_between",
    "parse_birth_date",
    "parse_date",
    "term_date",
    "uses_corrected_age",
    "weeks_early",
]
