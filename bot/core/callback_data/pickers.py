"""The picker buttons shared by the sign-up (s1), a chat's birth-month setup (c1) and the family
(a1): year, month, time zone, delivery hour, cancel; and the field types they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.core.buttons import FieldCodec, Press, one_of
from bot.core.date_picker import DELIVERY_HOURS
from bot.core.timezones import is_known_zone

Hour = Annotated[int, one_of(DELIVERY_HOURS)]


def _zone_from_wire(text: str) -> str:
    zone = text.replace("__", "/")
    if not is_known_zone(zone):
        raise ValueError(f"not a known time zone: {zone!r}")
    return zone


# An IANA zone with "/" written "__" (the wire allows only A-Z a-z 0-9 _ -; no zone has "__").
ZONE: FieldCodec[str] = FieldCodec("zone", lambda zone: zone.replace("/", "__"), _zone_from_wire)
Zone = Annotated[str, ZONE]


# --- shared pickers: s1 (a family's sign-up) and c1 (a group's or channel's birth month) ---------
# The draft itself is in the database; each button carries only the value of its step.


@dataclass(frozen=True)
class PickYear(Press):
    tag = "y"
    year: int | None = None  # None: back to the list of years


@dataclass(frozen=True)
class PickMonth(Press):
    tag = "m"
    year: int
    month: int


@dataclass(frozen=True)
class PickZone(Press):
    tag = "z"
    index: int  # into the time zones offered for the chat's locale


@dataclass(frozen=True)
class PickHour(Press):
    tag = "h"
    hour: Hour


@dataclass(frozen=True)
class Cancel(Press):
    tag = "x"
