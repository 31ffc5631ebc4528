"""What the chart may add to a check: findings that only ever raise the level.

The chart never says "normal": no finding means "no level", never "reassure", and the level a
parent reads is never lower than the movement check already gave.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import median

from bot.core.triage.vocabulary import Level
from bot.core.video.bursts import Burst, MotionSummary
from bot.core.video.rules import Finding


def _spasm_series(bursts: tuple[Burst, ...], numbers: Mapping[str, object]) -> bool:
    """At least `min_bursts` short bursts in a row, each start to start within the interval
    range, and about evenly spaced (the longest interval at most twice the shortest)."""
    low, high = numbers["burst_seconds"]  # type: ignore[misc]
    gap_low, gap_high = numbers["interval_seconds"]  # type: ignore[misc]
    needed = int(numbers["min_bursts"])  # type: ignore[call-overload]
    chain: list[Burst] = []
    for burst in bursts:
        short = low <= burst.length <= high
        if not short:
            chain = []
            continue
        if chain and not gap_low <= burst.start - chain[-1].start <= gap_high:
            chain = []
        chain.append(burst)
        intervals = [b.start - a.start for a, b in itertools.pairwise(chain)]
        if len(chain) >= needed and max(intervals) <= 2 * min(intervals):
            return True
        if len(chain) >= needed:
            chain = chain[-2:]  # uneven: start again from the last interval
    return False


def _long_movement(bursts: tuple[Burst, ...], numbers: Mapping[str, object]) -> bool:
    """Movement that keeps coming back, with no pause longer than `max_pause_seconds`, for
    longer than `min_seconds`."""
    longest = float(numbers["min_seconds"])  # type: ignore[arg-type]
    pause = float(numbers["max_pause_seconds"])  # type: ignore[arg-type]
    start: float | None = None
    end = 0.0
    for burst in bursts:
        if start is None or burst.start - end > pause:
            start = burst.start
        end = burst.end
        if end - start > longest:
            return True
    return False


def _one_side(summary: MotionSummary, numbers: Mapping[str, object]) -> bool:
    share = float(numbers["min_share"])  # type: ignore[arg-type]
    if summary.moving_seconds < float(numbers["min_moving_seconds"]):  # type: ignore[arg-type]
        return False
    return summary.left_share >= share or summary.left_share <= 1 - share


DETECTORS = {
    "spasm_series": lambda summary, numbers: _spasm_series(summary.bursts, numbers),
    "long_movement": lambda summary, numbers: _long_movement(summary.bursts, numbers),
    "one_side": _one_side,
}


@dataclass(frozen=True)
class Assessment:
    findings: tuple[Finding, ...]  # most serious first
    triage_level: Level | None  # what the movement check of this chat said, if recent
    level: Level | None  # what the parent is told: never lower than triage_level

    @property
    def raised(self) -> bool:
        """The chart asks for more than the check did."""
        return self.level is not None and (
            self.triage_level is None or self.level > self.triage_level
        )


def assess(
    summary: MotionSummary,
    findings: Mapping[str, Finding],
    triage_level: Level | None = None,
) -> Assessment:
    found = sorted(
        (f for ident, f in findings.items() if DETECTORS[ident](summary, f.numbers)),
        key=lambda finding: -finding.level,
    )
    levels = [f.level for f in found] + ([triage_level] if triage_level is not None else [])
    return Assessment(tuple(found), triage_level, max(levels) if levels else None)


@dataclass(frozen=True)
class Lines:
    """The numbers the plain lines say, rounded as a parent reads them."""

    count: int
    seconds: int
    every: int | None  # about one burst every N seconds, when they come regularly
    length: float | None  # typical burst length, seconds
    side: str  # both | left | right
    moving: int


REGULAR = 0.3  # autocorrelation at the repeat time from which bursts count as regular


def lines(summary: MotionSummary) -> Lines:
    bursts = summary.bursts
    every = None
    if len(bursts) >= 3 and summary.rhythm_seconds and summary.regularity >= REGULAR:
        every = round(median(summary.intervals))
    length = round(median(b.length for b in bursts), 1) if bursts else None
    return Lines(
        count=len(bursts),
        seconds=round(summary.duration),
        every=every,
        length=length,
        side=summary.side,
        moving=round(summary.moving_seconds),
    )
