"""Immutable models of age-based milestone notes (from rules/milestones*.yaml) and of a baby."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.core.age import AgeSpan
from bot.core.rules.models import LocalText

DEFAULT_CURRENT_FOR_WEEKS = 4


class Action(StrEnum):
    """What a note's button does when tapped."""

    OPEN_TRIAGE = "open_triage"  # start the triage flow `target`
    OPEN_EXPLAINER = "open_explainer"  # show the explainer topic `target`
    RECORD_ANSWER = "record_answer"  # store an Answer; later notes may skip on it


@dataclass(frozen=True)
class Button:
    id: str
    label: LocalText
    action: Action
    target: str | None = None  # flow id (open_triage) or topic id (open_explainer)
    reply: LocalText | None = None  # record_answer: what the bot says after the tap


@dataclass(frozen=True, order=True)
class Answer:
    """A tapped `record_answer` button, as the store keeps it per baby."""

    milestone: str
    button: str


@dataclass(frozen=True)
class Milestone:
    """One note, due when the baby reaches `age` (corrected age if `corrected`)."""

    id: str
    age: AgeSpan
    corrected: bool
    title: LocalText  # short plain label for lists such as /reminders
    text: LocalText  # Telegram HTML for one baby (or twins); may use {name}
    cohort_text: LocalText | None  # Telegram HTML for a group cohort; may use {month}
    sources: tuple[str, ...]
    buttons: tuple[Button, ...] = ()
    skip_if_answered: tuple[Answer, ...] = ()  # any one of these answers skips this note
    current_for_weeks: int = DEFAULT_CURRENT_FOR_WEEKS
    # A safety note: a parent who subscribes after it was due, while the baby is younger than
    # this age (same basis as `corrected`), still gets it the next day (see due.py).
    late_until: AgeSpan | None = None
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def button(self, ident: str) -> Button | None:
        return next((b for b in self.buttons if b.id == ident), None)

    def skipped(self, answers: Set[Answer]) -> bool:
        """Whether an answer the parent gave earlier makes this note unnecessary."""
        return any(answer in answers for answer in self.skip_if_answered)


@dataclass(frozen=True)
class Baby:
    """What the due logic needs to know about a baby. Dates are the chat's local dates."""

    birth: date
    gestational_weeks: int | None = None  # weeks of pregnancy at birth; None: on time / unknown
    name: str | None = None  # the parent's name or nickname for the baby, as typed
