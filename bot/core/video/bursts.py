"""Bursts of movement, the gaps between them and how regular they are."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bot.core.video.motion import MotionSeries

# Movement (share of the picture, see motion.py) a frame needs to be part of a burst.
BURST_THRESHOLD = 0.02
MERGE_GAP_SECONDS = 0.35  # two bursts closer than this are one
ONE_SIDE_SHARE = 0.85  # this share of the movement in one half counts as "one side"


@dataclass(frozen=True)
class Burst:
    start: float  # seconds from the start of the clip
    length: float  # seconds

    @property
    def end(self) -> float:
        return self.start + self.length


@dataclass(frozen=True)
class MotionSummary:
    """What the chart shows, in numbers."""

    duration: float
    bursts: tuple[Burst, ...]
    moving_seconds: float
    left_share: float  # of all movement, the part in the left half of the picture (0..1)
    rhythm_seconds: float | None  # the repeat time the autocorrelation finds, if any
    regularity: float  # autocorrelation at that repeat time (0: none, 1: like a metronome)

    @property
    def gaps(self) -> tuple[float, ...]:
        return tuple(b.start - a.end for a, b in itertools.pairwise(self.bursts))

    @property
    def intervals(self) -> tuple[float, ...]:
        """Start to start, between neighbouring bursts."""
        return tuple(b.start - a.start for a, b in itertools.pairwise(self.bursts))

    @property
    def side(self) -> str:
        """'left', 'right' or 'both': where the movement was, in the picture."""
        if self.left_share >= ONE_SIDE_SHARE:
            return "left"
        if self.left_share <= 1 - ONE_SIDE_SHARE:
            return "right"
        return "both"


def find_bursts(active: NDArray[np.bool_], fps: float) -> tuple[Burst, ...]:
    """Runs of active frames, with short breaks closed."""
    runs: list[list[int]] = []
    for index in np.flatnonzero(active):
        if runs and index - runs[-1][1] <= MERGE_GAP_SECONDS * fps + 1:
            runs[-1][1] = int(index)
        else:
            runs.append([int(index), int(index)])
    # A frame difference covers the time since the previous sample: a burst starts there.
    return tuple(
        Burst(start=max(first - 1, 0) / fps, length=(last - first + 1) / fps)
        for first, last in runs
    )


def rhythm(
    active: NDArray[np.bool_], fps: float, low: float, high: float
) -> tuple[float | None, float]:
    """The repeat time between `low` and `high` seconds with the strongest autocorrelation of
    the on/off movement signal, and that correlation (0..1)."""
    signal = active.astype(np.float64)
    signal -= signal.mean()
    energy = float(np.dot(signal, signal))
    first, last = round(low * fps), round(high * fps)
    if energy == 0 or len(signal) <= first + 1:
        return None, 0.0
    best_lag, best = None, 0.0
    for lag in range(max(first, 1), min(last, len(signal) - 1) + 1):
        # The plain (biased) estimate shrinks with the lag, so the basic repeat time wins over
        # its multiples; the regularity reported is then corrected for the shorter overlap.
        value = float(np.dot(signal[:-lag], signal[lag:])) / energy
        if value > best:
            best_lag, best = lag, value
    if best_lag is None:
        return None, 0.0
    regularity = best * len(signal) / (len(signal) - best_lag)
    return best_lag / fps, min(regularity, 1.0)


def summarise(
    series: MotionSeries, rhythm_range: tuple[float, float] = (1.0, 20.0)
) -> MotionSummary:
    total = series.total
    active = total > BURST_THRESHOLD
    bursts = find_bursts(active, series.fps)
    moved = float(total[active].sum())
    left_share = float(series.left[active].sum()) / moved if moved > 0 else 0.5
    repeat, regularity = rhythm(active, series.fps, *rhythm_range)
    return MotionSummary(
        duration=series.duration,
        bursts=bursts,
        moving_seconds=float(sum(b.length for b in bursts)),
        left_share=left_share,
        rhythm_seconds=repeat,
        regularity=regularity,
    )
