"""A parent blocks the bot: hold the chat's subscriptions; unblocks: resume, say what was missed.

Blocking deletes nothing. While a chat is blocked its notes fall due and the dispatcher records
them as skipped (`PAUSED_REASON`), exactly as for a subscription the parent paused; on unblock
those notes, and the failed send that found the block, are reported as missed, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.connections import Connections
from bot.store.leased import FAILED, SKIPPED
from bot.store.schema import scheduled_notes, subscriptions
from bot.store.utc import as_utc

FOUND_WITHIN = timedelta(hours=72)  # a failed send found the block at most a grace window late
PAUSED_REASON = "subscription paused"  # the dispatcher's note on a skipped note


@dataclass(frozen=True)
class Unblocked:
    """What `unblock_chat` did: how many subscriptions resumed, which notes were missed."""

    resumed: int
    missed: tuple[str, ...]  # milestone (or tip) ids, earliest first, each once


class ChatBlocks:
    def __init__(self, db: Connections) -> None:
        self._db = db

    async def block_chat(self, chat_id: int, now: datetime) -> int:
        """The parent blocked the bot: hold every subscription of the chat (nothing is sent or
        retried, nothing deleted) from `now`, or from an earlier block; returns how many."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(subscriptions)
                .where(subscriptions.c.chat_id == chat_id, subscriptions.c.blocked_at.is_(None))
                .values(blocked_at=as_utc(now))
            )
        return result.rowcount or 0

    async def unblock_chat(self, chat_id: int) -> Unblocked:
        """The parent unblocked the bot: resume what blocking held, and say what was missed.

        Missed: notes of subscriptions the parent had not paused themselves that were skipped
        or failed while blocked (plus the send that found the block). Idempotent: a second call
        finds nothing blocked and reports nothing.
        """
        async with self._db.begin() as conn:
            held = (
                await conn.execute(
                    select(subscriptions.c.id, subscriptions.c.blocked_at, subscriptions.c.paused)
                    .where(
                        subscriptions.c.chat_id == chat_id,
                        subscriptions.c.blocked_at.is_not(None),
                    )
                    .order_by(subscriptions.c.id)
                )
            ).all()
            missed: list[str] = []
            for row in held:
                if not row.paused:  # paused by the parent: nothing was expected, so none missed
                    missed += [m for m in await _missed(conn, row) if m not in missed]
            if held:
                await conn.execute(
                    update(subscriptions)
                    .where(subscriptions.c.id.in_([row.id for row in held]))
                    .values(blocked_at=None)
                )
        return Unblocked(resumed=len(held), missed=tuple(missed))


async def _missed(conn: AsyncConnection, held: Any) -> list[str]:
    """The milestone ids of one held subscription's notes that the block kept from the parent."""
    notes = scheduled_notes.c
    skipped_while_blocked = and_(
        notes.status == SKIPPED,
        notes.due_at >= held.blocked_at,
        notes.last_error == PAUSED_REASON,
    )
    found_the_block = and_(  # the send that found the block, shortly before it
        notes.status == FAILED,
        notes.last_error.like("forbidden%"),
        notes.due_at >= as_utc(held.blocked_at) - FOUND_WITHIN,
    )
    query = (
        select(notes.milestone_id)
        .where(notes.subscription_id == held.id, or_(skipped_while_blocked, found_the_block))
        .order_by(notes.due_at)
    )
    return list((await conn.execute(query)).scalars())
