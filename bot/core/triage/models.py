"""Immutable models of a triage flow: questions, options and outcomes, with their source lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.rules.models import LocalText
from bot.core.triage.vocabulary import Level


@dataclass(frozen=True)
class Option:
    """One answer button: a yes/no/unknown value (any/none/unknown for a grouped question), or an
    age range [min_weeks, max_weeks).

    Exactly one of `next` (a question id) and `outcome` (an outcome id) is set.
    """

    label: LocalText
    value: str | None = None
    min_weeks: int | None = None
    max_weeks: int | None = None
    next: str | None = None
    outcome: str | None = None
    line: int = field(default=0, compare=False)

    @property
    def target(self) -> str:
        """The id of the node this option leads to (question or outcome)."""
        return self.next if self.next is not None else str(self.outcome)

    def contains(self, weeks: int) -> bool:
        """Whether an age in weeks falls in this option's range (never for yes/no/unknown)."""
        if self.min_weeks is None or self.max_weeks is None:
            return False
        return self.min_weeks <= weeks < self.max_weeks


@dataclass(frozen=True)
class Question:
    """One screen. A single question asks one fact; a grouped one ("Did you see any of these?")
    lists up to three signs, `items[i]` being the escalating form of `facts[i]`."""

    id: str
    facts: tuple[str, ...]
    text: LocalText
    options: tuple[Option, ...]
    help: LocalText | None = None
    items: tuple[LocalText, ...] = ()
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def grouped(self) -> bool:
        return bool(self.items)

    @property
    def fact(self) -> str:
        """The one fact a single question asks ("" for a grouped question)."""
        return "" if self.grouped else self.facts[0]

    def option(self, value: str) -> Option | None:
        """The option with this yes/no/unknown value, if any."""
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Outcome:
    id: str
    level: Level
    title: LocalText
    text: LocalText
    do_now: tuple[LocalText, ...]
    watch_for: tuple[LocalText, ...]
    sources: tuple[str, ...]
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, eq=False)
class Flow:
    """A small DAG of questions ending in outcomes. `outcomes` holds those the flow can reach."""

    id: str
    title: LocalText
    intro: LocalText
    start: str
    questions: Mapping[str, Question]
    outcomes: Mapping[str, Outcome]
    fingerprint: str
    # Targets from `flow.targets`, enforced over every path by validate.py (None: no target).
    reassure_within: int | None = None
    danger_signs_by: int | None = None
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def node(self, ident: str) -> Question | Outcome:
        """The question or outcome with this id (KeyError if neither)."""
        if ident in self.questions:
            return self.questions[ident]
        return self.outcomes[ident]
