"""Text and id readers shared by the milestone parsers (notes and their buttons)."""

from __future__ import annotations

from typing import Any

from bot.core.rules.checker import Checker, placeholders
from bot.core.rules.models import LocalText
from bot.core.rules.source import LineMap
from bot.core.rules.telegram_html import Markup


def identifier(check: Checker, value: Any, line: int, where: str, max_len: int) -> str | None:
    """An id that also fits, with the others, in a button's 64 bytes of callback data."""
    ident = check.identifier(value, line, where)
    if ident is not None and len(ident) > max_len:
        check.error(line, f"{where} '{ident}' is too long for a button (max {max_len})")
        return None
    return ident


def note_text(
    check: Checker,
    m: LineMap,
    key: str,
    where: str,
    max_len: int,
    max_words: int | None,
    allowed: set[str],
    markup: Markup,
) -> LocalText | None:
    """A per-locale text (markup checked by Checker.text) with only the `allowed` placeholders."""
    if key not in m:
        return None
    text = check.text(m, key, where, max_len=max_len, max_words=max_words, markup=markup)
    by_locale = m[key] if isinstance(m[key], LineMap) else LineMap()
    for locale, value in by_locale.items():
        if not isinstance(value, str):
            continue
        unknown = placeholders(value) - allowed
        if unknown:
            may = ", ".join(f"{{{p}}}" for p in sorted(allowed)) or "no placeholder"
            check.error(
                by_locale.line_of(locale),
                f"{where}.{key}.{locale} uses {sorted(unknown)}; only {may} is filled in here",
            )
    return text
