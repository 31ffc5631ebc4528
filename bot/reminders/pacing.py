"""Pace the dispatcher's sends: at most N in any one second overall, and one per chat per second.

Why not rely on python-telegram-bot's AIORateLimiter alone: it is a leaky bucket (aiolimiter)
that admits a burst of 30 and then 30 per second, so a backlog starting from rest puts close to
60 messages into its first second (measured against the emulator: 120 sends in 3.0 s, 58 of them
over a strict 30-in-any-second window). The pacer counts the other way round: a send may start
only when fewer than N sends finished within the last second *or are still in flight*. A send
finishes after Telegram has processed it, so every send the server processed within the second
before a new one is either still in flight or finished within that second: counted. The server
never sees N + 1 of them in any one-second window, whatever the network latency and however
many sends the dispatcher has in flight at once. The AIORateLimiter stays underneath for the
rest (429 retries, groups).

The per-chat gap covers consecutive rounds: a round sends at most one message per chat, but a
chat served at the end of one round could otherwise be served again at the start of the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable

MESSAGES_PER_SECOND = 30  # Telegram's broadcast limit per bot token
CHAT_GAP = 1.0  # seconds between two messages to one chat
_WINDOW = 1.0
_POLL = 0.01  # seconds between looks while every slot is taken by a send in flight


class SendPacer:
    """Holds each send back until it fits both limits; `per_second=None` lifts the overall one."""

    def __init__(
        self,
        per_second: int | None = MESSAGES_PER_SECOND,
        chat_gap: float = CHAT_GAP,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second is not None and per_second < 1:
            raise ValueError("per_second must be at least 1 (or None for no limit)")
        self._per_second = per_second
        self._chat_gap = chat_gap
        self._clock = clock
        self._sleep = sleep
        self._window: deque[float] = deque()  # finish times within the last second
        self._recent: deque[tuple[float, int]] = deque()  # (finish time, chat) within the gap
        self._last: dict[int, float] = {}  # chat -> its latest finish time, for chats in _recent
        self._in_flight = 0  # sends started and not finished yet

    @contextlib.asynccontextmanager
    async def send(self, chat_id: int) -> AsyncIterator[None]:
        """Wait for a slot, run the send inside the block, count it when it finishes."""
        wait = self._wait_for(chat_id)
        while wait > 0:
            await self._sleep(wait)
            wait = self._wait_for(chat_id)
        self._in_flight += 1  # no await since the check: concurrent sends see this one
        try:
            yield
        finally:
            # Counted even when the send failed: Telegram may have processed it all the same.
            self._in_flight -= 1
            finished = self._clock()
            self._window.append(finished)
            self._recent.append((finished, chat_id))
            self._last[chat_id] = finished

    def _wait_for(self, chat_id: int) -> float:
        """Seconds until a send to `chat_id` fits both limits (0: now)."""
        now = self._clock()
        while self._window and now - self._window[0] >= _WINDOW:
            self._window.popleft()
        while self._recent and now - self._recent[0][0] >= self._chat_gap:
            when, chat = self._recent.popleft()
            if self._last.get(chat) == when:
                del self._last[chat]
        wait = 0.0
        if self._per_second is not None and len(self._window) + self._in_flight >= self._per_second:
            finished_slots = self._per_second - self._in_flight
            # The finished send that must leave the window first (or, with all N in flight,
            # the next to finish: poll again shortly).
            if 0 < finished_slots <= len(self._window):
                wait = self._window[-finished_slots] + _WINDOW - now
            else:
                wait = _POLL
        last = self._last.get(chat_id)
        if last is not None:
            wait = max(wait, last + self._chat_gap - now)
        return wait
