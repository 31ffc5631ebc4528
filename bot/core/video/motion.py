"""Movement per frame from frame differences, with global motion taken out.

A frame pair changes everywhere when the camera moves or the light changes, but only in a
small area when the baby moves. So each frame is first normalised (mean and contrast, for the
light), the next one is aligned to it by the whole-picture shift that fits best (phase
correlation, for the camera), and what is left is measured per block: the median block change
is the global part and is subtracted, and only what stands out counts as movement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

BLOCK = 8  # pixels per block side in the downscaled frame
# Grey levels (of 255, after contrast normalisation) a block must change by, beyond the global
# change, to count as movement: above sensor noise and compression flicker.
NOISE_FLOOR = 6.0
MAX_SHIFT_FRACTION = 0.25  # a larger jump between samples is a cut, not a pan


@dataclass(frozen=True)
class MotionSeries:
    """Movement per sampled frame (the first frame has none), for each half of the picture."""

    fps: float
    left: NDArray[np.float64]
    right: NDArray[np.float64]

    @property
    def total(self) -> NDArray[np.float64]:
        return self.left + self.right

    @property
    def duration(self) -> float:
        return len(self.left) / self.fps if self.fps else 0.0


def _normalised(frame: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Same mean and contrast for every frame, so a light switched on is not movement."""
    values = frame.astype(np.float32)
    spread = float(values.std())
    return (values - float(values.mean())) * (48.0 / max(spread, 4.0))


def _global_shift(previous: NDArray[np.float32], current: NDArray[np.float32]) -> tuple[int, int]:
    """The whole-picture shift (rows, columns) that best maps `previous` onto `current`."""
    spectrum = np.fft.rfft2(current) * np.conj(np.fft.rfft2(previous))
    spectrum /= np.abs(spectrum) + 1e-6
    correlation = np.fft.irfft2(spectrum, s=current.shape)
    row, col = np.unravel_index(int(np.argmax(correlation)), correlation.shape)
    height, width = current.shape
    row = row - height if row > height // 2 else row
    col = col - width if col > width // 2 else col
    if abs(row) > height * MAX_SHIFT_FRACTION or abs(col) > width * MAX_SHIFT_FRACTION:
        return 0, 0
    return int(row), int(col)


def _block_change(previous: NDArray[np.float32], current: NDArray[np.float32]) -> NDArray:
    """Mean absolute change per block, after aligning for the camera; edges the shift exposed
    are left out (NaN)."""
    rows, cols = _global_shift(previous, current)
    difference = np.abs(current - np.roll(previous, (rows, cols), axis=(0, 1)))
    if rows > 0:
        difference[:rows, :] = np.nan
    elif rows < 0:
        difference[rows:, :] = np.nan
    if cols > 0:
        difference[:, :cols] = np.nan
    elif cols < 0:
        difference[:, cols:] = np.nan
    height, width = difference.shape
    blocks = difference[: height - height % BLOCK, : width - width % BLOCK]
    shaped = blocks.reshape(height // BLOCK, BLOCK, width // BLOCK, BLOCK)
    with np.errstate(all="ignore"):
        return np.nanmean(shaped, axis=(1, 3))


def frame_motion(
    previous: NDArray[np.float32], current: NDArray[np.float32]
) -> tuple[float, float]:
    """Movement (left half, right half) between two normalised frames: the summed block change
    above the global change and the noise floor, as a share of the picture."""
    change = _block_change(previous, current)
    valid = change[np.isfinite(change)]
    if valid.size == 0:
        return 0.0, 0.0
    excess = np.nan_to_num(change - float(np.median(valid)) - NOISE_FLOOR, nan=0.0)
    excess = np.clip(excess, 0.0, None) / change.size
    half = change.shape[1] // 2
    return float(excess[:, :half].sum()), float(excess[:, half:].sum())


def motion_series(frames: Iterable[NDArray[np.uint8]], fps: float) -> MotionSeries:
    """Movement for each frame of a grey, downscaled, evenly sampled clip."""
    left: list[float] = []
    right: list[float] = []
    previous: NDArray[np.float32] | None = None
    for frame in frames:
        current = _normalised(frame)
        if previous is None or previous.shape != current.shape:
            left.append(0.0)
            right.append(0.0)
        else:
            moved_left, moved_right = frame_motion(previous, current)
            left.append(moved_left)
            right.append(moved_right)
        previous = current
    return MotionSeries(fps=fps, left=np.array(left), right=np.array(right))
