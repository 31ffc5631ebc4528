"""Subscriptions and their notes in a real SQLite file: scheduling, changes, /forget, /export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from bot.core.milestones import Baby, plan_subscription
from bot.core.rules import Rules
from bot.store import Store
from bot.store.history import TriageRecord
from bot.store.schema import scheduled_notes, subscriptions, triage_results
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
    assert await store.subscriptions.block_chat(CHAT, SUBSCRIBED_AT) == 2
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


async def test_forget_chat_leaves_no_row_for_that_chat(store: Store, rules: Rules) -> None:
    milestones = rules.milestones.values()
    for chat in (CHAT, OTHER):
        await store.subscriptions.subscribe(chat, baby(), TZ, HOUR, SUBSCRIBED_AT, milestones)
        await store.history.add(
            TriageRecord(chat, "movement", "a1", "benign", "reassure", SUBSCRIBED_AT)
        )
    before_other = await _rows_for(store, OTHER)

    removed = await store.forget_chat(CHAT)

    assert removed == 1 + 1 + len(milestones) - 1  # triage row, subscription, future notes
    assert await _rows_for(store, CHAT) == {
        "triage_results": 0,
        "subscriptions": 0,
        "scheduled_notes": 0,
    }
    assert await _rows_for(store, OTHER) == before_other


async def test_export_is_json_with_every_stored_field(store: Store, rules: Rules) -> None:
    new = await store.subscriptions.subscribe(
        CHAT, Baby(BIRTH, 33, "Ann & Bo"), TZ, HOUR, SUBSCRIBED_AT, rules.milestones.values()
    )
    [first, *_] = (await store.subscriptions.list_for_chat(CHAT))[0].notes
    await store.deliveries.mark_sent([first.id], SUBSCRIBED_AT + timedelta(days=60))

    exported = json.loads(json.dumps(await store.subscriptions.export_chat(CHAT)))

    [sub] = exported["subscriptions"]
    assert exported["chat_id"] == CHAT
    assert (sub["id"], sub["baby_name"], sub["birth_date"], sub["gestational_weeks"]) == (
        new.id,
        "Ann & Bo",
        "2026-01-01",
        33,
    )
    assert (sub["timezone"], sub["delivery_hour"], sub["paused"]) == (TZ, HOUR, False)
    assert sub["notes"][0]["status"] == "sent"
    assert sub["notes"][0]["sent_at"] == "2026-03-02T12:00:00+00:00"
    assert len(sub["notes"]) == new.scheduled
    assert await store.subscriptions.export_chat(OTHER) == {"chat_id": OTHER, "subscriptions": []}


async def _count(store: Store, table, where) -> int:  # type: ignore[no-untyped-def]
    async with store.engine.connect() as conn:
        return int(
            (await conn.execute(select(func.count()).select_from(table).where(where))).scalar()
        )


async def _rows_for(store: Store, chat_id: int) -> dict[str, int]:
    return {
        table.name: await _count(store, table, table.c.chat_id == chat_id)
        for table in (triage_results, subscriptions, scheduled_notes)
    }


async def test_a_failing_statement_does_not_carry_its_parameters(store: Store) -> None:
    with pytest.raises(SQLAlchemyError) as caught:
        async with store.engine.begin() as conn:
            await conn.execute(  # birth_date and more are missing: the insert fails
                insert(subscriptions).values(chat_id=CHAT, baby_name="Zephyrine")
            )
    assert "Zephyrine" not in str(caught.value)
