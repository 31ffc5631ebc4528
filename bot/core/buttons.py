"""Typed buttons on top of the versioned wire format of `bot.core.callbacks`.

A button is a frozen dataclass whose fields say what they hold (`int`, `str`, an enum, a
`date`, `Base36`, or any `Annotated[..., FieldCodec]`); a `ButtonKind` groups the dataclasses
that share one prefix and version. Tagged variants (`tag = "p"`) put their tag first on the wire
and are chosen by it; untagged ones are tried in order. A trailing field with a default of None
is optional. Decoding checks every field, so a forged value (a letter where a number belongs, a
date that does not exist, an answer outside its enum) raises `InvalidCallback` before any
handler runs; handlers read `press.subscription_id`, never positional strings.

Adding a kind: write its dataclasses, list them in a `ButtonKind`, add it to the `Buttons` set.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from bot.core.base36 import BASE36_DIGITS
from bot.core.callbacks import Codec, InvalidCallback, Kind, from_base36, to_base36

T = TypeVar("T")


@dataclass(frozen=True)
class FieldCodec(Generic[T]):
    """How one typed value is written into a callback field, and read back from untrusted text."""

    name: str
    encode: Callable[[T], str]
    decode: Callable[[str], T]  # raises InvalidCallback (or ValueError) on anything forged


def _decimal(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise InvalidCallback(f"not a number: {text!r}")
    return int(text)


def _date(text: str) -> date:
    if not re.fullmatch(r"[0-9]{8}", text):
        raise InvalidCallback(f"not a YYYYMMDD date: {text!r}")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))  # ValueError: no such day


def _minute(text: str) -> int:
    minute = from_base36(text)
    datetime.fromtimestamp(minute * 60, UTC)  # OverflowError/OSError/ValueError: off the calendar
    return minute


def _digits(text: str) -> tuple[int, ...]:
    if any(c not in BASE36_DIGITS for c in text):
        raise InvalidCallback("bad base36 digits")
    return tuple(BASE36_DIGITS.index(c) for c in text)


DECIMAL: FieldCodec[int] = FieldCodec("decimal", str, _decimal)
TEXT: FieldCodec[str] = FieldCodec("text", str, str)  # the wire's safe alphabet is checked below
DATE: FieldCodec[date] = FieldCodec(
    "date", lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}", _date
)
BASE36: FieldCodec[int] = FieldCodec("base36", to_base36, from_base36)
# A minute since the Unix epoch, in base36, that must name a real moment.
MINUTE: FieldCodec[int] = FieldCodec("minute", to_base36, _minute)
# Small numbers (< 36), one base36 digit each: e.g. the answers of a movement check.
DIGIT_STRING: FieldCodec[tuple[int, ...]] = FieldCodec(
    "digit_string", lambda values: "".join(BASE36_DIGITS[v] for v in values), _digits
)

Base36 = Annotated[int, BASE36]
Minute = Annotated[int, MINUTE]
Digits = Annotated[tuple[int, ...], DIGIT_STRING]


def one_of(allowed: tuple[int, ...]) -> FieldCodec[int]:
    """A decimal number that must be one of `allowed` (e.g. the delivery hours offered)."""

    def decode(text: str) -> int:
        value = _decimal(text)
        if value not in allowed:
            raise InvalidCallback(f"{value} is not one of {allowed}")
        return value

    return FieldCodec("one_of", str, decode)


def choice(enum_type: type[enum.Enum]) -> FieldCodec[Any]:
    """An enum member, written as its value."""

    def decode(text: str) -> enum.Enum:
        try:
            return enum_type(text)
        except ValueError:
            raise InvalidCallback(f"not a {enum_type.__name__}: {text!r}") from None

    return FieldCodec(enum_type.__name__, lambda member: str(member.value), decode)


class Press:
    """Base of every button dataclass; `tag`, when set, is the first field on the wire."""

    tag: ClassVar[str | None] = None


P = TypeVar("P", bound=Press)


@dataclass(frozen=True)
class _Slot:
    name: str
    codec: FieldCodec[Any]
    optional: bool


def _codec_for(hint: Any) -> tuple[FieldCodec[Any], bool]:
    """The codec a field's annotation asks for, and whether None is allowed."""
    optional = False
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        if len(args) != 1:
            raise TypeError(f"unsupported union {hint!r}")
        hint = args[0]
    if typing.get_origin(hint) is Annotated:
        codec = next(m for m in hint.__metadata__ if isinstance(m, FieldCodec))
        return codec, optional
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return choice(hint), optional
    simple = {int: DECIMAL, str: TEXT, date: DATE}
    if hint not in simple:
        raise TypeError(f"no callback codec for {hint!r}")
    return simple[hint], optional


def _slots(variant: type[Press]) -> tuple[_Slot, ...]:
    if not is_dataclass(variant):
        raise TypeError(f"{variant.__name__} must be a dataclass")
    hints = typing.get_type_hints(variant, include_extras=True)
    slots = []
    for item in fields(variant):
        codec, optional = _codec_for(hints[item.name])
        if slots and slots[-1].optional and not optional:
            raise TypeError(f"{variant.__name__}: only trailing fields may be optional")
        slots.append(_Slot(item.name, codec, optional))
    return tuple(slots)


class ButtonKind:
    """One prefix and version on the wire, and the typed buttons it carries."""

    def __init__(self, prefix: str, version: int, *variants: type[Press]) -> None:
        self.variants = variants
        self._slots = {variant: _slots(variant) for variant in variants}
        counts = [
            (
                int(v.tag is not None) + sum(not s.optional for s in slots),
                int(v.tag is not None) + len(slots),
            )
            for v, slots in self._slots.items()
        ]
        self.wire = Kind(prefix, version, min(c[0] for c in counts), max(c[1] for c in counts))
        tags = [v.tag for v in variants if v.tag is not None]
        if len(tags) != len(set(tags)):
            raise ValueError(f"duplicate tag in callback kind {prefix!r}")

    @property
    def prefix(self) -> str:
        return self.wire.prefix

    def encode(self, press: Press) -> str:
        slots = self._slots.get(type(press))
        if slots is None:
            raise TypeError(f"{type(press).__name__} is not a button of kind {self.prefix!r}")
        values = [getattr(press, slot.name) for slot in slots]
        while slots and slots[-1].optional and values[-1] is None:
            slots, values = slots[:-1], values[:-1]
        head = [press.tag] if press.tag is not None else []
        return self.wire.encode(
            *head, *(s.codec.encode(v) for s, v in zip(slots, values, strict=True))
        )

    def parse(self, wire_fields: tuple[str, ...]) -> Press:
        """The typed button these (already safe-alphabet) fields spell, or InvalidCallback."""
        for variant, slots in self._slots.items():
            values = wire_fields
            if variant.tag is not None:
                if not values or values[0] != variant.tag:
                    continue
                values = values[1:]
            try:
                return self._build(variant, slots, values)
            except InvalidCallback:
                if variant.tag is not None:
                    raise
        raise InvalidCallback(f"no {self.prefix!r} button matches {wire_fields!r}")

    @staticmethod
    def _build(variant: type[Press], slots: tuple[_Slot, ...], values: tuple[str, ...]) -> Press:
        required = sum(not slot.optional for slot in slots)
        if not required <= len(values) <= len(slots):
            raise InvalidCallback(f"wrong field count for {variant.__name__}")
        try:
            decoded = {
                slot.name: slot.codec.decode(v)
                for slot, v in zip(slots[: len(values)], values, strict=True)
            }
        except (ValueError, OverflowError, OSError) as error:  # InvalidCallback is a ValueError
            raise InvalidCallback(f"bad field in {variant.__name__}: {error}") from None
        return variant(**decoded)


@dataclass(frozen=True)
class Decoded:
    """A decoded press: its kind, the raw fields (for decisions keyed on them), the button."""

    kind: ButtonKind
    fields: tuple[str, ...]
    press: Press


class Buttons:
    """The typed codec for a fixed set of kinds; decoding never trusts its input."""

    def __init__(self, *kinds: ButtonKind) -> None:
        self.kinds = {kind.prefix: kind for kind in kinds}
        self._codec = Codec(*(kind.wire for kind in kinds))

    def decode(self, data: str | None) -> Decoded:
        raw = self._codec.decode(data)  # InvalidCallback, or StaleCallback for an old version
        kind = self.kinds[raw.kind.prefix]
        return Decoded(kind, raw.fields, kind.parse(raw.fields))
