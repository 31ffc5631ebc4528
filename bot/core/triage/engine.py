"""The runtime API for the chat: replay the option indices chosen so far and say what comes next.

Answers arrive in callback data, which a client can forge: every index is checked, and anything
that does not describe a path of this flow raises InvalidAnswers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.triage.models import Flow, Option, Outcome, Question
from bot.core.triage.structure import longest_from
from bot.core.triage.vocabulary import AGE_WEEKS


class InvalidAnswers(ValueError):
    """The answers do not describe a path through the flow (forged, stale or garbage)."""


@dataclass(frozen=True)
class Step:
    """Where a parent is: the current question, or the outcome once the path is complete."""

    flow: Flow
    question: Question | None
    outcome: Outcome | None
    number: int  # 1-based number of the current question (at an outcome: questions answered)
    at_most: int  # number + the longest possible rest, for "question 2 of at most 6"
    answered: tuple[tuple[Question, Option], ...]

    @property
    def done(self) -> bool:
        return self.outcome is not None

    @property
    def answers(self) -> tuple[int, ...]:
        """The option indices that lead here (what `step` takes)."""
        return tuple(
            next(i for i, option in enumerate(q.options) if option is o) for q, o in self.answered
        )


def step(flow: Flow, answers: Sequence[int]) -> Step:
    """Replay `answers` (option indices, in order) from the start of `flow`."""
    answered: list[tuple[Question, Option]] = []
    node: Question | Outcome = flow.questions[flow.start]
    for position, index in enumerate(answers, start=1):
        if not isinstance(node, Question):
            raise InvalidAnswers(f"answer {position} comes after the outcome")
        if isinstance(index, bool) or not isinstance(index, int):
            raise InvalidAnswers(f"answer {position} is not an option number")
        if not 0 <= index < len(node.options):
            raise InvalidAnswers(f"answer {position} is not an option of question {node.id}")
        option = node.options[index]
        answered.append((node, option))
        node = flow.node(option.target)
    if isinstance(node, Outcome):
        count = len(answered)
        return Step(flow, None, node, count, count, tuple(answered))
    number = len(answered) + 1
    return Step(
        flow, node, None, number, len(answered) + longest_from(flow, node.id), tuple(answered)
    )


def max_questions(flow: Flow) -> int:
    """The most questions any path through `flow` asks."""
    return longest_from(flow, flow.start)


def option_for_age(question: Question, weeks: int) -> int:
    """The index of the age range that contains `weeks` (to pre-fill the age from a subscription).

    Raises ValueError if the question does not ask the age or no range contains `weeks`; the
    caller then simply asks the question.
    """
    if question.fact != AGE_WEEKS:
        raise ValueError(f"question {question.id} does not ask the age")
    for index, option in enumerate(question.options):
        if option.contains(weeks):
            return index
    raise ValueError(f"no age range of question {question.id} contains {weeks} weeks")
