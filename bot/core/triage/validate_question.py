"""Checks of one triage question on its own, reported as `file:line` errors.

Each answer offered once, "Not sure" always offered; a grouped question lists 2 to
`MAX_GROUP_FACTS` distinct facts and offers exactly "One or more" / "None of these" /
"Not sure"; a yes/no question offers both; the age question's ranges run from 0 weeks with no
gap and no overlap. The checks of a whole flow (structure, safety): `validate`.
"""

from __future__ import annotations

from bot.core.rules.errors import RuleError
from bot.core.triage.models import Question
from bot.core.triage.vocabulary import (
    AGE_WEEKS,
    GROUP_VALUES,
    MAX_GROUP_FACTS,
    NO,
    UNKNOWN,
    YES,
)

# A problem found in a question: the line to fix and what is wrong there.
Problem = tuple[int, str]


def question_errors(question: Question) -> list[RuleError]:
    """Checks of one question on its own: one option per answer, "Not sure", age ranges."""
    offered, problems = _offered_answers(question)
    if UNKNOWN not in offered:
        problems.append((question.line, "offers no 'Not sure' option (value: unknown)"))
    if question.grouped:
        problems += _group_problems(question, offered)
    elif question.fact != AGE_WEEKS:
        problems += [
            (question.line, f"offers no '{value}' option")
            for value in (YES, NO)
            if value not in offered
        ]
    else:
        problems += _age_range_problems(question)
    return [
        RuleError(question.file, line, f"question {question.id}: {message}")
        for line, message in problems
    ]


def _offered_answers(question: Question) -> tuple[set[str], list[Problem]]:
    """The answer values the options offer, and each one offered twice."""
    offered: set[str] = set()
    problems: list[Problem] = []
    for option in question.options:
        if option.value is None:
            continue
        if option.value in offered:
            problems.append((option.line, f"offers '{option.value}' twice"))
        offered.add(option.value)
    return offered, problems


def _group_problems(question: Question, offered: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    if len(question.facts) != len(set(question.facts)):
        problems.append((question.line, "lists a fact twice in facts:"))
    if not 2 <= len(question.facts) <= MAX_GROUP_FACTS:
        problems.append((question.line, f"a grouped question lists 2 to {MAX_GROUP_FACTS} facts"))
    if AGE_WEEKS in question.facts:
        problems.append((question.line, f"'{AGE_WEEKS}' cannot be part of a grouped question"))
    if offered != set(GROUP_VALUES) or len(question.options) != len(GROUP_VALUES):
        problems.append((question.line, "a grouped question offers exactly any, none and unknown"))
    return problems


def _age_range_problems(question: Question) -> list[Problem]:
    """Ranges youngest first, each starting where the one before ends; the first one at 0
    weeks (a first range that starts later leaves a gap from 0)."""
    ranges = [o for o in question.options if o.value is None]
    problems: list[Problem] = []
    if not ranges:
        problems.append((question.line, "asks the age but offers no age range"))
    expected = 0
    for option in ranges:
        assert option.min_weeks is not None and option.max_weeks is not None
        if option.min_weeks < expected:
            problems.append(
                (
                    option.line,
                    f"age range {option.min_weeks}-{option.max_weeks} weeks overlaps the range "
                    "before (list ranges youngest first; max_weeks is exclusive)",
                )
            )
        elif option.min_weeks > expected:
            problems.append(
                (option.line, f"age ranges leave a gap from {expected} to {option.min_weeks} weeks")
            )
        expected = max(expected, option.max_weeks)
    return problems
