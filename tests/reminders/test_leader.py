"""Leader election on PostgreSQL: one replica holds the dispatcher lock; when its session goes,
another replica takes over within seconds and dispatching carries on there."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import asyncpg
from telegram import Bot

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.reminders import Dispatcher
from bot.reminders.leader import AdvisoryLockLeadership
from bot.reminders.runner import lead_and_dispatch
from bot.store import Store, open_store
from bot.store.locks import DISPATCHER_KEY
from tests.reminders.conftest import TOKEN, Clock
from tests.reminders.test_dispatcher import CDC_2_MONTHS, SOCIAL_SMILE, subscribe, texts
from tests.store.backends import fresh_postgres_database


@contextlib.asynccontextmanager
async def two_replicas() -> AsyncIterator[tuple[str, Store, Store]]:
    """Two stores (as two replicas would open them) on one fresh PostgreSQL database."""
    async with fresh_postgres_database() as url:
        first, second = await open_store(url), await open_store(url)
        try:
            yield url, first, second
        finally:
            await first.close()
            await second.close()


async def end_lock_holders_session(url: str) -> None:
    """What the server does when the leader dies or is cut off: its session ends."""
    admin = await asyncpg.connect(url)
    try:
        ended = await admin.fetchval(
            # Only this test's database: other tests (or other programs) on the same server may
            # hold the same advisory lock in theirs.
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
            " AND classid = $1 AND objid = $2 AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            DISPATCHER_KEY >> 32,
            DISPATCHER_KEY & 0xFFFF_FFFF,
        )
    finally:
        await admin.close()
    assert ended == 1


async def until(condition: Callable[[], bool], within: float = 5.0) -> float:
    """Wait for `condition()`; returns how long it took."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not condition():
        assert loop.time() - began < within, "timed out"
        await asyncio.sleep(0.02)
    return loop.time() - began


async def test_one_holder_at_a_time_and_the_lock_goes_with_the_session() -> None:
    async with two_replicas() as (url, first, second):
        a, b = AdvisoryLockLeadership(first.engine), AdvisoryLockLeadership(second.engine)
        assert await a.acquire() and a.held
        assert not await b.acquire() and not b.held
        assert await a.check()

        await end_lock_holders_session(url)

        assert not await a.check() and not a.held
        assert await b.acquire()
        await b.release()
        assert await a.acquire()  # released properly: free again
        await a.release()


async def test_a_follower_takes_over_when_the_leader_is_cut_off(
    emu: Emulator, rules: Rules, clock: Clock
) -> None:
    users = [emu.add_user(name, started=True) for name in ("Ann", "Bob", "Cy")]
    stop = asyncio.Event()
    async with two_replicas() as (url, first, second), Bot(TOKEN, base_url=emu.base_url) as bot:
        for user in users:
            await subscribe(first, rules, clock, user.id)
        clock.now = SOCIAL_SMILE
        replicas: list[tuple[AdvisoryLockLeadership, asyncio.Task[None]]] = []
        try:
            # The first replica leads; the second, started once it does, follows. The leader,
            # once cut off, waits 1 s before trying again, so the follower (0.1 s) goes first.
            for store, retry in ((first, 1.0), (second, 0.1)):
                leadership = AdvisoryLockLeadership(store.engine)
                dispatcher = Dispatcher(
                    store,
                    rules,
                    bot,
                    clock,
                    lease=leadership.lease,
                    active=lambda x=leadership: x.held,
                )
                task = lead_and_dispatch(dispatcher, leadership, stop, 0.05, retry=retry, check=0.1)
                replicas.append((leadership, asyncio.create_task(task)))
                await until(lambda: replicas[0][0].held)
            (leader, _), (follower, _) = replicas
            await until(lambda: all(texts(emu, user) for user in users))
            assert not follower.held

            await end_lock_holders_session(url)
            took = await until(lambda: follower.held)
            assert took < 2.0
            # The old leader notices at its next check (0.1 s here, 1 s in production, shorter
            # than the new leader's pause before its first send).
            await until(lambda: not leader.held, within=1.0)

            clock.now = CDC_2_MONTHS  # the next notes come from the new leader
            await until(lambda: all(len(texts(emu, user)) == 2 for user in users))
        finally:
            stop.set()
            await asyncio.gather(*(task for _, task in replicas))
    assert [len(texts(emu, user)) for user in users] == [2, 2, 2]
