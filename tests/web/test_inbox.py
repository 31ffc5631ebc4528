"""The update inbox on its own: dedupe, chat-ordered claiming, leases, retries, purging.

Runs on SQLite, and on PostgreSQL too when one is reachable at 127.0.0.1:5432 (trust auth,
database `test`), as CI provides.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import Store, open_store
from bot.store.inbox import ClaimRequest, Incoming, UpdateInbox
from tests.web.conftest import postgres_database

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=1)
ANN, BOB = 111, 222


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    async with contextlib.AsyncExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'inbox.db'}"
        else:
            url = await stack.enter_async_context(postgres_database())
        opened = await open_store(url)
        stack.push_async_callback(opened.close)
        yield opened


async def put(inbox: UpdateInbox, update_id: int, chat: int, at: datetime = T0) -> bool:
    return await inbox.accept(update_id, chat, "message", f'{{"update_id": {update_id}}}', at)


async def test_an_update_id_is_accepted_once(store: Store) -> None:
    assert await put(store.inbox, 10, ANN)
    assert not await put(store.inbox, 10, ANN)
    assert await store.inbox.depth() == 1
    assert await store.inbox.status(10) == (False, 0)
    assert await store.inbox.status(11) is None


async def test_concurrent_duplicates_store_one_row(store: Store) -> None:
    results = await asyncio.gather(*(put(store.inbox, 7, ANN) for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]


async def test_claims_only_the_head_of_each_chat_oldest_first(store: Store) -> None:
    inbox = store.inbox
    for update_id, chat in [(1, ANN), (2, BOB), (3, ANN), (4, BOB), (5, ANN)]:
        await put(inbox, update_id, chat)
    first = await inbox.claim("w1", T0, T0 + LEASE, 10)
    assert [(u.update_id, u.chat_key) for u in first] == [(1, ANN), (2, BOB)]
    assert first[0].payload == '{"update_id": 1}' and first[0].received_at == T0
    assert await inbox.claim("w2", T0, T0 + LEASE, 10) == []  # heads leased, the rest wait
    await inbox.mark_done([2], T0)
    assert [u.update_id for u in await inbox.claim("w2", T0, T0 + LEASE, 10)] == [4]
    await inbox.mark_done([1], T0)
    assert [u.update_id for u in await inbox.claim("w1", T0, T0 + LEASE, 10)] == [3]
    assert await inbox.depth() == 3


async def test_the_limit_takes_the_oldest_heads(store: Store) -> None:
    for update_id in range(1, 6):
        await put(store.inbox, update_id, 1000 + update_id)
    claimed = await store.inbox.claim("w", T0, T0 + LEASE, 2)
    assert [u.update_id for u in claimed] == [1, 2]


async def test_two_workers_never_claim_the_same_update(store: Store) -> None:
    for update_id in range(1, 41):
        await put(store.inbox, update_id, update_id % 7)
    claims = await asyncio.gather(
        *(store.inbox.claim(f"w{n}", T0, T0 + LEASE, 5) for n in range(4))
    )
    ids = [u.update_id for claim in claims for u in claim]
    assert len(ids) == len(set(ids)) and set(ids) <= {1, 2, 3, 4, 5, 6, 7}
    chats = [u.chat_key for claim in claims for u in claim]
    assert len(chats) == len(set(chats))  # at most one update per chat in flight


async def test_a_dead_workers_lease_runs_out(store: Store) -> None:
    inbox = store.inbox
    await put(inbox, 1, ANN)
    assert len(await inbox.claim("dead", T0, T0 + LEASE, 10)) == 1
    assert await inbox.claim("alive", T0 + LEASE / 2, T0 + LEASE * 2, 10) == []
    [again] = await inbox.claim("alive", T0 + LEASE, T0 + LEASE * 2, 10)
    assert again.update_id == 1


async def test_renew_keeps_a_lease_and_release_gives_it_back(store: Store) -> None:
    inbox = store.inbox
    await put(inbox, 1, ANN)
    await put(inbox, 2, BOB)
    await inbox.claim("w", T0, T0 + LEASE, 10)
    await inbox.renew("w", [1], T0 + LEASE * 5)
    later = T0 + LEASE * 2
    assert [u.update_id for u in await inbox.claim("x", later, later + LEASE, 10)] == [2]
    assert await inbox.release("x") == 1
    assert await inbox.release() == 1  # every lease: w's on update 1
    assert len(await inbox.claim("y", T0, T0 + LEASE, 10)) == 2


async def test_retry_later_holds_the_chat_until_then(store: Store) -> None:
    inbox = store.inbox
    await put(inbox, 1, ANN)
    await put(inbox, 2, ANN)
    await inbox.claim("w", T0, T0 + LEASE, 10)
    await inbox.retry_later(1, "boom", T0 + timedelta(seconds=30))
    assert await inbox.claim("w", T0 + timedelta(seconds=10), T0 + LEASE, 10) == []
    [retried] = await inbox.claim("w", T0 + timedelta(seconds=30), T0 + LEASE, 10)
    assert (retried.update_id, retried.attempts) == (1, 1)


async def test_done_updates_keep_their_id_lose_their_text_and_go_after_a_day(
    store: Store,
) -> None:
    inbox = store.inbox
    await put(inbox, 1, ANN)
    await put(inbox, 2, BOB)
    await inbox.mark_done([1], T0)
    assert await inbox.status(1) == (True, 0)
    assert not await put(inbox, 1, ANN)  # still deduplicated
    assert await inbox.purge(T0) == 0
    assert await inbox.purge(T0 + timedelta(days=1)) == 1
    assert await inbox.status(1) is None and await inbox.status(2) == (False, 0)


async def test_accept_many_is_one_commit_that_reports_the_new_ids(store: Store) -> None:
    await put(store.inbox, 1, ANN)
    batch = [Incoming(i, ANN if i % 2 else BOB, "message", "{}") for i in (1, 2, 3, 3, 4)]
    assert await store.inbox.accept_many(batch, T0) == {2, 3, 4}
    assert await store.inbox.depth() == 4


async def test_claim_marks_the_handled_done_first(store: Store) -> None:
    inbox = store.inbox
    for update_id in (1, 2, 3):
        await put(inbox, update_id, ANN)
    [first] = await inbox.claim("w", T0, T0 + LEASE, 10)
    [second] = await inbox.claim("w", T0, T0 + LEASE, 10, done=[first.update_id])
    assert second.update_id == 2 and await inbox.status(1) == (True, 0)
    assert await inbox.claim("w", T0, T0 + LEASE, 0, done=[2]) == []
    assert await inbox.depth() == 1


async def test_accept_and_claim_stores_marks_done_and_leases_in_one_transaction(
    store: Store,
) -> None:
    inbox = store.inbox
    await put(inbox, 1, ANN)
    [first] = await inbox.claim("w", T0, T0 + LEASE, 10)
    batch = [Incoming(2, ANN, "message", "{}"), Incoming(3, BOB, "message", "{}")]
    claim = ClaimRequest("w", T0 + LEASE, 10, done=[first.update_id])
    new, claimed = await inbox.accept_and_claim(batch, T0, claim)
    assert new == {2, 3} and [item.update_id for item in claimed] == [2, 3]
    assert await inbox.status(1) == (True, 0)
    assert await inbox.claim("other", T0, T0 + LEASE, 10) == []  # leased to "w"
    # A claim alone (nothing arrived): marks done and leases ANN's next, nothing else.
    await put(inbox, 4, ANN)
    new, claimed = await inbox.accept_and_claim([], T0, ClaimRequest("w", T0 + LEASE, 10, [2]))
    assert new == set() and [item.update_id for item in claimed] == [4]
