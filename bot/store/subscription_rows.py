"""What a subscription is, as the rest of the bot reads it: its kinds and roles, its notes, and
how a stored row becomes one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.core.milestones import Baby, Milestone
from bot.store.leased import PENDING
from bot.store.utc import as_utc

# A family's baby; a group's or channel's birth month; a channel's weekly tip.
BABY, COHORT, TIPS = "baby", "cohort", "tips"
# A family subscription's role (bot.core.family.Role): who signed the baby up, or who joined.
CREATOR, CAREGIVER = "creator", "caregiver"


@dataclass(frozen=True)
class Note:
    """One scheduled note of a subscription."""

    id: int
    milestone_id: str
    due_at: datetime  # aware UTC
    status: str
    attempts: int
    sent_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Subscription:
    """One baby a chat follows, with its notes (earliest first)."""

    id: int
    chat_id: int
    baby_name: str | None
    birth: date
    gestational_weeks: int | None
    timezone: str
    delivery_hour: int
    locale: str | None
    paused: bool
    created_at: datetime
    notes: tuple[Note, ...]
    kind: str = BABY
    blocked_at: datetime | None = None  # the parent blocked the bot then; nothing is sent
    baby_id: int | None = None  # a family's baby, shared by its caregivers' subscriptions
    role: str | None = None  # CREATOR or CAREGIVER, for a family's baby
    first_name: str | None = None  # the caregiver's Telegram first name, for /family
    message_thread_id: int | None = None  # a forum group's topic (None: General, no topics)
    fallback_thread_id: int | None = None  # the topic that was closed or deleted (see topics)

    @property
    def baby(self) -> Baby:
        return Baby(self.birth, self.gestational_weeks, self.baby_name)

    @property
    def upcoming(self) -> tuple[Note, ...]:
        return tuple(note for note in self.notes if note.status == PENDING)


@dataclass(frozen=True)
class NewSubscription:
    """What `subscribe` did: the new id, the note to show now (never stored), how many stored."""

    id: int
    current: Milestone | None
    scheduled: int


@dataclass(frozen=True)
class Family:
    """Which baby a family subscription follows, and as whom."""

    baby_id: int
    role: str
    first_name: str | None


def note_from_row(row: Any) -> Note:
    return Note(
        id=row.id,
        milestone_id=row.milestone_id,
        due_at=as_utc(row.due_at),
        status=row.status,
        attempts=row.attempts,
        sent_at=as_utc(row.sent_at) if row.sent_at is not None else None,
        last_error=row.last_error,
    )


def subscription_from_row(row: Any, notes: tuple[Note, ...]) -> Subscription:
    return Subscription(
        id=row.id,
        chat_id=row.chat_id,
        baby_name=row.baby_name,
        birth=row.birth_date,
        gestational_weeks=row.gestational_weeks,
        timezone=row.timezone,
        delivery_hour=row.delivery_hour,
        locale=row.locale,
        paused=bool(row.paused),
        created_at=as_utc(row.created_at),
        notes=notes,
        kind=row.kind,
        blocked_at=as_utc(row.blocked_at) if row.blocked_at is not None else None,
        baby_id=row.baby_id,
        role=row.role,
        first_name=row.first_name,
        message_thread_id=row.message_thread_id,
        fallback_thread_id=row.fallback_thread_id,
    )
