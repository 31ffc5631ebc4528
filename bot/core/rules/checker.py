"""Small validation helpers shared by every rules section; each collects `file:line` errors."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Any

from bot.core import plurals
from bot.core.rules.errors import RuleError
from bot.core.rules.models import LocalText
from bot.core.rules.source import LineList, LineMap
from bot.core.rules.telegram_html import Markup, markup_problem, plain_problem

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a format string (doubled braces are literal); a plural block
    `{weeks, plural, ...}` counts as `{weeks}` plus the placeholders of its branches."""
    try:
        fields = string.Formatter().parse(plurals.as_placeholders(text))
        return {name for _, name, _, _ in fields if name}
    except ValueError:
        return {"<unbalanced braces>"}


class Checker:
    """Validates the parsed YAML of one file against the expected shape."""

    def __init__(self, file: str, locales: tuple[str, ...], default_locale: str) -> None:
        self.file = file
        self.locales = locales
        self.default_locale = default_locale
        self.errors: list[RuleError] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(RuleError(self.file, line, message))

    def mapping(self, value: Any, line: int, where: str) -> LineMap | None:
        if isinstance(value, LineMap):
            return value
        self.error(line, f"{where} must be a mapping of keys to values")
        return None

    def sequence(self, value: Any, line: int, where: str) -> LineList | None:
        if isinstance(value, LineList):
            return value
        self.error(line, f"{where} must be a list")
        return None

    def keys(
        self, m: LineMap, where: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> bool:
        """Report unknown and missing keys; True when every required key is present."""
        required, optional = set(required), set(optional)
        ok = True
        for key in m:
            if key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                self.error(m.line_of(key), f"unknown key '{key}' in {where} (allowed: {allowed})")
        for key in sorted(required - set(m)):
            self.error(m.line, f"{where} is missing required key '{key}'")
            ok = False
        return ok

    def identifier(self, value: Any, line: int, where: str) -> str | None:
        if isinstance(value, str) and ID_PATTERN.match(value):
            return value
        self.error(line, f"{where} '{value}' must be a short id: a-z, 0-9 and _ (max 32)")
        return None

    def string(self, m: LineMap, key: str, where: str, max_len: int | None = None) -> str | None:
        value = m.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(m.line_of(key), f"{where}.{key} must be a non-empty string")
            return None
        if max_len is not None and len(value) > max_len:
            self.error(m.line_of(key), f"{where}.{key} is {len(value)} characters (max {max_len})")
        if problem := plain_problem(value):
            self.error(m.line_of(key), f"{where}.{key}: {problem}")
        return value

    def integer(self, m: LineMap, key: str, where: str, low: int, high: int) -> int | None:
        value = m.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(m.line_of(key), f"{where}.{key} must be a whole number from {low} to {high}")
            return None
        return value

    def text(
        self,
        m: LineMap,
        key: str,
        where: str,
        max_len: int,
        max_words: int | None = None,
        *,
        markup: Markup,
    ) -> LocalText | None:
        """A per-locale text: `{en: "...", de: "..."}` with every declared locale present.

        `markup` says how Telegram shows it: every locale's text must parse as Telegram HTML,
        or must be plain text, so a broken tag fails here and never on a parent's screen.
        """
        value = self.mapping(m.get(key), m.line_of(key), f"{where}.{key}")
        if value is None:
            return None
        for locale in value:
            if locale not in self.locales:
                self.error(value.line_of(locale), f"{where}.{key}: unknown locale '{locale}'")
        by_locale: dict[str, str] = {}
        for locale in self.locales:
            text = value.get(locale)
            if text is None:
                self.error(value.line, f"{where}.{key} has no text for locale '{locale}'")
                continue
            line, name = value.line_of(locale), f"{where}.{key}.{locale}"
            if not isinstance(text, str) or not text.strip():
                self.error(line, f"{name} must be non-empty text")
                continue
            by_locale[locale] = text.strip()
            self._check_text(by_locale[locale], line, name, max_len, max_words, markup)
            for problem in plurals.problems(by_locale[locale], locale):
                self.error(line, f"{name}: {problem}")
        self._same_placeholders(by_locale, value, f"{where}.{key}")
        if len(by_locale) != len(self.locales):
            return None
        return LocalText(by_locale, self.default_locale)

    def _check_text(
        self, text: str, line: int, name: str, max_len: int, max_words: int | None, markup: Markup
    ) -> None:
        length = len(plurals.longest_reading(text))
        if length > max_len:
            self.error(line, f"{name} is too long: {length} characters (max {max_len})")
        if max_words is not None and len(text.split()) > max_words:
            self.error(line, f"{name} is too long: {len(text.split())} words (max {max_words})")
        if problem := markup_problem(text, markup):
            self.error(line, f"{name}: {problem}")

    def _same_placeholders(self, by_locale: dict[str, str], value: LineMap, where: str) -> None:
        base = by_locale.get(self.default_locale)
        if base is None:
            return
        expected = placeholders(base)
        for locale, text in by_locale.items():
            if placeholders(text) != expected:
                self.error(
                    value.line_of(locale),
                    f"{where}.{locale} uses placeholders {sorted(placeholders(text))}, "
                    f"but '{self.default_locale}' uses {sorted(expected)}",
                )

    def id_list(self, m: LineMap, key: str, where: str, required: bool = True) -> tuple[str, ...]:
        if key not in m:
            if required:
                self.error(m.line, f"{where} is missing required key '{key}'")
            return ()
        items = self.sequence(m[key], m.line_of(key), f"{where}.{key}")
        if items is None:
            return ()
        out = []
        for index, item in enumerate(items):
            ident = self.identifier(item, items.line_of(index), f"{where}.{key} item")
            if ident is not None:
                out.append(ident)
        if required and not out:
            self.error(m.line_of(key), f"{where}.{key} must list at least one id")
        return tuple(out)

    def refs(
        self,
        ids: Iterable[str],
        known: Iterable[str],
        line: int,
        where: str,
        kind: str,
    ) -> None:
        """Report references to ids that do not exist (dangling references)."""
        known_set = set(known)
        for ident in ids:
            if ident not in known_set:
                self.error(line, f"{where} refers to unknown {kind} '{ident}'")

    def source_refs(self, m: LineMap, where: str, source_ids: set[str]) -> tuple[str, ...]:
        """A required `sources:` list of ids that must exist in sources.yaml."""
        items = self.sequence(m.get("sources"), m.line_of("sources"), f"{where}.sources")
        if items is None:
            return ()
        ids = []
        for index, item in enumerate(items):
            if not isinstance(item, str) or item not in source_ids:
                self.error(
                    items.line_of(index), f"{where}.sources refers to unknown source '{item}'"
                )
            else:
                ids.append(item)
        if not items:
            self.error(m.line_of("sources"), f"{where} must cite at least one source")
        return tuple(ids)
