"""Tap counts a parent at 3 a.m. cares about, measured over every path of a flow.

`check-rules` prints them, and validate.py holds a flow to the targets its file declares.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.triage.models import Flow
from bot.core.triage.paths import Path, enumerate_paths
from bot.core.triage.vocabulary import EMERGENCY_FLAGS, HAPPENING_NOW, NO, STOPS_WHEN_WOKEN, Level


@dataclass(frozen=True)
class Taps:
    most: int  # the most questions on any path
    to_reassure: int  # the most questions on a path that ends in reassure (0: none does)
    danger_signs_by: int  # the question by which E1-E3 are all asked (live waking test not counted)


def taps(flow: Flow) -> Taps:
    paths = list(enumerate_paths(flow))
    return Taps(
        most=max(len(p.steps) for p in paths),
        to_reassure=max(
            (len(p.steps) for p in paths if p.outcome.level is Level.REASSURE), default=0
        ),
        danger_signs_by=max((danger_signs_asked_by(p) or 0) for p in paths),
    )


def is_live_test(path: Path, index: int) -> bool:
    """Question `index` is E0's live waking test: stops_when_woken right after "happening now"."""
    question, _ = path.steps[index]
    if question.fact != STOPS_WHEN_WOKEN or index == 0:
        return False
    before, answer = path.steps[index - 1]
    return before.fact == HAPPENING_NOW and answer.value != NO


def danger_signs_asked_by(path: Path) -> int | None:
    """The number of the question (the live waking test not counted) by which every emergency
    red flag was answered on this path, or None if the path ended before that."""
    known: set[str] = set()
    number = 0
    for index, (question, _) in enumerate(path.steps):
        if not is_live_test(path, index):
            number += 1
        known |= set(question.facts) & EMERGENCY_FLAGS
        if known >= EMERGENCY_FLAGS:
            return number
    return None
