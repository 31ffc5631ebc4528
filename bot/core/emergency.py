"""Which emergency number to show a parent: from their time zone, else their language's region.

Best clue first (clinical notes 1.11): the time zone the parent picked maps to a country
(tzdb's zone.tab, shipped in the `tzdata` wheel, read offline); else the region in Telegram's
`language_code` ("en-GB" is GB, a bare "en" says nothing); else no number, and the shell shows
the rules' fallback text ("your local emergency number ...") with a short list.

A clue that names a country decides, even when that country has no number in the rules: a
parent whose zone is in Nigeria must not be told the number of the region their phone's
language happens to name. They get the fallback, which is safe everywhere.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import importlib.resources
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable

from bot.core.rules.models import LocalText

COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
NUMBER_PATTERN = re.compile(r"^[0-9]{2,6}$")
# A region subtag of a language tag: "en-GB", "pt_BR", "es-419" (a UN M.49 area, not a country).
_REGION = re.compile(r"^[a-zA-Z]{2,3}(?:[-_][a-zA-Z]{4})?[-_]([a-zA-Z]{2})(?:[-_].*)?$")


class Clue(enum.Enum):
    """What decided the number."""

    TIME_ZONE = "time_zone"
    LANGUAGE = "language"
    NONE = "none"


@dataclass(frozen=True)
class CountryNumber:
    """The ambulance number of one country, with the source that says so."""

    country: str  # ISO 3166-1 alpha-2, e.g. "DE"
    number: str  # what to dial, e.g. "112"
    source: str  # a source id in sources.yaml
    also: tuple[str, ...] = ()  # other numbers that also reach an ambulance, e.g. 112 in GB


@dataclass(frozen=True)
class FallbackNumber:
    """One line of the short list shown when the country is unknown."""

    number: str
    where: LocalText  # e.g. "Europe, India, and from most mobile phones"


@dataclass(frozen=True)
class EmergencyNumbers:
    """rules/emergency_numbers.yaml, validated."""

    countries: Mapping[str, CountryNumber]
    fallback_text: LocalText
    fallback_list: tuple[FallbackNumber, ...] = field(default=())


@dataclass(frozen=True)
class EmergencyChoice:
    """The number to show (None: show the fallback), the country, and what decided it."""

    number: str | None
    country: str | None
    clue: Clue
    also: tuple[str, ...] = ()


def _zoneinfo_files() -> Traversable:
    return importlib.resources.files("tzdata").joinpath("zoneinfo")


@functools.cache
def zone_countries() -> Mapping[str, str]:
    """IANA zone -> ISO country, from zone.tab (one country per canonical zone)."""
    text = _zoneinfo_files().joinpath("zone.tab").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _, zone, *_ = line.split("\t")
        out[zone] = country
    return out


def _zone_file(zone: str) -> bytes | None:
    path = _zoneinfo_files()
    for part in zone.split("/"):
        if part in ("", ".", ".."):
            return None
        path = path.joinpath(part)
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


@functools.cache
def _countries_by_content() -> Mapping[bytes, frozenset[str]]:
    """Digest of a zone's compiled data -> the countries of the zone.tab zones with that data.

    The wheel ships a link (e.g. Asia/Calcutta, US/Eastern) as a copy of its target's file, so
    an old or alias name finds its country through the canonical zone it copies.
    """
    out: dict[bytes, set[str]] = {}
    for zone, country in zone_countries().items():
        data = _zone_file(zone)
        if data is not None:
            out.setdefault(hashlib.sha256(data).digest(), set()).add(country)
    return {digest: frozenset(countries) for digest, countries in out.items()}


def country_of_zone(zone: str | None) -> str | None:
    """ "Europe/Berlin" -> "DE"; an alias through the zone it copies; "Etc/UTC" or unknown: None.

    An alias whose data is shared by zones of several countries names no country.
    """
    if not zone:
        return None
    direct = zone_countries().get(zone)
    if direct is not None:
        return direct
    data = _zone_file(zone)
    if data is None:
        return None
    countries = _countries_by_content().get(hashlib.sha256(data).digest(), frozenset())
    return next(iter(countries)) if len(countries) == 1 else None


def region_of_language(language_code: str | None) -> str | None:
    """ "en-GB" -> "GB", "pt_br" -> "BR", "zh-Hant-TW" -> "TW"; "en" or "es-419" -> None."""
    if not language_code:
        return None
    match = _REGION.match(language_code.strip())
    return match.group(1).upper() if match else None


def choose_number(
    numbers: EmergencyNumbers, zone: str | None, language_code: str | None
) -> EmergencyChoice:
    """The best number for a parent, by the order in the module docstring."""
    for country, clue in (
        (country_of_zone(zone), Clue.TIME_ZONE),
        (region_of_language(language_code), Clue.LANGUAGE),
    ):
        if country is None:
            continue
        known = numbers.countries.get(country)
        if known is None:
            return EmergencyChoice(None, country, clue)
        return EmergencyChoice(known.number, country, clue, known.also)
    return EmergencyChoice(None, None, Clue.NONE)
