"""Keep a finished movement check for /history."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from bot.store.history import TriageRecord


async def record_triage(store: Store, record: TriageRecord, duplicate_window: timedelta) -> bool:
    """Store the check, unless the chat's latest one has the same flow and answers and is less
    than `duplicate_window` old (the same outcome reached again, e.g. by a double tap).
    Returns whether it was stored."""
    async with store.transaction() as tx:
        latest = await tx.history.recent(record.chat_id, limit=1)
        if latest and (
            (latest[0].flow, latest[0].answers) == (record.flow, record.answers)
            and record.created_at - latest[0].created_at < duplicate_window
        ):
            return False
        await tx.history.add(record)
    return True
