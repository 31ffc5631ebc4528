"""Enumerate every path through a flow: the basis of the safety checks and the property tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from bot.core.triage.models import Flow, Option, Outcome, Question
from bot.core.triage.structure import CycleError

# Flows are small DAGs (tens of paths); the bound only guards against a broken flow.
MAX_PATHS = 100_000


class Path(NamedTuple):
    """The questions with the option chosen for each, in order, and where they lead."""

    steps: tuple[tuple[Question, Option], ...]
    outcome: Outcome

    def answer(self, fact: str) -> Option | None:
        """The option chosen for `fact` on this path, if it was asked."""
        return next((o for q, o in self.steps if q.fact == fact), None)


def enumerate_paths(flow: Flow) -> Iterator[Path]:
    """Every (questions and answers, outcome) from flow.start, depth first, in option order.

    Raises CycleError if a question repeats on one path and ValueError past MAX_PATHS or on a
    reference to a missing node (validation reports both as rules errors first).
    """
    count = 0
    stack: list[tuple[str, tuple[tuple[Question, Option], ...]]] = [(flow.start, ())]
    while stack:
        ident, steps = stack.pop()
        if ident in flow.outcomes:
            if not steps:
                raise ValueError("flow.start must be a question")
            count += 1
            if count > MAX_PATHS:
                raise ValueError(f"more than {MAX_PATHS} paths")
            yield Path(steps, flow.outcomes[ident])
            continue
        if ident not in flow.questions:
            raise ValueError(f"unknown node '{ident}'")
        question = flow.questions[ident]
        if any(q.id == ident for q, _ in steps):
            raise CycleError(f"question '{ident}' repeats on one path")
        for option in reversed(question.options):
            stack.append((option.target, (*steps, (question, option))))
