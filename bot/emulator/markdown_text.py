"""Telegram's `parse_mode="MarkdownV2"` and legacy `"Markdown"`: plain text plus entities.

MarkdownV2 mirrors tdlib's parser closely enough to give the same verdicts on the mistakes
bots make (an unescaped `.`, `-`, `!` or `(` is the classic one) with Telegram's wording:
"Character '.' is reserved and must be escaped with the preceding '\\'", "Can't find end of
Bold entity at byte offset 0". Block quotations (`>` at a line start, `**>` ... `||`
expandable) are handled the simple way: one quotation per run of `>` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.emulator.text_units import TextBuilder, byte_offset, cant_parse, looks_like_url

_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_CODE_KINDS = frozenset({"Code", "Pre", "PreCode"})
_ENTITY_TYPES = {
    "Bold": "bold",
    "Italic": "italic",
    "Underline": "underline",
    "Strikethrough": "strikethrough",
    "Spoiler": "spoiler",
    "Code": "code",
    "Pre": "pre",
    "PreCode": "pre",
}
_EMOJI_URL = re.compile(r"tg://emoji\?id=(\d+)")
_TIME_URL = re.compile(r"tg://time\?unix=(-?\d+)(?:&format=(r|w?[dD]?[tT]?))?")


@dataclass
class _Open:
    kind: str
    offset: int
    source_index: int
    argument: str = ""


@dataclass
class _Quote:
    offset: int
    expandable: bool


def _is_end(kind: str, source: str, index: int) -> bool:
    char = source[index]
    following = source[index + 1 : index + 2]
    if kind == "Bold":
        return char == "*"
    if kind == "Italic":
        return char == "_" and following != "_"
    if kind == "Underline":
        return source.startswith("__", index)
    if kind == "Strikethrough":
        return char == "~"
    if kind == "Spoiler":
        return source.startswith("||", index)
    if kind == "Code":
        return char == "`"
    if kind in ("Pre", "PreCode"):
        return source.startswith("```", index)
    return char == "]"  # TextUrl, CustomEmoji


def _reserved(char: str) -> Exception:
    return cant_parse(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")


def _read_url(source: str, index: int) -> tuple[str, int]:
    """Reads `(url)` starting at the `(`; returns the url and the index after `)`."""
    url: list[str] = []
    position = index + 1
    while position < len(source) and source[position] != ")":
        if source[position] == "\\" and position + 1 < len(source):
            url.append(source[position + 1])
            position += 2
            continue
        url.append(source[position])
        position += 1
    if position >= len(source):
        raise cant_parse(f"Can't find end of a URL at byte offset {byte_offset(source, index + 1)}")
    return "".join(url), position + 1


def _skip_first_newline(source: str, index: int) -> int:
    if index < len(source) and source[index] in "\r\n":
        if (
            index + 1 < len(source)
            and source[index + 1] in "\r\n"
            and source[index] != source[index + 1]
        ):
            return index + 2
        return index + 1
    return index


def parse_markdown_v2(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Returns (plain text, entities) or raises EntityParseError."""
    out = TextBuilder()
    stack: list[_Open] = []
    quote: _Quote | None = None
    index = 0
    size = len(source)
    while index < size:
        char = source[index]
        in_code = bool(stack) and stack[-1].kind in _CODE_KINDS
        if not in_code and (index == 0 or source[index - 1] == "\n"):
            if source.startswith("**>", index) or char == ">":
                expandable = char == "*"
                if quote is not None and expandable and not quote.expandable:
                    _close_quote(out, quote, trailing_newline=True)
                    quote = None
                if quote is None:
                    quote = _Quote(out.u16, expandable=expandable)
                index += 3 if expandable else 1
                continue
            if quote is not None:
                _close_quote(out, quote, trailing_newline=True)
                quote = None
        if char == "\\" and index + 1 < size and 0 < ord(source[index + 1]) <= 126:
            out.add(source[index + 1])
            index += 2
            continue
        if (in_code and char != "`") or (not in_code and char not in _RESERVED):
            out.add(char)
            index += 1
            continue
        if (
            quote is not None
            and quote.expandable
            and source.startswith("||", index)
            and source[index + 2 : index + 3] in ("", "\n")
        ):
            _close_quote(out, quote, trailing_newline=False)
            quote = None
            index += 2
            continue
        if stack and _is_end(stack[-1].kind, source, index):
            index = _close(source, index, stack.pop(), out)
        else:
            opened, index = _open(source, index, out.u16)
            stack.append(opened)
    if stack:
        top = stack[-1]
        raise cant_parse(
            f"Can't find end of {top.kind} entity at byte offset "
            f"{byte_offset(source, top.source_index)}"
        )
    if quote is not None:
        _close_quote(out, quote, trailing_newline=False)
    return out.text(), out.sorted_entities()


def _close_quote(out: TextBuilder, quote: _Quote, *, trailing_newline: bool) -> None:
    kind = "expandable_blockquote" if quote.expandable else "blockquote"
    end = out.u16 - 1 if trailing_newline else out.u16
    if end > quote.offset:
        out.entities.append({"type": kind, "offset": quote.offset, "length": end - quote.offset})


def _open(source: str, index: int, u16_offset: int) -> tuple[_Open, int]:
    char = source[index]
    following = source[index + 1 : index + 2]
    begin = index
    argument = ""
    if char == "_":
        kind = "Underline" if following == "_" else "Italic"
        index += 2 if following == "_" else 1
    elif char == "*":
        kind, index = "Bold", index + 1
    elif char == "~":
        kind, index = "Strikethrough", index + 1
    elif char == "|" and following == "|":
        kind, index = "Spoiler", index + 2
    elif char == "[":
        kind, index = "TextUrl", index + 1
    elif char == "!" and following == "[":
        kind, index = "CustomEmoji", index + 2
    elif char == "`" and source.startswith("```", index):
        index += 3
        kind = "Pre"
        language_end = index
        while (
            language_end < len(source)
            and not source[language_end].isspace()
            and source[language_end] != "`"
        ):
            language_end += 1
        if index != language_end and language_end < len(source) and source[language_end] != "`":
            kind = "PreCode"
            argument = source[index:language_end]
            index = language_end
        index = _skip_first_newline(source, index)
    elif char == "`":
        kind, index = "Code", index + 1
    else:
        raise _reserved(char)
    return _Open(kind, u16_offset, begin, argument), index


def _close(source: str, index: int, top: _Open, out: TextBuilder) -> int:
    kind = top.kind
    if kind in ("Underline", "Spoiler"):
        index += 2
    elif kind in ("Pre", "PreCode"):
        index += 3
    elif kind == "TextUrl":
        if source[index + 1 : index + 2] == "(":
            url, index = _read_url(source, index + 1)
        else:
            url, index = out.text_since(top.offset), index + 1
        if looks_like_url(url):
            out.entity("text_link", top.offset, url=url)
        return index
    elif kind == "CustomEmoji":
        if source[index + 1 : index + 2] != "(":
            raise cant_parse("Custom emoji entity must contain a tg://emoji URL")
        url, index = _read_url(source, index + 1)
        if emoji := _EMOJI_URL.fullmatch(url):
            out.entity("custom_emoji", top.offset, custom_emoji_id=emoji.group(1))
        elif moment := _TIME_URL.fullmatch(url):
            out.entity(
                "date_time",
                top.offset,
                unix_time=int(moment.group(1)),
                date_time_format=moment.group(2),
            )
        else:
            raise cant_parse(f'Custom emoji URL "{url}" is invalid')
        return index
    else:
        index += 1
    if kind == "PreCode":
        out.entity("pre", top.offset, language=top.argument)
    else:
        out.entity(_ENTITY_TYPES[kind], top.offset)
    return index


_LEGACY_MARKERS = frozenset("_*`[")


def parse_markdown(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy `parse_mode="Markdown"`: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    out = TextBuilder()
    index = 0
    size = len(source)
    while index < size:
        char = source[index]
        if char == "\\" and source[index + 1 : index + 2] in _LEGACY_MARKERS and index + 1 < size:
            out.add(source[index + 1])
            index += 2
            continue
        if char not in _LEGACY_MARKERS:
            out.add(char)
            index += 1
            continue
        begin = index
        end_char = "]" if char == "[" else char
        is_pre = False
        language = ""
        index += 1
        if char == "`" and source.startswith("``", index):
            index += 2
            is_pre = True
            language_end = index
            while (
                language_end < size
                and not source[language_end].isspace()
                and source[language_end] != "`"
            ):
                language_end += 1
            if index != language_end and language_end < size and source[language_end] != "`":
                language = source[index:language_end]
                index = language_end
            index = _skip_first_newline(source, index)
        offset = out.u16
        while index < size and not (
            source[index] == end_char and (not is_pre or source.startswith("```", index))
        ):
            out.add(source[index])
            index += 1
        if index >= size:
            raise cant_parse(
                f"Can't find end of the entity starting at byte offset {byte_offset(source, begin)}"
            )
        index += 3 if is_pre else 1
        if char == "[":
            url = ""
            if source[index : index + 1] == "(":
                close = source.find(")", index)
                if close != -1:
                    url, index = source[index + 1 : close], close + 1
            url = url or out.text_since(offset)
            if looks_like_url(url):
                out.entity("text_link", offset, url=url)
        elif is_pre:
            out.entity("pre", offset, language=language or None)
        else:
            kinds = {"*": "bold", "_": "italic", "`": "code"}
            out.entity(kinds[char], offset)
    return out.text(), out.sorted_entities()
