"""Short, prefixed, versioned callback data, validated on receipt.

Telegram clients can send any callback data they like, so nothing here trusts its input:
`decode` accepts only a known kind at the current version with fields of a safe alphabet and
the expected count. The format is `<kind><version>:<field>:<field>...`, at most 64 bytes (the
Bot API limit). Data from an older version of a kind raises `StaleCallback`, so the shell can say
"this button is out of date" instead of guessing what an old layout meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.base36 import BASE36_DIGITS

MAX_BYTES = 64
FIELD_PATTERN = re.compile(r"^[A-Za-z0-9_-]*$")


class InvalidCallback(ValueError):
    """Callback data that this bot never produced (forged, garbage, or truncated)."""


class StaleCallback(InvalidCallback):
    """Callback data from an older layout of a known kind (e.g. a button sent before an upgrade)."""


@dataclass(frozen=True)
class Kind:
    """One family of buttons: its prefix, current version, and allowed field counts."""

    prefix: str
    version: int
    min_fields: int
    max_fields: int

    def encode(self, *fields: str) -> str:
        if not self.min_fields <= len(fields) <= self.max_fields:
            raise ValueError(f"{self.prefix} takes {self.min_fields}-{self.max_fields} fields")
        for value in fields:
            if not FIELD_PATTERN.match(value):
                raise ValueError(f"unsafe callback field {value!r}")
        data = ":".join((f"{self.prefix}{self.version}", *fields))
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data


@dataclass(frozen=True)
class Callback:
    kind: Kind
    fields: tuple[str, ...]


class Codec:
    """Decodes data for a fixed set of kinds; prefixes must not be prefixes of each other."""

    def __init__(self, *kinds: Kind) -> None:
        self._kinds = {kind.prefix: kind for kind in kinds}
        if len(self._kinds) != len(kinds):
            raise ValueError("duplicate callback prefix")

    def decode(self, data: str | None) -> Callback:
        if not data or len(data.encode()) > MAX_BYTES:
            raise InvalidCallback("empty or oversized callback data")
        head, *fields = data.split(":")
        match = re.fullmatch(r"([a-z]+)([0-9]+)", head)
        if not match or match.group(1) not in self._kinds:
            raise InvalidCallback(f"unknown callback kind {head!r}")
        kind = self._kinds[match.group(1)]
        if int(match.group(2)) != kind.version:
            raise StaleCallback(f"{kind.prefix} version {match.group(2)} != {kind.version}")
        if not kind.min_fields <= len(fields) <= kind.max_fields:
            raise InvalidCallback(f"wrong field count for {kind.prefix}")
        if not all(FIELD_PATTERN.match(value) for value in fields):
            raise InvalidCallback("unsafe characters in callback data")
        return Callback(kind, tuple(fields))


def to_base36(number: int) -> str:
    if number < 0:
        return "-" + to_base36(-number)
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = BASE36_DIGITS[rest] + out
        if number == 0:
            return out


def from_base36(text: str) -> int:
    # int() alone would also accept spaces, '+' and '_' separators.
    if not re.fullmatch(r"-?[0-9a-z]{1,13}", text):
        raise InvalidCallback(f"not a base36 number: {text!r}")
    return int(text, 36)
