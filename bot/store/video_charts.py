"""Episode video charts a parent chose to keep: the numbers and the PNG, never the video."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.history import as_utc
from bot.store.schema import video_charts


@dataclass(frozen=True)
class KeptChart:
    chat_id: int
    created_at: datetime
    lines: str
    level: str | None
    findings: tuple[str, ...]
    numbers: dict[str, Any]
    chart_png: bytes


class VideoCharts:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def keep(self, chart: KeptChart) -> None:
        async with self._engine.begin() as conn:
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
        query = (
            select(video_charts)
            .where(video_charts.c.chat_id == chat_id)
            .order_by(video_charts.c.created_at.desc(), video_charts.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [
            KeptChart(
                chat_id=row["chat_id"],
                created_at=as_utc(row["created_at"]),
                lines=row["lines"],
                level=row["level"],
                findings=tuple(f for f in row["findings"].split(",") if f),
                numbers=json.loads(row["numbers"]),
                chart_png=bytes(row["chart_png"]),
            )
            for row in rows
        ]

    async def forget(self, chat_id: int) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(video_charts).where(video_charts.c.chat_id == chat_id)
            )
        return result.rowcount or 0

    async def export_chat(self, chat_id: int) -> list[dict[str, Any]]:
        """The kept charts, JSON-serialisable (for /export), the PNG as base64."""
        return [
            {
                "created_at": c.created_at.isoformat(),
                "lines": c.lines,
                "level": c.level,
                "findings": list(c.findings),
                "numbers": c.numbers,
                "chart_png_base64": base64.b64encode(c.chart_png).decode("ascii"),
            }
            for c in await self.recent(chat_id, limit=1000)
        ]
