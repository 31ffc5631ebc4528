"""One episode video, start to end, off the event loop: decode, measure, draw.

`VideoQueue` runs one analysis at a time per process in a worker thread, so the bot keeps
answering other chats while a clip is decoded.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.core.video.bursts import MotionSummary, summarise
from bot.core.video.chart import chart_model
from bot.core.video.motion import MotionSeries
from bot.core.video.rules import Limits
from bot.media.decode import Limits as DecodeLimits
from bot.media.decode import analyse_file
from bot.media.drawing import ChartLabels, render_chart

T = TypeVar("T")


@dataclass(frozen=True)
class Analysis:
    series: MotionSeries
    summary: MotionSummary
    chart_png: bytes


def analyse_bytes_file(path: Path, limits: Limits, labels: ChartLabels) -> Analysis:
    series = analyse_file(path, DecodeLimits(limits.min_seconds, limits.max_seconds))
    summary = summarise(series)
    return Analysis(series, summary, render_chart(chart_model(series, summary), labels))


async def with_temporary_file(
    fill: Callable[[Path], Awaitable[None]], work: Callable[[Path], T]
) -> T:
    """`fill` writes the video into a private temporary file, `work` runs on it in a thread;
    the file is deleted right after, whatever happens."""
    handle, name = tempfile.mkstemp(prefix="sleepsigns-", suffix=".video")
    os.close(handle)
    path = Path(name)
    try:
        await fill(path)
        return await asyncio.to_thread(work, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


class VideoQueue:
    """One analysis at a time; `busy` tells whether a new clip has to wait its turn."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    async def run(self, job: Callable[[], Awaitable[T]]) -> T:
        async with self._lock:
            return await job()
