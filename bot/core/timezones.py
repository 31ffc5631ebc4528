"""Time zones: validating IANA names and finding one from what a parent types ("Berlin")."""

from __future__ import annotations

import functools
import zoneinfo

# Zones named after a place: "Area/Location". Not "localtime" or "Factory" (which the tz
# database also ships), nor "Etc/GMT+3", "EST5EDT" or "US/Pacific" style aliases.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(
        name for name in zoneinfo.available_timezones() if name.split("/", 1)[0] in REGIONS
    )


def is_known_zone(name: str) -> bool:
    return name in known_zones()


@functools.cache
def _by_city() -> dict[str, str]:
    """'new york' -> 'America/New_York' (the last part of each canonical zone name)."""
    cities: dict[str, str] = {}
    for name in sorted(known_zones()):
        if "/" in name:
            cities.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), name)
    return cities


def find_zone(text: str) -> str | None:
    """An IANA zone for 'Europe/Berlin', 'europe/berlin', 'Berlin' or 'new york'; else None."""
    cleaned = " ".join(text.strip().split())
    if not cleaned or len(cleaned) > 64:
        return None
    exact = {name.lower(): name for name in known_zones()}
    candidate = exact.get(cleaned.replace(" ", "_").lower())
    if candidate is not None:
        return candidate
    return _by_city().get(cleaned.replace("_", " ").lower())
