"""A movement check (t1) and the answer to its check-in two hours later (k1)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.core.buttons import Base36, ButtonKind, Digits, Minute, Press

# --- t1:<flow>:<fingerprint>:<owner>:<started>:<answers>[:s|:k]: a movement check ----------------
# Stateless: the answers so far are one base36 digit per question, the owner is the starter's
# user id and <started> the minute the check began (both base36); the fingerprint marks buttons
# made for an older version of the rules as stale.


class TriageAction(enum.Enum):
    SUMMARY = "s"  # the forwardable summary for the doctor
    CHECK_IN = "k"  # "Check on us in 2 hours" on an urgent or soon outcome
    FAMILY = "a"  # "Send the summary to the family", under the summary


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
