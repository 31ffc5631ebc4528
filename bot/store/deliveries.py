"""The dispatcher's side of scheduled notes: what is due, claiming it, and recording the outcome.

`due` reads the `(status, due_at)` index, so its cost grows with the number of notes due, not
with the number of subscribers. Claiming and recording are `LeasedRows`' (see `leased`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select

from bot.store.connections import Connections
from bot.store.leased import PENDING, LeasedRows
from bot.store.schema import scheduled_notes, subscriptions
from bot.store.utc import as_utc


@dataclass(frozen=True)
class DueNote:
    """A pending note whose time has come, with what rendering it needs."""

    id: int
    subscription_id: int
    chat_id: int
    milestone_id: str
    due_at: datetime  # aware UTC
    attempts: int
    baby_name: str | None
    birth: date
    gestational_weeks: int | None
    locale: str | None
    paused: bool
    kind: str = "baby"  # or "cohort": a group's or channel's birth month
    message_thread_id: int | None = None  # a forum group's topic (None: General, no topics)
    owes_fallback_notice: bool = False  # its topic went; the group was not told yet (topics)


class Deliveries(LeasedRows):
    def __init__(self, db: Connections) -> None:
        super().__init__(db, scheduled_notes)

    async def due(self, now: datetime, limit: int) -> list[DueNote]:
        """Pending notes due at or before `now` and not claimed or backing off, earliest first.

        Notes of paused subscriptions are included (flagged), so the dispatcher can record them
        as skipped rather than let them pile up in the index range it reads.
        """
        now = as_utc(now)
        query = (
            _due_notes()
            .where(
                scheduled_notes.c.status == PENDING,
                scheduled_notes.c.due_at <= now,
                self._ready(now),
            )
            .order_by(
                scheduled_notes.c.due_at,
                scheduled_notes.c.chat_id,
                scheduled_notes.c.milestone_id,
                scheduled_notes.c.id,
            )
            .limit(limit)
        )
        async with self._db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_due_note(row) for row in rows]


def _due_notes() -> Select[Any]:
    """Each note with what rendering it needs from its subscription."""
    return select(
        scheduled_notes.c.id,
        scheduled_notes.c.subscription_id,
        scheduled_notes.c.chat_id,
        scheduled_notes.c.milestone_id,
        scheduled_notes.c.due_at,
        scheduled_notes.c.attempts,
        subscriptions.c.baby_name,
        subscriptions.c.birth_date,
        subscriptions.c.gestational_weeks,
        subscriptions.c.locale,
        # Blocked counts as paused: skipped, never sent or retried (see `blocking`).
        or_(subscriptions.c.paused, subscriptions.c.blocked_at.is_not(None)).label("paused"),
        subscriptions.c.kind,
        subscriptions.c.message_thread_id,
        and_(
            subscriptions.c.fallback_thread_id.is_not(None),
            subscriptions.c.fallback_told_at.is_(None),
        ).label("owes_fallback_notice"),
    ).join(subscriptions, subscriptions.c.id == scheduled_notes.c.subscription_id)


def _due_note(row: Any) -> DueNote:
    return DueNote(
        id=row.id,
        subscription_id=row.subscription_id,
        chat_id=row.chat_id,
        milestone_id=row.milestone_id,
        due_at=as_utc(row.due_at),
        attempts=row.attempts,
        baby_name=row.baby_name,
        birth=row.birth_date,
        gestational_weeks=row.gestational_weeks,
        locale=row.locale,
        paused=bool(row.paused),
        kind=row.kind,
        message_thread_id=row.message_thread_id,
        owes_fallback_notice=bool(row.owes_fallback_notice),
    )
