"""Structure and safety checks of a parsed flow, reported as `file:line` errors.

Structure: no cycles, every question reachable. (Each question on its own, checked while
parsing by `validate_question`: "Not sure" offered, grouped questions offer exactly "One or
more" / "None of these" / "Not sure", age ranges contiguous from 0.) Safety, by enumerating
every path (docs/triage.md explains each rule):

1. Danger signs first: until every emergency red flag (E1-E3) is answered, only the E0
   questions may be asked (is it happening now, and then the live waking test); a path may end
   before all of them are answered only in an emergency outcome.
2. Every path ends at least as high as the rule table (rule_table.py) says for the worst thing a
   parent on that path could have seen: facts the path did not ask count as their cautious
   answer, and "One or more of these" as any one of the signs. This covers E0-E5, EU, every U
   and S rule, and "reassure only when every sign was ruled out".
3. "Not sure" is at least as cautious as the cautious answer: it leads to the same node, or
   every outcome it can reach is at least as high as any outcome the cautious answer can reach.
4. A fact is asked once per path, except as a follow-up to a grouped question answered "One or
   more" or "Not sure" (the follow-up says which sign it was).
5. The flow's targets, if it sets them: the most questions on a path to reassure, and the
   question by which every danger sign has been asked (the live waking test not counted).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.rules.errors import RuleError
from bot.core.triage.knowledge import cases
from bot.core.triage.measures import danger_signs_asked_by, is_live_test
from bot.core.triage.models import Flow, Option, Outcome, Question
from bot.core.triage.paths import Path, enumerate_paths
from bot.core.triage.rule_table import Rule, disposition
from bot.core.triage.structure import levels_from
from bot.core.triage.vocabulary import (
    AGE_WEEKS,
    ANY,
    CAUTIOUS_ANSWER,
    EMERGENCY_FLAGS,
    HAPPENING_NOW,
    NONE,
    STOPS_WHEN_WOKEN,
    UNKNOWN,
    Level,
)


def validate_flow(flow: Flow) -> list[RuleError]:
    """Every structural and safety problem of one flow (stops after structure if it has a cycle)."""
    errors = _unreachable(flow)
    cycle = _cycle(flow)
    if cycle:
        return [*errors, *cycle]
    errors += _not_sure_is_cautious(flow)
    errors += _path_properties(flow)
    # One error per place and message: many paths share the same mistake.
    return sorted(set(errors))


def unused_outcome_errors(flows: Iterable[Flow], outcomes: Iterable[Outcome]) -> list[RuleError]:
    """Outcomes that no flow can reach (probably a typo in an `outcome:` reference)."""
    used = {ident for flow in flows for ident in flow.outcomes}
    return [
        RuleError(o.file, o.line, f"outcome {o.id} is not used by any flow")
        for o in outcomes
        if o.id not in used
    ]


def _unreachable(flow: Flow) -> list[RuleError]:
    seen: set[str] = set()
    stack = [flow.start]
    while stack:
        ident = stack.pop()
        if ident in seen or ident not in flow.questions:
            continue
        seen.add(ident)
        stack.extend(o.next for o in flow.questions[ident].options if o.next)
    return [
        RuleError(
            q.file, q.line, f"question {q.id} cannot be reached from flow.start '{flow.start}'"
        )
        for q in flow.questions.values()
        if q.id not in seen
    ]


def _cycle(flow: Flow) -> list[RuleError]:
    """Report each option that leads back to a question already on the current path."""
    errors: list[RuleError] = []
    done: set[str] = set()

    def visit(ident: str, trail: list[str]) -> None:
        question = flow.questions[ident]
        for option in question.options:
            target = option.next
            if target is None or target not in flow.questions:
                continue
            if target in trail:
                loop = " -> ".join([*trail[trail.index(target) :], target])
                errors.append(RuleError(question.file, option.line, f"cycle: {loop}"))
            elif target not in done:
                visit(target, [*trail, target])
        done.add(ident)

    for ident in flow.questions:
        if ident not in done:
            visit(ident, [ident])
    return errors


def _cautious_option(question: Question, flow: Flow) -> Option | None:
    """The answer "not sure" must match: the red-flag answer, or the most cautious age range."""
    if question.grouped:
        return question.option(ANY)
    if question.fact != AGE_WEEKS:
        return question.option(CAUTIOUS_ANSWER[question.fact])
    ranges = [o for o in question.options if o.value is None]
    if not ranges:
        return None
    # Highest reachable level first; among equals, the youngest range (the list is youngest first).
    return max(ranges, key=lambda o: max(levels_from(flow, o.target), default=Level.REASSURE))


def _not_sure_is_cautious(flow: Flow) -> list[RuleError]:
    errors = []
    for question in flow.questions.values():
        unsure = question.option(UNKNOWN)
        if unsure is None:
            continue
        if question.grouped or set(question.facts) & EMERGENCY_FLAGS:
            # Checked path by path against the rule table: "not sure" on a group of signs, or on
            # a danger sign (rule EU), has its own chain of questions.
            continue
        cautious = _cautious_option(question, flow)
        if cautious is None or unsure.target == cautious.target:
            continue
        unsure_levels = levels_from(flow, unsure.target)
        cautious_levels = levels_from(flow, cautious.target)
        if min(unsure_levels) < max(cautious_levels):
            answer = cautious.value or f"{cautious.min_weeks}-{cautious.max_weeks} weeks"
            errors.append(
                RuleError(
                    question.file,
                    unsure.line,
                    f"question {question.id}: 'Not sure' leads to '{unsure.target}', which can end "
                    f"in {min(unsure_levels).id}; it must be at least as cautious as the answer "
                    f"'{answer}' (-> '{cautious.target}', up to {max(cautious_levels).id}): "
                    "point both at the same node",
                )
            )
    return errors


def describe(path: Path) -> str:
    """A path as `question=answer, ...` (for error messages and the tests' failure output)."""
    steps = [f"{q.id}={o.value or f'{o.min_weeks}-{o.max_weeks}w'}" for q, o in path.steps]
    return ", ".join(steps)


def flow_facts(flow: Flow) -> frozenset[str]:
    return frozenset(f for q in flow.questions.values() for f in q.facts)


def jerks_seen(flow: Flow) -> bool:
    """The twitching flow asks the waking test; with jerks, lost skills are urgent (U3)."""
    return STOPS_WHEN_WOKEN in flow_facts(flow)


def required_rule(flow: Flow, path: Path) -> Rule:
    """The most cautious rule that any parent on this path could fall under."""
    facts = flow_facts(flow)
    seen = jerks_seen(flow)
    return max(
        (disposition(answers, age, jerks_seen=seen) for answers, age in cases(path.steps, facts)),
        key=lambda rule: rule.level,
        default=disposition({}, None, jerks_seen=seen),
    )


def _path_properties(flow: Flow) -> list[RuleError]:
    errors: list[RuleError] = []
    try:
        paths = list(enumerate_paths(flow))
    except ValueError as exc:  # a cycle (CycleError) or too many paths
        return [RuleError(flow.file, flow.line, f"flow {flow.id}: {exc}")]
    for path in paths:
        errors += _order_errors(path)
        errors += _level_errors(flow, path)
        errors += _target_errors(flow, path)
    return errors


def _order_errors(path: Path) -> list[RuleError]:
    errors: list[RuleError] = []
    where = f"path {describe(path)} -> {path.outcome.id} ({path.outcome.level.id})"
    asked: set[str] = set()
    danger: set[str] = set()  # the emergency red flags answered so far
    open_groups: set[str] = set()  # facts of a group answered "any" or "not sure"
    for index, (question, option) in enumerate(path.steps):
        e0 = question.fact == HAPPENING_NOW or is_live_test(path, index)
        if not e0 and not set(question.facts) <= EMERGENCY_FLAGS and danger < EMERGENCY_FLAGS:
            missing = ", ".join(sorted(EMERGENCY_FLAGS - danger))
            errors.append(
                RuleError(
                    question.file,
                    question.line,
                    f"question {question.id} is asked before every emergency red flag "
                    f"({missing}) is answered",
                )
            )
        for fact in question.facts:
            if fact in asked and fact not in open_groups:
                errors.append(
                    RuleError(question.file, question.line, f"{where}: asks {fact} twice")
                )
            open_groups.discard(fact)
        asked |= set(question.facts)
        danger |= set(question.facts) & EMERGENCY_FLAGS
        if question.grouped and option.value != NONE:
            open_groups |= set(question.facts)
    if danger < EMERGENCY_FLAGS and path.outcome.level is not Level.EMERGENCY:
        question, option = path.steps[-1]
        errors.append(
            RuleError(
                question.file,
                option.line,
                f"{where}: ends without asking {', '.join(sorted(EMERGENCY_FLAGS - danger))}; "
                "only an emergency may end before every emergency red flag is asked",
            )
        )
    return errors


def _level_errors(flow: Flow, path: Path) -> list[RuleError]:
    rule = required_rule(flow, path)
    if path.outcome.level >= rule.level:
        return []
    question, option = path.steps[-1]
    return [
        RuleError(
            question.file,
            option.line,
            f"path {describe(path)} -> {path.outcome.id} ({path.outcome.level.id}): rule "
            f"{rule.id} of the clinical table needs {rule.level.id} here",
        )
    ]


def _target_errors(flow: Flow, path: Path) -> list[RuleError]:
    errors = []
    where = f"flow {flow.id}: path {describe(path)}"
    count = len(path.steps)
    if (
        flow.reassure_within is not None
        and path.outcome.level is Level.REASSURE
        and count > flow.reassure_within
    ):
        errors.append(
            RuleError(
                flow.file,
                flow.line,
                f"{where} asks {count} questions to reach reassure "
                f"(targets.reassure_within is {flow.reassure_within})",
            )
        )
    by = danger_signs_asked_by(path)
    if flow.danger_signs_by is not None and by is not None and by > flow.danger_signs_by:
        errors.append(
            RuleError(
                flow.file,
                flow.line,
                f"{where} has asked every danger sign only by question {by} "
                f"(targets.danger_signs_by is {flow.danger_signs_by})",
            )
        )
    return errors
