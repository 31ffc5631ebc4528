"""A chat with a row in every table that holds a chat's data, for /forget and /export tests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core.rules import Rules
from bot.store import Store
from bot.store.history import TriageRecord
from bot.store.schema import (
    chat_languages,
    chat_states,
    check_ins,
    scheduled_notes,
    subscriptions,
    triage_results,
    update_inbox,
    video_charts,
)
from bot.store.video_charts import KeptChart
from tests.store.reminder_data import HOUR, SUBSCRIBED_AT, TZ, baby

CHAT, OTHER = 111, 222
CHAT_TABLES = (
    triage_results,
    subscriptions,
    scheduled_notes,
    chat_states,
    check_ins,
    chat_languages,
    video_charts,
)
PNG = b"\x89PNG\r\n\x1a\n"  # stands in for a chart: the store keeps the bytes as they are


async def fill_chat(store: Store, rules: Rules, chat_id: int, name: str = "Ann") -> None:
    """A baby with notes (one sent, one made unnecessary by an answer), the chat's block, a
    movement check, an answered and a pending check-in, a kept video chart, a draft, a /language
    choice, and webhook updates (one handled, one waiting)."""
    now = SUBSCRIBED_AT
    await store.subscriptions.subscribe(
        chat_id, baby(name), TZ, HOUR, now, rules.milestones.values(), locale="en"
    )
    [sub] = await store.subscriptions.list_for_chat(chat_id)
    await store.deliveries.mark_sent([sub.notes[0].id], now + timedelta(days=40))
    await store.subscriptions.skip_pending(chat_id, [sub.notes[1].milestone_id])
    await store.blocks.block_chat(chat_id, now + timedelta(days=50))
    await store.history.add(TriageRecord(chat_id, "twitch", "a1", "benign", "reassure", now))
    first, _ = await store.check_ins.schedule(chat_id, "twitch", "soon", "en", now, now)
    await store.check_ins.mark_sent([first.id], now)
    await store.check_ins.record_answer(first.id, "better")
    await store.check_ins.schedule(chat_id, "smile", "urgent", "en", now, now + timedelta(hours=2))
    await store.video_charts.keep(
        KeptChart(chat_id, now, "3 bursts", "urgent", ("spasm_series",), {"duration": 9.0}, PNG)
    )
    await store.conversations.put(
        chat_id, "subscribe", {"step": "name", "birth": "2026-01-01"}, now
    )
    await store.languages.choose(chat_id, "es", now)
    handled = abs(chat_id) * 10
    await store.inbox.accept(handled, chat_id, "message", '{"text": "/start"}', now)
    await store.inbox.mark_done([handled], now)
    await store.inbox.accept(handled + 1, chat_id, "message", '{"text": "/export"}', now)


async def rows_of(store: Store, chat_id: int) -> dict[str, int]:
    """How many rows of each chat table name the chat (the inbox: by its chat_key)."""
    counts = {}
    async with store.engine.connect() as conn:
        for table in CHAT_TABLES:
            query = select(func.count()).select_from(table).where(table.c.chat_id == chat_id)
            counts[table.name] = int((await conn.execute(query)).scalar_one())
        query = (
            select(func.count()).select_from(update_inbox).where(update_inbox.c.chat_key == chat_id)
        )
        counts[update_inbox.name] = int((await conn.execute(query)).scalar_one())
    return counts
