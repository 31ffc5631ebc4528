"""Calendar months, month ends, leap days and corrected age (bot/core/age/arithmetic.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.age import (
    Age,
    AgeSpan,
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

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the month end
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 2, date(2026, 3, 31)),  # not 28 Mar: same day again when it exists
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),  # across a year end
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 1), 0, date(2026, 5, 1)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("birth", "today", "months"),
    [
        (date(2026, 1, 31), date(2026, 2, 27), 0),
        (date(2026, 1, 31), date(2026, 2, 28), 1),  # 1 month on 28 Feb, as add_months says
        (date(2026, 1, 31), date(2026, 3, 30), 1),
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2028, 2, 29), date(2029, 2, 28), 12),
        (date(2028, 2, 29), date(2029, 2, 27), 11),
        (date(2026, 6, 15), date(2026, 6, 15), 0),
    ],
)
def test_months_between(birth: date, today: date, months: int) -> None:
    assert months_between(birth, today) == months


@given(dates, dates, st.integers(min_value=0, max_value=120))
def test_months_between_agrees_with_add_months(birth: date, other: date, n: int) -> None:
    start, end = min(birth, other), max(birth, other)
    assert (months_between(start, end) >= n) == (end >= add_months(start, n))


@given(dates, st.integers(min_value=0, max_value=120))
def test_add_months_keeps_the_day_or_the_month_end(start: date, n: int) -> None:
    moved = add_months(start, n)
    assert moved.day == start.day or (moved + timedelta(days=1)).day == 1
    assert moved.day <= start.day
    assert months_between(start, moved) == n


def test_months_between_rejects_an_end_before_the_start() -> None:
    with pytest.raises(ValueError):
        months_between(date(2026, 2, 1), date(2026, 1, 1))


def test_age_on() -> None:
    assert age_on(date(2026, 1, 31), date(2026, 3, 31)) == Age(days=59, weeks=8, months=2)
    assert age_on(date(2026, 1, 1), date(2026, 1, 1)) == Age(0, 0, 0)
    with pytest.raises(ValueError):
        age_on(date(2026, 1, 2), date(2026, 1, 1))


def test_age_between_is_negative_before_the_start() -> None:
    assert Age.between(date(2026, 3, 1), date(2026, 2, 1)) == Age(-28, -4, -1)


@pytest.mark.parametrize(
    ("birth", "today", "weeks"),
    [
        (date(2026, 1, 1), date(2026, 1, 7), 0),
        (date(2026, 1, 1), date(2026, 1, 8), 1),
        (date(2026, 1, 1), date(2026, 3, 26), 12),
        (date(2026, 1, 2), date(2026, 1, 1), 0),  # a day "ahead" counts as a newborn
    ],
)
def test_age_in_weeks(birth: date, today: date, weeks: int) -> None:
    assert age_in_weeks(birth, today) == weeks


@pytest.mark.parametrize(
    ("gestation", "early", "preterm"),
    [
        (None, 0, False),
        (42, 0, False),
        (40, 0, False),
        (37, 3, False),
        (36, 4, True),
        (24, 16, True),
    ],
)
def test_corrected_age_starts_below_37_weeks(
    gestation: int | None, early: int, preterm: bool
) -> None:
    assert weeks_early(gestation) == early
    assert is_preterm(gestation) is preterm


def test_corrected_age_counts_from_the_term_date() -> None:
    birth = date(2026, 1, 1)
    assert term_date(birth, 30) == date(2026, 3, 12)  # 10 weeks later
    assert term_date(birth, 37) == date(2026, 1, 22)  # the term date, though not corrected
    assert corrected_age(birth, 30, date(2026, 6, 11)) == Age(91, 13, 2)
    assert corrected_age(birth, 30, date(2026, 1, 15)) == Age(-56, -8, -1)
    assert corrected_age(birth, 37, date(2026, 6, 11)) is None  # only 3 weeks early
    assert corrected_age(birth, None, date(2026, 6, 11)) is None


def test_corrected_age_ends_at_24_months_chronological() -> None:
    birth = date(2026, 1, 31)
    assert corrected_until(birth) == date(2028, 1, 31)
    assert uses_corrected_age(birth, 30, date(2028, 1, 30))
    assert not uses_corrected_age(birth, 30, date(2028, 1, 31))
    assert corrected_age(birth, 30, date(2028, 1, 31)) is None


def test_date_reaching_uses_corrected_age_only_when_it_applies() -> None:
    birth = date(2026, 1, 1)
    twelve_weeks = AgeSpan(12, "weeks")
    assert date_reaching(birth, None, twelve_weeks) == date(2026, 3, 26)
    assert date_reaching(birth, 36, twelve_weeks) == date(2026, 4, 23)  # 4 weeks later
    assert date_reaching(birth, 37, twelve_weeks) == date(2026, 3, 26)  # not corrected
    assert date_reaching(birth, 36, twelve_weeks, corrected=False) == date(2026, 3, 26)
    four_months = AgeSpan(4, "months")
    assert date_reaching(birth, 30, four_months) == date(2026, 7, 12)  # term 12 Mar + 4 months


def test_an_age_not_reached_by_corrected_age_before_24_months_comes_at_the_switch() -> None:
    birth = date(2026, 1, 1)  # born at 24 weeks: term date 23 Apr 2026, 16 weeks later
    # 22 months corrected would be 23 Feb 2028, after the switch on 1 Jan 2028; from the switch
    # on, chronological age (24 months) counts, and that is already past 22 months.
    assert date_reaching(birth, 24, AgeSpan(22, "months")) == date(2028, 1, 1)
    assert date_reaching(birth, 24, AgeSpan(20, "months")) == date(2027, 12, 23)
    assert date_reaching(birth, 24, AgeSpan(30, "months")) == date(2028, 7, 1)


@given(
    dates,
    st.one_of(st.none(), st.integers(min_value=22, max_value=42)),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
)
def test_date_reaching_is_monotone_in_age(
    birth: date, gestation: int | None, a: int, b: int
) -> None:
    low, high = sorted((a, b))
    for unit in ("weeks", "months"):
        assert date_reaching(birth, gestation, AgeSpan(low, unit)) <= date_reaching(
            birth, gestation, AgeSpan(high, unit)
        )


@given(dates, st.one_of(st.none(), st.integers(min_value=22, max_value=42)))
def test_date_reaching_is_never_before_the_chronological_date(
    birth: date, gestation: int | None
) -> None:
    for span in (AgeSpan(6, "weeks"), AgeSpan(4, "months"), AgeSpan(23, "months")):
        assert date_reaching(birth, gestation, span) >= span.after(birth)


def test_age_span_keys_and_text() -> None:
    assert AgeSpan(12, "weeks").key == AgeSpan(84, "days").key
    assert AgeSpan(3, "months").key != AgeSpan(13, "weeks").key
    assert str(AgeSpan(1, "months")) == "1 month"
    assert str(AgeSpan(12, "weeks")) == "12 weeks"
    with pytest.raises(ValueError):
        AgeSpan(1, "years")  # type: ignore[arg-type]


def test_latest_date_on_earth_is_kiribatis_date() -> None:
    # 10:00 UTC is midnight in Kiribati (UTC+14): a new day has begun somewhere.
    assert latest_date_on_earth(datetime(2026, 11, 24, 10, 0, tzinfo=UTC)) == date(2026, 11, 25)
    assert latest_date_on_earth(datetime(2026, 11, 25, 9, 59, tzinfo=UTC)) == date(2026, 11, 25)
    assert latest_date_on_earth(datetime(2026, 11, 25, 10, 0, tzinfo=UTC)) > date(2026, 11, 25)
