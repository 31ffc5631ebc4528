"""The real bot wired to the project's Bot API emulator on 127.0.0.1: no token, no network.

Used by `python -m bot console` (try the bot in a terminal) and by the end-to-end tests, so both
exercise exactly the Application that production runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from telegram.ext import Application

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.runtime import build_bot, serve
from bot.store import Store, open_store
from bot.telegram.services import Services, utc_now

# A well-formed token that only the emulator accepts.
SANDBOX_TOKEN = "1000001:SANDBOXsandboxSANDBOXsandboxSANDBOX_x"
SANDBOX_USERNAME = "sleepsigns_bot"


@dataclass
class Sandbox:
    emulator: Emulator
    application: Application  # type: ignore[type-arg]
    store: Store
    services: Services


@contextlib.asynccontextmanager
async def running_bot(
    rules: Rules,
    *,
    database_url: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    emulator: Emulator | None = None,
    reminder_interval: float = 30.0,
) -> AsyncIterator[Sandbox]:
    """Start (or reuse) an emulator, open the store, and long-poll until the block exits."""
    with tempfile.TemporaryDirectory(prefix="sleepsigns-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'sandbox.db'}"
        async with contextlib.AsyncExitStack() as stack:
            if emulator is None:
                emulator = await stack.enter_async_context(Emulator())
                emulator.add_bot(
                    SANDBOX_TOKEN, username=SANDBOX_USERNAME, supports_inline_queries=True
                )
            store = await open_store(url)
            stack.push_async_callback(store.close)
            services = Services(
                rules=rules, store=store, clock=clock, reminder_interval=reminder_interval
            )
            application = build_bot(SANDBOX_TOKEN, emulator.base_url, services)
            stop, ready = asyncio.Event(), asyncio.Event()
            task = asyncio.create_task(serve(application, stop, ready))
            try:
                await _until_ready(ready, task)
                yield Sandbox(emulator, application, store, services)
            finally:
                stop.set()
                await task


async def _until_ready(ready: asyncio.Event, task: asyncio.Task[None]) -> None:
    """Wait until the bot polls, or re-raise why its start-up failed."""
    waiter = asyncio.create_task(ready.wait())
    done, _ = await asyncio.wait({waiter, task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        waiter.cancel()
        task.result()
        raise RuntimeError("the bot stopped during start-up")
    if waiter not in done:
        waiter.cancel()
        raise TimeoutError("the bot did not start polling within 10 s")
