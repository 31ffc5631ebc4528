"""The main menu (m1) and the explainers (x1)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.core.buttons import ButtonKind, Press

# --- m1:<section>: the main menu -----------------------------------------------------------------


class Section(enum.Enum):
    HOME = "home"
    EXPLAIN = "explain"
    TRIAGE = "triage"
    REMINDERS = "reminders"
    SUBSCRIBE = "subscribe"
    ABOUT = "about"


@dataclass(frozen=True)
class OpenSection(Press):
    section: Section


MENU = ButtonKind("m", 1, OpenSection)


# --- x1:m | x1:t:<topic> | x1:s:<topic>: explainers ----------------------------------------------


@dataclass(frozen=True)
class ExplainMenu(Press):
    tag = "m"


@dataclass(frozen=True)
class ExplainTopic(Press):
    tag = "t"
    topic_id: str


@dataclass(frozen=True)
class ExplainSources(Press):
    tag = "s"
    topic_id: str


ExplainPress = ExplainMenu | ExplainTopic | ExplainSources
EXPLAIN = ButtonKind("x", 1, ExplainMenu, ExplainTopic, ExplainSources)
