"""Parse `rules/triage*.yaml` into flows; every problem becomes a `file:line` error.

A flow file holds `flow:`, `questions:` and optionally `outcomes:`; other triage files may hold
shared `outcomes:` and the default answer labels (`answers:`). Outcome ids are global across files,
question ids are local to their flow. Safety checks (`validate.py`) run on each flow that parsed
without errors, so one broken text does not hide every other problem, nor invent new ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from bot.core.rules.checker import Checker
from bot.core.rules.models import LocalText
from bot.core.rules.source import LineList, LineMap
from bot.core.triage.models import Flow, Option, Outcome, Question
from bot.core.triage.structure import fingerprint
from bot.core.triage.validate import question_errors, unused_outcome_errors, validate_flow
from bot.core.triage.vocabulary import (
    AGE_WEEKS,
    ANSWER_VALUES,
    FACTS,
    GROUP_VALUES,
    LEVEL_IDS,
    Level,
)

# Telegram caps a button label at 64 characters and a message at 4096. Questions and help lines
# are kept far shorter: they are read one-handed at night, one idea at a time.
LABEL_MAX = 64
FLOW_TITLE_MAX = 64
INTRO_MAX = 600
QUESTION_MAX = 250
HELP_MAX = 250
OUTCOME_TITLE_MAX = 120
OUTCOME_TEXT_MAX = 800
ITEM_MAX = 300
# The outcome message also carries the shared disclaimer and buttons' context; leave room.
OUTCOME_MESSAGE_MAX = 3500
MAX_OPTIONS = 8
MAX_WEEKS = 1040  # 20 years: a generous upper bound for age ranges

_TAG = re.compile(r"<[^>]*>")
_ALLOWED_TAGS = {"<b>", "</b>", "<i>", "</i>"}
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
# A question is asked positively: a tired parent answering "No" to "did he not ...?" means
# either thing (clinical notes 1.10, second revision).
_NEGATION = re.compile(r"\b(?:not|never|nor|cannot|no longer)\b|n['’]t\b", re.IGNORECASE)
LABEL_VALUES = (*ANSWER_VALUES, *(v for v in GROUP_VALUES if v not in ANSWER_VALUES))
ITEM_TEXT_MAX = 120
# Stands for "no label of its own" until the default from answers: is filled in.
_NO_LABEL = LocalText({"": ""}, "")


@dataclass
class _FlowDraft:
    check: Checker
    root: LineMap
    line: int
    start_line: int
    ident: str | None
    title: LocalText | None
    intro: LocalText | None
    start: str | None
    targets: dict[str, int]
    questions: dict[str, Question] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)
    # (line, where, kind, target) references to check once every file is read
    refs: list[tuple[int, str, str, str]] = field(default_factory=list)
    unlabelled: list[tuple[str, int, str]] = field(default_factory=list)
    broken: bool = False


def parse_triage(files: list[tuple[Checker, Any]], source_ids: set[str]) -> dict[str, Flow]:
    """All triage files of a rules directory -> flows by id; errors go to each file's Checker."""
    outcomes: dict[str, Outcome] = {}
    outcome_files: dict[str, str] = {}
    broken_outcomes: set[str] = set()
    answers: dict[str, LocalText] = {}
    answers_file: str | None = None
    drafts: list[_FlowDraft] = []
    checkers = {check.file: check for check, _ in files}

    for check, data in files:
        before = len(check.errors)
        root = check.mapping(data, 1, "the file")
        if root is None:
            continue
        check.keys(root, "the file", [], ["flow", "questions", "outcomes", "answers"])
        if "answers" in root:
            if answers_file is not None:
                check.error(root.line_of("answers"), f"answers: already defined in {answers_file}")
            else:
                answers_file = check.file
                answers = _answers(check, root)
        if "outcomes" in root:
            for ident, outcome in _outcomes(check, root, source_ids).items():
                if ident in outcome_files:
                    check.error(
                        root["outcomes"].line_of(ident),
                        f"outcome '{ident}' is already defined in {outcome_files[ident]}",
                    )
                    continue
                outcome_files[ident] = check.file
                if outcome is None:
                    broken_outcomes.add(ident)
                else:
                    outcomes[ident] = outcome
        if ("flow" in root) != ("questions" in root):
            check.error(1, "a flow file needs both 'flow:' and 'questions:'")
        elif "flow" in root:
            draft = _flow_draft(check, root)
            draft.broken = len(check.errors) > before
            drafts.append(draft)

    flows: dict[str, Flow] = {}
    declared_outcomes = set(outcome_files)
    for draft in drafts:
        flow = _finish(
            draft, outcomes, declared_outcomes, broken_outcomes, answers, answers_file is not None
        )
        if flow is None:
            continue
        if flow.id in flows:
            draft.check.error(
                draft.line, f"flow '{flow.id}' is already defined in {flows[flow.id].file}"
            )
            continue
        flows[flow.id] = flow
        for error in validate_flow(flow):
            checkers.get(error.file, draft.check).error(error.line, error.message)
    if drafts and all(not d.broken for d in drafts):
        for error in unused_outcome_errors(flows.values(), outcomes.values()):
            checkers[error.file].error(error.line, error.message)
    return flows


def _finish(
    draft: _FlowDraft,
    outcomes: Mapping[str, Outcome],
    declared_outcomes: set[str],
    broken_outcomes: set[str],
    answers: Mapping[str, LocalText],
    answers_declared: bool,
) -> Flow | None:
    check = draft.check
    before = len(check.errors)
    for line, where, kind, target in draft.refs:
        known = draft.declared if kind == "question" else declared_outcomes
        check.refs([target], known, line, where, kind)
    for value, line, where in draft.unlabelled:
        # A broken answers: block has its own errors; don't repeat them at every option.
        if value not in answers and not answers_declared:
            check.error(line, f"{where} has no label, and answers: gives no default for '{value}'")
    if draft.start is not None and draft.start not in draft.declared:
        check.error(draft.start_line, f"flow.start refers to unknown question '{draft.start}'")
    if draft.ident is None or draft.title is None or draft.intro is None or draft.start is None:
        return None
    if draft.broken or len(check.errors) > before:
        return None
    if any(value not in answers for value, _, _ in draft.unlabelled):
        return None
    questions = {ident: _with_default_labels(q, answers) for ident, q in draft.questions.items()}
    used = {o.outcome for q in questions.values() for o in q.options if o.outcome}
    if used & broken_outcomes:
        return None
    flow_outcomes = {ident: outcomes[ident] for ident in sorted(used)}
    return Flow(
        id=draft.ident,
        title=draft.title,
        intro=draft.intro,
        start=draft.start,
        questions=MappingProxyType(questions),
        outcomes=MappingProxyType(flow_outcomes),
        fingerprint=fingerprint(draft.start, questions, flow_outcomes),
        reassure_within=draft.targets.get("reassure_within"),
        danger_signs_by=draft.targets.get("danger_signs_by"),
        file=check.file,
        line=draft.line,
    )


def _with_default_labels(question: Question, answers: Mapping[str, LocalText]) -> Question:
    options = tuple(
        o if o.label is not _NO_LABEL else replace(o, label=answers[str(o.value)])
        for o in question.options
    )
    return replace(question, options=options)


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


def _flow_draft(check: Checker, root: LineMap) -> _FlowDraft:
    head = check.mapping(root["flow"], root.line_of("flow"), "flow")
    ident = title = intro = start = None
    targets: dict[str, int] = {}
    required = ["id", "title", "intro", "start"]
    if head is not None and check.keys(head, "flow", required, ["targets"]):
        ident = check.identifier(head["id"], head.line_of("id"), "flow.id")
        title = _text(check, head, "title", "flow", FLOW_TITLE_MAX, html=False)
        intro = _text(check, head, "intro", "flow", INTRO_MAX)
        start = check.identifier(head["start"], head.line_of("start"), "flow.start")
        if "targets" in head:
            targets = _targets(check, head)
    line = root.line_of("flow")
    start_line = head.line_of("start") if head is not None else line
    draft = _FlowDraft(check, root, line, start_line, ident, title, intro, start, targets)
    questions = check.mapping(root["questions"], root.line_of("questions"), "questions")
    for qid in questions or {}:
        line = questions.line_of(qid)
        if check.identifier(qid, line, "question id") is None:
            continue
        draft.declared.add(qid)
        question = _question(check, draft, qid, questions[qid], line)
        if question is not None:
            draft.questions[qid] = question
            for error in question_errors(question):
                check.error(error.line, error.message)
    if isinstance(root.get("outcomes"), LineMap):
        for ident_ in root["outcomes"]:
            if ident_ in draft.declared:
                check.error(
                    root["outcomes"].line_of(ident_),
                    f"outcome '{ident_}' has the same id as a question; use distinct ids",
                )
    return draft


def _question(check: Checker, draft: _FlowDraft, qid: str, body: Any, line: int) -> Question | None:
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
    help_ = _text(check, m, "help", where, HELP_MAX) if "help" in m else None
    items: tuple[LocalText, ...] = ()
    if grouped:
        items = _text_list(check, m, "items", where, min_items=2, max_len=ITEM_TEXT_MAX)
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
    fact = None if grouped or facts is None else facts[0]
    options = []
    for index, entry in enumerate(entries):
        option = _option(
            check, draft, f"{where} option {index + 1}", fact, grouped, entry, entries, index
        )
        if option is not None:
            options.append(option)
    if facts is None or text is None or ("help" in m and help_ is None):
        return None
    if grouped and len(items) != len(facts):
        check.error(m.line_of("items"), f"{where} lists {len(facts)} facts but {len(items)} items")
        return None
    if len(options) != len(entries):
        return None
    return Question(qid, facts, text, tuple(options), help_, items, check.file, line)


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
    text = _text(check, m, key, where, max_len)
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


def _option(
    check: Checker,
    draft: _FlowDraft,
    where: str,
    fact: str | None,
    grouped: bool,
    item: Any,
    items: LineList,
    index: int,
) -> Option | None:
    line = items.line_of(index)
    m = check.mapping(item, line, where)
    if m is None:
        return None
    before = len(check.errors)
    check.keys(m, where, [], ["value", "min_weeks", "max_weeks", "label", "next", "outcome"])
    value = m.get("value")
    is_range = "min_weeks" in m or "max_weeks" in m
    min_weeks = max_weeks = None
    if is_range:
        if "value" in m:
            check.error(line, f"{where} has both value: and an age range; use one")
        if fact is not None and fact != AGE_WEEKS:
            check.error(line, f"{where}: age ranges are only for fact '{AGE_WEEKS}', not '{fact}'")
        min_weeks = check.integer(m, "min_weeks", where, 0, MAX_WEEKS)
        max_weeks = check.integer(m, "max_weeks", where, 1, MAX_WEEKS)
        if min_weeks is not None and max_weeks is not None and min_weeks >= max_weeks:
            check.error(line, f"{where}: min_weeks must be below max_weeks (max is exclusive)")
        if "label" not in m:
            check.error(line, f"{where}: an age range needs a label")
    elif grouped and value not in GROUP_VALUES:
        check.error(
            m.line_of("value"),
            f"{where}.value must be any, none or unknown in a grouped question (got '{value}')",
        )
    elif not grouped and value not in ANSWER_VALUES:
        check.error(m.line_of("value"), f"{where}.value must be yes, no or unknown (got '{value}')")
    elif fact == AGE_WEEKS and value != "unknown":
        check.error(
            m.line_of("value"),
            f"{where}: '{AGE_WEEKS}' options are age ranges (min_weeks, max_weeks) "
            "or value: unknown",
        )
    label = _text(check, m, "label", where, LABEL_MAX, html=False) if "label" in m else _NO_LABEL
    if ("next" in m) == ("outcome" in m):
        check.error(
            line, f"{where} needs exactly one of next: (a question) or outcome: (an outcome)"
        )
    for key, kind in (("next", "question"), ("outcome", "outcome")):
        if key in m:
            target = check.identifier(m[key], m.line_of(key), f"{where}.{key}")
            if target is not None:
                draft.refs.append((m.line_of(key), f"{where}.{key}", kind, target))
    if len(check.errors) > before or label is None:
        return None
    if label is _NO_LABEL:
        draft.unlabelled.append((str(value), line, where))
    return Option(
        label=label,
        value=None if is_range else value,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
        next=m.get("next"),
        outcome=m.get("outcome"),
        line=line,
    )


def _answers(check: Checker, root: LineMap) -> dict[str, LocalText]:
    m = check.mapping(root["answers"], root.line_of("answers"), "answers")
    if m is None or not check.keys(m, "answers", LABEL_VALUES):
        return {}
    out = {}
    for value in LABEL_VALUES:
        label = _text(check, m, value, "answers", LABEL_MAX, html=False)
        if label is not None:
            out[value] = label
    return out


def _outcomes(check: Checker, root: LineMap, source_ids: set[str]) -> dict[str, Outcome | None]:
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
    level = None
    try:
        level = Level.parse(m["level"])
    except ValueError:
        check.error(
            m.line_of("level"),
            f"{where}.level must be one of {', '.join(LEVEL_IDS)} (got '{m['level']}')",
        )
    title = _text(check, m, "title", where, OUTCOME_TITLE_MAX)
    text = _text(check, m, "text", where, OUTCOME_TEXT_MAX)
    do_now = _text_list(check, m, "do_now", where, min_items=1)
    watch_for = _text_list(
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


def _text_list(
    check: Checker, m: LineMap, key: str, where: str, min_items: int, max_len: int = ITEM_MAX
) -> tuple[LocalText, ...]:
    items = check.sequence(m[key], m.line_of(key), f"{where}.{key}")
    if items is None:
        return ()
    if len(items) < min_items:
        check.error(m.line_of(key), f"{where}.{key} needs at least {min_items} item(s)")
    out = []
    for index, item in enumerate(items):
        # Wrap the item so Checker.text can report `where.key.N` at the item's own line.
        holder = LineMap({str(index + 1): item})
        holder.line = items.line_of(index)
        holder.key_lines = {str(index + 1): items.line_of(index)}
        text = _text(check, holder, str(index + 1), f"{where}.{key}", max_len)
        if text is not None:
            out.append(text)
    return tuple(out)


def _text(
    check: Checker, m: LineMap, key: str, where: str, max_len: int, html: bool = True
) -> LocalText | None:
    """Checker.text plus Telegram HTML rules: only <b> and <i>, and & < > escaped."""
    text = check.text(m, key, where, max_len)
    if text is None:
        return None
    value = m[key]
    ok = True
    for locale in text.locales:
        problem = _markup_problem(text.get(locale), html)
        if problem:
            check.error(value.line_of(locale), f"{where}.{key}.{locale}: {problem}")
            ok = False
    return text if ok else None


def _markup_problem(text: str, html: bool) -> str | None:
    tags = _TAG.findall(text)
    if tags and not html:
        return "no HTML here (this is a button or title)"
    bad = [t for t in tags if t not in _ALLOWED_TAGS]
    if bad:
        return f"only <b> and <i> are allowed, found {bad[0]} (write &lt; for a literal <)"
    for tag in ("b", "i"):
        if text.count(f"<{tag}>") != text.count(f"</{tag}>"):
            return f"unbalanced <{tag}> tags"
    rest = _TAG.sub("", text)
    if ">" in rest:
        return "write &gt; for a literal >"
    if html and "&" in _ENTITY.sub("", rest):
        return "write &amp; for a literal &"
    return None
