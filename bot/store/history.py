"""Finished movement checks per chat (for /history), newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.schema import triage_results


@dataclass(frozen=True)
class TriageRecord:
    chat_id: int
    flow: str
    answers: str
    outcome: str
    level: str
    created_at: datetime


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class TriageHistory:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, record: TriageRecord) -> None:
        async with self._engine.begin() as conn:
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
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [
            TriageRecord(
                chat_id=row["chat_id"],
                flow=row["flow"],
                answers=row["answers"],
                outcome=row["outcome"],
                level=row["level"],
                created_at=as_utc(row["created_at"]),
            )
            for row in rows
        ]

    async def forget(self, chat_id: int) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(triage_results).where(triage_results.c.chat_id == chat_id)
            )
        return result.rowcount or 0
