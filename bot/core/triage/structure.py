"""Walks over a flow's graph that several modules share: reachable levels, longest path, hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache

from bot.core.base36 import BASE36_DIGITS
from bot.core.triage.models import Flow, Outcome, Question
from bot.core.triage.vocabulary import Level

FINGERPRINT_LENGTH = 4


class CycleError(ValueError):
    """The flow's questions loop back on themselves (validation reports this as a rules error)."""


def fingerprint(
    start: str, questions: Mapping[str, Question], outcomes: Mapping[str, Outcome]
) -> str:
    """A short hash of the structure only (ids, facts, option values and targets, levels).

    Texts are left out on purpose: fixing a typo must not invalidate buttons already sent.
    """
    shape = {
        "start": start,
        "questions": [
            [
                q.id,
                list(q.facts),
                [[o.value, o.min_weeks, o.max_weeks, o.next, o.outcome] for o in q.options],
            ]
            for q in sorted(questions.values(), key=lambda q: q.id)
        ],
        "outcomes": [[o.id, o.level.id] for o in sorted(outcomes.values(), key=lambda o: o.id)],
    }
    digest = hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).digest()
    number = int.from_bytes(digest[:8], "big") % len(BASE36_DIGITS) ** FINGERPRINT_LENGTH
    chars = []
    for _ in range(FINGERPRINT_LENGTH):
        number, digit = divmod(number, len(BASE36_DIGITS))
        chars.append(BASE36_DIGITS[digit])
    return "".join(reversed(chars))


def levels_from(flow: Flow, ident: str) -> frozenset[Level]:
    """Every level an outcome reachable from node `ident` can have."""
    return _levels(flow)[ident]


def longest_from(flow: Flow, ident: str) -> int:
    """The most questions a parent can still be asked from node `ident` on (itself included)."""
    return _longest(flow)[ident]


@lru_cache(maxsize=64)
def _levels(flow: Flow) -> Mapping[str, frozenset[Level]]:
    memo: dict[str, frozenset[Level]] = {o: frozenset({v.level}) for o, v in flow.outcomes.items()}
    for ident in _topological(flow):
        memo[ident] = frozenset().union(
            *(memo.get(o.target, frozenset()) for o in flow.questions[ident].options)
        )
    return memo


@lru_cache(maxsize=64)
def _longest(flow: Flow) -> Mapping[str, int]:
    memo: dict[str, int] = dict.fromkeys(flow.outcomes, 0)
    for ident in _topological(flow):
        memo[ident] = 1 + max(
            (memo.get(o.target, 0) for o in flow.questions[ident].options), default=0
        )
    return memo


def _topological(flow: Flow) -> list[str]:
    """Question ids, every question after all questions it leads to (raises CycleError)."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in flow.questions:
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            ident, index = stack.pop()
            if index == 0:
                if state.get(ident) == 2:
                    continue
                state[ident] = 1
            options = flow.questions[ident].options
            if index < len(options):
                stack.append((ident, index + 1))
                target = options[index].next
                if target is None or target not in flow.questions:
                    continue
                if state.get(target) == 1:
                    raise CycleError(f"question '{target}' is part of a cycle")
                if state.get(target) != 2:
                    stack.append((target, 0))
            else:
                state[ident] = 2
                order.append(ident)
    return order
