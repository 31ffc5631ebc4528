"""Entity parsing for HTML, MarkdownV2 and legacy Markdown, as Telegram counts it."""

from __future__ import annotations

import pytest

from bot.emulator.formatted_text import parse
from bot.emulator.text_units import EntityParseError


def entities(text: str, mode: str) -> tuple[str, list[tuple]]:
    """The parsed text and each entity as (type, extras..., offset, length)."""
    result = parse(text, mode)
    found = []
    for entity in result.entities:
        extras = [v for k, v in entity.items() if k not in ("offset", "length")]
        found.append((*extras, entity["offset"], entity["length"]))
    return result.text, found


def test_html_tags_entities_and_utf16_offsets() -> None:
    text, found = entities(
        '👶 <b>bold <i>both</i></b> &lt;3 &amp; &#128564; &nbsp; <a href="https://x.org">link</a>',
        "HTML",
    )

    assert text == "👶 bold both <3 & 😴 &nbsp; link"
    assert found == [
        ("bold", 3, 9),
        ("italic", 8, 4),
        ("text_link", "https://x.org", 28, 4),
    ]


def test_html_pre_with_language_and_blockquotes() -> None:
    text, found = entities(
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote expandable>long</blockquote><tg-spoiler>s</tg-spoiler>",
        "HTML",
    )

    assert text == "x = 1longs"
    assert found == [
        ("pre", "python", 0, 5),
        ("expandable_blockquote", 5, 4),
        ("spoiler", 9, 1),
    ]


def test_markdown_v2_entities_and_escapes() -> None:
    text, found = entities(
        r"*bold* _it_ __under__ ~s~ ||sp|| `c\`d` [l](https://x\.org) 1\.5", "MarkdownV2"
    )

    assert text == "bold it under s sp c`d l 1.5"
    assert [f[0] for f in found] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    assert found[-1] == ("text_link", "https://x.org", 23, 1)


def test_markdown_v2_blockquote_lines() -> None:
    text, found = entities(">first\n>second\nafter", "MarkdownV2")

    assert text == "first\nsecond\nafter"
    assert found == [("blockquote", 0, 12)]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("*bold", "Can't find end of Bold entity at byte offset 0"),
        ("hi!", "Character '!' is reserved and must be escaped with the preceding '\\'"),
        ("[x](https://a", "Can't find end of a URL at byte offset 4"),
    ],
)
def test_markdown_v2_errors(text: str, complaint: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse(text, "MarkdownV2")
    assert raised.value.description == f"can't parse entities: {complaint}"


def test_legacy_markdown() -> None:
    assert entities("*b* _i_ [x](https://e.org) a.b!", "Markdown") == (
        "b i x a.b!",
        [("bold", 0, 1), ("italic", 2, 1), ("text_link", "https://e.org", 4, 1)],
    )
    with pytest.raises(EntityParseError, match="byte offset 3"):
        parse("é *open", "Markdown")


def test_explicit_entities_must_fit_the_text() -> None:
    assert parse("hey", None, [{"type": "bold", "offset": 0, "length": 3}]).entities
    with pytest.raises(EntityParseError, match="doesn't fit"):
        parse("hey", None, [{"type": "bold", "offset": 1, "length": 3}])
    with pytest.raises(EntityParseError, match="unsupported parse_mode"):
        parse("hey", "BBCode")
