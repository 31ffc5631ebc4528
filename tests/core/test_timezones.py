"""Only real region zones are accepted, typed or in the rules."""

from __future__ import annotations

import pytest

from bot.core.timezones import find_zone, is_known_zone


@pytest.mark.parametrize("typed", ["localtime", "Factory", "posixrules", "Etc/GMT+3", "EST5EDT"])
def test_zones_that_are_no_place_are_refused(typed: str) -> None:
    assert find_zone(typed) is None
    assert not is_known_zone(typed)


def test_region_zones_are_found() -> None:
    assert find_zone("Europe/London") == "Europe/London"
    assert find_zone("tokyo") == "Asia/Tokyo"
    assert is_known_zone("America/Argentina/Buenos_Aires")
