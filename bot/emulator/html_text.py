"""Telegram's `parse_mode="HTML"`: plain text plus entities, or Telegram's own error text.

Follows the Bot API rules: only the documented tags, only `&lt; &gt; &amp; &quot;` and numeric
character references (an unknown `&name;` stays literal text), every `<` that is not a
supported tag is an error, and error messages quote UTF-8 byte offsets like tdlib does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.text_units import TextBuilder, byte_offset, cant_parse, looks_like_url

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_CHAR_REF = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]{1,10}));")
_SPECIAL = re.compile(r"[<&]")
_UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9.\-]*")
_DATE_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")


@dataclass
class _OpenTag:
    name: str
    offset: int
    source_index: int
    attrs: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def _char_ref(text: str, index: int) -> tuple[str, int] | None:
    """Decodes the character reference at `text[index]`, or None when it isn't one."""
    match = _CHAR_REF.match(text, index)
    if not match:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return (char, match.end()) if char else None
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def unescape(text: str) -> str:
    """Decodes character references the way Telegram does (unknown ones stay as written)."""
    out: list[str] = []
    index = 0
    while (amp := text.find("&", index)) != -1:
        out.append(text[index:amp])
        decoded = _char_ref(text, amp)
        if decoded is None:
            out.append("&")
            index = amp + 1
        else:
            out.append(decoded[0])
            index = decoded[1]
    out.append(text[index:])
    return "".join(out)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Returns (plain text, entities) or raises EntityParseError."""
    if "<" not in source and "&" not in source:
        return source, []
    out = TextBuilder()
    stack: list[_OpenTag] = []
    index = 0
    size = len(source)
    while index < size:
        special = _SPECIAL.search(source, index)
        if special is None:
            out.add(source[index:])
            break
        out.add(source[index : special.start()])
        index = special.start()
        if source[index] == "&":
            decoded = _char_ref(source, index)
            if decoded is None:
                out.add("&")
                index += 1
            else:
                out.add(decoded[0])
                index = decoded[1]
            continue
        if index + 1 < size and source[index + 1] == "/":
            index = _close_tag(source, index, stack, out)
        else:
            tag, index = _open_tag(source, index, out.u16)
            stack.append(tag)
    if stack:
        raise cant_parse(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    for entity in out.entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return out.text(), out.sorted_entities()


def _open_tag(source: str, begin: int, u16_offset: int) -> tuple[_OpenTag, int]:
    size = len(source)
    where = f"at byte offset {byte_offset(source, begin)}"
    index = begin + 1
    while index < size and not source[index].isspace() and source[index] != ">":
        index += 1
    if index >= size:
        raise cant_parse(f"Unclosed start tag {where}")
    name = source[begin + 1 : index].lower()
    if name not in SUPPORTED_TAGS:
        raise cant_parse(f'Unsupported start tag "{name}" {where}')
    tag = _OpenTag(name=name, offset=u16_offset, source_index=begin)
    while True:
        index = _skip_spaces(source, index)
        if index >= size:
            raise cant_parse(f"Unclosed start tag {where}")
        if source[index] == ">":
            index += 1
            break
        attr_begin = index
        while (
            index < size
            and not source[index].isspace()
            and source[index] not in "=>"
            and source[index] not in "\"'"
        ):
            index += 1
        attr_name = source[attr_begin:index].lower()
        if not attr_name:
            raise cant_parse(f'Empty attribute name in the tag "{name}" {where}')
        index = _skip_spaces(source, index)
        if index >= size or source[index] != "=":
            if name == "blockquote" and attr_name == "expandable":
                tag.flags.add("expandable")
                continue
            raise cant_parse(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" {where}'
            )
        tag.attrs[attr_name], index = _attribute_value(source, index + 1, where)
    if name == "span" and tag.attrs.get("class") != "tg-spoiler":
        raise cant_parse(f'Tag "span" must have class "tg-spoiler" {where}')
    return tag, index


def _skip_spaces(source: str, index: int) -> int:
    while index < len(source) and source[index].isspace():
        index += 1
    return index


def _attribute_value(source: str, index: int, where: str) -> tuple[str, int]:
    """The value after an attribute's `=` (quoted, entities decoded; or bare), and the index
    after it."""
    index = _skip_spaces(source, index)
    if index >= len(source):
        raise cant_parse(f"Unclosed start tag {where}")
    quote = source[index]
    if quote in "\"'":
        end = source.find(quote, index + 1)
        if end == -1:
            raise cant_parse(f"Unclosed start tag {where}")
        return unescape(source[index + 1 : end]), end + 1
    match = _UNQUOTED_VALUE.match(source, index)
    value = match.group(0) if match else ""
    return value, index + len(value)


def _close_tag(source: str, begin: int, stack: list[_OpenTag], out: TextBuilder) -> int:
    size = len(source)
    where = f"at byte offset {byte_offset(source, begin)}"
    index = begin + 2
    while index < size and source[index] != ">" and not source[index].isspace():
        index += 1
    end_name = source[begin + 2 : index].lower()
    while index < size and source[index].isspace():
        index += 1
    if index >= size or source[index] != ">":
        raise cant_parse(f"Unclosed end tag {where}")
    if not stack:
        raise cant_parse(f"Unexpected end tag {where}")
    tag = stack.pop()
    if end_name and end_name != tag.name:
        raise cant_parse(
            f'Unmatched end tag {where}, expected "</{tag.name}>", found "</{end_name}>"'
        )
    _add_entity(source, tag, out)
    return index + 1


def _add_entity(source: str, tag: _OpenTag, out: TextBuilder) -> None:
    name = tag.name
    where = f"at byte offset {byte_offset(source, tag.source_index)}"
    if name in _SIMPLE_TAGS:
        out.entity(_SIMPLE_TAGS[name], tag.offset)
    elif name == "code":
        # The language only survives when a <pre> wraps this <code> exactly (see _add_pre).
        out.entity("code", tag.offset, language=_code_language(tag.attrs))
    elif name == "pre":
        _add_pre(tag, out)
    elif name == "a":
        url = tag.attrs.get("href") or out.text_since(tag.offset)
        if looks_like_url(url):
            out.entity("text_link", tag.offset, url=url)
    elif name == "blockquote":
        kind = "expandable_blockquote" if "expandable" in tag.flags else "blockquote"
        out.entity(kind, tag.offset)
    elif name == "tg-emoji":
        emoji_id = tag.attrs.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise cant_parse(f'Tag "tg-emoji" must have attribute "emoji-id" {where}')
        out.entity("custom_emoji", tag.offset, custom_emoji_id=emoji_id)
    elif name == "tg-time":
        unix = tag.attrs.get("unix", "")
        time_format = tag.attrs.get("format", "")
        if not unix.lstrip("-").isdigit():
            raise cant_parse(f'Tag "tg-time" must have attribute "unix" {where}')
        if time_format and not _DATE_TIME_FORMAT.fullmatch(time_format):
            raise cant_parse(f'Invalid attribute "format" of the tag "tg-time" {where}')
        out.entity(
            "date_time", tag.offset, unix_time=int(unix), date_time_format=time_format or None
        )


def _add_pre(tag: _OpenTag, out: TextBuilder) -> None:
    # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
    language = None
    if out.entities:
        last = out.entities[-1]
        if (
            last["type"] == "code"
            and last["offset"] == tag.offset
            and last["offset"] + last["length"] == out.u16
        ):
            out.entities.pop()
            language = last.get("language")
    out.entity("pre", tag.offset, language=language)


def _code_language(tag_attrs: dict[str, str]) -> str | None:
    cls = tag_attrs.get("class", "")
    return cls[len("language-") :] if cls.startswith("language-") else None
