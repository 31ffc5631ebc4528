"""rules/video.yaml: the thresholds the chart may act on, their advice, and the texts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.rules.checker import Checker
from bot.core.rules.models import LocalText
from bot.core.rules.sections import BUTTON_MAX, MESSAGE_MAX, parse_ui
from bot.core.rules.source import LineMap
from bot.core.rules.telegram_html import Markup
from bot.core.triage.vocabulary import Level

# The UI strings that live in video.yaml: the chart's, and the timeline picture's.
VIDEO_KEY_PREFIXES = ("video.", "button.video_", "timeline.", "button.timeline")
# Drawn into the PNG pictures (bot/media/drawing.py), so shown as written: plain text, no HTML.
# Every other string is a message or caption sent as Telegram HTML, or a button or toast.
PICTURE_LABELS = frozenset(
    {
        "video.chart_title",
        "video.chart_seconds",
        "video.chart_left",
        "video.chart_right",
        "video.chart_burst",
        "timeline.title",
        "timeline.months",
        "timeline.corrected",
        "timeline.today",
        "timeline.sent",
        "timeline.next",
    }
)
FINDINGS = ("spasm_series", "long_movement", "one_side")
_NUMBERS: dict[str, tuple[str, ...]] = {
    "spasm_series": ("burst_seconds", "interval_seconds", "min_bursts"),
    "long_movement": ("min_seconds", "max_pause_seconds"),
    "one_side": ("min_share", "min_moving_seconds"),
}


@dataclass(frozen=True)
class Limits:
    max_megabytes: int = 20
    min_seconds: int = 3
    max_seconds: int = 300


@dataclass(frozen=True)
class Finding:
    id: str
    level: Level
    title: LocalText
    text: LocalText
    sources: tuple[str, ...]
    numbers: Mapping[str, Any]  # the thresholds, as in the file


@dataclass(frozen=True)
class VideoRules:
    limits: Limits
    findings: Mapping[str, Finding]
    strings: Mapping[str, LocalText]


def _number(check: Checker, m: LineMap, key: str, where: str) -> Any:
    value = m.get(key)
    line = m.line_of(key)
    if isinstance(value, list):
        if (
            len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            or not 0 < value[0] < value[1]
        ):
            check.error(line, f"{where}.{key} must be [low, high] with 0 < low < high")
            return None
        return (float(value[0]), float(value[1]))
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        check.error(line, f"{where}.{key} must be a positive number")
        return None
    return value


def _finding(
    check: Checker, ident: str, body: Any, line: int, source_ids: set[str]
) -> Finding | None:
    where = f"findings.{ident}"
    entry = check.mapping(body, line, where)
    numbers = _NUMBERS[ident]
    if entry is None or not check.keys(
        entry, where, ["level", "title", "text", "sources", *numbers]
    ):
        return None
    try:
        level = Level.parse(str(entry["level"]))
    except ValueError:
        level = None
    if level is None or level is Level.REASSURE:
        check.error(entry.line_of("level"), f"{where}.level must be emergency, urgent or soon")
    # Both go into the advice message, sent as Telegram HTML (the title inside <b>).
    title = check.text(entry, "title", where, max_len=BUTTON_MAX * 2, markup=Markup.HTML)
    text = check.text(entry, "text", where, max_len=MESSAGE_MAX // 4, markup=Markup.HTML)
    sources = check.source_refs(entry, where, source_ids)
    values = {key: _number(check, entry, key, where) for key in numbers}
    if (
        ident == "one_side"
        and values.get("min_share") is not None
        and not (0.5 < values["min_share"] <= 1)
    ):
        check.error(entry.line_of("min_share"), f"{where}.min_share must be above 0.5, at most 1")
        return None
    if level is None or level is Level.REASSURE or None in values.values():
        return None
    if title is None or text is None or not sources:
        return None
    return Finding(ident, level, title, text, sources, values)


def parse_video(data: Any, check: Checker, source_ids: set[str]) -> VideoRules | None:
    root = check.mapping(data, 1, "the file")
    if root is None or not check.keys(root, "the file", ["limits", "findings", "strings"]):
        return None
    limits_map = check.mapping(root["limits"], root.line_of("limits"), "limits")
    limits = None
    if limits_map is not None and check.keys(
        limits_map, "limits", ["max_megabytes", "min_seconds", "max_seconds"]
    ):
        values = [
            check.integer(limits_map, "max_megabytes", "limits", 1, 20),
            check.integer(limits_map, "min_seconds", "limits", 1, 60),
            check.integer(limits_map, "max_seconds", "limits", 10, 3600),
        ]
        if None not in values:
            limits = Limits(*values)  # type: ignore[arg-type]
    found = check.mapping(root["findings"], root.line_of("findings"), "findings")
    findings: dict[str, Finding] = {}
    if found is not None and check.keys(found, "findings", FINDINGS):
        for ident in FINDINGS:
            finding = _finding(check, ident, found[ident], found.line_of(ident), source_ids)
            if finding is not None:
                findings[ident] = finding
    wrapper = LineMap({"strings": root["strings"]})
    wrapper.line, wrapper.key_lines = root.line, {"strings": root.line_of("strings")}
    strings = parse_ui(wrapper, check, plain_keys=PICTURE_LABELS)
    raw = root["strings"]
    for key in strings:
        if not key.startswith(VIDEO_KEY_PREFIXES):
            line = raw.line_of(key) if isinstance(raw, LineMap) else root.line_of("strings")
            check.error(line, f"'{key}' must start with one of {', '.join(VIDEO_KEY_PREFIXES)}")
    if limits is None or len(findings) != len(FINDINGS):
        return None
    return VideoRules(limits, findings, strings)
