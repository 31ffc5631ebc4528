"""Values of the primitive types: decoding form strings, and telling a value's kind.

Requests arrive as form fields (strings; objects and arrays as JSON strings), multipart parts
or a JSON body; `decode_string` reads one form string as the first declared type it fits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bot.emulator.models import UploadedFile
from bot.emulator.spec_model import Problem

_INT = re.compile(r"-?\d+")


def decode_string(raw: str, types: tuple[str, ...], files: Mapping[str, UploadedFile]) -> Any:
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


def primitive_problem(value: Any, type_name: str) -> bool:
    if type_name == "Integer":
        return not isinstance(value, int) or isinstance(value, bool)
    if type_name == "Float":
        return not isinstance(value, int | float) or isinstance(value, bool)
    if type_name == "Boolean":
        return not isinstance(value, bool)
    if type_name == "String":
        return not isinstance(value, str)
    return not isinstance(value, UploadedFile)


def kind_of(value: Any) -> str:
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


def mismatch(path: str, expected: str, value: Any) -> Problem:
    return Problem(
        path,
        f"expected {expected}, got {kind_of(value)} {value!r:.60}",
        f"can't parse {path}: expected {expected}",
    )
