"""Structure and safety checks of a parsed flow, reported as `file:line` errors.

Structure: no cycles, every question reachable, each question offers "Not sure", age ranges
contiguous from 0. Safety, by enumerating every path (docs/triage.md explains each rule):

1. Red flags first: no other question is asked before all emergency red flags are answered, and a
   path may end before all of them are answered only in an emergency outcome.
2. An emergency red flag answered "yes" ends in emergency.
3. An emergency red flag answered "not sure" ends in urgent or emergency.
4. Reassure only when every yes/no fact the flow asks was answered with its benign answer
   (clinical notes 1.2); a fact defined as "no" below an age may be skipped for that age.
5. "Not sure" is at least as cautious as the cautious answer: it leads to the same node, or
   every outcome it can reach is at least as high as any outcome the cautious answer can reach.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.rules.errors import RuleError
from bot.core.triage.models import Flow, Option, Outcome, Question
from bot.core.triage.paths import Path, enumerate_paths
from bot.core.triage.structure import levels_from
from bot.core.triage.vocabulary import (
    AGE_WEEKS,
    BENIGN_ANSWER,
    CAUTIOUS_ANSWER,
    EMERGENCY_FLAGS,
    NO,
    NO_BELOW_WEEKS,
    UNKNOWN,
    YES,
    Level,
)


def question_errors(question: Question) -> list[RuleError]:
    """Checks of one question on its own: one option per answer, "Not sure", age ranges."""
    errors: list[RuleError] = []

    def error(line: int, message: str) -> None:
        errors.append(RuleError(question.file, line, f"question {question.id}: {message}"))

    seen: dict[str, Option] = {}
    for option in question.options:
        if option.value is None:
            continue
        if option.value in seen:
            error(option.line, f"offers '{option.value}' twice")
        seen[option.value] = option
    if UNKNOWN not in seen:
        error(question.line, "offers no 'Not sure' option (value: unknown)")
    if question.fact != AGE_WEEKS:
        for value in (YES, NO):
            if value not in seen:
                error(question.line, f"offers no '{value}' option")
        return errors
    ranges = [o for o in question.options if o.value is None]
    if not ranges:
        error(question.line, "asks the age but offers no age range")
    expected = 0
    for option in ranges:
        assert option.min_weeks is not None and option.max_weeks is not None
        if option.min_weeks < expected:
            error(
                option.line,
                f"age range {option.min_weeks}-{option.max_weeks} weeks overlaps the range before "
                "(list ranges youngest first; max_weeks is exclusive)",
            )
        elif option.min_weeks > expected:
            error(
                option.line, f"age ranges leave a gap from {expected} to {option.min_weeks} weeks"
            )
        expected = max(expected, option.max_weeks)
    if ranges and ranges[0].min_weeks != 0 and not errors:
        error(ranges[0].line, "the first age range must start at 0 weeks")
    return errors


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
        if question.fact in EMERGENCY_FLAGS:
            # Checked path by path below; "not sure" there has its own chain of questions.
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


def _describe(path: Path) -> str:
    steps = [f"{q.id}={o.value or f'{o.min_weeks}-{o.max_weeks}w'}" for q, o in path.steps]
    return ", ".join(steps)


def _path_properties(flow: Flow) -> list[RuleError]:
    errors: list[RuleError] = []
    asked_facts = {q.fact for q in flow.questions.values()}
    try:
        paths = list(enumerate_paths(flow))
    except ValueError as exc:  # a cycle (CycleError) or too many paths
        return [RuleError(flow.file, flow.line, f"flow {flow.id}: {exc}")]
    for path in paths:
        outcome = path.outcome
        where = f"path {_describe(path)} -> {outcome.id} ({outcome.level.id})"
        answered: dict[str, Option] = {}
        for question, option in path.steps:
            if question.fact in answered:
                errors.append(
                    RuleError(question.file, question.line, f"{where}: asks {question.fact} twice")
                )
            if question.fact not in EMERGENCY_FLAGS and not set(answered) >= EMERGENCY_FLAGS:
                errors.append(
                    RuleError(
                        question.file,
                        question.line,
                        f"question {question.id} is asked before every emergency red flag "
                        f"({', '.join(sorted(EMERGENCY_FLAGS - set(answered)))}) is answered",
                    )
                )
            answered[question.fact] = option
        last_question, last_option = path.steps[-1]
        missing_flags = EMERGENCY_FLAGS - set(answered)
        if missing_flags and outcome.level is not Level.EMERGENCY:
            errors.append(
                RuleError(
                    last_question.file,
                    last_option.line,
                    f"{where}: ends without asking {', '.join(sorted(missing_flags))}; "
                    "only an emergency may end before every emergency red flag is asked",
                )
            )
        for question, option in path.steps:
            if question.fact not in EMERGENCY_FLAGS:
                continue
            if option.value == YES and outcome.level is not Level.EMERGENCY:
                errors.append(
                    RuleError(
                        question.file,
                        option.line,
                        f"{where}: emergency red flag {question.fact} answered yes must end "
                        "in emergency",
                    )
                )
            if option.value == UNKNOWN and outcome.level < Level.URGENT:
                errors.append(
                    RuleError(
                        question.file,
                        option.line,
                        f"{where}: 'Not sure' on emergency red flag {question.fact} must end in "
                        "urgent or emergency",
                    )
                )
        if outcome.level is Level.REASSURE:
            errors += _reassure_errors(path, answered, asked_facts, where)
    return errors


def _reassure_errors(
    path: Path, answered: dict[str, Option], asked_facts: set[str], where: str
) -> list[RuleError]:
    """Reassure needs the benign answer to every yes/no fact the flow asks (clinical notes 1.2)."""
    age = answered.get(AGE_WEEKS)
    problems = []
    for fact in sorted(asked_facts - {AGE_WEEKS}):
        option = answered.get(fact)
        benign = BENIGN_ANSWER[fact]
        if option is not None and option.value == benign:
            continue
        below = NO_BELOW_WEEKS.get(fact)
        if (
            option is None
            and below is not None
            and age is not None
            and age.max_weeks is not None
            and age.max_weeks <= below
        ):
            continue
        got = "not asked" if option is None else f"answered {option.value}"
        problems.append(f"{fact} {got} (needs {benign})")
    if not problems:
        return []
    question, option = path.steps[-1]
    return [
        RuleError(
            question.file,
            option.line,
            f"{where}: reassure only when every sign was ruled out, but {'; '.join(problems)}",
        )
    ]
