"""Typed dates with month names in English and Spanish (Babel's names, not a hand list)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.age import DateCode, parse_birth_date, parse_date
from bot.core.date_words import month_words

WORDS = month_words()
SEP_1 = date(2026, 9, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "1 sept 2026",
        "1 sept. 2026",
        "1 Sep 2026",
        "Sep 1, 2026",
        "1 de septiembre de 2026",
        "1 DE SEPTIEMBRE DE 2026",
        "1 septiembre 2026",
        "septiembre 1 2026",
        "1st of September 2026",
        "1 September 2026",
        "1 septiem 2026",  # a start of one month's name
    ],
)
def test_the_first_of_september(typed: str) -> None:
    assert parse_date(typed, WORDS).date == SEP_1, typed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15 de enero de 2026", date(2026, 1, 15)),
        ("3 ago 2026", date(2026, 8, 3)),
        ("2 dic. 2026", date(2026, 12, 2)),
        ("4 abril 2026", date(2026, 4, 4)),
        ("4 abr 2026", date(2026, 4, 4)),
        ("1 de mayo del 2026", date(2026, 5, 1)),
        ("1 mar 2026", date(2026, 3, 1)),  # March and marzo agree
        ("28 FEBRERO 2026", date(2026, 2, 28)),
        ("1 Jun 2026", date(2026, 6, 1)),
    ],
)
def test_spanish_and_english_months(typed: str, expected: date) -> None:
    assert parse_date(typed, WORDS).date == expected, typed


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31 de febrero de 2026", DateCode.IMPOSSIBLE),
        ("1 de brumario de 2026", DateCode.UNRECOGNISED),
        ("1 ju 2026", DateCode.UNRECOGNISED),  # too short to name a month
        ("1 de de 2026", DateCode.UNRECOGNISED),
    ],
)
def test_refusals(typed: str, code: DateCode) -> None:
    assert parse_date(typed, WORDS).code is code


def test_a_birth_date_in_spanish_is_judged_against_today() -> None:
    today = date(2026, 10, 1)
    assert parse_birth_date("1 de septiembre de 2026", today, WORDS).ok
    assert parse_birth_date("1 de noviembre de 2026", today, WORDS).code is DateCode.FUTURE


def test_the_chat_language_adds_its_months() -> None:
    german = month_words(("de",))
    assert parse_date("1. März 2026", german).date == date(2026, 3, 1)
    assert parse_date("1 septiembre 2026", german).date == SEP_1  # English and Spanish stay
