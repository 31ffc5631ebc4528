"""Find explainers for a few typed words (inline mode: `@bot twitch`).

Pure: the words a topic answers to are its title, its `keywords` in rules/explainers*.yaml (the
place for synonyms such as "convulsion" or "trembling") and its text. When nothing matches, the
topic marked `search_fallback: true` is offered, so a worried parent never gets an empty list.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from bot.core.rules.models import Explainer, Rules

MIN_WORD = 2  # one-letter words ("a", "I") match everything
MIN_STEM = 4  # "jerking" finds the keyword "jerk", but "it" does not find "item"

TITLE, KEYWORD, BODY = 3, 2, 1  # a word in the title counts most


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).lower()


def query_words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", query.lower()) if len(w) >= MIN_WORD]


def _in_words(word: str, words: Iterable[str]) -> bool:
    """`word` is part of one of `words`, or one of them (long enough) starts it: a plural or
    an -ing form still finds its keyword."""
    return any(word in w or (len(w) >= MIN_STEM and word.startswith(w)) for w in words)


def _score(topic: Explainer, locale: str, default_locale: str, words: list[str]) -> int:
    title = re.findall(r"\w+", _plain(topic.title.get(locale)))
    keywords = topic.keywords.get(locale) or topic.keywords.get(default_locale, ())
    body = re.findall(r"\w+", _plain(topic.body.get(locale)))
    score = 0
    for word in words:
        if _in_words(word, title):
            score += TITLE
        elif _in_words(word, keywords):
            score += KEYWORD
        elif _in_words(word, body):
            score += BODY
        else:
            return 0  # every word must match somewhere
    return score


def matching_topics(rules: Rules, locale: str, query: str) -> list[Explainer]:
    """Topics that match every word of the query, best first (ties in menu order); every
    topic for an empty query; the fallback topic when nothing matches."""
    words = query_words(query)
    if not words:
        return list(rules.explainers.values())
    scored = [
        (score, topic)
        for topic in rules.explainers.values()
        if (score := _score(topic, locale, rules.default_locale, words)) > 0
    ]
    if not scored:
        return [t for t in rules.explainers.values() if t.search_fallback]
    scored.sort(key=lambda pair: -pair[0])  # stable: equal scores keep the menu order
    return [topic for _, topic in scored]
