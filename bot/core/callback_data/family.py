"""A baby's family (a1): caregivers sharing one baby, with the shared zone and hour pickers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.buttons import ButtonKind, Press
from bot.core.callback_data.pickers import Cancel, PickHour, PickZone

# --- a1: a baby's family (caregivers sharing one baby) ----------------------------------------
# The subscription ids are only claims: the guard checks them against the presser's chat, and
# who may remove whom, at the moment of the press. Joining keeps its invite in the chat's draft.


@dataclass(frozen=True)
class FamilyList(Press):
    tag = "f"


@dataclass(frozen=True)
class OpenFamily(Press):
    tag = "o"
    subscription_id: int  # the presser's own subscription of the baby


@dataclass(frozen=True)
class MakeInvite(Press):
    tag = "i"
    subscription_id: int


@dataclass(frozen=True)
class AskRemoveCaregiver(Press):
    tag = "d"
    subscription_id: int
    member: int  # the caregiver's subscription id


@dataclass(frozen=True)
class RemoveCaregiver(Press):
    tag = "D"
    subscription_id: int
    member: int


@dataclass(frozen=True)
class AskLeave(Press):
    tag = "l"
    subscription_id: int


@dataclass(frozen=True)
class Leave(Press):
    tag = "L"
    subscription_id: int


@dataclass(frozen=True)
class JoinFamily(Press):
    tag = "j"


FamilyPress = (
    FamilyList
    | OpenFamily
    | MakeInvite
    | AskRemoveCaregiver
    | RemoveCaregiver
    | AskLeave
    | Leave
    | JoinFamily
    | PickZone
    | PickHour
    | Cancel
)
FAMILY = ButtonKind(
    "a",
    1,
    FamilyList,
    OpenFamily,
    MakeInvite,
    AskRemoveCaregiver,
    RemoveCaregiver,
    AskLeave,
    Leave,
    JoinFamily,
    PickZone,
    PickHour,
    Cancel,
)
