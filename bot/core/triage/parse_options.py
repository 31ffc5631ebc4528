"""Parse the answer options of a triage question, and the default answer labels (`answers:`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.rules.checker import Checker
from bot.core.rules.models import LocalText
from bot.core.rules.source import LineList, LineMap
from bot.core.triage.models import Option
from bot.core.triage.parse_texts import LABEL_MAX, MAX_WEEKS, plain_text
from bot.core.triage.vocabulary import AGE_WEEKS, ANSWER_VALUES, GROUP_VALUES

LABEL_VALUES = (*ANSWER_VALUES, *(v for v in GROUP_VALUES if v not in ANSWER_VALUES))
# Stands for "no label of its own" until the default from answers: is filled in.
NO_LABEL = LocalText({"": ""}, "")


@dataclass
class Pending:
    """What the options of one flow leave to check once every file is read."""

    # (line, where, kind, target): a `next:` question or an `outcome:`
    refs: list[tuple[int, str, str, str]] = field(default_factory=list)
    # (value, line, where): options that take their label from answers:
    unlabelled: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class OptionContext:
    """The question an option belongs to."""

    where: str
    fact: str | None
    grouped: bool


def parse_option(
    check: Checker, pending: Pending, question: OptionContext, items: LineList, index: int
) -> Option | None:
    where = f"{question.where} option {index + 1}"
    line = items.line_of(index)
    m = check.mapping(items[index], line, where)
    if m is None:
        return None
    before = len(check.errors)
    check.keys(m, where, [], ["value", "min_weeks", "max_weeks", "label", "next", "outcome"])
    is_range = "min_weeks" in m or "max_weeks" in m
    min_weeks = max_weeks = None
    if is_range:
        min_weeks, max_weeks = _age_range(check, m, where, line, question.fact)
    else:
        _check_value(check, m, where, question)
    label = plain_text(check, m, "label", where, LABEL_MAX) if "label" in m else NO_LABEL
    _targets(check, pending, m, where, line)
    if len(check.errors) > before or label is None:
        return None
    value = m.get("value")
    if label is NO_LABEL:
        pending.unlabelled.append((str(value), line, where))
    return Option(
        label=label,
        value=None if is_range else value,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
        next=m.get("next"),
        outcome=m.get("outcome"),
        line=line,
    )


def _age_range(
    check: Checker, m: LineMap, where: str, line: int, fact: str | None
) -> tuple[int | None, int | None]:
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
    return min_weeks, max_weeks


def _check_value(check: Checker, m: LineMap, where: str, question: OptionContext) -> None:
    value = m.get("value")
    if question.grouped and value not in GROUP_VALUES:
        check.error(
            m.line_of("value"),
            f"{where}.value must be any, none or unknown in a grouped question (got '{value}')",
        )
    elif not question.grouped and value not in ANSWER_VALUES:
        check.error(m.line_of("value"), f"{where}.value must be yes, no or unknown (got '{value}')")
    elif question.fact == AGE_WEEKS and value != "unknown":
        check.error(
            m.line_of("value"),
            f"{where}: '{AGE_WEEKS}' options are age ranges (min_weeks, max_weeks) "
            "or value: unknown",
        )


def _targets(check: Checker, pending: Pending, m: LineMap, where: str, line: int) -> None:
    if ("next" in m) == ("outcome" in m):
        check.error(
            line, f"{where} needs exactly one of next: (a question) or outcome: (an outcome)"
        )
    for key, kind in (("next", "question"), ("outcome", "outcome")):
        if key in m:
            target = check.identifier(m[key], m.line_of(key), f"{where}.{key}")
            if target is not None:
                pending.refs.append((m.line_of(key), f"{where}.{key}", kind, target))


def parse_answers(check: Checker, root: LineMap) -> dict[str, LocalText]:
    """`answers:`: the default button label of each answer value."""
    m = check.mapping(root["answers"], root.line_of("answers"), "answers")
    if m is None or not check.keys(m, "answers", LABEL_VALUES):
        return {}
    out = {}
    for value in LABEL_VALUES:
        label = plain_text(check, m, value, "answers", LABEL_MAX)
        if label is not None:
            out[value] = label
    return out
