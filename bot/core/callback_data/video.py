"""A video of the baby's movements (v1): how to send one, and keeping its chart."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.buttons import ButtonKind, Press

# --- v1:ask | v1:<token>: "Send me a video" under an outcome; "Keep with the history" -------------


@dataclass(frozen=True)
class AskForVideo(Press):
    """How to send the clip. Listed first: its tag is never a token (tokens are 8 characters)."""

    tag = "ask"


@dataclass(frozen=True)
class KeepChart(Press):
    """Keep a video chart with the history; the token names a chart held in memory until then
    (only a claim: an unknown token, or one of another chat, is answered as expired)."""

    token: str


VideoPress = AskForVideo | KeepChart
VIDEO = ButtonKind("v", 1, AskForVideo, KeepChart)
