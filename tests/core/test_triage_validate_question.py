"""The checks of one triage question on its own (bot/core/triage/validate_question.py).

The file-editing tests in test_triage_validation.py cover the messages a rules editor meets
most; these build a `Question` directly for the rest.
"""

from __future__ import annotations

from bot.core.rules.models import LocalText
from bot.core.triage.models import Option, Question
from bot.core.triage.validate_question import question_errors
from bot.core.triage.vocabulary import AGE_WEEKS, ANY, NO, NONE, UNKNOWN, YES

LABEL = LocalText({"en": "x"}, "en")


def option(value: str | None, line: int, weeks: tuple[int, int] | None = None) -> Option:
    low, high = weeks if weeks else (None, None)
    return Option(LABEL, value, low, high, outcome="done", line=line)


def question(facts: tuple[str, ...], *options: Option, grouped: bool = False) -> Question:
    items = tuple(LABEL for _ in facts) if grouped else ()
    return Question("q", facts, LABEL, options, items=items, file="f.yaml", line=1)


def messages(q: Question) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in question_errors(q)]


def test_a_yes_no_question_with_every_answer_has_no_errors() -> None:
    assert messages(question(("fever",), option(YES, 2), option(NO, 3), option(UNKNOWN, 4))) == []


def test_an_answer_offered_twice_and_missing_answers() -> None:
    assert messages(question(("fever",), option(YES, 2), option(YES, 3))) == [
        (3, "question q: offers 'yes' twice"),
        (1, "question q: offers no 'Not sure' option (value: unknown)"),
        (1, "question q: offers no 'no' option"),
    ]


def test_a_grouped_question_lists_distinct_facts_without_the_age() -> None:
    q = question((AGE_WEEKS, AGE_WEEKS), option(ANY, 2), option(NONE, 3), grouped=True)
    assert messages(q) == [
        (1, "question q: offers no 'Not sure' option (value: unknown)"),
        (1, "question q: lists a fact twice in facts:"),
        (1, f"question q: '{AGE_WEEKS}' cannot be part of a grouped question"),
        (1, "question q: a grouped question offers exactly any, none and unknown"),
    ]


def test_age_ranges_run_from_zero_without_gap_or_overlap() -> None:
    whole = (option(None, 2, (0, 8)), option(None, 3, (8, 52)), option(UNKNOWN, 4))
    assert messages(question((AGE_WEEKS,), *whole)) == []
    late = (option(None, 2, (4, 8)), option(None, 3, (6, 52)), option(UNKNOWN, 4))
    assert messages(question((AGE_WEEKS,), *late)) == [
        (2, "question q: age ranges leave a gap from 0 to 4 weeks"),
        (
            3,
            "question q: age range 6-52 weeks overlaps the range before (list ranges youngest "
            "first; max_weeks is exclusive)",
        ),
    ]


def test_the_age_question_needs_a_range() -> None:
    assert messages(question((AGE_WEEKS,), option(UNKNOWN, 2))) == [
        (1, "question q: asks the age but offers no age range")
    ]
