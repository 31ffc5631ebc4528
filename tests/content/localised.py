"""Every per-locale text in rules/*.yaml, read straight from the files with its file and line.

A text is any mapping that holds a text for the default locale (`{en: "..."}`): UI strings,
explainers, triage questions, items, labels and outcomes, milestone notes, button labels and
replies, emergency-number texts. Reading the files (not the loaded Rules) means a new kind of
text is covered without touching the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.rules.source import LineList, LineMap, load_yaml

NOT_TEXT_FILES = {"locales.yaml", "sources.yaml"}


@dataclass(frozen=True)
class Localised:
    label: str  # e.g. "ui.yaml:42 strings.start.welcome"
    file: str
    line: int
    texts: LineMap  # locale -> text (or a list of keywords)


def _walk(node: Any, path: list[str], file: str) -> Iterator[Localised]:
    if isinstance(node, LineMap):
        if "en" in node:
            where = ".".join(path)
            yield Localised(f"{file}:{node.line} {where}", file, node.line, node)
            return
        for key, value in node.items():
            yield from _walk(value, [*path, key], file)
    elif isinstance(node, LineList):
        for index, value in enumerate(node):
            yield from _walk(value, [*path, str(index + 1)], file)


def localised_entries(rules_dir: Path) -> list[Localised]:
    """Every mapping of locale -> text (or keyword list) in the rules directory."""
    out: list[Localised] = []
    for path in sorted(rules_dir.glob("*.yaml")):
        if path.name in NOT_TEXT_FILES:
            continue
        data, errors = load_yaml(path, path.name)
        assert not errors, errors
        out.extend(_walk(data, [], path.name))
    return out


def texts_of(rules_dir: Path, locale: str) -> dict[str, str]:
    """label -> text in `locale`, for every text (keyword lists and zone lists left out)."""
    return {
        entry.label: entry.texts[locale]
        for entry in localised_entries(rules_dir)
        if isinstance(entry.texts.get(locale), str)
    }
