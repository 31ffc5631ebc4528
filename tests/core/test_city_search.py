"""Typed cities in many spellings and languages find their time zone (GeoNames and CLDR)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.core.city_search import Place, find_places


def zones(typed: str) -> list[str]:
    return [place.zone for place in find_places(typed)]


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Munich", "Europe/Berlin"),
        ("München", "Europe/Berlin"),
        ("Múnich", "Europe/Berlin"),
        ("MUNCHEN", "Europe/Berlin"),
        ("Wien", "Europe/Vienna"),
        ("Vienna", "Europe/Vienna"),
        ("Viena", "Europe/Vienna"),
        ("Boston", "America/New_York"),
        ("San Francisco", "America/Los_Angeles"),
        ("Ciudad de México", "America/Mexico_City"),
        ("ciudad de mexico", "America/Mexico_City"),
        ("Mexico City", "America/Mexico_City"),
        ("Nueva York", "America/New_York"),
        ("New York", "America/New_York"),
        ("Londres", "Europe/London"),
        ("London", "Europe/London"),
        ("Sevilla", "Europe/Madrid"),
        ("Seville", "Europe/Madrid"),
        ("  berlin  ", "Europe/Berlin"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("tokyo", "Asia/Tokyo"),
    ],
)
def test_one_place(typed: str, zone: str) -> None:
    assert zones(typed) == [zone]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Portland", ["America/Los_Angeles", "America/New_York"]),
        ("Córdoba", ["America/Argentina/Cordoba", "Europe/Madrid"]),
        ("San José", ["America/Los_Angeles", "America/Costa_Rica"]),  # a capital always counts
    ],
)
def test_a_name_of_several_places_gives_each_biggest_first(typed: str, expected: list[str]) -> None:
    assert zones(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "Qwertzburg", "x" * 100, "Berlin Berlin"])
def test_nothing(typed: str) -> None:
    assert find_places(typed) == []


def test_a_label_names_the_city_country_and_zone_in_the_chats_language() -> None:
    place = Place("Portland", "US", "America/New_York", 66881)
    assert place.label("en") == "Portland, United States · America/New_York"
    assert place.label("es") == "Portland, Estados Unidos · America/New_York"
    assert Place("Berlin", "", "Europe/Berlin", 0).label("en") == "Berlin · Europe/Berlin"


def test_starting_the_bot_does_not_build_the_city_index() -> None:
    """The index costs about a second: it is built on the first typed city, not at start-up."""
    code = (
        "import bot.runtime, bot.telegram.handlers.subscribe_typed\n"
        "from bot.core import city_search\n"
        "assert city_search._index.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
