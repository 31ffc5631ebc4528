"""What the movement chart shows, computed here so the drawing code only draws."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.core.video.bursts import MotionSummary
from bot.core.video.motion import MotionSeries

NICE_STEPS = (1, 2, 5, 10, 15, 30, 60)


@dataclass(frozen=True)
class ChartModel:
    seconds: float  # length of the time axis
    times: tuple[float, ...]  # one per sample
    left: tuple[float, ...]  # 0..1 of the chart height
    right: tuple[float, ...]
    bursts: tuple[tuple[float, float], ...]  # (start, end) in seconds, shaded
    ticks: tuple[int, ...]  # labelled seconds on the time axis


def time_ticks(seconds: float, at_most: int = 12) -> tuple[int, ...]:
    step = next((s for s in NICE_STEPS if seconds / s <= at_most), 120)
    return tuple(range(0, int(seconds) + 1, step))


def chart_model(series: MotionSeries, summary: MotionSummary) -> ChartModel:
    # A robust top (not the single biggest frame) keeps one big jerk from flattening the rest.
    top = float(np.percentile(series.total, 99)) if len(series.total) else 0.0
    top = max(top, 1e-9)
    scale = lambda values: tuple(float(v) for v in np.clip(values / top, 0, 1))  # noqa: E731
    return ChartModel(
        seconds=series.duration,
        times=tuple(i / series.fps for i in range(len(series.left))),
        left=scale(series.left),
        right=scale(series.right),
        bursts=tuple((b.start, b.end) for b in summary.bursts),
        ticks=time_ticks(series.duration),
    )
