"""Finished movement checks per chat (for /history, newest first, and /export)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from bot.store.connections import Connections
from bot.store.schema import triage_results
from bot.store.utc import as_utc


@dataclass(frozen=True)
class TriageRecord:
    chat_id: int
    flow: str
    answers: str
    outcome: str
    level: str
    created_at: datetime


def _record(row: Any) -> TriageRecord:
    return TriageRecord(
        chat_id=row.chat_id,
        flow=row.flow,
        answers=row.answers,
        outcome=row.outcome,
        level=row.level,
        created_at=as_utc(row.created_at),
    )


class TriageHistory:
    def __init__(self, db: Connections) -> None:
        self._db = db

    async def add(self, record: TriageRecord) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                insert(triage_results).values(
                    chat_id=record.chat_id,
                    flow=record.flow,
                    answers=record.answers,
                    outcome=record.outcome,
                    level=record.level,
                    created_at=as_utc(record.created_at),
                )
            )

    async def recent(self, chat_id: int, limit: int = 10) -> list[TriageRecord]:
        query = (
            select(triage_results)
            .where(triage_results.c.chat_id == chat_id)
            .order_by(triage_results.c.created_at.desc(), triage_results.c.id.desc())
            .limit(limit)
        )
        async with self._db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_record(row) for row in rows]

    async def list_for_chat(self, chat_id: int) -> list[TriageRecord]:
        """Every check of the chat, oldest first (for /export)."""
        query = (
            select(triage_results)
            .where(triage_results.c.chat_id == chat_id)
            .order_by(triage_results.c.created_at, triage_results.c.id)
        )
        async with self._db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_record(row) for row in rows]

    async def forget(self, chat_id: int) -> int:
        async with self._db.begin() as conn:
            result = await conn.execute(
                delete(triage_results).where(triage_results.c.chat_id == chat_id)
            )
        return result.rowcount or 0
