"""What one path through a flow tells about each fact, for the checks against the rule table.

A path is a parent's taps; the rule table wants an answer per fact. Between the two stand the
grouped questions ("One or more of these" does not say which), the facts a path never asked, and
follow-up questions that narrow a group down. `cases` lists every full set of answers that the
path allows, taking the cautious side wherever the path leaves a choice, so that a flow is
checked against the worst thing a parent on that path could have seen.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from bot.core.triage.models import Option, Question
from bot.core.triage.vocabulary import (
    AGE_WEEKS,
    ANY,
    BENIGN_ANSWER,
    CAUTIOUS_ANSWER,
    NONE,
    UNKNOWN,
)

Case = tuple[dict[str, str], int | None]  # answers by fact, age in weeks (None: not known)


def cases(steps: tuple[tuple[Question, Option], ...], flow_facts: frozenset[str]) -> Iterator[Case]:
    """Every (answers, age) the path allows. A fact the flow asks but this path did not counts
    as its cautious answer; a fact the flow never asks is left out (benign in the rule table)."""
    said: dict[str, str] = {}  # yes / no / unknown, or ANY for "one or more of these"
    any_groups: list[tuple[str, ...]] = []
    narrowed: set[str] = set()  # facts a follow-up asked on their own
    age: Option | None = None
    for question, option in steps:
        if question.fact == AGE_WEEKS:
            age = option
            continue
        for fact in question.facts:
            said[fact] = _update(fact, said.get(fact), _answer(question, option, fact))
        if question.grouped and option.value == ANY:
            any_groups.append(question.facts)
        if not question.grouped:
            narrowed.add(question.fact)
    choices: dict[str, tuple[str, ...]] = {}
    for fact in sorted(flow_facts - {AGE_WEEKS}):
        value = said.get(fact, CAUTIOUS_ANSWER[fact])
        choices[fact] = (CAUTIOUS_ANSWER[fact], BENIGN_ANSWER[fact]) if value == ANY else (value,)
    facts = list(choices)
    for values in itertools.product(*(choices[f] for f in facts)):
        answers = dict(zip(facts, values, strict=True))
        if all(_one_shows(answers, group, narrowed) for group in any_groups):
            for weeks in _ages(age):
                yield answers, weeks


def _answer(question: Question, option: Option, fact: str) -> str:
    """What one tap says about one fact: yes / no / unknown, or ANY."""
    if not question.grouped:
        return str(option.value)
    return {NONE: BENIGN_ANSWER[fact], UNKNOWN: UNKNOWN}.get(str(option.value), ANY)


def _update(fact: str, before: str | None, now: str) -> str:
    """A later tap narrows an earlier one ("which one?"), but a doubt once voiced stays unless
    the later answer is the cautious one: "Not sure" then "No" is still "Not sure"."""
    if before is None:
        return now
    if before == UNKNOWN:
        return now if now == CAUTIOUS_ANSWER[fact] else UNKNOWN
    if before == CAUTIOUS_ANSWER[fact]:
        return before
    return now


def _one_shows(answers: dict[str, str], group: tuple[str, ...], narrowed: set[str]) -> bool:
    """ "One or more of these": at least one sign of the group is there, unless follow-up
    questions asked every sign of it one by one (the parent then told us more precisely)."""
    if all(f in narrowed for f in group):
        return True
    return any(answers[f] == CAUTIOUS_ANSWER[f] for f in group)


def _ages(option: Option | None) -> tuple[int | None, ...]:
    if option is None or option.min_weeks is None or option.max_weeks is None:
        return (None,)
    return (option.min_weeks, option.max_weeks - 1)
