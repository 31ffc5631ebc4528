"""Small synthetic videos made with PyAV and numpy, for the tests and the benchmark."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

Scene = Callable[[float], NDArray[np.uint8]]  # seconds -> grey frame (height, width)


def write_video(
    path: Path, scene: Scene, seconds: float, fps: int = 15, size: tuple[int, int] = (240, 160)
) -> Path:
    """Encodes `scene` as H.264 in an MP4 (`size` is width, height)."""
    width, height = size
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "23"}
        stream.time_base = Fraction(1, fps)
        for index in range(round(seconds * fps)):
            grey = scene(index / fps)
            rgb = np.repeat(grey[:, :, None], 3, axis=2)
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def textured_background(width: int, height: int, seed: int = 1) -> NDArray[np.float64]:
    """A cot-like scene: soft shapes and some texture, so a camera pan is visible."""
    rng = np.random.default_rng(seed)
    coarse = rng.uniform(60, 160, size=(height // 16 + 2, width // 16 + 2))
    scene = np.kron(coarse, np.ones((16, 16)))[:height, :width]
    return scene + rng.normal(0, 10, size=(height, width))


class Still:
    """A still scene with sensor noise; subclasses add movement."""

    def __init__(self, width: int = 240, height: int = 160, noise: float = 3.0) -> None:
        self.width, self.height, self.noise = width, height, noise
        self.background = textured_background(width, height)
        self.rng = np.random.default_rng(7)

    def base(self, t: float) -> NDArray[np.float64]:
        return self.background + self.rng.normal(0, self.noise, self.background.shape)

    def __call__(self, t: float) -> NDArray[np.uint8]:
        return np.clip(self.base(t), 0, 255).astype(np.uint8)


def draw_blob(frame: NDArray[np.float64], x: float, y: float, radius: float) -> None:
    rows, cols = np.ogrid[: frame.shape[0], : frame.shape[1]]
    frame[(rows - y) ** 2 + (cols - x) ** 2 <= radius**2] = 230


class JerkingBlob(Still):
    """A blob in the middle that jerks for `length` seconds every `every` seconds."""

    def __init__(self, every: float = 6.0, length: float = 1.0, x: float | None = None) -> None:
        super().__init__()
        self.every, self.length = every, length
        self.x = self.width / 2 if x is None else x

    def __call__(self, t: float) -> NDArray[np.uint8]:
        frame = self.base(t)
        phase = (t - 2.0) % self.every
        jerking = t >= 2.0 and phase < self.length
        dy = 14 * np.sin(2 * np.pi * 3 * phase) if jerking else 0.0
        draw_blob(frame, self.x, self.height / 2 + dy, 16)
        return np.clip(frame, 0, 255).astype(np.uint8)


class ShakingLeft(Still):
    """A blob on the left half moving at 3 Hz from 2 s to 32 s."""

    def __call__(self, t: float) -> NDArray[np.uint8]:
        frame = self.base(t)
        moving = 2.0 <= t < 32.0
        dx = 12 * np.sin(2 * np.pi * 3 * t) if moving else 0.0
        draw_blob(frame, self.width / 4 + dx, self.height / 2, 16)
        return np.clip(frame, 0, 255).astype(np.uint8)


class PanAndLight(Still):
    """A camera pan (2-6 s) and a light switched on (at 9 s); nothing in the scene moves."""

    def __init__(self) -> None:
        super().__init__()
        self.wide = textured_background(self.width + 80, self.height)

    def __call__(self, t: float) -> NDArray[np.uint8]:
        offset = round(min(max(t - 2.0, 0.0), 4.0) * 15)
        frame = self.wide[:, offset : offset + self.width].copy()
        frame += self.rng.normal(0, self.noise, frame.shape)
        if t >= 9.0:
            frame = frame * 1.4 + 30
        return np.clip(frame, 0, 255).astype(np.uint8)
