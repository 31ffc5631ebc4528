"""Month names, dates and times per locale, from Babel."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.core import locale_format


@pytest.mark.parametrize(
    ("locale", "short", "wide"),
    [
        ("en", "Sep", "September"),
        ("es", "sept", "septiembre"),
        ("de", "Sep", "September"),
    ],
)
def test_month_names_per_locale(locale: str, short: str, wide: str) -> None:
    assert len(locale_format.month_names(locale)) == 12
    assert locale_format.month_names(locale)[8] == short
    assert locale_format.month_names(locale, "wide")[8] == wide


def test_spanish_months_are_lower_case_and_march_is_marzo() -> None:
    assert locale_format.month_names("es", "wide")[:3] == ("enero", "febrero", "marzo")


@pytest.mark.parametrize(
    ("locale", "expected"), [("en", "March 2026"), ("es", "marzo de 2026"), ("de", "März 2026")]
)
def test_month_and_year(locale: str, expected: str) -> None:
    assert locale_format.month_year(date(2026, 3, 15), locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"), [("en", "Mar 4, 2026"), ("es", "4 mar 2026"), ("de", "04.03.2026")]
)
def test_a_date_with_the_month_as_a_word(locale: str, expected: str) -> None:
    assert locale_format.day_month_year(date(2026, 3, 4), locale) == expected


def test_times_are_24_hour_in_every_locale() -> None:
    evening = datetime(2026, 3, 4, 21, 5, tzinfo=UTC)
    assert locale_format.clock(evening, "en") == "21:05"
    assert locale_format.clock(evening, "es") == "21:05"
    assert locale_format.hour(8, "en") == "08:00"
    assert locale_format.hour(8, "es") == "8:00"
    assert locale_format.clock(time(7, 30), "de") == "07:30"
    assert locale_format.date_and_time(evening, "en") == "Mar 4, 2026, 21:05"
