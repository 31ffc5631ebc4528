"""Parse one flow file's `flow:` header and its `questions:` into a draft, checked later."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.core.rules.checker import Checker
from bot.core.rules.models import LocalText
from bot.core.rules.source import LineMap
from bot.core.triage.models import Question
from bot.core.triage.parse_options import OptionContext, Pending, parse_option
from bot.core.triage.parse_texts import (
    FLOW_TITLE_MAX,
    HELP_MAX,
    INTRO_MAX,
    ITEM_TEXT_MAX,
    MAX_OPTIONS,
    QUESTION_MAX,
    html_text,
    plain_text,
    text_list,
)
from bot.core.triage.validate_question import question_errors
from bot.core.triage.vocabulary import FACTS

# A question is asked positively: a tired parent answering "No" to "did he not ...?" means
# either thing (clinical notes 1.10, second revision).
_NEGATION = re.compile(r"\b(?:not|never|nor|cannot|no longer)\b|n['’]t\b", re.IGNORECASE)


@dataclass
class FlowDraft:
    """A flow as read from its file; references across files are checked once all are read."""

    check: Checker
    line: int
    start_line: int
    ident: str | None
    title: LocalText | None
    intro: LocalText | None
    start: str | None
    targets: dict[str, int]
    questions: dict[str, Question] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)
    pending: Pending = field(default_factory=Pending)
    broken: bool = False


def flow_draft(check: Checker, root: LineMap) -> FlowDraft:
    draft = _header(check, root)
    questions = check.mapping(root["questions"], root.line_of("questions"), "questions")
    for qid in questions or {}:
        line = questions.line_of(qid)
        if check.identifier(qid, line, "question id") is None:
            continue
        draft.declared.add(qid)
        question = _question(check, draft.pending, qid, questions[qid], line)
        if question is not None:
            draft.questions[qid] = question
            for error in question_errors(question):
                check.error(error.line, error.message)
    if isinstance(root.get("outcomes"), LineMap):
        for ident in root["outcomes"]:
            if ident in draft.declared:
                check.error(
                    root["outcomes"].line_of(ident),
                    f"outcome '{ident}' has the same id as a question; use distinct ids",
                )
    return draft


def _header(check: Checker, root: LineMap) -> FlowDraft:
    head = check.mapping(root["flow"], root.line_of("flow"), "flow")
    ident = title = intro = start = None
    targets: dict[str, int] = {}
    required = ["id", "title", "intro", "start"]
    if head is not None and check.keys(head, "flow", required, ["targets"]):
        ident = check.identifier(head["id"], head.line_of("id"), "flow.id")
        title = plain_text(check, head, "title", "flow", FLOW_TITLE_MAX)
        intro = html_text(check, head, "intro", "flow", INTRO_MAX)
        start = check.identifier(head["start"], head.line_of("start"), "flow.start")
        if "targets" in head:
            targets = _targets(check, head)
    line = root.line_of("flow")
    start_line = head.line_of("start") if head is not None else line
    return FlowDraft(check, line, start_line, ident, title, intro, start, targets)


def _targets(check: Checker, head: LineMap) -> dict[str, int]:
    m = check.mapping(head["targets"], head.line_of("targets"), "flow.targets")
    keys = ["reassure_within", "danger_signs_by"]
    if m is None or not check.keys(m, "flow.targets", [], keys):
        return {}
    out = {}
    for key in keys:
        if key in m:
            value = check.integer(m, key, "flow.targets", 1, 50)
            if value is not None:
                out[key] = value
    return out


def _question(check: Checker, pending: Pending, qid: str, body: Any, line: int) -> Question | None:
    where = f"question {qid}"
    m = check.mapping(body, line, where)
    if m is None:
        return None
    grouped = "facts" in m
    required = ["facts", "items", "text", "options"] if grouped else ["fact", "text", "options"]
    if not check.keys(m, where, required, ["help"]):
        return None
    facts = _facts(check, m, where, grouped)
    text = _question_text(check, m, "text", where, QUESTION_MAX)
    help_ = html_text(check, m, "help", where, HELP_MAX) if "help" in m else None
    items: tuple[LocalText, ...] = ()
    if grouped:
        items = text_list(check, m, "items", where, min_items=2, max_len=ITEM_TEXT_MAX)
    for item in items:
        _negation(check, item, m.line_of("items"), f"{where}.items")
    entries = check.sequence(m["options"], m.line_of("options"), f"{where}.options")
    if entries is None:
        return None
    if not entries:
        check.error(m.line_of("options"), f"{where} offers no options")
    if len(entries) > MAX_OPTIONS:
        check.error(
            m.line_of("options"), f"{where} offers {len(entries)} options (max {MAX_OPTIONS})"
        )
    context = OptionContext(where, None if grouped or facts is None else facts[0], grouped)
    options = [parse_option(check, pending, context, entries, i) for i in range(len(entries))]
    if facts is None or text is None or ("help" in m and help_ is None):
        return None
    if grouped and len(items) != len(facts):
        check.error(m.line_of("items"), f"{where} lists {len(facts)} facts but {len(items)} items")
        return None
    if any(option is None for option in options):
        return None
    return Question(
        qid, facts, text, tuple(o for o in options if o), help_, items, check.file, line
    )


def _facts(check: Checker, m: LineMap, where: str, grouped: bool) -> tuple[str, ...] | None:
    known = ", ".join(sorted(FACTS))
    if not grouped:
        fact = m["fact"]
        if not isinstance(fact, str) or fact not in FACTS:
            check.error(m.line_of("fact"), f"{where}: unknown fact '{fact}' (known: {known})")
            return None
        return (fact,)
    entries = check.sequence(m["facts"], m.line_of("facts"), f"{where}.facts")
    if entries is None:
        return None
    facts = []
    for index, fact in enumerate(entries):
        if not isinstance(fact, str) or fact not in FACTS:
            check.error(entries.line_of(index), f"{where}: unknown fact '{fact}' (known: {known})")
            return None
        facts.append(fact)
    return tuple(facts)


def _question_text(
    check: Checker, m: LineMap, key: str, where: str, max_len: int
) -> LocalText | None:
    text = html_text(check, m, key, where, max_len)
    if text is not None and not _negation(check, text, m.line_of(key), f"{where}.{key}"):
        return None
    return text


def _negation(check: Checker, text: LocalText, line: int, where: str) -> bool:
    """Report a negated question (file:line); True when the text asks positively."""
    ok = True
    for locale in text.locales:
        found = _NEGATION.search(text.get(locale))
        if found:
            check.error(
                line,
                f"{where}.{locale}: ask positively, one idea at a time: '{found.group(0)}' makes "
                "a Yes or No answer read both ways (say what you ask about, and let the "
                "buttons restate the answer)",
            )
            ok = False
    return ok
