"""Caregivers sharing one baby: make an invite link, accept one, remove a caregiver.

Who may ask is decided by the guard at the moment of the press; these actions check again,
inside their one transaction, what the stored rows must say (the invite still unused, the target
still in the same family), so two taps or two people at once cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.core.family import (
    InviteProblem,
    expiry,
    invite_problem,
    looks_like_token,
    may_invite,
    new_token,
    token_hash,
)
from bot.core.milestones import Milestone
from bot.store import Store
from bot.store.database import Repositories
from bot.store.family import StoredInvite
from bot.store.subscriptions import CAREGIVER, Family, NewSubscription

JOIN_DRAFT = "family_join"  # the conversation kind of someone joining, as stored


async def create_invite(
    store: Store, chat_id: int, subscription_id: int, first_name: str | None, now: datetime
) -> str | InviteProblem:
    """A new single-use token for the baby this chat's subscription follows (only its hash is
    stored); FULL when the family has no room, UNKNOWN when the chat does not follow it. The
    inviter's first name is kept (or refreshed) for the family's list."""
    async with store.transaction() as tx:
        baby_id = await tx.families.baby_of(chat_id, subscription_id)
        if baby_id is None:
            return InviteProblem.UNKNOWN
        if not may_invite(True, await tx.families.count(baby_id)):
            return InviteProblem.FULL
        token = new_token()
        await tx.families.add_invite(token_hash(token), baby_id, chat_id, now, expiry(now))
        await tx.families.set_first_name(chat_id, baby_id, _first_name(first_name))
    return token


def invite_key(token: str) -> str | None:
    """The stored key of a token from a link (None for junk): handlers keep only this."""
    return token_hash(token) if looks_like_token(token) else None


async def open_invite(
    store: Store, chat_id: int, key: str | None, now: datetime
) -> StoredInvite | InviteProblem:
    """Someone opened an invite link: whether they may accept it now. Only when they may is
    their draft (`JOIN_DRAFT`, holding the invite's hash) stored; the family and the invite
    stay as they were until they confirm."""
    async with store.transaction() as tx:
        found = await _usable(tx, chat_id, key, now)
        if not isinstance(found, InviteProblem):
            await tx.conversations.put(chat_id, JOIN_DRAFT, {"step": "confirm", "invite": key}, now)
        return found


async def accept_invite(
    store: Store,
    chat_id: int,
    first_name: str | None,
    key: str | None,
    tz: str,
    hour: int,
    now: datetime,
    milestones: Iterable[Milestone],
    *,
    locale: str | None,
) -> NewSubscription | InviteProblem:
    """Join the baby's family: use the invite up, store this chat's subscription with its own
    future notes at its own hour and zone, and drop the chat's draft; or say why not."""
    async with store.transaction() as tx:
        found = await _usable(tx, chat_id, key, now)
        if isinstance(found, InviteProblem):
            return found
        baby_id = found.invite.baby_id
        baby = await tx.families.baby(baby_id)
        if baby is None or key is None or not await tx.families.use_invite(key, now):
            return InviteProblem.USED
        family = Family(baby_id, CAREGIVER, _first_name(first_name))
        created = await tx.subscriptions.subscribe(
            chat_id, baby, tz, hour, now, milestones, locale=locale, family=family
        )
        await tx.conversations.clear(chat_id)
    return created


async def _usable(
    tx: Repositories, chat_id: int, key: str | None, now: datetime
) -> StoredInvite | InviteProblem:
    if key is None:
        return InviteProblem.UNKNOWN
    stored = await tx.families.invite(key)
    if stored is None or stored.baby is None:
        return InviteProblem.UNKNOWN
    baby_id = stored.invite.baby_id
    await tx.families.lock(baby_id)
    problem = invite_problem(
        stored.invite,
        now,
        inviter_still_in=await tx.families.is_caregiver(stored.created_by, baby_id),
        already_in=await tx.families.is_caregiver(chat_id, baby_id),
        caregivers=await tx.families.count(baby_id),
    )
    return problem or stored


async def remove_caregiver(store: Store, baby_id: int, target_subscription: int) -> bool:
    """Remove one caregiver of this baby (the guard has checked the presser may); False if the
    target is no longer in this family. The baby goes with its last caregiver."""
    async with store.transaction() as tx:
        for caregiver in await tx.families.caregivers(baby_id):
            if caregiver.subscription_id == target_subscription:
                return await tx.subscriptions.remove(caregiver.chat_id, target_subscription)
    return False


def _first_name(name: str | None) -> str | None:
    return (name or "").strip()[:64] or None
