"""A family's sign-up (s1) and a group's or channel's birth-month setup (c1), both built from the
shared pickers; the draft itself is in the database, each button carries only its step's value."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from bot.core.buttons import ButtonKind, Press
from bot.core.callback_data.pickers import Cancel, PickHour, PickMonth, PickYear, PickZone, Zone

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
