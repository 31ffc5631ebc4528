"""Drain the update inbox into the Application: oldest first, each chat's updates in order.

The worker claims chat-queue heads (see bot.store.inbox) and handles up to `concurrency` of them
at once: they belong to different chats, so running them side by side keeps every chat's order.
After `application.process_update` returns, the update is marked done in the transaction of the
worker's next claim (one commit for many updates, at once after it). process_update already
routes a handler's exception to the error handler (which answers the user), so the update
counts as handled then: retrying a handler bug would only repeat it. What does get retried is a
failure outside the handlers (e.g. the JSON cannot be read, the database is down), with backoff,
and given up after MAX_ATTEMPTS so one poison update cannot block its chat forever.

A crash while an update is being handled leaves it claimed; the lease runs out and it is handled
again (at least once). The handlers are idempotent enough for that: state changes are
keyed (a subscription, a chat's conversation state, /forget) or deduplicated (a triage result
repeated within minutes is stored once); the worst a replay does is send a reply twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import Application

from bot.metrics import UPDATE_LATENCY, UPDATES_FAILED, UPDATES_HANDLED
from bot.store.inbox import ClaimRequest, InboxUpdate, UpdateInbox

log = logging.getLogger(__name__)

CONCURRENCY = 64  # chats claimed side by side by one worker (also the most one claim takes)
# Handlers running at once. Few: each sends to Telegram, and httpcore's pool scans every open
# connection for every request, so 64 sends at once cost more CPU than they save in waiting.
HANDLERS = 4
LEASE = timedelta(seconds=60)  # renewed every LEASE/3 while an update is being handled
POLL_INTERVAL = 1.0  # seconds; a local accept wakes the worker at once
MAX_ATTEMPTS = 5
BACKOFF = timedelta(seconds=2)  # doubled after each failed attempt
KEEP_DONE = timedelta(days=1)  # handled update_ids kept this long to catch Telegram's retries
PURGE_EVERY = 600.0  # seconds


def worker_name() -> str:
    """Unique per process, readable in the database: host, pid and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class InboxWorker:
    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        inbox: UpdateInbox,
        clock: Callable[[], datetime],
        *,
        concurrency: int = CONCURRENCY,
        lease: timedelta = LEASE,
        poll_interval: float = POLL_INTERVAL,
        max_attempts: int = MAX_ATTEMPTS,
        backoff: timedelta = BACKOFF,
        reclaim_all_on_start: bool = False,
    ) -> None:
        self.name = worker_name()
        self._application = application
        self._inbox = inbox
        self._clock = clock
        self._concurrency = concurrency
        self._handlers = asyncio.Semaphore(HANDLERS)
        self._min_claim = max(1, concurrency // 2)  # free slots that make a claim worthwhile
        self._lease = lease
        self._poll_interval = poll_interval
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._reclaim_all = reclaim_all_on_start
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._in_flight: dict[asyncio.Task[None], int] = {}
        self._handled: list[InboxUpdate] = []  # handled, to be marked done with the next claim
        self._task: asyncio.Task[None] | None = None
        self._lent: ClaimRequest | None = None  # a claim the group commit is making for us
        self._claim_via: Callable[[], None] | None = None  # see claim_through

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        """Something was accepted: look now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        if self._reclaim_all:
            # One process per database (SQLite): any lease left is from our own crashed past.
            released = await self._inbox.release()
            if released:
                log.warning(
                    "inbox: %d update(s) left in flight by a crash will run again", released
                )
        self._task = asyncio.create_task(self._run(), name="update-inbox")

    async def close(self, grace: float = 10.0) -> None:
        """Stop claiming, let updates in flight finish (up to `grace` s), give back the rest."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            await self._task
        if self._in_flight:
            _, pending = await asyncio.wait(set(self._in_flight), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for _ in range(int(grace * 100)):  # a claim lent to the group commit comes back first
            if self._lent is None:
                break
            await asyncio.sleep(0.01)
        with contextlib.suppress(Exception):
            await self._claim_more(claim=False)  # record what was handled
        with contextlib.suppress(Exception):
            await self._inbox.release(self.name)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_renewal = loop.time() + self._lease.total_seconds() / 3
        next_purge = loop.time()
        while not self._stopping.is_set():
            self._wake.clear()
            more = False
            try:
                more = await self._claim_more()
                if loop.time() >= next_renewal:
                    next_renewal = loop.time() + self._lease.total_seconds() / 3
                    now = self._clock()
                    await self._inbox.renew(
                        self.name, list(self._in_flight.values()), now + self._lease
                    )
                if loop.time() >= next_purge:
                    next_purge = loop.time() + PURGE_EVERY
                    purged = await self._inbox.purge(self._clock() - KEEP_DONE)
                    if purged:
                        log.info("inbox: purged %d handled update(s) older than a day", purged)
            except Exception:
                log.exception("inbox: the database failed; trying again shortly")
            if more and len(self._in_flight) < self._concurrency:
                continue  # every slot asked for was filled: there may be more right now
            await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        """Sleep until woken (or the next poll), then until a claim is worth its round trip.

        A claim is one transaction however many updates it takes, so under load the worker
        waits until half its slots are free (each finishing handler wakes it; the poll still
        comes on time, for lease renewal) rather than claiming one update per finished
        handler. With nothing in flight it claims at once, so a lone update waits for no one.
        """
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), self._poll_interval)
            except TimeoutError:
                return  # the poll: claim anyway, and renew leases on time
            if (
                self._stopping.is_set()
                or not self._in_flight
                or self._concurrency - len(self._in_flight) >= self._min_claim
            ):
                return
            self._wake.clear()

    async def _claim_more(self, *, claim: bool = True) -> bool:
        """Mark what was handled done and claim more, in one transaction; True if the claim
        filled every free slot (the inbox may hold more). With a group commit attached, ask
        it to make the claim in its next transaction instead (it wakes the worker after)."""
        if self._lent is not None:
            return False  # the group commit is claiming for us right now
        if self._claim_via is not None and claim and not self._stopping.is_set():
            self._claim_via()
            return False
        request = self._request(claim=claim)
        if request is None:
            return False
        claimed = await self._inbox.claim(
            request.worker, self._clock(), request.until, request.limit, done=request.done
        )
        return self._took(request, claimed)

    def claim_through(self, request_claim: Callable[[], None]) -> None:
        """Make every claim in the webhook's group commit (bot.web.batching): one transaction
        then stores a lot of updates and leases this worker its next ones, and the worker's
        claims never wait on SQLite's write lock behind the webhook's commits."""
        self._claim_via = request_claim

    def lend_claim(self) -> ClaimRequest | None:
        """The claim this worker would make now, for the group commit's transaction; None if
        it is stopping or has nothing to ask. Every lent claim comes back through `claimed`."""
        if self._lent is not None or self._stopping.is_set() or not self.running:
            return None
        self._lent = self._request(claim=True)
        return self._lent

    def claimed(self, request: ClaimRequest, items: list[InboxUpdate] | None) -> None:
        """The result of a lent claim; None if its transaction failed (nothing was recorded:
        the worker's next poll asks again, so a database that is down is not hammered)."""
        self._lent = None
        if items is None or self._stopping.is_set():
            return  # stopping: what was claimed is given back by close()
        if self._took(request, items):
            self._wake.set()  # every slot was filled: there may be more

    def _request(self, *, claim: bool) -> ClaimRequest | None:
        free = max(0, self._concurrency - len(self._in_flight)) if claim else 0
        if not free and not self._handled:
            return None
        done = [item.update_id for item in self._handled]
        return ClaimRequest(self.name, self._clock() + self._lease, free, done)

    def _took(self, request: ClaimRequest, claimed: list[InboxUpdate]) -> bool:
        """Count what `request` marked done, start what it claimed; True if it filled every
        slot it asked for."""
        handled = self._handled[: len(request.done)]
        del self._handled[: len(handled)]  # (more may have been added meanwhile)
        for item in handled:
            UPDATES_HANDLED.labels(type=item.kind).inc()
            UPDATE_LATENCY.observe(max(0.0, time.time() - item.received_at.timestamp()))
        for item in claimed:
            task = asyncio.create_task(self._handle(item), name=f"update-{item.update_id}")
            self._in_flight[task] = item.update_id
            task.add_done_callback(self._finished)
        return bool(claimed) and len(claimed) == request.limit

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.pop(task, None)
        self._wake.set()  # a slot is free, and this chat's next update may be waiting

    async def _handle(self, item: InboxUpdate) -> None:
        try:
            update = Update.de_json(json.loads(item.payload), self._application.bot)
        except Exception as error:
            # Reading it will fail the same way every time: retrying would only hold back the
            # chat's next updates. Given up at once, with the error's type (never its content).
            UPDATES_FAILED.labels(type=item.kind).inc()
            log.warning("inbox: update %s is unreadable (%s)", item.update_id, type(error).__name__)
            await self._give_up(item, f"unreadable: {type(error).__name__}")
            return
        try:
            async with self._handlers:
                await self._application.process_update(update)
        except asyncio.CancelledError:
            raise  # shutting down: the lease is given back, the update runs again
        except Exception as error:
            UPDATES_FAILED.labels(type=item.kind).inc()
            await self._failed(item, f"{type(error).__name__}: {error}")
            return
        # Marked done with the next claim; if the process dies first, it is handled again.
        self._handled.append(item)

    async def _give_up(self, item: InboxUpdate, reason: str) -> None:
        try:
            await self._inbox.mark_done([item.update_id], self._clock(), reason)
        except Exception:
            log.exception("inbox: could not record the failure of update %s", item.update_id)

    async def _failed(self, item: InboxUpdate, reason: str) -> None:
        attempts = item.attempts + 1
        try:
            if attempts >= self._max_attempts:
                log.error("inbox: gave up on update %s: %s", item.update_id, reason)
                await self._inbox.mark_done([item.update_id], self._clock(), f"gave up: {reason}")
            else:
                retry_at = self._clock() + self._backoff * 2 ** (attempts - 1)
                log.warning(
                    "inbox: update %s failed (%s); retry at %s", item.update_id, reason, retry_at
                )
                await self._inbox.retry_later(item.update_id, reason, retry_at)
        except Exception:
            log.exception("inbox: could not record the failure of update %s", item.update_id)
