"""Every inline button this bot sends, as a typed definition, and the one codec that decodes them.

Each kind keeps its prefix, version and field layout byte-for-byte: buttons already in parents'
chats must keep working. Changing a layout means bumping its kind's version (old buttons then
decode as stale). To add a kind: write its dataclasses, a `ButtonKind`, and list it in `BUTTONS`
(and give it a route in `registry.py` and an access rule in `guard.py`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from bot.core.buttons import Base36, ButtonKind, Buttons, Digits, FieldCodec, Minute, Press, one_of
from bot.core.date_picker import DELIVERY_HOURS
from bot.core.timezones import is_known_zone

Hour = Annotated[int, one_of(DELIVERY_HOURS)]


def _zone_from_wire(text: str) -> str:
    zone = text.replace("__", "/")
    if not is_known_zone(zone):
        raise ValueError(f"not a known time zone: {zone!r}")
    return zone


# An IANA zone with "/" written "__" (the wire allows only A-Z a-z 0-9 _ -; no zone has "__").
ZONE: FieldCodec[str] = FieldCodec("zone", lambda zone: zone.replace("/", "__"), _zone_from_wire)
Zone = Annotated[str, ZONE]


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


# --- t1:<flow>:<fingerprint>:<owner>:<started>:<answers>[:s|:k]: a movement check ----------------
# Stateless: the answers so far are one base36 digit per question, the owner is the starter's
# user id and <started> the minute the check began (both base36); the fingerprint marks buttons
# made for an older version of the rules as stale.


class TriageAction(enum.Enum):
    SUMMARY = "s"  # the forwardable summary for the doctor
    CHECK_IN = "k"  # "Check on us in 2 hours" on an urgent or soon outcome


@dataclass(frozen=True)
class TriageStep(Press):
    flow_id: str
    fingerprint: str
    owner: Base36
    started: Minute
    answers: Digits
    action: TriageAction | None = None


@dataclass(frozen=True)
class UnreadableTriage(Press):
    """Triage data whose fields do not parse: made for older rules (the old 4-5 field layout
    included) when its fingerprint is old, else forged. Tried only after `TriageStep`."""

    flow_id: str
    fingerprint: str
    third: str
    fourth: str
    fifth: str | None = None
    sixth: str | None = None


TRIAGE = ButtonKind("t", 1, TriageStep, UnreadableTriage)


# --- f1:<yes|no>:<owner>: /forget confirmation ---------------------------------------------------


class ForgetChoice(enum.Enum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class ConfirmForget(Press):
    choice: ForgetChoice
    owner: Base36  # who asked: a hint only, the guard decides who may press


FORGET = ButtonKind("f", 1, ConfirmForget)


# --- shared pickers: s1 (a family's sign-up) and c1 (a group's or channel's birth month) ---------
# The draft itself is in the database; each button carries only the value of its step.


@dataclass(frozen=True)
class PickYear(Press):
    tag = "y"
    year: int | None = None  # None: back to the list of years


@dataclass(frozen=True)
class PickMonth(Press):
    tag = "m"
    year: int
    month: int


@dataclass(frozen=True)
class PickZone(Press):
    tag = "z"
    index: int  # into the time zones offered for the chat's locale


@dataclass(frozen=True)
class PickHour(Press):
    tag = "h"
    hour: Hour


@dataclass(frozen=True)
class Cancel(Press):
    tag = "x"


# s1:y[:<year>] | s1:m:<year>:<month> | s1:d:<YYYYMMDD> | s1:w | s1:e:<weeks> | s1:n | s1:z:<i>
# | s1:Z:<zone> | s1:h:<hour> | s1:x


@dataclass(frozen=True)
class PickDay(Press):
    tag = "d"
    day: date


@dataclass(frozen=True)
class AskWeeks(Press):
    tag = "w"


@dataclass(frozen=True)
class PickWeeks(Press):
    tag = "e"
    weeks: int  # 0: born on time


@dataclass(frozen=True)
class SkipName(Press):
    tag = "n"


@dataclass(frozen=True)
class PickCityZone(Press):
    """One of the places a typed city name may mean ("Portland": Oregon or Maine)."""

    tag = "Z"
    zone: Zone


SubscribePress = (
    PickYear
    | PickMonth
    | PickDay
    | AskWeeks
    | PickWeeks
    | SkipName
    | PickZone
    | PickCityZone
    | PickHour
    | Cancel
)
SUBSCRIBE = ButtonKind(
    "s",
    1,
    PickYear,
    PickMonth,
    PickDay,
    AskWeeks,
    PickWeeks,
    SkipName,
    PickZone,
    PickCityZone,
    PickHour,
    Cancel,
)


# c1:k:<cohort|tips> | c1:y[:<year>] | c1:m:<year>:<month> | c1:z:<i> | c1:h:<hour> | c1:x


class ChannelOffer(enum.Enum):
    COHORT = "cohort"  # follow a birth month
    TIPS = "tips"  # one explainer a week


@dataclass(frozen=True)
class PickOffer(Press):
    tag = "k"
    offer: ChannelOffer


CohortPress = PickOffer | PickYear | PickMonth | PickZone | PickHour | Cancel
COHORT_SETUP = ButtonKind("c", 1, PickOffer, PickYear, PickMonth, PickZone, PickHour, Cancel)


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


# --- k1:<f|d|w>:<check-in id>: the answer to "how is your baby now?" -----------------------------


class CheckInReply(enum.Enum):
    """The answers to a check-in: the value on the wire, and the word stored for it."""

    FINE = "f"
    DOCTOR = "d"
    WORSE = "w"

    @property
    def stored(self) -> str:
        return {"f": "fine", "d": "doctor", "w": "worse"}[self.value]


@dataclass(frozen=True)
class AnswerCheckIn(Press):
    reply: CheckInReply
    check_in_id: Base36  # only a claim: checked against the chat's stored check-ins


CHECK_IN = ButtonKind("k", 1, AnswerCheckIn)


# --- g1:<subscription id>: /reminders → the milestone timeline picture of that baby --------------


@dataclass(frozen=True)
class ShowTimeline(Press):
    subscription_id: int  # only a claim: checked against the chat's own subscriptions


TIMELINE = ButtonKind("g", 1, ShowTimeline)


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


# --- l1:<locale>: /language ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChooseLanguage(Press):
    locale: str  # a code from rules/locales.yaml; the handler refuses any other


LANGUAGE = ButtonKind("l", 1, ChooseLanguage)

BUTTONS = Buttons(
    MENU,
    EXPLAIN,
    TRIAGE,
    FORGET,
    SUBSCRIBE,
    REMINDERS,
    NOTE,
    COHORT_SETUP,
    CHECK_IN,
    LANGUAGE,
    TIMELINE,
    VIDEO,
)
