"""Every inline button this bot sends, as a typed definition, and the one codec that decodes them.

Each kind keeps its prefix, version and field layout byte-for-byte: buttons already in parents'
chats must keep working. Changing a layout means bumping its kind's version (old buttons then
decode as stale). To add a kind: write its dataclasses and a `ButtonKind` in the module of its
feature, list it in `BUTTONS` here (and give it a route in `registry.py` and an access rule in
`guard.py`).

One module per feature: `menu` (m1, x1), `triage` (t1, k1), `forget` (f1), `pickers` (the year,
month, zone and hour screens shared by s1, c1 and a1), `sign_up` (s1, c1), `reminders` (r1, n1,
g1), `family` (a1), `video` (v1), `language` (l1). Every name is re-exported here.
"""

from __future__ import annotations

from bot.core.buttons import Buttons
from bot.core.callback_data.family import (
    FAMILY,
    AskLeave,
    AskRemoveCaregiver,
    FamilyList,
    FamilyPress,
    JoinFamily,
    Leave,
    MakeInvite,
    OpenFamily,
    RemoveCaregiver,
)
from bot.core.callback_data.forget import FORGET, ConfirmForget, ForgetChoice
from bot.core.callback_data.language import LANGUAGE, ChooseLanguage
from bot.core.callback_data.menu import (
    EXPLAIN,
    MENU,
    ExplainMenu,
    ExplainPress,
    ExplainSources,
    ExplainTopic,
    OpenSection,
    Section,
)
from bot.core.callback_data.pickers import (
    ZONE,
    Cancel,
    Hour,
    PickHour,
    PickMonth,
    PickYear,
    PickZone,
    Zone,
)
from bot.core.callback_data.reminders import (
    NOTE,
    REMINDERS,
    TIMELINE,
    AskHour,
    AskRemove,
    ChangeHour,
    ListReminders,
    NoteButton,
    Pause,
    ReminderPress,
    Remove,
    Resume,
    ShowTimeline,
    UnsubscribeAll,
)
from bot.core.callback_data.sign_up import (
    COHORT_SETUP,
    SUBSCRIBE,
    AskWeeks,
    ChannelOffer,
    CohortPress,
    PickCityZone,
    PickDay,
    PickOffer,
    PickWeeks,
    SkipName,
    SubscribePress,
)
from bot.core.callback_data.triage import (
    CHECK_IN,
    TRIAGE,
    AnswerCheckIn,
    CheckInReply,
    TriageAction,
    TriageStep,
    UnreadableTriage,
)
from bot.core.callback_data.video import VIDEO, AskForVideo, KeepChart, VideoPress

__all__ = [
    "BUTTONS",
    "CHECK_IN",
    "COHORT_SETUP",
    "EXPLAIN",
    "FAMILY",
    "FORGET",
    "LANGUAGE",
    "MENU",
    "NOTE",
    "REMINDERS",
    "SUBSCRIBE",
    "TIMELINE",
    "TRIAGE",
    "VIDEO",
    "ZONE",
    "AnswerCheckIn",
    "AskForVideo",
    "AskHour",
    "AskLeave",
    "AskRemove",
    "AskRemoveCaregiver",
    "AskWeeks",
    "Cancel",
    "ChangeHour",
    "ChannelOffer",
    "CheckInReply",
    "ChooseLanguage",
    "CohortPress",
    "ConfirmForget",
    "ExplainMenu",
    "ExplainPress",
    "ExplainSources",
    "ExplainTopic",
    "FamilyList",
    "FamilyPress",
    "ForgetChoice",
    "Hour",
    "JoinFamily",
    "KeepChart",
    "Leave",
    "ListReminders",
    "MakeInvite",
    "NoteButton",
    "OpenFamily",
    "OpenSection",
    "Pause",
    "PickCityZone",
    "PickDay",
    "PickHour",
    "PickMonth",
    "PickOffer",
    "PickWeeks",
    "PickYear",
    "PickZone",
    "ReminderPress",
    "Remove",
    "RemoveCaregiver",
    "Resume",
    "Section",
    "ShowTimeline",
    "SkipName",
    "SubscribePress",
    "TriageAction",
    "TriageStep",
    "UnreadableTriage",
    "UnsubscribeAll",
    "VideoPress",
    "Zone",
]

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
    FAMILY,
    LANGUAGE,
    TIMELINE,
    VIDEO,
)
