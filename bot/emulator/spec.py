"""The Bot API specification: loading it once, decoding request parameters, checking them.

Requests arrive as form fields (strings; objects and arrays as JSON strings), multipart parts
or a JSON body. `Spec.decode` turns each parameter into a Python value guided by the declared
types; `Spec.check` then validates names, presence, types, nested objects (unknown fields,
required fields, discriminated subtypes such as `BotCommandScope*` or `InlineQueryResult*`)
and the limits the spec states in prose ("1-64 bytes", "At most 100 commands"). Every finding
is a `Problem` with a precise reason for the violation log and a Telegram-like description for
the 400 answer. This module walks the declared types; beside it, `spec_model` reads the
declarations, `spec_values` decodes and classifies primitive values, `spec_limits` holds the
limits and rules stated in prose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.emulator.models import UploadedFile
from bot.emulator.spec_limits import (
    check_button,
    check_formatted,
    check_keyboard_size,
    check_limits,
)
from bot.emulator.spec_model import (
    ARRAY,
    FORMATTED_FIELDS,
    PRIMITIVES,
    Field,
    Problem,
    Shape,
    discriminator_of,
    field_of,
)
from bot.emulator.spec_values import decode_string, mismatch, primitive_problem

SPEC_PATH = Path(__file__).parent / "data" / "telegram-bot-api.json"

_QUOTED = re.compile(r"\"([a-z_]+)\"")
_MISSING_DESCRIPTIONS = {"text": "message text is empty", "chat_id": "chat_id is empty"}

__all__ = ["Field", "Problem", "Shape", "Spec", "load_spec"]


class Spec:
    """The loaded specification. Get it with `load_spec()`."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = raw.get("version", "")
        self.methods: dict[str, Shape] = {}
        self._methods_lower: dict[str, Shape] = {}
        for name, body in raw["methods"].items():
            fields = {f["name"]: field_of(f) for f in body.get("fields", ())}
            shape = Shape(name, fields)
            self.methods[name] = shape
            self._methods_lower[name.lower()] = shape
        self.types: dict[str, Shape] = {}
        for name, body in raw["types"].items():
            fields = {f["name"]: field_of(f) for f in body.get("fields", ())}
            self.types[name] = Shape(
                name, fields, tuple(body.get("subtypes", ())), discriminator_of(fields)
            )
        update = self.types["Update"]
        self.update_types: frozenset[str] = frozenset(update.fields) - {"update_id"}
        entity_type = self.types["MessageEntity"].fields["type"]
        self.entity_types: frozenset[str] = frozenset(_QUOTED.findall(entity_type.description))
        self._object_rules: dict[str, Callable[[dict[str, Any], str], list[Problem]]] = {
            "InlineKeyboardButton": check_button,
            "InlineKeyboardMarkup": check_keyboard_size,
            "MessageEntity": self._check_entity_type,
        }

    def method(self, name: str) -> Shape | None:
        """Telegram matches method names case-insensitively."""
        return self.methods.get(name) or self._methods_lower.get(name.lower())

    # -- decoding -----------------------------------------------------------------------------

    def decode(
        self, shape: Shape, raw: Mapping[str, Any], files: Mapping[str, UploadedFile]
    ) -> tuple[dict[str, Any], list[str]]:
        """Decodes request parameters; returns them and the names the method doesn't know."""
        params: dict[str, Any] = {}
        unknown: list[str] = []
        for name, value in raw.items():
            field = shape.fields.get(name)
            if field is None:
                unknown.append(name)
                params[name] = value
            elif isinstance(value, str):
                params[name] = decode_string(value, field.types, files)
            else:
                params[name] = value
        for name, upload in files.items():
            if name in shape.fields and name not in params:
                params[name] = upload
        return params, unknown

    # -- checking -----------------------------------------------------------------------------

    def check(self, shape: Shape, params: Mapping[str, Any], unknown: list[str]) -> list[Problem]:
        problems = [
            Problem(
                name,
                f"unknown parameter for {shape.name}",
                f'unknown parameter "{name}" for method {shape.name}',
            )
            for name in unknown
        ]
        for field in shape.fields.values():
            if field.name not in params:
                if field.required:
                    problems.append(
                        Problem(
                            field.name,
                            "required parameter is missing",
                            _MISSING_DESCRIPTIONS.get(
                                field.name, f'parameter "{field.name}" is required'
                            ),
                        )
                    )
                continue
            value = params[field.name]
            problems += self.check_value(value, field.types, field.name)
            problems += check_limits(shape, field, value, field.name)
        return problems

    def check_value(self, value: Any, types: tuple[str, ...], path: str) -> list[Problem]:
        if len(types) == 1:
            return self._check_one(value, types[0], path)
        best: list[Problem] | None = None
        for type_name in types:
            if not self._kind_fits(value, type_name):
                continue
            problems = self._check_one(value, type_name, path)
            if not problems:
                return []
            if best is None or len(problems) < len(best):
                best = problems
        if best is not None:
            return best
        return [mismatch(path, " or ".join(types), value)]

    def _kind_fits(self, value: Any, type_name: str) -> bool:
        if type_name.startswith(ARRAY):
            return isinstance(value, list)
        if type_name in PRIMITIVES:
            return not primitive_problem(value, type_name)
        return isinstance(value, dict)

    def _check_one(self, value: Any, type_name: str, path: str) -> list[Problem]:
        if type_name.startswith(ARRAY):
            if not isinstance(value, list):
                return [mismatch(path, type_name, value)]
            item_type = type_name[len(ARRAY) :]
            problems: list[Problem] = []
            for position, item in enumerate(value):
                problems += self.check_value(item, (item_type,), f"{path}[{position}]")
            return problems
        if type_name in PRIMITIVES:
            return [mismatch(path, type_name, value)] if primitive_problem(value, type_name) else []
        shape = self.types.get(type_name)
        if shape is None:
            return []
        if not isinstance(value, dict):
            return [mismatch(path, type_name, value)]
        if shape.subtypes:
            return self._check_abstract(value, shape, path)
        return self._check_object(value, shape, path)

    def _check_abstract(self, value: dict[str, Any], shape: Shape, path: str) -> list[Problem]:
        candidates = [self.types[name] for name in shape.subtypes if name in self.types]
        keys = {c.discriminator[0] for c in candidates if c.discriminator}
        if len(keys) == 1 and all(c.discriminator for c in candidates):
            key = keys.pop()
            tag = value.get(key)
            if tag is None:
                return [
                    Problem(
                        f"{path}.{key}",
                        f"required to tell which {shape.name} this is",
                        f'can\'t parse {shape.name}: field "{key}" must be specified',
                    )
                ]
            candidates = [c for c in candidates if c.discriminator and c.discriminator[1] == tag]
            if not candidates:
                return [
                    Problem(
                        f"{path}.{key}",
                        f"unknown {shape.name} {key} {tag!r}",
                        f'unsupported {shape.name} {key} "{tag}"',
                    )
                ]
        best: list[Problem] | None = None
        for candidate in candidates:
            problems = (
                self._check_abstract(value, candidate, path)
                if candidate.subtypes
                else self._check_object(value, candidate, path)
            )
            if not problems:
                return []
            if best is None or len(problems) < len(best):
                best = problems
        return best or []

    def _check_object(self, value: dict[str, Any], shape: Shape, path: str) -> list[Problem]:
        problems: list[Problem] = []
        for key, item in value.items():
            field = shape.fields.get(key)
            where = f"{path}.{key}"
            if field is None:
                problems.append(
                    Problem(
                        where,
                        f"unknown field of {shape.name}",
                        f'can\'t parse {shape.name}: unknown field "{key}"',
                    )
                )
                continue
            problems += self.check_value(item, field.types, where)
            problems += check_limits(shape, field, item, where)
        for field in shape.fields.values():
            if field.required and field.name not in value:
                problems.append(
                    Problem(
                        f"{path}.{field.name}",
                        f"required field of {shape.name} is missing",
                        f'can\'t parse {shape.name}: field "{field.name}" must be specified',
                    )
                )
        if shape.discriminator:
            key, expected = shape.discriminator
            if key in value and value[key] != expected:
                problems.append(
                    Problem(
                        f"{path}.{key}",
                        f"must be {expected!r} for {shape.name}",
                        f"can't parse {shape.name}: wrong {key}",
                    )
                )
        rule = self._object_rules.get(shape.name)
        if rule is not None and not problems:
            problems += rule(value, path)
        for name, (mode_field, entities_field) in FORMATTED_FIELDS.items():
            if name in shape.fields and mode_field in shape.fields and name in value:
                problems += check_formatted(
                    shape, shape.fields[name], value, mode_field, entities_field, path
                )
        return problems

    def _check_entity_type(self, value: dict[str, Any], path: str) -> list[Problem]:
        kind = value.get("type")
        if kind in self.entity_types:
            return []
        return [
            Problem(f"{path}.type", f"unknown entity type {kind!r}", "can't parse MessageEntity")
        ]

    # -- building -----------------------------------------------------------------------------

    def complete(self, type_name: str, value: dict[str, Any]) -> dict[str, Any]:
        """Fills the required fields `value` lacks with neutral values (False, 0, "", [])."""
        shape = self.types[type_name]
        for field in shape.fields.values():
            if not field.required or field.name in value:
                continue
            kind = field.types[0]
            if kind.startswith(ARRAY):
                value[field.name] = []
            elif kind in ("Boolean", "Integer", "Float", "String"):
                value[field.name] = {"Boolean": False, "Integer": 0, "Float": 0.0}.get(kind, "")
            elif kind in self.types and self.types[kind].fields:
                value[field.name] = self.complete(kind, {})
        return value


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    """The specification, read from disk on first use and cached."""
    with SPEC_PATH.open(encoding="utf-8") as handle:
        return Spec(json.load(handle))
