"""The Bot API specification: loading it once, decoding request parameters, checking them.

Requests arrive as form fields (strings; objects and arrays as JSON strings), multipart parts
or a JSON body. `Spec.decode` turns each parameter into a Python value guided by the declared
types; `Spec.check` then validates names, presence, types, nested objects (unknown fields,
required fields, discriminated subtypes such as `BotCommandScope*` or `InlineQueryResult*`)
and the limits the spec states in prose ("1-64 bytes", "At most 100 commands"). Every finding
is a `Problem` with a precise reason for the violation log and a Telegram-like description for
the 400 answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.emulator.formatted_text import length_verdict, parse
from bot.emulator.models import UploadedFile
from bot.emulator.text_units import EntityParseError, looks_like_url

SPEC_PATH = Path(__file__).parent / "data" / "telegram-bot-api.json"

_LENGTH = re.compile(r"(\d+)-(\d+) (characters|bytes)", re.IGNORECASE)
_AT_MOST = re.compile(r"\bAt most (\d+)\b", re.IGNORECASE)
_DISCRIMINATOR = re.compile(r"(?:always|must be)\s+[“\"]?([A-Za-z0-9_]+)")
_QUOTED = re.compile(r"\"([a-z_]+)\"")
_INT = re.compile(r"-?\d+")
_PRIMITIVES = frozenset({"Integer", "Float", "Boolean", "String", "InputFile"})
_ARRAY = "Array of "

# Text fields whose documented length counts after markup parsing, with their sibling
# parse-mode and entities fields.
FORMATTED_FIELDS: dict[str, tuple[str, str]] = {
    "text": ("parse_mode", "entities"),
    "caption": ("parse_mode", "caption_entities"),
    "message_text": ("parse_mode", "entities"),
    "quote": ("quote_parse_mode", "quote_entities"),
}
# Telegram's own wording for some limits; the rest get a generic description.
_LIMIT_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("InlineKeyboardButton", "callback_data"): "BUTTON_DATA_INVALID",
    ("BotCommand", "command"): "BOT_COMMAND_INVALID",
    ("BotCommand", "description"): "BOT_COMMAND_DESCRIPTION_INVALID",
    ("InputTextMessageContent", "message_text"): "MESSAGE_TOO_LONG",
}
_MISSING_DESCRIPTIONS = {"text": "message text is empty", "chat_id": "chat_id is empty"}
# InlineKeyboardButton: exactly one field other than these says what the button does.
_BUTTON_LOOKS = frozenset({"text", "icon_custom_emoji_id", "style"})
MAX_INLINE_BUTTONS = 100


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


def _field(raw: Mapping[str, Any]) -> Field:
    description = raw.get("description", "")
    types = tuple(raw.get("types", ()))
    length = None
    if (
        "String" in types
        and "after entit" not in description
        and (match := _LENGTH.search(description))
    ):
        length = (int(match.group(1)), int(match.group(2)), match.group(3).lower())
    max_items = None
    if any(t.startswith(_ARRAY) for t in types) and (match := _AT_MOST.search(description)):
        max_items = int(match.group(1))
    return Field(raw["name"], types, bool(raw.get("required")), description, length, max_items)


def _discriminator(fields: dict[str, Field]) -> tuple[str, str] | None:
    for key in ("type", "status", "source"):
        field = fields.get(key)
        if field and (match := _DISCRIMINATOR.search(field.description)):
            return key, match.group(1)
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    if isinstance(value, UploadedFile):
        return "InputFile"
    return type(value).__name__


class Spec:
    """The loaded specification. Get it with `load_spec()`."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = raw.get("version", "")
        self.methods: dict[str, Shape] = {}
        self._methods_lower: dict[str, Shape] = {}
        for name, body in raw["methods"].items():
            fields = {f["name"]: _field(f) for f in body.get("fields", ())}
            shape = Shape(name, fields)
            self.methods[name] = shape
            self._methods_lower[name.lower()] = shape
        self.types: dict[str, Shape] = {}
        for name, body in raw["types"].items():
            fields = {f["name"]: _field(f) for f in body.get("fields", ())}
            self.types[name] = Shape(
                name, fields, tuple(body.get("subtypes", ())), _discriminator(fields)
            )
        update = self.types["Update"]
        self.update_types: frozenset[str] = frozenset(update.fields) - {"update_id"}
        entity_type = self.types["MessageEntity"].fields["type"]
        self.entity_types: frozenset[str] = frozenset(_QUOTED.findall(entity_type.description))
        self._object_rules: dict[str, Callable[[dict[str, Any], str], list[Problem]]] = {
            "InlineKeyboardButton": _check_button,
            "InlineKeyboardMarkup": _check_keyboard_size,
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
                params[name] = _decode_string(value, field.types, files)
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
            problems += self._check_limits(shape, field, value, field.name)
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
        return [_mismatch(path, " or ".join(types), value)]

    def _kind_fits(self, value: Any, type_name: str) -> bool:
        if type_name.startswith(_ARRAY):
            return isinstance(value, list)
        if type_name in _PRIMITIVES:
            return not _primitive_problem(value, type_name)
        return isinstance(value, dict)

    def _check_one(self, value: Any, type_name: str, path: str) -> list[Problem]:
        if type_name.startswith(_ARRAY):
            if not isinstance(value, list):
                return [_mismatch(path, type_name, value)]
            item_type = type_name[len(_ARRAY) :]
            problems: list[Problem] = []
            for position, item in enumerate(value):
                problems += self.check_value(item, (item_type,), f"{path}[{position}]")
            return problems
        if type_name in _PRIMITIVES:
            return (
                [_mismatch(path, type_name, value)] if _primitive_problem(value, type_name) else []
            )
        shape = self.types.get(type_name)
        if shape is None:
            return []
        if not isinstance(value, dict):
            return [_mismatch(path, type_name, value)]
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
            problems += self._check_limits(shape, field, item, where)
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
                problems += _check_formatted(
                    shape, shape.fields[name], value, mode_field, entities_field, path
                )
        return problems

    def _check_limits(self, shape: Shape, field: Field, value: Any, path: str) -> list[Problem]:
        problems: list[Problem] = []
        formatted = FORMATTED_FIELDS.get(field.name)
        # Formatted text is measured after markup parsing, by _check_formatted / the handler.
        counts_raw = formatted is None or formatted[0] not in shape.fields
        if field.length and counts_raw and isinstance(value, str):
            low, high, unit = field.length
            size = len(value.encode("utf-8")) if unit == "bytes" else len(value)
            if not low <= size <= high:
                problems.append(
                    Problem(
                        path,
                        f"must be {low}-{high} {unit}, got {size}",
                        _limit_description(shape.name, field.name, path, low, high, unit),
                    )
                )
        if field.max_items is not None and isinstance(value, list) and len(value) > field.max_items:
            problems.append(
                Problem(
                    path,
                    f"at most {field.max_items} items allowed, got {len(value)}",
                    f"too many items in {path}: at most {field.max_items} allowed",
                )
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
            if kind.startswith(_ARRAY):
                value[field.name] = []
            elif kind in ("Boolean", "Integer", "Float", "String"):
                value[field.name] = {"Boolean": False, "Integer": 0, "Float": 0.0}.get(kind, "")
            elif kind in self.types and self.types[kind].fields:
                value[field.name] = self.complete(kind, {})
        return value


def _decode_string(raw: str, types: tuple[str, ...], files: Mapping[str, UploadedFile]) -> Any:
    """Decodes one form value by the first declared type it can be read as."""
    for type_name in types:
        if type_name == "Integer":
            if _INT.fullmatch(raw):
                return int(raw)
        elif type_name == "Float":
            try:
                return float(raw)
            except ValueError:
                continue
        elif type_name == "Boolean":
            lowered = raw.lower()
            if lowered in ("true", "1"):
                return True
            if lowered in ("false", "0"):
                return False
        elif type_name == "InputFile":
            if raw.startswith("attach://") and raw[len("attach://") :] in files:
                return files[raw[len("attach://") :]]
        elif type_name == "String":
            return raw
        elif raw[:1] in ("[", "{"):
            try:
                return json.loads(raw)
            except ValueError:
                return raw
    return raw


def _primitive_problem(value: Any, type_name: str) -> bool:
    if type_name == "Integer":
        return not isinstance(value, int) or isinstance(value, bool)
    if type_name == "Float":
        return not isinstance(value, int | float) or isinstance(value, bool)
    if type_name == "Boolean":
        return not isinstance(value, bool)
    if type_name == "String":
        return not isinstance(value, str)
    return not isinstance(value, UploadedFile)


def _mismatch(path: str, expected: str, value: Any) -> Problem:
    return Problem(
        path,
        f"expected {expected}, got {_kind(value)} {value!r:.60}",
        f"can't parse {path}: expected {expected}",
    )


def _limit_description(owner: str, field: str, path: str, low: int, high: int, unit: str) -> str:
    known = _LIMIT_DESCRIPTIONS.get((owner, field))
    if known:
        return known
    if owner.startswith("InlineQueryResult") and field == "id":
        return "RESULT_ID_INVALID"
    return f"{path} must be {low}-{high} {unit} long"


def _check_formatted(
    shape: Shape,
    field: Field,
    value: dict[str, Any],
    mode_field: str,
    entities_field: str,
    path: str,
) -> list[Problem]:
    text = value.get(field.name)
    if not isinstance(text, str):
        return []
    where = f"{path}.{field.name}"
    entities = value.get(entities_field)
    try:
        formatted = parse(
            text,
            value.get(mode_field) if isinstance(value.get(mode_field), str) else None,
            entities if isinstance(entities, list) else None,
        )
    except EntityParseError as error:
        return [Problem(where, error.description, error.description)]
    match = _LENGTH.search(field.description)
    if not match:
        return []
    low, high = int(match.group(1)), int(match.group(2))
    verdict = length_verdict(formatted.text, low, high)
    if verdict is None:
        return []
    known = _LIMIT_DESCRIPTIONS.get((shape.name, field.name))
    description = (
        ("MESSAGE_EMPTY" if verdict == "empty" else known)
        if known
        else f"{where} must be {low}-{high} characters after entities parsing"
    )
    return [Problem(where, f"{verdict}: {len(formatted.text)} characters", description)]


def _check_button(value: dict[str, Any], path: str) -> list[Problem]:
    actions = [key for key in value if key not in _BUTTON_LOOKS]
    if not value.get("text"):
        return [
            Problem(f"{path}.text", "button text is empty", "BUTTON_TEXT_INVALID"),
        ]
    if not actions:
        return [
            Problem(
                path,
                "button has no action (callback_data, url, ...)",
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard",
            )
        ]
    if len(actions) > 1:
        return [
            Problem(
                path,
                f"exactly one action field allowed, got {', '.join(actions)}",
                "can't parse inline keyboard button: only one button action may be specified",
            )
        ]
    url = value.get("url")
    if isinstance(url, str) and not looks_like_url(url):
        return [Problem(f"{path}.url", f"not a valid URL: {url!r}", "BUTTON_URL_INVALID")]
    return []


def _check_keyboard_size(value: dict[str, Any], path: str) -> list[Problem]:
    rows = value.get("inline_keyboard") or []
    count = sum(len(row) for row in rows if isinstance(row, list))
    if count > MAX_INLINE_BUTTONS:
        return [
            Problem(
                path,
                f"{count} buttons; Telegram allows at most {MAX_INLINE_BUTTONS}",
                "reply markup is too long",
            )
        ]
    return []


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    """The specification, read from disk on first use and cached."""
    with SPEC_PATH.open(encoding="utf-8") as handle:
        return Spec(json.load(handle))
