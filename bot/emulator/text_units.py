"""UTF-16 arithmetic and the output builder of the HTML parser.

Telegram counts entity offsets and lengths in UTF-16 code units, reports markup errors at UTF-8
byte offsets, and limits message length in characters (code points); this module keeps the three
apart.
"""

from __future__ import annotations

from typing import Any


class EntityParseError(ValueError):
    """Markup that Telegram refuses; `description` follows "Bad Request: "."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def cant_parse(detail: str) -> EntityParseError:
    return EntityParseError(f"can't parse entities: {detail}")


def utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of `text[index]`, as Telegram's error messages give it."""
    return len(text[:index].encode("utf-8", "surrogatepass"))


class TextBuilder:
    """Accumulates parsed plain text and the entities found in it."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.u16 = 0
        self.entities: list[dict[str, Any]] = []

    def add(self, chunk: str) -> None:
        if chunk:
            self._parts.append(chunk)
            self.u16 += utf16_len(chunk)

    def text(self) -> str:
        return "".join(self._parts)

    def text_since(self, u16_offset: int) -> str:
        """The text appended since `u16_offset` (used for links whose URL is their text)."""
        whole = self.text()
        encoded = whole.encode("utf-16-le", "surrogatepass")
        return encoded[u16_offset * 2 :].decode("utf-16-le", "surrogatepass")

    def entity(self, kind: str, offset: int, **extra: Any) -> None:
        """Adds an entity from `offset` to the current end; empty entities are dropped."""
        length = self.u16 - offset
        if length <= 0:
            return
        entity: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
        entity.update({key: value for key, value in extra.items() if value not in (None, "")})
        self.entities.append(entity)

    def sorted_entities(self) -> list[dict[str, Any]]:
        return sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


def looks_like_url(url: str) -> bool:
    """Roughly what Telegram accepts as a link target (it silently drops the rest)."""
    lowered = url.strip().lower()
    if not lowered or " " in lowered:
        return False
    if lowered.startswith(("http://", "https://", "tg://", "mailto:", "ftp://", "ton://")):
        return True
    host = lowered.split("/", 1)[0]
    return "." in host and not host.startswith(".") and not host.endswith(".")
