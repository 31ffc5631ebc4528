"""The dispatcher's side of scheduled notes: what is due, claiming it, and recording the outcome.

`due` reads the `(status, due_at)` index, so its cost grows with the number of notes due, not
with the number of subscribers. `claim` lets several dispatchers (processes) share one database
without sending a note twice: a conditional UPDATE sets a lease in `not_before`, and only the
dispatcher whose UPDATE changed the row sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.history import as_utc
from bot.store.schema import scheduled_notes, subscriptions
from bot.store.subscriptions import FAILED, PENDING, SENT, SKIPPED

ERROR_MAX = 200  # the width of `last_error`


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


def _ready(now: datetime) -> object:
    return or_(scheduled_notes.c.not_before.is_(None), scheduled_notes.c.not_before <= now)


class Deliveries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def due(self, now: datetime, limit: int) -> list[DueNote]:
        """Pending notes due at or before `now` and not claimed or backing off, earliest first.

        Notes of paused subscriptions are included (flagged), so the dispatcher can record them
        as skipped rather than let them pile up in the index range it reads.
        """
        now = as_utc(now)
        query = (
            select(
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
                # Blocked counts as paused: skipped, never sent or retried (see `missed_since`).
                or_(subscriptions.c.paused, subscriptions.c.blocked_at.is_not(None)).label(
                    "paused"
                ),
                subscriptions.c.kind,
            )
            .join(subscriptions, subscriptions.c.id == scheduled_notes.c.subscription_id)
            .where(
                scheduled_notes.c.status == PENDING,
                scheduled_notes.c.due_at <= now,
                _ready(now),
            )
            .order_by(
                scheduled_notes.c.due_at,
                scheduled_notes.c.chat_id,
                scheduled_notes.c.milestone_id,
                scheduled_notes.c.id,
            )
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            DueNote(
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
            )
            for row in rows
        ]

    async def claim(self, note_ids: Sequence[int], now: datetime, until: datetime) -> set[int]:
        """Lease pending notes to this dispatcher until `until`; returns the ids it got."""
        if not note_ids:
            return set()
        now, until = as_utc(now), as_utc(until)
        # One conditional UPDATE for the batch: only rows still pending and unclaimed change,
        # and RETURNING names exactly those (SQLite 3.35+ and PostgreSQL both support it).
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(scheduled_notes)
                .where(
                    scheduled_notes.c.id.in_(list(note_ids)),
                    scheduled_notes.c.status == PENDING,
                    _ready(now),
                )
                .values(not_before=until)
                .returning(scheduled_notes.c.id)
            )
            return {row.id for row in result}

    async def release(self, note_ids: Sequence[int], not_before: datetime | None = None) -> None:
        """Give claimed notes back, untouched, to be picked again from `not_before` on."""
        value = as_utc(not_before) if not_before is not None else None
        await self._update(note_ids, PENDING, not_before=value)

    async def mark_sent(self, note_ids: Sequence[int], now: datetime) -> None:
        await self._update(note_ids, SENT, sent_at=as_utc(now), not_before=None)

    async def mark_skipped(self, note_ids: Sequence[int], reason: str) -> None:
        await self._update(note_ids, SKIPPED, last_error=reason[:ERROR_MAX], not_before=None)

    async def mark_failed(self, note_ids: Sequence[int], error: str) -> None:
        """Give up on notes for good (after retries, or an error no retry can fix)."""
        await self._update(
            note_ids,
            FAILED,
            attempts=scheduled_notes.c.attempts + 1,
            last_error=error[:ERROR_MAX],
            not_before=None,
        )

    async def retry_later(self, note_ids: Sequence[int], error: str, at: datetime) -> None:
        """Count a failed attempt and keep the notes pending until `at`."""
        await self._update(
            note_ids,
            PENDING,
            attempts=scheduled_notes.c.attempts + 1,
            last_error=error[:ERROR_MAX],
            not_before=as_utc(at),
        )

    async def _update(self, note_ids: Sequence[int], status: str, **values: object) -> None:
        if not note_ids:
            return
        async with self._engine.begin() as conn:
            await conn.execute(
                update(scheduled_notes)
                .where(scheduled_notes.c.id.in_(list(note_ids)))
                .values(status=status, **values)
            )
