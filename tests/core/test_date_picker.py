"""The birth-date picker offers exactly the dates a parent may choose."""

from __future__ import annotations

from datetime import date

from bot.core import date_picker
from bot.core.timezones import find_zone

TODAY = date(2026, 11, 25)


def test_no_future_and_no_older_than_five_years() -> None:
    assert date_picker.years(TODAY) == [2026, 2025, 2024, 2023, 2022, 2021]
    assert date_picker.months(2026, TODAY)[-1] == 11
    assert date_picker.days(2026, 11, TODAY)[-1] == 25
    assert date_picker.days(2021, 11, TODAY)[0] == 25  # the fifth birthday is today
    assert date_picker.months(2021, TODAY) == [11, 12]


def test_impossible_months_and_days_offer_nothing() -> None:
    assert date_picker.days(2026, 13, TODAY) == []
    assert date_picker.days(2026, 2, date(2027, 1, 1))[-1] == 28
    assert date_picker.days(2024, 2, TODAY)[-1] == 29


def test_typed_zones() -> None:
    assert find_zone("Berlin") == "Europe/Berlin"
    assert find_zone("new york") == "America/New_York"
    assert find_zone("europe/london") == "Europe/London"
    assert find_zone("Atlantis") is None
    assert find_zone("x" * 100) is None
