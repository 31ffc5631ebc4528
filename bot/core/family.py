"""Caregivers sharing one baby: invite tokens and who may do what in a family (issue 12).

Pure rules, decided again at every action: an invite link is a random single-use token that
lives 48 hours and is stored only as a hash; a baby has at most `MAX_CAREGIVERS`; the one who
created the baby may remove others, anyone may leave, and only a current caregiver may invite.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

INVITE_TTL = timedelta(hours=48)
MAX_CAREGIVERS = 6
TOKEN_BYTES = 24  # 32 URL-safe characters: "join_" + token fits Telegram's 64-character /start
LINK_PREFIX = "join"  # the deep link is t.me/<bot>?start=join_<token>


class Role(enum.Enum):
    CREATOR = "creator"  # signed the baby up; may remove the others
    CAREGIVER = "caregiver"  # joined through an invite


class InviteProblem(enum.Enum):
    """Why an invite cannot be used; each has its own message for the person who opened it."""

    UNKNOWN = "unknown"  # never issued (forged, mistyped) or its baby is gone
    USED = "used"
    EXPIRED = "expired"
    INVITER_GONE = "inviter_gone"  # whoever made it is no longer a caregiver of the baby
    ALREADY_IN = "already_in"
    FULL = "full"


@dataclass(frozen=True)
class Invite:
    """A stored invite as the rules need it."""

    baby_id: int
    expires_at: datetime
    used_at: datetime | None


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored: a token has 192 random bits, so a plain SHA-256 cannot be reversed."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    """Cheap shape check before any database look-up (forged junk stops here)."""
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return 16 <= len(token) <= 64 and set(token) <= allowed


def expiry(now: datetime) -> datetime:
    return now + INVITE_TTL


def invite_problem(
    invite: Invite | None,
    now: datetime,
    *,
    inviter_still_in: bool,
    already_in: bool,
    caregivers: int,
) -> InviteProblem | None:
    """None when the invite may be accepted now; otherwise why not (first reason wins)."""
    if invite is None:
        return InviteProblem.UNKNOWN
    if invite.used_at is not None:
        return InviteProblem.USED
    if now >= invite.expires_at:
        return InviteProblem.EXPIRED
    if already_in:
        return InviteProblem.ALREADY_IN
    if not inviter_still_in:
        return InviteProblem.INVITER_GONE
    if caregivers >= MAX_CAREGIVERS:
        return InviteProblem.FULL
    return None


def may_invite(is_caregiver: bool, caregivers: int) -> bool:
    """Only a current caregiver invites (someone removed is not one), and never past the limit."""
    return is_caregiver and caregivers < MAX_CAREGIVERS


def may_remove(actor: Role, actor_subscription: int, target_subscription: int) -> bool:
    """The creator removes others; removing oneself is leaving, open to everyone."""
    if actor_subscription == target_subscription:
        return True
    return actor is Role.CREATOR
