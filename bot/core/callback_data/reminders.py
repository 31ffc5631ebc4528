"""/reminders (r1), a button under a milestone note (n1) and a baby's timeline picture (g1)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.buttons import ButtonKind, Press
from bot.core.callback_data.pickers import Hour

# --- r1: /reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListReminders(Press):
    tag = "l"


@dataclass(frozen=True)
class UnsubscribeAll(Press):
    tag = "U"


@dataclass(frozen=True)
class Pause(Press):
    tag = "p"
    subscription_id: int


@dataclass(frozen=True)
class Resume(Press):
    tag = "r"
    subscription_id: int


@dataclass(frozen=True)
class AskHour(Press):
    tag = "h"
    subscription_id: int


@dataclass(frozen=True)
class ChangeHour(Press):
    tag = "H"
    subscription_id: int
    hour: Hour


@dataclass(frozen=True)
class AskRemove(Press):
    tag = "d"
    subscription_id: int


@dataclass(frozen=True)
class Remove(Press):
    tag = "D"
    subscription_id: int


ReminderPress = (
    ListReminders | UnsubscribeAll | Pause | Resume | AskHour | ChangeHour | AskRemove | Remove
)
REMINDERS = ButtonKind(
    "r", 1, ListReminders, UnsubscribeAll, Pause, Resume, AskHour, ChangeHour, AskRemove, Remove
)


# --- n1:<milestone>:<button>: a button under a milestone note -------------------------------------


@dataclass(frozen=True)
class NoteButton(Press):
    milestone_id: str
    button_id: str


NOTE = ButtonKind("n", 1, NoteButton)


# --- g1:<subscription id>: /reminders → the milestone timeline picture of that baby --------------


@dataclass(frozen=True)
class ShowTimeline(Press):
    subscription_id: int  # only a claim: checked against the chat's own subscriptions


TIMELINE = ButtonKind("g", 1, ShowTimeline)
