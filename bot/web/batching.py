"""Group commit for the webhook: concurrent accepts share one database transaction.

Telegram keeps up to 40 connections open to a busy webhook. Committing each update on its own
costs one commit (on SQLite, an fsync) per update; here each request queues its update, and
whichever request finds no flush running starts one that writes everything queued so far in a
single transaction, then the next lot. Nothing waits on a timer: under light load a batch is
one update and the latency is the same as before; under heavy load the batch grows by itself.
Every request is still answered only after its own update was committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from bot.store.inbox import Incoming, UpdateInbox

MAX_BATCH = 500


class GroupCommit:
    def __init__(
        self, inbox: UpdateInbox, clock: Callable[[], datetime], max_batch: int = MAX_BATCH
    ) -> None:
        self._inbox = inbox
        self._clock = clock
        self._max_batch = max_batch
        self._queue: list[tuple[Incoming, asyncio.Future[bool]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def accept(self, item: Incoming) -> bool:
        """Commit `item` (with whatever else is queued); True if its update_id was new."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._queue:
            batch = self._queue[: self._max_batch]
            del self._queue[: len(batch)]
            try:
                new = await self._inbox.accept_many([item for item, _ in batch], self._clock())
            except Exception as error:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for item, future in batch:
                if not future.done():
                    future.set_result(item.update_id in new)
                new.discard(item.update_id)  # a repeat in the same batch is a duplicate
