"""Entity parsing for HTML as Telegram counts it; the Markdown modes are refused, not parsed."""

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


@pytest.mark.parametrize("mode", ["MarkdownV2", "Markdown", "markdownv2"])
def test_markdown_modes_are_refused_as_unsupported(mode: str) -> None:
    with pytest.raises(EntityParseError, match=f"parse_mode {mode} is unsupported by this emu"):
        parse("*bold*", mode)


def test_explicit_entities_must_fit_the_text() -> None:
    assert parse("hey", None, [{"type": "bold", "offset": 0, "length": 3}]).entities
    with pytest.raises(EntityParseError, match="doesn't fit"):
        parse("hey", None, [{"type": "bold", "offset": 1, "length": 3}])
    with pytest.raises(EntityParseError, match="unsupported parse_mode"):
        parse("hey", "BBCode")
