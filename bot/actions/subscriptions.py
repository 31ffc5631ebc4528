"""Following babies and birth months: subscribe, unsubscribe, replace a group's or channel's.

Each action that ends a conversation (the sign-up, the cohort set-up) clears its draft in the
same transaction, so a parent never sees a finished sign-up offered again, nor a stored draft
without the subscription it led to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.core.milestones import Baby, Milestone
from bot.store import Store
from bot.store.subscriptions import COHORT, NewSubscription


async def subscribe_baby(
    store: Store,
    chat_id: int,
    baby: Baby,
    tz: str,
    hour: int,
    now: datetime,
    milestones: Iterable[Milestone],
    *,
    locale: str | None,
) -> NewSubscription:
    """A finished sign-up: store the baby and its future notes, and drop the chat's draft."""
    async with store.transaction() as tx:
        created = await tx.subscriptions.subscribe(
            chat_id, baby, tz, hour, now, milestones, locale=locale
        )
        await tx.conversations.clear(chat_id)
    return created


async def unsubscribe(store: Store, chat_id: int, subscription_id: int) -> bool:
    """Stop one baby's (or a cohort's) reminders; False if the chat has no such subscription."""
    async with store.transaction() as tx:
        return await tx.subscriptions.remove(chat_id, subscription_id)


async def unsubscribe_all(store: Store, chat_id: int) -> int:
    """/unsubscribe: stop every reminder of the chat; returns how many rows went."""
    async with store.transaction() as tx:
        return await tx.subscriptions.forget(chat_id)


async def replace_cohort(
    store: Store,
    draft_chat_id: int,
    target: int,
    birth_month: Baby,
    tz: str,
    hour: int,
    now: datetime,
    milestones: Iterable[Milestone],
    *,
    locale: str | None,
    message_thread_id: int | None = None,
) -> NewSubscription:
    """A group or channel (`target`) follows a birth month instead of any it followed before;
    the set-up's draft, kept in `draft_chat_id` (the group, or an admin's private chat), goes.
    `message_thread_id`: the forum topic the notes go to (None: General, or no topics)."""
    async with store.transaction() as tx:
        await tx.subscriptions.remove_kind(target, COHORT)
        created = await tx.subscriptions.subscribe(
            target,
            birth_month,
            tz,
            hour,
            now,
            milestones,
            locale=locale,
            kind=COHORT,
            message_thread_id=message_thread_id,
        )
        await tx.conversations.clear(draft_chat_id)
    return created


async def follow_tips(
    store: Store,
    draft_chat_id: int,
    target: int,
    tz: str,
    hour: int,
    now: datetime,
    entries: Sequence[tuple[str, datetime]],
    *,
    locale: str | None,
) -> int:
    """A channel (`target`) gets weekly tips instead of every reminder it had; the set-up's
    draft in `draft_chat_id` goes. Returns the new subscription's id."""
    async with store.transaction() as tx:
        await tx.subscriptions.forget(target)
        subscription_id = await tx.subscriptions.subscribe_tips(
            target, tz, hour, now, entries, locale=locale
        )
        await tx.conversations.clear(draft_chat_id)
    return subscription_id
