"""Typed birth dates: what is read, and the reason code for what is refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.age.typed_dates import ENGLISH, DateCode, DateWords, parse_birth_date, parse_date

TODAY = date(2026, 10, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-01", date(2026, 9, 1)),
        ("2026-9-1", date(2026, 9, 1)),
        ("2026/09/01", date(2026, 9, 1)),
        ("1 Sep 2026", date(2026, 9, 1)),
        ("1 September 2026", date(2026, 9, 1)),
        ("Sep 1 2026", date(2026, 9, 1)),
        ("Sep 1, 2026", date(2026, 9, 1)),
        ("  sept.  1   2026 ", date(2026, 9, 1)),
        ("1st of SEPTEMBER 2026", date(2026, 9, 1)),
        ("2026 Sep 1", date(2026, 9, 1)),
        ("1-Sep-2026", date(2026, 9, 1)),
        ("29 Feb 2024", date(2024, 2, 29)),
        ("25/12/2025", date(2025, 12, 25)),  # only one reading is a real date
        ("12/25/2025", date(2025, 12, 25)),  # the same, written month first
        ("05/05/2026", date(2026, 5, 5)),  # both readings are the same day
        ("13.1.2026", date(2026, 1, 13)),
        ("2021-10-01", date(2021, 10, 1)),  # exactly 5 years ago
        ("1 Oct 2026", TODAY),  # born today
    ],
)
def test_accepted(text: str, expected: date) -> None:
    parsed = parse_birth_date(text, TODAY)
    assert parsed.code is DateCode.OK, parsed
    assert parsed.ok
    assert parsed.date == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/02/2026", DateCode.IMPOSSIBLE),
        ("2026-02-30", DateCode.IMPOSSIBLE),
        ("30 Feb 2026", DateCode.IMPOSSIBLE),
        ("29 Feb 2025", DateCode.IMPOSSIBLE),
        ("2026-13-01", DateCode.IMPOSSIBLE),
        ("0 Sep 2026", DateCode.IMPOSSIBLE),
        ("13/13/2026", DateCode.IMPOSSIBLE),
        ("03/04/2026", DateCode.AMBIGUOUS),
        ("3.4.2026", DateCode.AMBIGUOUS),
        ("1-9-2026", DateCode.AMBIGUOUS),
        ("1 Sep 26", DateCode.UNRECOGNISED),  # the year needs 4 digits
        ("03/04/26", DateCode.UNRECOGNISED),
        ("Sep 2026", DateCode.UNRECOGNISED),
        ("1 Ju 2026", DateCode.UNRECOGNISED),  # June or July?
        ("1 Smarch 2026", DateCode.UNRECOGNISED),
        ("yesterday", DateCode.UNRECOGNISED),
        ("", DateCode.UNRECOGNISED),
        ("2026-09-01 at 10:30", DateCode.UNRECOGNISED),
        ("1 Sep 2026 " + "x" * 50, DateCode.UNRECOGNISED),
        ("2 Oct 2026", DateCode.FUTURE),
        ("2027-01-01", DateCode.FUTURE),
        ("2021-09-30", DateCode.TOO_OLD),  # 5 years and a day
        ("1 Jan 1999", DateCode.TOO_OLD),
    ],
)
def test_refused(text: str, code: DateCode) -> None:
    parsed = parse_birth_date(text, TODAY)
    assert parsed.code is code, parsed
    assert not parsed.ok


def test_ambiguous_gives_both_readings() -> None:
    parsed = parse_date("03/04/2026")
    assert parsed.date is None
    assert parsed.readings == (date(2026, 3, 4), date(2026, 4, 3))


def test_future_and_too_old_keep_the_date_for_the_message() -> None:
    assert parse_birth_date("2027-01-01", TODAY).date == date(2027, 1, 1)
    assert parse_birth_date("1 Jan 1999", TODAY).date == date(1999, 1, 1)


def test_month_words_of_another_language() -> None:
    german = DateWords.from_names(
        [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        abbreviations={"mrz": 3},
    )
    assert parse_date("1. März 2026", german).date == date(2026, 3, 1)
    assert parse_date("1 MARZ 2026", german).date == date(2026, 3, 1)
    assert parse_date("1 Mrz 2026", german).date == date(2026, 3, 1)
    assert parse_date("1 March 2026", german).code is DateCode.UNRECOGNISED
    assert ENGLISH.month("mai") is None


def test_date_words_need_twelve_names() -> None:
    with pytest.raises(ValueError):
        DateWords.from_names(["January"])


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_every_date_reads_back_from_iso_and_words(day: date) -> None:
    assert parse_date(day.isoformat()).date == day
    assert parse_date(day.strftime("%d %B %Y")).date == day
    assert parse_date(day.strftime("%b %d, %Y")).date == day


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_numeric_day_first_is_read_or_refused_as_ambiguous(day: date) -> None:
    parsed = parse_date(day.strftime("%d/%m/%Y"))
    if day.day <= 12 and day.day != day.month:
        assert parsed.code is DateCode.AMBIGUOUS
        assert day in parsed.readings
    else:
        assert parsed.date == day


@given(st.text(max_size=30))
def test_any_text_gets_a_code(text: str) -> None:
    parsed = parse_birth_date(text, TODAY)
    assert parsed.code in DateCode
    assert (parsed.date is not None) == (
        parsed.code in (DateCode.OK, DateCode.FUTURE, DateCode.TOO_OLD)
    )
