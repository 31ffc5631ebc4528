"""The same store on PostgreSQL (migrations, subscribe, due, claim, move, forget), if reachable."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from bot.core.rules import Rules
from bot.store import Store, open_store
from tests.store.reminder_data import HOUR, SUBSCRIBED_AT, TZ, baby

SERVER = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
async def pg_store() -> AsyncIterator[Store]:
    try:
        admin = await asyncpg.connect(SERVER, timeout=2)
    except (OSError, asyncpg.PostgresError) as error:
        pytest.skip(f"PostgreSQL not reachable at {SERVER}: {error}")
    name = f"sleepsigns_{uuid.uuid4().hex[:12]}"  # a throw-away database per run
    await admin.execute(f'CREATE DATABASE "{name}"')
    store = await open_store(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}")
    try:
        yield store
    finally:
        await store.close()
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


async def test_store_round_trip_on_postgresql(pg_store: Store, rules: Rules) -> None:
    milestones = rules.milestones.values()
    new = await pg_store.subscriptions.subscribe(-42, baby(), TZ, HOUR, SUBSCRIBED_AT, milestones)
    now = datetime(2026, 2, 12, 9, 30, tzinfo=UTC)
    [due] = await pg_store.deliveries.due(now, 10)
    assert due.milestone_id == "social_smile_6w" and due.due_at.tzinfo is not None
    assert await pg_store.deliveries.claim([due.id], now, now + timedelta(minutes=10)) == {due.id}
    assert await pg_store.deliveries.claim([due.id], now, now + timedelta(minutes=10)) == set()
    await pg_store.deliveries.mark_sent([due.id], now)
    assert await pg_store.subscriptions.change_hour(-42, new.id, 20)
    assert await pg_store.subscriptions.move_chat(-42, -10042) == 1
    [sub] = await pg_store.subscriptions.list_for_chat(-10042)
    assert sub.notes[0].status == "sent" and sub.delivery_hour == 20
    assert await pg_store.forget_chat(-10042) == 1 + new.scheduled
    assert await pg_store.subscriptions.list_for_chat(-10042) == []
