"""Parse `rules/triage*.yaml` into flows; every problem becomes a `file:line` error.

A flow file holds `flow:`, `questions:` and optionally `outcomes:`; other triage files may hold
shared `outcomes:` and the default answer labels (`answers:`). Outcome ids are global across files,
question ids are local to their flow. Safety checks (`validate.py`) run on each flow that parsed
without errors, so one broken text does not hide every other problem, nor invent new ones.

The parts: `parse_flow` (the flow header and its questions), `parse_options` (answer options
and the `answers:` labels), `parse_outcomes`, and `parse_texts` (limits and text readers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from bot.core.rules.checker import Checker
from bot.core.rules.models import LocalText
from bot.core.rules.source import LineMap
from bot.core.triage.models import Flow, Outcome, Question
from bot.core.triage.parse_flow import FlowDraft, flow_draft
from bot.core.triage.parse_options import NO_LABEL, parse_answers
from bot.core.triage.parse_outcomes import parse_outcomes
from bot.core.triage.structure import fingerprint
from bot.core.triage.validate import unused_outcome_errors, validate_flow


@dataclass
class _Shared:
    """What the triage files share: outcomes (global ids) and the default answer labels."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    outcome_files: dict[str, str] = field(default_factory=dict)
    broken_outcomes: set[str] = field(default_factory=set)
    answers: dict[str, LocalText] = field(default_factory=dict)
    answers_file: str | None = None


def parse_triage(files: list[tuple[Checker, Any]], source_ids: set[str]) -> dict[str, Flow]:
    """All triage files of a rules directory -> flows by id; errors go to each file's Checker."""
    shared = _Shared()
    drafts: list[FlowDraft] = []
    for check, data in files:
        draft = _read_file(check, data, shared, source_ids)
        if draft is not None:
            drafts.append(draft)
    checkers = {check.file: check for check, _ in files}
    flows: dict[str, Flow] = {}
    for draft in drafts:
        flow = _finish(draft, shared)
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
        for error in unused_outcome_errors(flows.values(), shared.outcomes.values()):
            checkers[error.file].error(error.line, error.message)
    return flows


def _read_file(
    check: Checker, data: Any, shared: _Shared, source_ids: set[str]
) -> FlowDraft | None:
    """One triage file: its answers and outcomes go to `shared`; its flow, if any, is returned."""
    before = len(check.errors)
    root = check.mapping(data, 1, "the file")
    if root is None:
        return None
    check.keys(root, "the file", [], ["flow", "questions", "outcomes", "answers"])
    if "answers" in root:
        if shared.answers_file is not None:
            check.error(
                root.line_of("answers"), f"answers: already defined in {shared.answers_file}"
            )
        else:
            shared.answers_file = check.file
            shared.answers = parse_answers(check, root)
    if "outcomes" in root:
        _add_outcomes(check, root, shared, source_ids)
    if ("flow" in root) != ("questions" in root):
        check.error(1, "a flow file needs both 'flow:' and 'questions:'")
        return None
    if "flow" not in root:
        return None
    draft = flow_draft(check, root)
    draft.broken = len(check.errors) > before
    return draft


def _add_outcomes(check: Checker, root: LineMap, shared: _Shared, source_ids: set[str]) -> None:
    for ident, outcome in parse_outcomes(check, root, source_ids).items():
        if ident in shared.outcome_files:
            check.error(
                root["outcomes"].line_of(ident),
                f"outcome '{ident}' is already defined in {shared.outcome_files[ident]}",
            )
            continue
        shared.outcome_files[ident] = check.file
        if outcome is None:
            shared.broken_outcomes.add(ident)
        else:
            shared.outcomes[ident] = outcome


def _check_references(draft: FlowDraft, shared: _Shared) -> None:
    check = draft.check
    for line, where, kind, target in draft.pending.refs:
        known = draft.declared if kind == "question" else shared.outcome_files
        check.refs([target], known, line, where, kind)
    for value, line, where in draft.pending.unlabelled:
        # A broken answers: block has its own errors; don't repeat them at every option.
        if value not in shared.answers and shared.answers_file is None:
            check.error(line, f"{where} has no label, and answers: gives no default for '{value}'")
    if draft.start is not None and draft.start not in draft.declared:
        check.error(draft.start_line, f"flow.start refers to unknown question '{draft.start}'")


def _finish(draft: FlowDraft, shared: _Shared) -> Flow | None:
    check = draft.check
    before = len(check.errors)
    _check_references(draft, shared)
    if draft.ident is None or draft.title is None or draft.intro is None or draft.start is None:
        return None
    if draft.broken or len(check.errors) > before:
        return None
    if any(value not in shared.answers for value, _, _ in draft.pending.unlabelled):
        return None
    questions = {
        ident: _with_default_labels(q, shared.answers) for ident, q in draft.questions.items()
    }
    used = {o.outcome for q in questions.values() for o in q.options if o.outcome}
    if used & shared.broken_outcomes:
        return None
    flow_outcomes = {ident: shared.outcomes[ident] for ident in sorted(used)}
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
        o if o.label is not NO_LABEL else replace(o, label=answers[str(o.value)])
        for o in question.options
    )
    return replace(question, options=options)
