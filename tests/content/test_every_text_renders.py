"""Every text in rules/, in every locale, is checked; every HTML one renders in Telegram.

Records what `Checker.text` sees while the real rules load, then (1) finds every per-locale text
in the YAML files and asserts each one went through that check (so no text escapes it), and
(2) parses each HTML text with the emulator's parser, which mirrors Telegram's, so a text that
passes `check-rules` cannot fail with a 400 on a parent's screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.core.rules.checker import Checker
from bot.core.rules.source import LineList, LineMap, load_yaml
from bot.core.rules.telegram_html import Markup
from bot.core.rules_loader import load_rules
from bot.emulator.html_text import parse_html
from bot.emulator.text_units import EntityParseError
from bot.telegram.ui_keys import UI_KEYS


@dataclass(frozen=True)
class Seen:
    file: str
    line: int
    locale: str
    text: str
    markup: Markup


@pytest.fixture(scope="module")
def seen(rules_dir: Path) -> list[Seen]:
    """Every (file, line, locale) text that Checker.text checked while the rules loaded."""
    found: list[Seen] = []
    original = Checker.text

    def recording(self: Checker, m: LineMap, key: str, *args: Any, **kwargs: Any) -> Any:
        value = m.get(key)
        if isinstance(value, LineMap):
            for locale, text in value.items():
                if isinstance(text, str):
                    where = Path(self.file).name
                    line = value.line_of(locale)
                    found.append(Seen(where, line, locale, text.strip(), kwargs["markup"]))
        return original(self, m, key, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Checker, "text", recording)
        load_rules(rules_dir, UI_KEYS)
    return found


def locale_texts(node: Any, locales: set[str]) -> Iterator[tuple[int, str]]:
    """(line, locale) of every `{<locale>: "text", ...}` mapping in a YAML tree."""
    if isinstance(node, LineMap):
        if node and set(node) <= locales and all(isinstance(v, str) for v in node.values()):
            yield from ((node.line_of(locale), locale) for locale in node)
            return
        for value in node.values():
            yield from locale_texts(value, locales)
    elif isinstance(node, LineList):
        for item in node:
            yield from locale_texts(item, locales)


def test_every_text_in_every_locale_is_checked(rules_dir: Path, seen: list[Seen]) -> None:
    locales_file, _ = load_yaml(rules_dir / "locales.yaml", "locales.yaml")
    locales = set(locales_file["locales"])
    checked = {(s.file, s.line, s.locale) for s in seen}
    missed = []
    total = 0
    for path in sorted(rules_dir.glob("*.yaml")):
        if path.name == "locales.yaml":
            continue
        data, errors = load_yaml(path, path.name)
        assert not errors
        for line, locale in locale_texts(data, locales):
            total += 1
            if (path.name, line, locale) not in checked:
                missed.append(f"{path.name}:{line} ({locale})")
    assert total > 500, total  # the walk found the texts
    assert not missed, f"texts no check saw: {missed}"


def test_every_html_text_parses_as_telegram_html(seen: list[Seen]) -> None:
    html = [s for s in seen if s.markup is Markup.HTML]
    assert len(html) > 300 and any("<b>" in s.text for s in html)
    refused = []
    for text in html:
        try:
            parse_html(text.text)
        except EntityParseError as error:
            refused.append(f"{text.file}:{text.line} ({text.locale}): {error}")
    assert not refused, refused


def test_the_video_texts_are_among_them(seen: list[Seen]) -> None:
    """video.yaml (the chart and the timeline picture) is loaded by its own parser: its messages
    go through the HTML check, its buttons, toasts and picture labels through the plain one."""
    video = [s for s in seen if s.file == "video.yaml"]
    plain = {s.text for s in video if s.markup is Markup.PLAIN}
    assert {"left half", "today", "🎥 Send me a video"} <= plain
    assert any("<b>" in s.text for s in video if s.markup is Markup.HTML)
