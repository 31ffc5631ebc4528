"""The one Telegram-HTML check of rules texts, against the Bot API's HTML style and the emulator.

The check follows the docs (https://core.telegram.org/bots/api#html-style), which are stricter
than Telegram's parser in a few places (a bare & or >, </>, attributes Telegram ignores). So:
whatever the check accepts, the emulator's parser (which mirrors Telegram) must accept too, and
whatever that parser refuses, the check must refuse.
"""

from __future__ import annotations

import random

import pytest

from bot.core.rules.telegram_html import Markup, html_problem, markup_problem, plain_problem
from bot.emulator.html_text import parse_html
from bot.emulator.text_units import EntityParseError

# Forms the Bot API documents (its own examples), plus what our rules use.
ACCEPTED = [
    "plain text, no markup",
    "<b>bold</b>, <strong>bold</strong>",
    "<i>italic</i>, <em>italic</em>",
    "<u>underline</u>, <ins>underline</ins>",
    "<s>strikethrough</s>, <strike>strikethrough</strike>, <del>strikethrough</del>",
    '<span class="tg-spoiler">spoiler</span>, <tg-spoiler>spoiler</tg-spoiler>',
    '<b>bold <i>italic bold <s>italic bold strikethrough <span class="tg-spoiler">italic bold '
    "strikethrough spoiler</span></s> <u>underline italic bold</u></i> bold</b>",
    '<a href="http://www.example.com/">inline URL</a>',
    '<a href="tg://user?id=123456789">inline mention of a user</a>',
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    '<tg-time unix="1647531900" format="wDT">22:45 tomorrow</tg-time>',
    "<code>inline fixed-width code</code>",
    "<pre>pre-formatted fixed-width code block</pre>",
    '<pre><code class="language-python">pre-formatted code in Python</code></pre>',
    "<blockquote>Block quotation started\nBlock quotation continued</blockquote>",
    "<blockquote expandable>Expandable block quotation</blockquote>",
    '<a href="https://example.com/?a=1&amp;b=2"><b>bold link</b></a>',
    "escapes: &lt; &gt; &amp; &quot; and numeric: it&#39;s, it&#x27;s, &#128118;",
    "placeholders stay text: Hello {name}, <b>{month}</b> {{braces}}",
    "<b >spaces inside the tags</b >",
    "<blockquote><b>bold</b> in a quote</blockquote>",
    "<b><blockquote>a quote in bold</blockquote></b>",
    "",
]

# (text, the problem named) for text both the check and Telegram refuse.
REFUSED_BY_BOTH = [
    ("<b><i>crossed</b></i>", "</b> does not close the last open tag <i>"),
    ("a < b", "a bare '<'"),
    ("<b>never closed", "<b> is never closed"),
    ("closes nothing</b>", "</b> closes no open tag"),
    ("<p>paragraph</p>", "<p> is not a Telegram tag"),
    ("<br/>", "<br> is not a Telegram tag"),
    ("x <b", "<b is missing its closing '>'"),
    ("<span>no class</span>", '<span> needs class="tg-spoiler"'),
    ('<span class="other">x</span>', '<span> needs class="tg-spoiler"'),
    ("<tg-emoji>👍</tg-emoji>", '<tg-emoji> needs emoji-id="…"'),
    ('<tg-time unix="soon">t</tg-time>', '<tg-time> needs unix="…"'),
    ("<b>x</i>", "</i> does not close the last open tag <b>"),
]

# (text, the problem named) for text Telegram forgives but its docs do not allow.
REFUSED_BY_THE_DOCS = [
    ("Tom & Jerry", "a bare '&'"),
    ("a > b", "a bare '>'"),
    ("&nbsp;", "a bare '&'"),
    ("&#X27;", "a bare '&'"),  # only a lower-case x makes a hexadecimal reference
    ("&#0;", "is not a character Telegram accepts"),
    ("&#xD800;", "is not a character Telegram accepts"),
    ("<b>x</>", "</> needs the name of the tag it closes"),
    ("<B>x</B>", "write tag names in lower case"),
    ("<b class='x'>x</b>", "<b> has no attribute class"),
    ('<a href="x" title="y">x</a>', "<a> has no attribute title"),
    ("<a href=x>x</a>", "malformed attribute"),
    ("<a>no link</a>", '<a> needs href="…"'),
    ('<a href="?a=1&b=2">x</a>', "a bare '&'"),
    ('<blockquote expandable="yes">x</blockquote>', "<blockquote> takes a bare expandable"),
    ('<code class="python">x</code>', 'class="language-…"'),
    ("<b><code>x</code></b>", "<code> cannot be inside <b>"),
    ("<code><b>x</b></code>", "<b> cannot be inside <code>"),
    ("<pre><b>x</b></pre>", "<b> cannot be inside <pre>"),
    ("<blockquote><blockquote>x</blockquote></blockquote>", "cannot be inside another"),
    ('<a href="u"><a href="v">x</a></a>', "<a> cannot be inside <a>"),
    ('<a href="u"><code>x</code></a>', "<code> cannot be inside <a>"),
]


def telegram_accepts(text: str) -> bool:
    try:
        parse_html(text)
    except EntityParseError:
        return False
    return True


@pytest.mark.parametrize("text", ACCEPTED)
def test_documented_forms_pass_the_check_and_the_emulator(text: str) -> None:
    assert html_problem(text) is None
    assert telegram_accepts(text)


@pytest.mark.parametrize(("text", "problem"), REFUSED_BY_BOTH)
def test_what_telegram_refuses_is_refused(text: str, problem: str) -> None:
    found = html_problem(text)
    assert found is not None and problem in found, found
    assert not telegram_accepts(text)


@pytest.mark.parametrize(("text", "problem"), REFUSED_BY_THE_DOCS)
def test_what_the_docs_forbid_is_refused_though_telegram_forgives_it(
    text: str, problem: str
) -> None:
    found = html_problem(text)
    assert found is not None and problem in found, found


def test_the_problem_says_where_it_is() -> None:
    found = html_problem("A long enough sentence, then a < b and more words after it.")
    assert found is not None and "at character 32" in found and "then a < b" in found


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Tom & Jerry, a < b > c, {name}", None),
        ("<b>Yes</b>", "<b> would show as written"),
        ("Back</i>", "</i> would show as written"),
        ("Fish &amp; chips", "&amp; would show as written"),
        ("it&#39;s", "&#39; would show as written"),
    ],
)
def test_plain_text_holds_no_markup(text: str, problem: str | None) -> None:
    found = plain_problem(text)
    assert found is None if problem is None else (found is not None and problem in found)


def test_markup_picks_the_check() -> None:
    assert markup_problem("a &amp; b", Markup.HTML) is None
    assert markup_problem("a &amp; b", Markup.PLAIN) is not None
    assert markup_problem("a & b", Markup.PLAIN) is None
    assert markup_problem("a & b", Markup.HTML) is not None


# Pieces of markup, right and wrong, to build many small texts from.
PIECES = [
    *("<b>", "</b>", "<i>", "</i>", "<u>", "</u>", "<code>", "</code>", "<pre>", "</pre>"),
    *('<pre><code class="language-py">', "<blockquote>", "<blockquote expandable>"),
    *("</blockquote>", '<a href="https://example.com/">', "</a>", '<span class="tg-spoiler">'),
    *("</span>", "<tg-spoiler>", "</tg-spoiler>", '<tg-emoji emoji-id="1">', "</tg-emoji>"),
    *('<tg-time unix="5" format="r">', "</tg-time>", "&amp;", "&lt;", "&#39;", "&#x1F600;"),
    *("&#1114111;", "x", " ", "\n", "{name}", "<", ">", "&", "😀", '"', "=", "/", "<b\n>"),
]


def test_whatever_the_check_accepts_telegram_accepts() -> None:
    shuffle = random.Random(13)
    accepted = 0
    for _ in range(4000):
        text = "".join(shuffle.choice(PIECES) for _ in range(shuffle.randint(1, 6)))
        if html_problem(text) is None:
            accepted += 1
            assert telegram_accepts(text), text
    assert accepted > 200  # the pieces do make valid texts, so the property was tried
