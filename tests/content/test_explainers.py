"""The /explain menu and its related-topic buttons form one navigable, well-formed set."""

from __future__ import annotations

import re
from collections import Counter, deque
from pathlib import Path

import pytest
import yaml

from bot.core.rules import Rules

from .readability import plain_text

MAX_WORDS = 120  # the writing target; the loader itself hard-fails above 130
_TAG = re.compile(r"</?([a-zA-Z-]+)[^>]*>")
_LEADING_EMOJI = re.compile(r"^[^\w<]+\s+")


@pytest.fixture(scope="module")
def menu(rules_dir: Path) -> list[str]:
    """The menu as written: Rules keeps only its order, so read it from the files."""
    items: list[str] = []
    for path in sorted(rules_dir.glob("explainers*.yaml")):
        items += yaml.safe_load(path.read_text(encoding="utf-8")).get("menu") or []
    return items


def test_every_topic_is_in_the_menu_once(rules: Rules, menu: list[str]) -> None:
    assert rules.explainers, "no explainers loaded"
    duplicates = [ident for ident, n in Counter(menu).items() if n > 1]
    assert not duplicates, f"in the menu more than once: {duplicates}"
    missing = sorted(set(rules.explainers) - set(menu))
    assert not missing, f"topics missing from the menu: {missing}"


def test_each_topic_has_one_to_three_related_topics(rules: Rules) -> None:
    bad = {
        ident: topic.related
        for ident, topic in rules.explainers.items()
        if not 1 <= len(topic.related) <= 3
        or ident in topic.related
        or len(set(topic.related)) != len(topic.related)
    }
    assert not bad, f"need 1-3 distinct related topics, not the topic itself: {bad}"


def test_every_topic_is_reachable_from_the_menu(rules: Rules, menu: list[str]) -> None:
    seen = set(menu)
    queue = deque(menu)
    while queue:
        for ident in rules.explainers[queue.popleft()].related:
            if ident not in seen:
                seen.add(ident)
                queue.append(ident)
    unreachable = sorted(set(rules.explainers) - seen)
    assert not unreachable, f"not reachable from the menu: {unreachable}"


def test_titles_are_unique(rules: Rules) -> None:
    locale = rules.default_locale
    titles = Counter(
        _LEADING_EMOJI.sub("", t.title.get(locale)).casefold() for t in rules.explainers.values()
    )
    assert not [t for t, n in titles.items() if n > 1], f"duplicate titles: {titles}"


def test_body_opens_with_its_bold_title(rules: Rules) -> None:
    locale = rules.default_locale
    bad = {}
    for ident, topic in rules.explainers.items():
        first = topic.body.get(locale).splitlines()[0]
        title = _LEADING_EMOJI.sub("", topic.title.get(locale))
        if first != f"<b>{title}</b>":
            bad[ident] = (first, title)
    assert not bad, f"first line must be <b>title</b> (title without its emoji): {bad}"


def test_body_uses_only_bold_and_italic_markup(rules: Rules) -> None:
    """House style for explainers (check-rules already refuses what Telegram would)."""
    locale = rules.default_locale
    bad: dict[str, list[str]] = {}
    for ident, topic in rules.explainers.items():
        body = topic.body.get(locale)
        problems = [
            f"<{name}> is not bold or italic"
            for name in _TAG.findall(body)
            if name not in ("b", "i")
        ]
        if re.search(r"\*\*|__|^#|\[[^\]]+\]\(", body, re.MULTILINE):
            problems.append("Markdown is not rendered; use <b> or <i>")
        if problems:
            bad[ident] = problems
    assert not bad, bad


def test_bodies_stay_short(rules: Rules) -> None:
    locale = rules.default_locale
    counts = {
        ident: len(plain_text(t.body.get(locale)).replace("•", " ").split())
        for ident, t in rules.explainers.items()
    }
    long = {ident: n for ident, n in counts.items() if n > MAX_WORDS}
    assert not long, f"bodies over {MAX_WORDS} words: {long}"


def test_every_topic_has_search_keywords(rules: Rules) -> None:
    locale = rules.default_locale
    missing = [i for i, t in rules.explainers.items() if not t.keywords.get(locale)]
    assert not missing, f"topics without '{locale}' keywords for inline search: {missing}"
