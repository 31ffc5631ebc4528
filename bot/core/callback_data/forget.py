"""The /forget confirmation (f1)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.core.buttons import Base36, ButtonKind, Press

# --- f1:<yes|no>:<owner>: /forget confirmation ---------------------------------------------------


class ForgetChoice(enum.Enum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class ConfirmForget(Press):
    choice: ForgetChoice
    owner: Base36  # who asked: a hint only, the guard decides who may press


FORGET = ButtonKind("f", 1, ConfirmForget)
