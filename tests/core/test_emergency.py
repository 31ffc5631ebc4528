"""Choosing the parent's emergency number: time zone first, then language region, else fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.emergency import (
    Clue,
    EmergencyChoice,
    choose_number,
    country_of_zone,
    region_of_language,
)
from bot.core.rules import Rules
from bot.core.rules_loader import load_rules
from bot.telegram.ui_keys import UI_KEYS
from tests.core.test_rules_loader import errors_of, replace_in, rules_copy

__all__ = ["rules_copy"]  # the loader tests' fixture: a copy of rules/ to break

EU_EEA = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO"
# Clinical notes 1.11: the high-confidence numbers.
EXPECTED = {
    **dict.fromkeys(EU_EEA.split(), "112"),
    "GB": "999",
    "US": "911",
    "CA": "911",
    "AU": "000",
    "NZ": "111",
    "IN": "112",
    "JP": "119",
    "MX": "911",
}


def test_every_listed_country_has_its_number_and_a_source(rules: Rules) -> None:
    numbers = rules.emergency_numbers
    assert numbers is not None
    assert {c: n.number for c, n in numbers.countries.items()} == EXPECTED
    for entry in numbers.countries.values():
        assert entry.source in rules.sources
        assert rules.sources[entry.source].url  # a public page a reviewer can open
    eu = {c for c, n in numbers.countries.items() if n.source == "S73"}
    assert eu == set(EU_EEA.split())
    assert numbers.countries["GB"].also == ("112",)
    assert numbers.countries["AU"].also == ("112",)


@pytest.mark.parametrize("country", sorted(EXPECTED))
def test_each_country_by_language_region(rules: Rules, country: str) -> None:
    assert rules.emergency_numbers is not None
    choice = choose_number(rules.emergency_numbers, None, f"xx-{country}")
    assert choice.number == EXPECTED[country]
    assert (choice.country, choice.clue) == (country, Clue.LANGUAGE)


@pytest.mark.parametrize(
    ("zone", "country", "number"),
    [
        ("Europe/Berlin", "DE", "112"),
        ("America/Toronto", "CA", "911"),
        ("Australia/Sydney", "AU", "000"),
        ("Asia/Kolkata", "IN", "112"),
        ("Asia/Tokyo", "JP", "119"),
        ("America/Mexico_City", "MX", "911"),
        ("Europe/London", "GB", "999"),
        ("Pacific/Auckland", "NZ", "111"),
        ("America/New_York", "US", "911"),
        ("Europe/Oslo", "NO", "112"),
        ("Asia/Calcutta", "IN", "112"),  # an old name: the wheel ships it as a copy of Kolkata
    ],
)
def test_zone_decides(rules: Rules, zone: str, country: str, number: str) -> None:
    assert rules.emergency_numbers is not None
    # The zone wins over a language region that names another country.
    choice = choose_number(rules.emergency_numbers, zone, "en-US" if country != "US" else "en-GB")
    assert choice == EmergencyChoice(
        number, country, Clue.TIME_ZONE, rules.emergency_numbers.countries[country].also
    )


def test_zone_to_country() -> None:
    assert country_of_zone("Europe/Berlin") == "DE"
    assert country_of_zone("US/Eastern") == "US"
    for nothing in (None, "", "Etc/UTC", "UTC", "Mars/Base", "../zone.tab", "Europe/../x"):
        assert country_of_zone(nothing) is None


def test_language_regions() -> None:
    assert region_of_language("en-GB") == "GB"
    assert region_of_language("pt-br") == "BR"
    assert region_of_language("pt_BR") == "BR"
    assert region_of_language("zh-Hant-TW") == "TW"
    for nothing in (None, "", "en", "es-419", "english", "e-GB", "en-"):
        assert region_of_language(nothing) is None


def test_a_zone_without_a_listed_number_falls_back_even_with_a_known_language(
    rules: Rules,
) -> None:
    assert rules.emergency_numbers is not None
    choice = choose_number(rules.emergency_numbers, "Africa/Lagos", "en-US")
    assert choice == EmergencyChoice(None, "NG", Clue.TIME_ZONE)


def test_fallback(rules: Rules) -> None:
    numbers = rules.emergency_numbers
    assert numbers is not None
    for zone, language in [(None, None), ("Etc/UTC", "en"), (None, "es-419"), (None, "pt-BR")]:
        choice = choose_number(numbers, zone, language)
        assert choice.number is None
    assert choose_number(numbers, None, "en").clue is Clue.NONE
    text = numbers.fallback_text.get("en")
    assert text == "your local emergency number (112 works from mobiles in many countries)"
    assert [f.number for f in numbers.fallback_list] == ["112", "911", "999", "000"]


def test_bad_numbers_file_points_at_its_lines(rules_copy: Path) -> None:
    path = rules_copy / "emergency_numbers.yaml"
    replace_in(path, 'AU: {number: "000"', "AU: {number: 000")
    replace_in(path, 'JP: {number: "119", source: EMJP}', 'JP: {number: "119", source: S999}')
    replace_in(path, "  NZ:", "  nz:")
    errors = errors_of(rules_copy)
    lines = path.read_text().splitlines()

    def line_of(text: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if text in line)

    assert f"rules/emergency_numbers.yaml:{line_of('AU:')}: countries.AU.number must be" in (
        "\n".join(errors)
    )
    assert any(
        f"rules/emergency_numbers.yaml:{line_of('JP:')}: " in e and "S999" in e for e in errors
    ), errors
    assert any(
        f"rules/emergency_numbers.yaml:{line_of('nz:')}: " in e and "alpha-2" in e for e in errors
    ), errors


def test_without_the_numbers_file_there_is_no_number(rules_copy: Path) -> None:
    (rules_copy / "emergency_numbers.yaml").unlink()
    assert load_rules(rules_copy, UI_KEYS).emergency_numbers is None
