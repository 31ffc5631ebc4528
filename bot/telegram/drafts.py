"""The drafts of the two multi-step conversations, typed, and their stored form.

A draft lives in the database (`store.conversations`) as JSON, so a restart mid-way loses
nothing. The stored keys and step names are the ones earlier versions wrote, so a sign-up begun
before an upgrade goes on after it; a stored draft that does not read back counts as expired.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

SIGN_UP = "subscribe"  # the conversation kinds, as stored
COHORT = "cohort"


class SignUpStep(enum.Enum):
    """A family's sign-up: birth date -> born early? -> name (optional) -> time zone -> hour."""

    DATE = "date"
    EARLY = "early"
    NAME = "name"
    ZONE = "zone"
    HOUR = "hour"


@dataclass
class SignUpDraft:
    KIND: ClassVar[str] = SIGN_UP

    step: SignUpStep = SignUpStep.DATE
    birth: date | None = None
    weeks: int | None = None  # gestational weeks at birth; 0: on time
    name: str | None = None  # "": skipped
    zone: str | None = None
    hour: int | None = None

    def first_missing(self) -> SignUpStep | None:
        """The first step whose answer the draft still lacks; None when it is complete."""
        answers = {
            SignUpStep.DATE: self.birth,
            SignUpStep.EARLY: self.weeks,
            SignUpStep.NAME: self.name,
            SignUpStep.ZONE: self.zone,
            SignUpStep.HOUR: self.hour,
        }
        return next((step for step, value in answers.items() if value is None), None)

    def to_stored(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"step": self.step.value}
        if self.birth is not None:
            stored["birth"] = self.birth.isoformat()
        for key in ("weeks", "name", "zone", "hour"):
            if getattr(self, key) is not None:
                stored[key] = getattr(self, key)
        return stored

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> SignUpDraft | None:
        try:
            birth = stored.get("birth")
            return cls(
                step=SignUpStep(stored.get("step", SignUpStep.DATE.value)),
                birth=date.fromisoformat(birth) if birth is not None else None,
                weeks=_optional(stored, "weeks", int),
                name=_optional(stored, "name", str),
                zone=_optional(stored, "zone", str),
                hour=_optional(stored, "hour", int),
            )
        except (TypeError, ValueError):
            return None


class CohortStep(enum.Enum):
    """A group's or channel's setup: (a channel: birth month or weekly tips?) -> birth month
    (year, then month) -> time zone -> hour."""

    WHAT = "what"
    MONTH = "month"
    ZONE = "zone"
    HOUR = "hour"


@dataclass
class CohortDraft:
    KIND: ClassVar[str] = COHORT

    target: int  # the chat that will receive the notes (this group, or a linked channel)
    title: str
    step: CohortStep
    tips: bool = False  # a channel's weekly tip instead of a birth month
    year: int | None = None
    month: int | None = None
    zone: str | None = None
    hour: int | None = None
    thread: int | None = None  # the forum topic /subscribe ran in: notes go there

    def to_stored(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"target": self.target, "title": self.title}
        stored["step"] = self.step.value
        if self.tips:
            stored["tips"] = True
        for key in ("year", "month", "zone", "hour", "thread"):
            if getattr(self, key) is not None:
                stored[key] = getattr(self, key)
        return stored

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> CohortDraft | None:
        try:
            target, title = stored["target"], stored["title"]
            if not isinstance(target, int) or not isinstance(title, str):
                return None
            return cls(
                target=target,
                title=title,
                step=CohortStep(stored["step"]),
                tips=bool(stored.get("tips", False)),
                year=_optional(stored, "year", int),
                month=_optional(stored, "month", int),
                zone=_optional(stored, "zone", str),
                hour=_optional(stored, "hour", int),
                thread=_optional(stored, "thread", int),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _optional(stored: dict[str, Any], key: str, kind: type) -> Any:
    value = stored.get(key)
    if value is not None and not isinstance(value, kind):
        raise TypeError(f"{key} is not a {kind.__name__}")
    return value
