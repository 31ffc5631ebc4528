"""Run one dispatcher beside the Application: a single repeating loop for every subscriber."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telegram.ext import Application

from bot.core.rules import Rules
from bot.reminders.dispatcher import Dispatcher
from bot.store import Store

DEFAULT_INTERVAL = 30.0  # seconds between rounds; a round that found a full batch goes on sooner


@dataclass
class DispatcherHandle:
    dispatcher: Dispatcher
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def close(self) -> None:
        """Stop after the current round (no send is cut in half) and wait for it."""
        self.stop.set()
        await self.task


def start_dispatcher(
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Callable[[], datetime],
    *,
    interval: float = DEFAULT_INTERVAL,
) -> DispatcherHandle:
    """Start delivering through the (initialised) application's bot; `close()` it on shutdown."""
    dispatcher = Dispatcher(store, rules, application.bot, clock)
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, interval), name="reminders")
    return DispatcherHandle(dispatcher, stop, task)
