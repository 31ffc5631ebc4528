"""Group commit for the webhook: concurrent accepts share one database transaction.

Telegram keeps up to 40 connections open to a busy webhook. Committing each update on its own
costs one commit (on SQLite, an fsync) per update; here each request queues its update, and
whichever request finds no flush running starts one that writes everything queued so far in a
single transaction, then the next lot. A flush first waits a short window (WINDOW, 2 ms) so
that requests arriving together share it: that is all the latency it adds to a lone update,
and under load the batches grow by themselves while a commit runs. Every request is still
answered only after the commit that holds its own update.

The same transaction also makes the inbox worker's next claim (`ClaimLender`): under load most
updates are leased to this process's worker in the commit that stores them, so the worker needs
no transaction of its own to find them. Without a lender (or while the worker is claiming
itself) the worker is only woken.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot.store.inbox import ClaimRequest, InboxUpdate, Incoming, UpdateInbox

log = logging.getLogger(__name__)

MAX_BATCH = 500
WINDOW = 0.002  # seconds a flush waits for company before its first commit


class ClaimLender(Protocol):
    """The inbox worker, as the group commit sees it (bot.web.worker.InboxWorker)."""

    def wake(self) -> None: ...

    def claim_through(self, request_claim: Callable[[], None]) -> None: ...

    def lend_claim(self) -> ClaimRequest | None: ...

    def claimed(self, request: ClaimRequest, items: list[InboxUpdate] | None) -> None: ...


class GroupCommit:
    def __init__(
        self,
        inbox: UpdateInbox,
        clock: Callable[[], datetime],
        worker: ClaimLender,
        max_batch: int = MAX_BATCH,
        window: float = WINDOW,
    ) -> None:
        self._inbox = inbox
        self._clock = clock
        self._worker = worker
        self._max_batch = max_batch
        self._window = window
        self._queue: list[tuple[Incoming, asyncio.Future[bool]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._claim_wanted = False
        worker.claim_through(self.request_claim)

    async def accept(self, item: Incoming) -> bool:
        """Commit `item` (with whatever else is queued); True if its update_id was new."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        self._start_flushing()
        return await future

    def request_claim(self) -> None:
        """The worker wants to claim: in the next transaction, with whatever has arrived."""
        self._claim_wanted = True
        self._start_flushing(window=0.0)  # handled updates hold their chats' next ones

    def _start_flushing(self, window: float | None = None) -> None:
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(
                self._flush(self._window if window is None else window)
            )

    async def _flush(self, window: float) -> None:
        await asyncio.sleep(window)
        while self._queue or self._claim_wanted:
            self._claim_wanted = False
            batch = self._queue[: self._max_batch]
            del self._queue[: len(batch)]
            request = self._worker.lend_claim()
            if not batch and request is None:
                continue
            try:
                new, claimed = await self._inbox.accept_and_claim(
                    [item for item, _ in batch], self._clock(), request
                )
            except Exception as error:
                if request is not None:
                    self._worker.claimed(request, None)
                if not batch:
                    log.exception("inbox: the database failed; the worker will try again")
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            if request is not None:
                self._worker.claimed(request, claimed)
            elif new:
                self._worker.wake()
            for item, future in batch:
                if not future.done():
                    future.set_result(item.update_id in new)
                new.discard(item.update_id)  # a repeat in the same batch is a duplicate
