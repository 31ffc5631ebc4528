"""Episode video charts a parent chose to keep: the numbers and the PNG, never the video."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from bot.store.connections import Connections
from bot.store.schema import video_charts
from bot.store.utc import as_utc


@dataclass(frozen=True)
class KeptChart:
    chat_id: int
    created_at: datetime
    lines: str
    level: str | None
    findings: tuple[str, ...]
    numbers: dict[str, Any]
    chart_png: bytes


def _chart(row: Any) -> KeptChart:
    return KeptChart(
        chat_id=row.chat_id,
        created_at=as_utc(row.created_at),
        lines=row.lines,
        level=row.level,
        findings=tuple(f for f in row.findings.split(",") if f),
        numbers=json.loads(row.numbers),
        chart_png=bytes(row.chart_png),
    )


class VideoCharts:
    def __init__(self, db: Connections) -> None:
        self._db = db

    async def keep(self, chart: KeptChart) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                insert(video_charts).values(
                    chat_id=chart.chat_id,
                    created_at=chart.created_at,
                    lines=chart.lines,
                    level=chart.level,
                    findings=",".join(chart.findings),
                    numbers=json.dumps(chart.numbers, sort_keys=True),
                    chart_png=chart.chart_png,
                )
            )

    async def recent(self, chat_id: int, limit: int = 10) -> list[KeptChart]:
        """The newest first."""
        query = (
            select(video_charts)
            .where(video_charts.c.chat_id == chat_id)
            .order_by(video_charts.c.created_at.desc(), video_charts.c.id.desc())
            .limit(limit)
        )
        async with self._db.connect() as conn:
            return [_chart(row) for row in await conn.execute(query)]

    async def list_for_chat(self, chat_id: int) -> list[KeptChart]:
        """Every chart the chat kept, oldest first (for /export)."""
        query = (
            select(video_charts)
            .where(video_charts.c.chat_id == chat_id)
            .order_by(video_charts.c.created_at, video_charts.c.id)
        )
        async with self._db.connect() as conn:
            return [_chart(row) for row in await conn.execute(query)]

    async def forget(self, chat_id: int) -> int:
        async with self._db.begin() as conn:
            result = await conn.execute(
                delete(video_charts).where(video_charts.c.chat_id == chat_id)
            )
        return result.rowcount or 0
