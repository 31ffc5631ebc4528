"""Decode a video file into evenly sampled, downscaled grey frames with PyAV (FFmpeg)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from bot.core.video.motion import MotionSeries, motion_series

MAX_FPS = 10.0
WIDTH = 160  # pixels across after downscaling; blocks of 8 give a 20-column grid


class VideoRejected(Exception):
    """The file can't be analysed; `reason` names the friendly message (video.bad_<reason>)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    min_seconds: float = 3.0
    max_seconds: float = 300.0


def _stream_seconds(container: av.container.InputContainer, stream: av.VideoStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _sampled(
    container: av.container.InputContainer, stream: av.VideoStream, fps: float, limits: Limits
) -> Iterator[NDArray[np.uint8]]:
    """Frames at most `fps` apart in time, grey and WIDTH pixels wide."""
    step = 1.0 / fps
    next_time = 0.0
    first: float | None = None
    height = None
    for frame in container.decode(stream):
        if frame.time is None:
            continue
        first = frame.time if first is None else first
        elapsed = frame.time - first
        if elapsed > limits.max_seconds + 1:
            raise VideoRejected("too_long")
        if elapsed + 1e-6 < next_time:
            continue
        next_time += step
        if height is None:
            height = max(8, round(frame.height * WIDTH / max(frame.width, 1) / 2) * 2)
        yield frame.reformat(width=WIDTH, height=height, format="gray").to_ndarray()


def analyse_file(path: Path, limits: Limits = Limits()) -> MotionSeries:
    """The movement series of the video at `path`; VideoRejected for anything unusable."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError, ValueError):
        raise VideoRejected("unreadable") from None
    with container:
        if not container.streams.video:
            raise VideoRejected("no_video")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        stream.codec_context.skip_frame = "NONREF"  # frames nothing else refers to: skipped
        seconds = _stream_seconds(container, stream)
        if seconds is not None and seconds > limits.max_seconds + 1:
            raise VideoRejected("too_long")
        rate = float(stream.average_rate or stream.guessed_rate or MAX_FPS)
        fps = min(MAX_FPS, rate)
        try:
            frames = list(_sampled(container, stream, fps, limits))
        except av.error.FFmpegError:
            raise VideoRejected("unreadable") from None
    series = motion_series(frames, fps)
    if len(frames) < 2 or series.duration < limits.min_seconds:
        raise VideoRejected("too_short")
    return series


def decode_only(path: Path) -> int:
    """Decodes every frame and does nothing else: the benchmark's baseline."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        return sum(1 for _ in container.decode(stream))
