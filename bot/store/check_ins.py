"""Safety-netting check-ins: "Check on us in 2 hours" after an urgent or soon outcome.

A chat has at most one pending check-in (a partial unique index), so a second tap, or two taps
handled by two replicas at once, never schedules a second one. The reminder dispatcher sends a
due check-in through `LeasedRows` (claim, then record), exactly as it sends milestone notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.connections import Connections
from bot.store.leased import PENDING, LeasedRows
from bot.store.schema import check_ins
from bot.store.utc import as_utc


@dataclass(frozen=True)
class CheckIn:
    id: int
    chat_id: int
    flow: str
    level: str
    locale: str | None
    created_at: datetime  # aware UTC
    due_at: datetime  # aware UTC
    status: str
    attempts: int
    sent_at: datetime | None
    answer: str | None


def _check_in(row: Any) -> CheckIn:
    return CheckIn(
        id=row.id,
        chat_id=row.chat_id,
        flow=row.flow,
        level=row.level,
        locale=row.locale,
        created_at=as_utc(row.created_at),
        due_at=as_utc(row.due_at),
        status=row.status,
        attempts=row.attempts,
        sent_at=as_utc(row.sent_at) if row.sent_at is not None else None,
        answer=row.answer,
    )


class CheckIns(LeasedRows):
    def __init__(self, db: Connections) -> None:
        super().__init__(db, check_ins)

    async def schedule(
        self,
        chat_id: int,
        flow: str,
        level: str,
        locale: str | None,
        now: datetime,
        due_at: datetime,
    ) -> tuple[CheckIn, bool]:
        """The chat's pending check-in, and whether this call created it (False: one was
        already pending, and it is left as it was)."""
        existing = await self.pending_for_chat(chat_id)
        if existing is not None:
            return existing, False
        try:
            async with self._db.begin() as conn:
                await conn.execute(
                    insert(check_ins).values(
                        chat_id=chat_id,
                        flow=flow,
                        level=level,
                        locale=locale,
                        created_at=as_utc(now),
                        due_at=as_utc(due_at),
                        status=PENDING,
                        attempts=0,
                    )
                )
        except IntegrityError:  # another tap, maybe on another replica, got there first
            pass
        else:
            created = await self.pending_for_chat(chat_id)
            assert created is not None
            return created, True
        raced = await self.pending_for_chat(chat_id)
        assert raced is not None
        return raced, False

    async def pending_for_chat(self, chat_id: int) -> CheckIn | None:
        query = select(check_ins).where(
            check_ins.c.chat_id == chat_id, check_ins.c.status == PENDING
        )
        async with self._db.connect() as conn:
            row = (await conn.execute(query)).first()
        return _check_in(row) if row is not None else None

    async def get(self, chat_id: int, check_in_id: int) -> CheckIn | None:
        """One check-in of this chat (None for another chat's id: callback data is a claim)."""
        query = select(check_ins).where(
            check_ins.c.id == check_in_id, check_ins.c.chat_id == chat_id
        )
        async with self._db.connect() as conn:
            row = (await conn.execute(query)).first()
        return _check_in(row) if row is not None else None

    async def list_for_chat(self, chat_id: int) -> list[CheckIn]:
        query = (
            select(check_ins)
            .where(check_ins.c.chat_id == chat_id)
            .order_by(check_ins.c.created_at, check_ins.c.id)
        )
        async with self._db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_check_in(row) for row in rows]

    async def due(self, now: datetime, limit: int) -> list[CheckIn]:
        """Pending check-ins due at or before `now`, not claimed or backing off, earliest first."""
        now = as_utc(now)
        query = (
            select(check_ins)
            .where(
                check_ins.c.status == PENDING,
                check_ins.c.due_at <= now,
                self._ready(now),
            )
            .order_by(check_ins.c.due_at, check_ins.c.id)
            .limit(limit)
        )
        async with self._db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_check_in(row) for row in rows]

    async def record_answer(self, check_in_id: int, answer: str) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                update(check_ins).where(check_ins.c.id == check_in_id).values(answer=answer)
            )

    async def set_locale(self, chat_id: int, locale: str) -> int:
        """The chat chose a language: a check-in not sent yet goes out in it."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(check_ins)
                .where(check_ins.c.chat_id == chat_id, check_ins.c.status == PENDING)
                .values(locale=locale)
            )
        return result.rowcount or 0

    async def forget(self, chat_id: int) -> int:
        async with self._db.begin() as conn:
            result = await conn.execute(delete(check_ins).where(check_ins.c.chat_id == chat_id))
        return result.rowcount or 0
