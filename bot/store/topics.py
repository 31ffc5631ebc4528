"""Where a forum group's notes go: its topic, or General once the topic was closed or deleted.

The dispatcher calls `fall_back_to_general` when Telegram refuses a note in the topic, and
`told_of_fallback` once the group has read why its notes now come to General, so that notice
is given once per fallback. A new /subscribe in a topic replaces the subscription (and so sets
the topic again, with nothing owed).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from bot.store.connections import Connections
from bot.store.schema import subscriptions
from bot.store.utc import as_utc


class ForumTopics:
    def __init__(self, db: Connections) -> None:
        self._db = db

    async def fall_back_to_general(self, subscription_id: int, thread_id: int) -> bool:
        """Notes of the subscription go to General from now on, and its admins are owed a
        notice. False if it no longer went to that topic (another round did this already)."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(subscriptions)
                .where(
                    subscriptions.c.id == subscription_id,
                    subscriptions.c.message_thread_id == thread_id,
                )
                .values(message_thread_id=None, fallback_thread_id=thread_id, fallback_told_at=None)
            )
        return (result.rowcount or 0) > 0

    async def told_of_fallback(self, subscription_id: int, now: datetime) -> None:
        """The group got the notice: it is not repeated with later notes."""
        async with self._db.begin() as conn:
            await conn.execute(
                update(subscriptions)
                .where(
                    subscriptions.c.id == subscription_id,
                    subscriptions.c.fallback_thread_id.is_not(None),
                    subscriptions.c.fallback_told_at.is_(None),
                )
                .values(fallback_told_at=as_utc(now))
            )
