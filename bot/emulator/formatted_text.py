"""Formatted text as Telegram sees it: the text after markup parsing, its entities, its length.

`parse()` applies `parse_mode` (HTML or none) or checks explicit `entities`; `length_verdict()`
applies a documented "1-4096 characters after entities parsing" style limit (Telegram counts
characters, i.e. code points, and treats whitespace-only text as empty).

Limitation: MarkdownV2 and legacy Markdown are refused with a 400 "unsupported by this emulator"
(and a violation), because the bot sends only HTML and an unused parser is untested weight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.emulator.html_text import parse_html
from bot.emulator.text_units import EntityParseError, cant_parse, utf16_len

UNEMULATED_PARSE_MODES = ("markdownv2", "markdown")


@dataclass(frozen=True)
class FormattedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def parse(
    text: str, parse_mode: str | None = None, entities: list[dict[str, Any]] | None = None
) -> FormattedText:
    """Raises EntityParseError with Telegram's description when the markup is refused."""
    mode = (parse_mode or "").lower()
    if mode and mode != "none":
        if mode in UNEMULATED_PARSE_MODES:
            raise EntityParseError(
                f"parse_mode {parse_mode} is unsupported by this emulator, which checks HTML only"
            )
        if mode != "html":
            raise EntityParseError("unsupported parse_mode")
        plain, found = parse_html(text)
        return FormattedText(plain, found)
    if entities:
        _check_bounds(text, entities)
        return FormattedText(text, list(entities))
    return FormattedText(text)


def _check_bounds(text: str, entities: list[dict[str, Any]]) -> None:
    total = utf16_len(text)
    for position, entity in enumerate(entities):
        if not isinstance(entity, dict):
            continue
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            continue
        if offset < 0 or length <= 0 or offset + length > total:
            raise cant_parse(
                f"entity {position} (offset {offset}, length {length}) doesn't fit the text of "
                f"{total} UTF-16 code units"
            )


def length_verdict(text: str, low: int, high: int) -> str | None:
    """None when `text` fits low..high characters, else "empty" or "too long"."""
    if low > 0 and not text.strip():
        return "empty"
    if len(text) > high:
        return "too long"
    return None
