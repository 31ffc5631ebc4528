"""Episode video analysis: a 60-second 720p clip, analysed in under 5 seconds on one core?

The clip (H.264, 30 frames/s, 1280x720) is made here with PyAV: a textured cot-like scene with
sensor noise and a blob that jerks for 1 s every 6 s. The process is pinned to one CPU core.
Timed, best of R runs each, in the same run:

- decode only (baseline): FFmpeg decodes every frame and nothing else is done;
- analysis: what the bot does (`bot.media.pipeline.analyse_bytes_file`): decode, sample at
  10 frames/s, downscale, grey, motion per half, bursts and rhythm, and the PNG chart.

The ratio analysis / decode-only shows what the analysis adds on top of reading the file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import load_rules, print_table

from bot.media.decode import decode_only
from bot.media.drawing import ChartLabels
from bot.media.pipeline import analyse_bytes_file
from tests.video.synthetic import draw_blob, textured_background, write_video

LIMIT_SECONDS = 5.0


class HdScene:
    """720p: a still background, a few precomputed noise frames, a jerking blob."""

    def __init__(self, width: int, height: int) -> None:
        self.background = textured_background(width, height)
        rng = np.random.default_rng(3)
        self.noise = [rng.normal(0, 3, (height, width)) for _ in range(5)]
        self.width, self.height = width, height

    def __call__(self, t: float) -> np.ndarray:
        frame = self.background + self.noise[int(t * 30) % len(self.noise)]
        phase = (t - 2.0) % 6.0
        dy = 60 * np.sin(2 * np.pi * 3 * phase) if t >= 2 and phase < 1.0 else 0.0
        draw_blob(frame, self.width / 2, self.height / 2 + dy, 80)
        return np.clip(frame, 0, 255).astype(np.uint8)


def best_of(runs: int, job) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a 20-second clip, one run each")
    args = parser.parse_args()
    seconds, runs = (20, 1) if args.quick else (60, 3)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rules = load_rules()
    assert rules.video is not None
    labels = ChartLabels("Movement in the video", "seconds", "left half", "right half", "burst")
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        clip = write_video(
            Path(folder) / "clip.mp4", HdScene(1280, 720), seconds, fps=30, size=(1280, 720)
        )
        made = time.perf_counter() - started
        decode = best_of(runs, lambda: decode_only(clip))
        analysis = best_of(runs, lambda: analyse_bytes_file(clip, rules.video.limits, labels))
        result = analyse_bytes_file(clip, rules.video.limits, labels)
        size_mb = clip.stat().st_size / 1e6
    print_table(
        f"Video analysis, {seconds} s at 1280x720, 30 frames/s ({size_mb:.1f} MB; made in "
        f"{made:.1f} s), one core, best of {runs}",
        ["step", "seconds", "x decode-only", "limit"],
        [
            ["decode only (baseline)", f"{decode:.2f}", "1.00", ""],
            ["analysis (bot)", f"{analysis:.2f}", f"{analysis / decode:.2f}", f"{LIMIT_SECONDS} s"],
        ],
    )
    print(f"\nbursts found: {len(result.summary.bursts)}, rhythm {result.summary.rhythm_seconds} s")
    print(f"ratio analysis / decode only: {analysis / decode:.2f}x ({analysis:.2f} s, limit 5 s)")
    if analysis > LIMIT_SECONDS * seconds / 60:
        print(f"PROBLEM: analysis took {analysis:.2f} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
