"""Parse the `outcomes:` of a triage file: what the parent is told at the end of a flow."""

from __future__ import annotations

from typing import Any

from bot.core.rules.checker import Checker
from bot.core.rules.source import LineMap
from bot.core.triage.models import Outcome
from bot.core.triage.parse_texts import (
    OUTCOME_MESSAGE_MAX,
    OUTCOME_TEXT_MAX,
    OUTCOME_TITLE_MAX,
    html_text,
    text_list,
)
from bot.core.triage.vocabulary import LEVEL_IDS, Level


def parse_outcomes(
    check: Checker, root: LineMap, source_ids: set[str]
) -> dict[str, Outcome | None]:
    """Outcomes of one file; a declared but invalid outcome maps to None."""
    m = check.mapping(root["outcomes"], root.line_of("outcomes"), "outcomes")
    out: dict[str, Outcome | None] = {}
    for ident in m or {}:
        line = m.line_of(ident)
        if check.identifier(ident, line, "outcome id") is None:
            continue
        out[ident] = _outcome(check, ident, m[ident], line, source_ids)
    return out


def _outcome(
    check: Checker, ident: str, body: Any, line: int, source_ids: set[str]
) -> Outcome | None:
    where = f"outcome {ident}"
    m = check.mapping(body, line, where)
    required = ["level", "title", "text", "do_now", "watch_for", "sources"]
    if m is None or not check.keys(m, where, required):
        return None
    before = len(check.errors)
    level = _level(check, m, where)
    title = html_text(check, m, "title", where, OUTCOME_TITLE_MAX)
    text = html_text(check, m, "text", where, OUTCOME_TEXT_MAX)
    do_now = text_list(check, m, "do_now", where, min_items=1)
    watch_for = text_list(
        check, m, "watch_for", where, min_items=1 if level is Level.REASSURE else 0
    )
    sources = check.source_refs(m, where, source_ids)
    if len(check.errors) > before or level is None or title is None or text is None:
        return None
    for locale in check.locales:
        parts = [title, text, *do_now, *watch_for]
        total = sum(len(p.get(locale)) + 4 for p in parts)
        if total > OUTCOME_MESSAGE_MAX:
            check.error(
                line, f"{where} is {total} characters in '{locale}' (max {OUTCOME_MESSAGE_MAX})"
            )
            return None
    return Outcome(ident, level, title, text, do_now, watch_for, sources, check.file, line)


def _level(check: Checker, m: LineMap, where: str) -> Level | None:
    try:
        return Level.parse(m["level"])
    except ValueError:
        check.error(
            m.line_of("level"),
            f"{where}.level must be one of {', '.join(LEVEL_IDS)} (got '{m['level']}')",
        )
        return None
