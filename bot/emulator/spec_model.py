"""The Bot API specification as data: what a method's parameters and a type's fields declare.

`field_of` reads a field's declared types, whether it is required, and the limits its
description states in prose ("1-64 bytes", "At most 100 commands"); `discriminator_of` finds
the field (`type`, `status`, `source`) that tells the subtypes of an abstract type apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LENGTH = re.compile(r"(\d+)-(\d+) (characters|bytes)", re.IGNORECASE)
_AT_MOST = re.compile(r"\bAt most (\d+)\b", re.IGNORECASE)
_DISCRIMINATOR = re.compile(r"(?:always|must be)\s+[“\"]?([A-Za-z0-9_]+)")
PRIMITIVES = frozenset({"Integer", "Float", "Boolean", "String", "InputFile"})
ARRAY = "Array of "

# Text fields whose documented length counts after markup parsing, with their sibling
# parse-mode and entities fields.
FORMATTED_FIELDS: dict[str, tuple[str, str]] = {
    "text": ("parse_mode", "entities"),
    "caption": ("parse_mode", "caption_entities"),
    "message_text": ("parse_mode", "entities"),
    "quote": ("quote_parse_mode", "quote_entities"),
}


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    length: tuple[int, int, str] | None = None
    max_items: int | None = None


@dataclass(frozen=True)
class Shape:
    """A method's parameters or an object type's fields."""

    name: str
    fields: dict[str, Field]
    subtypes: tuple[str, ...] = ()
    discriminator: tuple[str, str] | None = None


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str
    description: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


def field_of(raw: Mapping[str, Any]) -> Field:
    description = raw.get("description", "")
    types = tuple(raw.get("types", ()))
    length = None
    if (
        "String" in types
        and "after entit" not in description
        and (match := LENGTH.search(description))
    ):
        length = (int(match.group(1)), int(match.group(2)), match.group(3).lower())
    max_items = None
    if any(t.startswith(ARRAY) for t in types) and (match := _AT_MOST.search(description)):
        max_items = int(match.group(1))
    return Field(raw["name"], types, bool(raw.get("required")), description, length, max_items)


def discriminator_of(fields: dict[str, Field]) -> tuple[str, str] | None:
    for key in ("type", "status", "source"):
        field = fields.get(key)
        if field and (match := _DISCRIMINATOR.search(field.description)):
            return key, match.group(1)
    return None
