"""Subscriptions and their notes in a real database: scheduling, changes, moves, blocking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from bot.core.milestones import Baby, plan_subscription
from bot.core.rules import Rules
from bot.store import Store
from bot.store.schema import scheduled_notes, subscriptions
from tests.store.reminder_data import BIRTH, HOUR, SUBSCRIBED_AT, TZ, baby

CHAT, OTHER = 111, 222


async def test_subscribe_stores_only_future_notes_and_returns_the_current_one(
    store: Store, rules: Rules
) -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # 9 weeks old: 6-week and 2-month notes passed
    new = await store.subscriptions.subscribe(
        CHAT, baby(), TZ, HOUR, now, rules.milestones.values(), locale="en"
    )
    [sub] = await store.subscriptions.list_for_chat(CHAT)
    stored = [note.milestone_id for note in sub.notes]
    expected = plan_subscription(rules.milestones.values(), baby(), ZoneInfo(TZ), HOUR, now)
    assert new.current is not None and new.current.id == "cdc_2_months"
    assert stored == [m.id for m, _ in expected.upcoming] and new.scheduled == len(stored)
    assert stored[0] == "smile_check_12w"
    assert not {"newborn_sleep", "social_smile_6w", "cdc_2_months"} & set(stored)
    assert all(note.due_at > now and note.status == "pending" for note in sub.notes)
    assert (sub.id, sub.baby, sub.timezone, sub.delivery_hour, sub.paused) == (
        new.id,
        Baby(BIRTH, None, "Ann"),
        TZ,
        HOUR,
        False,
    )


async def test_due_returns_only_due_pending_ready_notes_in_order(
    store: Store, rules: Rules
) -> None:
    milestones = rules.milestones.values()
    await store.subscriptions.subscribe(CHAT, baby(), TZ, HOUR, SUBSCRIBED_AT, milestones)
    older = Baby(BIRTH - timedelta(days=2), None, "Cy")
    await store.subscriptions.subscribe(OTHER, older, TZ, HOUR, SUBSCRIBED_AT, milestones)
    deliveries = store.deliveries
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    due = await deliveries.due(now, limit=10)
    assert [(n.chat_id, n.milestone_id) for n in due] == [
        (OTHER, "social_smile_6w"),
        (CHAT, "social_smile_6w"),
        (OTHER, "cdc_2_months"),
        (CHAT, "cdc_2_months"),
    ]
    assert [n.due_at for n in due] == sorted(n.due_at for n in due)
    assert (await deliveries.due(now, limit=1))[0].id == due[0].id

    await deliveries.mark_sent([due[0].id], now)
    await deliveries.mark_skipped([due[3].id], "older than the grace window when due")
    await deliveries.retry_later([due[1].id], "NetworkError", now + timedelta(minutes=5))
    assert [n.id for n in await deliveries.due(now, limit=10)] == [due[2].id]
    assert [n.id for n in await deliveries.due(now + timedelta(minutes=5), 10)] == [
        due[1].id,
        due[2].id,
    ]

    # Claims are exclusive: a second dispatcher gets nothing already leased.
    lease = now + timedelta(minutes=10)
    assert await deliveries.claim([due[2].id], now, lease) == {due[2].id}
    assert await deliveries.claim([due[2].id], now, lease) == set()
    assert await deliveries.due(now, limit=10) == []


async def test_change_hour_moves_pending_notes_to_the_new_local_hour(
    store: Store, rules: Rules
) -> None:
    new = await store.subscriptions.subscribe(
        CHAT, baby(), TZ, HOUR, SUBSCRIBED_AT, rules.milestones.values()
    )
    [before] = await store.subscriptions.list_for_chat(CHAT)
    sent = before.notes[0]
    await store.deliveries.mark_sent([sent.id], SUBSCRIBED_AT)

    assert await store.subscriptions.change_hour(CHAT, new.id, 18)
    assert not await store.subscriptions.change_hour(OTHER, new.id, 7)  # not that chat's baby
    [after] = await store.subscriptions.list_for_chat(CHAT)
    london = ZoneInfo(TZ)
    assert after.delivery_hour == 18
    for old, moved in zip(before.notes[1:], after.notes[1:], strict=True):
        assert moved.due_at.astimezone(london).date() == old.due_at.astimezone(london).date()
        assert moved.due_at.astimezone(london).hour == 18  # in winter (GMT) and summer (BST)
    assert after.notes[0].due_at == sent.due_at  # a sent note keeps its record


async def test_pause_resume_remove(store: Store, rules: Rules) -> None:
    milestones = rules.milestones.values()
    ann = await store.subscriptions.subscribe(CHAT, baby(), TZ, HOUR, SUBSCRIBED_AT, milestones)
    ben = await store.subscriptions.subscribe(
        CHAT, baby("Ben"), TZ, HOUR, SUBSCRIBED_AT, milestones
    )
    assert await store.subscriptions.pause(CHAT, ann.id)
    assert not await store.subscriptions.pause(OTHER, ben.id)
    assert [s.paused for s in await store.subscriptions.list_for_chat(CHAT)] == [True, False]
    assert await store.subscriptions.resume(CHAT, ann.id)
    assert await store.blocks.block_chat(CHAT, SUBSCRIBED_AT) == 2
    assert await store.subscriptions.remove(CHAT, ben.id)
    assert [s.id for s in await store.subscriptions.list_for_chat(CHAT)] == [ann.id]
    assert await _count(store, scheduled_notes, scheduled_notes.c.subscription_id == ben.id) == 0


async def test_move_chat_keeps_everything_once(store: Store, rules: Rules) -> None:
    milestones = rules.milestones.values()
    group, supergroup = -5001, -1005001
    await store.subscriptions.subscribe(group, baby(), TZ, HOUR, SUBSCRIBED_AT, milestones)
    [old] = await store.subscriptions.list_for_chat(group)

    assert await store.subscriptions.move_chat(group, supergroup) == 1
    assert await store.subscriptions.move_chat(group, supergroup) == 0  # idempotent
    assert await store.subscriptions.list_for_chat(group) == []
    [moved] = await store.subscriptions.list_for_chat(supergroup)
    assert (moved.id, moved.notes) == (old.id, old.notes)
    due = await store.deliveries.due(datetime(2026, 2, 13, tzinfo=UTC), 10)
    assert [n.chat_id for n in due] == [supergroup]

    # The same baby subscribed again in the old id before the move arrives: no duplicate.
    await store.subscriptions.subscribe(group, baby(), TZ, HOUR, SUBSCRIBED_AT, milestones)
    assert await store.subscriptions.move_chat(group, supergroup) == 0
    assert len(await store.subscriptions.list_for_chat(supergroup)) == 1
    assert await _count(store, subscriptions, subscriptions.c.chat_id == group) == 0
    assert await _count(store, scheduled_notes, scheduled_notes.c.chat_id == group) == 0


async def _count(store: Store, table, where) -> int:  # type: ignore[no-untyped-def]
    async with store.engine.connect() as conn:
        return int(
            (await conn.execute(select(func.count()).select_from(table).where(where))).scalar()
        )


async def test_a_failing_statement_does_not_carry_its_parameters(store: Store) -> None:
    with pytest.raises(SQLAlchemyError) as caught:
        async with store.engine.begin() as conn:
            await conn.execute(  # birth_date and more are missing: the insert fails
                insert(subscriptions).values(chat_id=CHAT, baby_name="Zephyrine")
            )
    assert "Zephyrine" not in str(caught.value)
