"""Is a text safe to send with Telegram's `parse_mode="HTML"`? One answer for every rules text.

The rules are those of https://core.telegram.org/bots/api#html-style: only the listed tags (in
lower case, with only their documented attributes), the named entities `&lt; &gt; &amp; &quot;`
and numeric references (`&#39;`, `&#x27;`), every other `<`, `>` and `&` escaped, tags closed in
the reverse order they were opened, and the documented limits on nesting entities. Telegram
itself forgives a little of this (a bare `&` or `>`, `</>`, unknown attributes); this check does
not, because the docs do not promise that, and a text that breaks on a parent's screen is worse
than a content editor writing `&amp;`. Telegram's parser reads only a lower-case `&#x`, and only
lower-case tag names end a tag, so those are required too. `{name}` placeholders are ordinary
text here. tests/core/test_telegram_html.py holds the cases, checked against the emulator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class Markup(Enum):
    """How Telegram shows a text: parsed as HTML (messages) or as written (buttons, alerts)."""

    HTML = "html"
    PLAIN = "plain"


# bold, italic, underline, strikethrough and spoiler: these may contain, and be inside, any
# entity except code and pre.
FORMATTING_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler"}
)
# "All other entities can't contain each other" (blockquote has its own rule: no nesting).
ATOMIC_TAGS = frozenset({"a", "code", "pre", "tg-emoji", "tg-time"})
TAGS = FORMATTING_TAGS | ATOMIC_TAGS | {"blockquote"}
MONOSPACE_TAGS = frozenset({"code", "pre"})
_ALLOWED = ", ".join(f"<{tag}>" for tag in sorted(TAGS))

_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_SPECIAL = re.compile(r"[<>&]")
_TAG_NAME = re.compile(r"[^\s<>&/\"'=]*")
_END_TAG = re.compile(r"</([^\s<>]*)\s*>")
_ATTRIBUTE = re.compile(r"([a-z][a-z-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?")
_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")
_PLAIN_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_PLAIN_ENTITY = re.compile(r"&(?:[A-Za-z]+|#[0-9]+|#[xX][0-9a-fA-F]+);")


class _Refused(Exception):
    """One problem, with the character offset it was found at."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass
class _Tag:
    name: str
    offset: int
    attributes: dict[str, str | None] = field(default_factory=dict)


def markup_problem(text: str, markup: Markup) -> str | None:
    """Why `text` cannot be sent the way `markup` says, or None."""
    return html_problem(text) if markup is Markup.HTML else plain_problem(text)


def html_problem(text: str) -> str | None:
    """Why Telegram's HTML parse mode would refuse (or garble) `text`, or None when it is fine."""
    try:
        _check(text)
    except _Refused as refused:
        return f"{refused.message} (at character {refused.offset + 1}: {_excerpt(text, refused)})"
    return None


def plain_problem(text: str) -> str | None:
    """Why `text` cannot go where Telegram shows text as written (buttons, alerts, titles)."""
    if found := _PLAIN_TAG.search(text):
        return f"must be plain text: {found.group(0)} would show as written (no HTML here)"
    if found := _PLAIN_ENTITY.search(text):
        return (
            f"must be plain text: {found.group(0)} would show as written "
            "(type the character itself)"
        )
    return None


def _excerpt(text: str, refused: _Refused) -> str:
    start = max(0, refused.offset - 15)
    snippet = text[start : refused.offset + 15].replace("\n", " ")
    return f"'{'…' if start else ''}{snippet}{'…' if refused.offset + 15 < len(text) else ''}'"


def _check(text: str) -> None:
    stack: list[_Tag] = []
    index = 0
    while (found := _SPECIAL.search(text, index)) is not None:
        index = found.start()
        char = text[index]
        if char == "&":
            index = _entity(text, index)
        elif char == ">":
            raise _Refused(index, "a bare '>' (write &gt; for a literal >)")
        elif text.startswith("</", index):
            index = _end_tag(text, index, stack)
        else:
            tag, index = _start_tag(text, index)
            _check_nesting(tag, stack)
            stack.append(tag)
    if stack:
        raise _Refused(stack[-1].offset, f"<{stack[-1].name}> is never closed")


def _entity(text: str, index: int) -> int:
    match = _ENTITY.match(text, index)
    if match is None:
        raise _Refused(
            index,
            "a bare '&' (write &amp; for a literal &; Telegram knows only &lt; &gt; &amp; "
            "&quot; and numeric references like &#39;)",
        )
    decimal, hexadecimal = match.groups()
    if decimal is not None or hexadecimal is not None:
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise _Refused(index, f"{match.group(0)} is not a character Telegram accepts")
    return match.end()


def _end_tag(text: str, index: int, stack: list[_Tag]) -> int:
    match = _END_TAG.match(text, index)
    if match is None:
        raise _Refused(index, "an end tag without its closing '>' (write &lt; for a literal <)")
    name = match.group(1)
    if not name:
        raise _Refused(index, "</> needs the name of the tag it closes, like </b>")
    if not stack:
        raise _Refused(index, f"{match.group(0)} closes no open tag")
    if name != stack[-1].name:
        raise _Refused(
            index,
            f"{match.group(0)} does not close the last open tag <{stack[-1].name}> "
            "(close tags in the reverse order they were opened)",
        )
    stack.pop()
    return match.end()


def _start_tag(text: str, begin: int) -> tuple[_Tag, int]:
    name_match = _TAG_NAME.match(text, begin + 1)
    assert name_match is not None  # the pattern matches the empty string
    name = name_match.group(0)
    if not name:
        raise _Refused(begin, "a bare '<' (write &lt; for a literal <)")
    if name not in TAGS:
        hint = " (write tag names in lower case)" if name.lower() in TAGS else ""
        raise _Refused(
            begin,
            f"<{name}> is not a Telegram tag{hint}; allowed: {_ALLOWED} "
            "(write &lt; for a literal <)",
        )
    tag = _Tag(name, begin)
    index = name_match.end()
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text) or text[index] == "<":
            raise _Refused(begin, f"<{name} is missing its closing '>'")
        if text[index] == ">":
            break
        attribute = _ATTRIBUTE.match(text, index)
        if attribute is None or not (index == name_match.end() or text[index - 1].isspace()):
            raise _Refused(index, f"<{name}> has a malformed attribute (quote every value)")
        key, double, single = attribute.groups()
        if key in tag.attributes:
            raise _Refused(index, f"<{name}> repeats the attribute {key}")
        value = double if double is not None else single
        if value is not None:
            _check_attribute_text(value, attribute.start())
        tag.attributes[key] = value
        index = attribute.end()
    _check_attributes(tag)
    return tag, index + 1


def _check_attribute_text(value: str, offset: int) -> None:
    for found in _SPECIAL.finditer(value):
        if found.group(0) != "&":
            raise _Refused(offset, f"write &lt; or &gt; for '{found.group(0)}' in an attribute")
        _entity(value, found.start())


def _check_attributes(tag: _Tag) -> None:
    attributes, where = tag.attributes, tag.offset
    allowed = {
        "a": {"href"},
        "span": {"class"},
        "code": {"class"},
        "tg-emoji": {"emoji-id"},
        "tg-time": {"unix", "format"},
        "blockquote": {"expandable"},
    }.get(tag.name, set())
    for key, value in attributes.items():
        if key not in allowed:
            raise _Refused(where, f"<{tag.name}> has no attribute {key} in Telegram")
        flag = tag.name == "blockquote"
        if flag != (value is None):
            form = f"a bare {key}" if flag else f'{key}="…"'
            raise _Refused(where, f"<{tag.name}> takes {form}")
    if tag.name == "a" and not attributes.get("href"):
        raise _Refused(where, '<a> needs href="…" (the link it opens)')
    if tag.name == "span" and attributes.get("class") != "tg-spoiler":
        raise _Refused(where, '<span> needs class="tg-spoiler" (Telegram has no other span)')
    if tag.name == "code" and "class" in attributes:
        language = attributes["class"] or ""
        if not language.startswith("language-") or language == "language-":
            raise _Refused(where, '<code> takes only class="language-…" (inside <pre>)')
    if tag.name == "tg-emoji" and not (attributes.get("emoji-id") or "").isdigit():
        raise _Refused(where, '<tg-emoji> needs emoji-id="…" (the digits of a custom emoji)')
    if tag.name == "tg-time":
        if not (attributes.get("unix") or "").lstrip("-").isdigit():
            raise _Refused(where, '<tg-time> needs unix="…" (a Unix time)')
        if not _TIME_FORMAT.fullmatch(attributes.get("format") or ""):
            raise _Refused(where, "<tg-time> has a format Telegram does not know")


def _check_nesting(tag: _Tag, stack: list[_Tag]) -> None:
    """The Bot API's limits on nesting entities (see MessageEntity in the Bot API docs)."""
    names = [open_tag.name for open_tag in stack]
    inside = stack[-1].name if stack else None
    if any(name in MONOSPACE_TAGS for name in names):
        if tag.name == "code" and inside == "pre" and "code" not in names:
            return  # <pre><code class="language-…">: one pre block with its language
        raise _Refused(tag.offset, f"<{tag.name}> cannot be inside <{inside}>")
    if tag.name in MONOSPACE_TAGS and (outer := [n for n in names if n in FORMATTING_TAGS]):
        raise _Refused(tag.offset, f"<{tag.name}> cannot be inside <{outer[-1]}>")
    if tag.name == "blockquote" and "blockquote" in names:
        raise _Refused(tag.offset, "a <blockquote> cannot be inside another <blockquote>")
    if tag.name in ATOMIC_TAGS | {"blockquote"} and (
        outer := [n for n in names if n in ATOMIC_TAGS]
    ):
        raise _Refused(tag.offset, f"<{tag.name}> cannot be inside <{outer[-1]}>")
