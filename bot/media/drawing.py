"""The one small drawing module behind both pictures (Pillow): a canvas with a few primitives,
and the two renderers. What is drawn comes from the core (chart.py, timeline.py)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from bot.core.timeline import Timeline as TimelineModel
from bot.core.video.chart import ChartModel

INK = (40, 44, 52)
GRID = (225, 228, 234)
LEFT = (33, 110, 200)
RIGHT = (230, 120, 30)
BURST = (255, 225, 225)
MARK = (200, 40, 40)
DONE = (40, 150, 80)
PAPER = (255, 255, 255)


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


@dataclass
class Canvas:
    width: int
    height: int

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (self.width, self.height), PAPER)
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self, xy: tuple[float, float], text: str, size: int = 16, fill=INK, anchor: str = "la"
    ) -> None:
        self.draw.text(xy, text, fill=fill, font=font(size), anchor=anchor)

    def line(self, points: Sequence[tuple[float, float]], fill=INK, width: int = 1) -> None:
        if len(points) >= 2:
            self.draw.line(list(points), fill=fill, width=width)

    def box(self, corners: tuple[float, float, float, float], fill=None, outline=None) -> None:
        self.draw.rectangle(corners, fill=fill, outline=outline)

    def dot(self, x: float, y: float, radius: float, fill=INK, outline=None) -> None:
        self.draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=fill, outline=outline
        )

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, format="PNG", optimize=True)
        return out.getvalue()


@dataclass(frozen=True)
class ChartLabels:
    title: str
    seconds: str
    left: str
    right: str
    burst: str


CHART_SIZE = (1000, 420)


def render_chart(model: ChartModel, labels: ChartLabels) -> bytes:
    """Movement over time, mirrored: the left half of the picture upwards, the right half
    downwards from the middle line, so a one-sided pattern shows at a glance; bursts shaded,
    time in seconds."""
    canvas = Canvas(*CHART_SIZE)
    x0, x1, y0, y1 = 60, CHART_SIZE[0] - 30, 70, CHART_SIZE[1] - 60
    middle = (y0 + y1) / 2
    span = max(model.seconds, 1e-9)

    def x_of(seconds: float) -> float:
        return x0 + (x1 - x0) * min(seconds, span) / span

    canvas.text((x0, 20), labels.title, size=24)
    for start, end in model.bursts:
        canvas.box((x_of(start), y0, max(x_of(end), x_of(start) + 2), y1), fill=BURST)
    for tick in model.ticks:
        canvas.line([(x_of(tick), y0), (x_of(tick), y1)], fill=GRID)
        canvas.text((x_of(tick), y1 + 8), str(tick), size=14, anchor="ma")
    canvas.line([(x0, y1), (x1, y1)])
    canvas.line([(x0, y0), (x0, y1)])
    canvas.text(((x0 + x1) / 2, y1 + 30), labels.seconds, size=16, anchor="ma")
    for values, colour, sign in ((model.left, LEFT, -1), (model.right, RIGHT, 1)):
        points = [
            (x_of(t), middle + sign * (middle - y0) * v)
            for t, v in zip(model.times, values, strict=True)
        ]
        canvas.line(points, colour, 2)
    canvas.line([(x0, middle), (x1, middle)], fill=INK)
    up, down = (y0 + middle) / 2, (middle + y1) / 2  # arrows: which half goes which way
    canvas.draw.polygon([(x0 - 22, up + 6), (x0 - 8, up + 6), (x0 - 15, up - 6)], fill=LEFT)
    canvas.draw.polygon([(x0 - 22, down - 6), (x0 - 8, down - 6), (x0 - 15, down + 6)], fill=RIGHT)
    legend_x = x1 - 360
    for offset, (name, colour) in enumerate(
        ((labels.left, LEFT), (labels.right, RIGHT), (labels.burst, BURST))
    ):
        x = legend_x + offset * 125
        canvas.box((x, 26, x + 18, 40), fill=colour, outline=INK if colour == BURST else None)
        canvas.text((x + 24, 25), name, size=15)
    return canvas.png()


@dataclass(frozen=True)
class TimelineLabels:
    title: str
    months: str  # "age in months"
    corrected: str  # "corrected age"
    today: str
    sent: str
    next: str


TIMELINE_WIDTH = 1200
STATUS_COLOURS = {"sent": DONE, "next": MARK, "missed": GRID, "later": (150, 155, 165)}


def timeline_height(model: TimelineModel) -> int:
    stacked = max((m.level for m in model.marks), default=0)
    return 200 + 30 * stacked + 28 * len(model.marks) + (60 if model.preterm else 0)


def render_timeline(model: TimelineModel, labels: TimelineLabels) -> bytes:
    """The first 3 years on one line: numbered notes (sent ticked, next in red with dates),
    today marked, actual age below the line and corrected age above it for a baby born early;
    the numbers are explained in a list under the line."""
    canvas = Canvas(TIMELINE_WIDTH, timeline_height(model))
    x0, x1 = 50, TIMELINE_WIDTH - 50
    stacked = max((m.level for m in model.marks), default=0)
    line_y = 120 + 30 * stacked + (60 if model.preterm else 0)

    def x_of(position: float) -> float:
        return x0 + (x1 - x0) * position

    canvas.text((x0, 18), labels.title, size=26)
    canvas.line([(x0, line_y), (x1, line_y)], width=3)
    for tick in model.ticks:
        canvas.line([(x_of(tick.position), line_y), (x_of(tick.position), line_y + 8)])
        canvas.text((x_of(tick.position), line_y + 12), str(tick.months), size=14, anchor="ma")
    canvas.text((x0, line_y + 34), labels.months, size=15)
    if model.preterm:
        top = 86
        canvas.text((x0, top - 8), labels.corrected, size=15, fill=(120, 80, 160), anchor="ls")
        for tick in model.corrected_ticks:
            x = x_of(tick.position)
            canvas.line([(x, top), (x, top + 8)], fill=(120, 80, 160))
            canvas.text((x, top + 10), str(tick.months), size=13, fill=(120, 80, 160), anchor="ma")
        if model.corrected_end is not None:
            canvas.line([(x0, top), (x_of(model.corrected_end), top)], fill=(120, 80, 160))
    if model.today is not None:
        x = x_of(model.today)
        canvas.line([(x, line_y - 40 - 30 * stacked), (x, line_y + 30)], fill=MARK, width=2)
        canvas.text((x + 4, line_y + 34), labels.today, size=15, fill=MARK)
    for mark in model.marks:
        x, y = x_of(mark.position), line_y - 30 * mark.level
        if mark.level:
            canvas.line([(x, y), (x, line_y)], fill=GRID)
        colour = STATUS_COLOURS[mark.status]
        canvas.dot(x, y, 11, fill=PAPER if mark.status == "later" else colour, outline=colour)
        ink = PAPER if mark.status in ("sent", "next") else INK
        canvas.text((x, y), str(mark.number), size=12, fill=ink, anchor="mm")
    y = line_y + 70
    for mark in model.marks:
        colour = STATUS_COLOURS[mark.status]
        canvas.dot(
            x0 + 10, y + 9, 10, fill=PAPER if mark.status == "later" else colour, outline=colour
        )
        canvas.text(
            (x0 + 10, y + 9),
            str(mark.number),
            size=11,
            fill=PAPER if mark.status in ("sent", "next") else INK,
            anchor="mm",
        )
        # The bundled font has no tick or arrow glyphs: the status is a word, the dot a colour.
        status = {"sent": f"  ({labels.sent})", "next": f"  ({labels.next})"}.get(mark.status, "")
        canvas.text((x0 + 32, y), f"{mark.when}   {mark.title}{status}", size=16, fill=INK)
        y += 28
    return canvas.png()
