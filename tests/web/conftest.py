"""Webhook-mode fixtures: the real Application serving webhooks from the Bot API emulator."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.runtime import build_bot, serve
from bot.sandbox import SANDBOX_TOKEN, SANDBOX_USERNAME
from bot.settings import Webhook
from bot.store import Store, open_store
from bot.telegram.services import Services
from bot.web.receiver import SECRET_HEADER
from tests.store.backends import fresh_postgres_database

SECRET = "test-webhook-secret_0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class WebBot:
    emulator: Emulator
    store: Store
    webhook: Webhook
    task: asyncio.Task[None]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.webhook.port}"

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        """POST an update as Telegram would (or with a wrong/missing secret); the status."""
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook.url, json=update, headers=headers) as reply,
        ):
            return reply.status

    async def get(self, path: str) -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, session.get(self.base + path) as reply:
            return reply.status, await reply.text()

    async def drained(self, within: float = 5.0) -> None:
        """Wait until every accepted update has been handled (the depth lives in the database)."""
        async with asyncio.timeout(within):
            while await self.store.inbox.depth():  # noqa: ASYNC110
                await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def webhook_bot(
    rules: Rules, emulator: Emulator, database_url: str, port: int | None = None
) -> AsyncIterator[WebBot]:
    """Run the bot in webhook mode until the block exits (a fresh process, as far as it goes)."""
    port = port or free_port()
    webhook = Webhook(url=f"http://127.0.0.1:{port}/telegram/hook", secret=SECRET, port=port)
    store = await open_store(database_url)
    try:
        application = build_bot(
            SANDBOX_TOKEN, emulator.base_url, Services(rules=rules, store=store)
        )
        stop, ready = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(serve(application, stop, ready, webhook=webhook))
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait({task, waiter}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if not ready.is_set():
            waiter.cancel()
            task.result() if task.done() else task.cancel()
            raise RuntimeError("the bot did not start in webhook mode within 10 s")
        try:
            yield WebBot(emulator, store, webhook, task)
        finally:
            stop.set()
            await task
    finally:
        await store.close()


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN, username=SANDBOX_USERNAME, supports_inline_queries=True)
        yield emu


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = await open_store(database_url)
    yield opened
    await opened.close()


@pytest.fixture
async def webbot(rules: Rules, emulator: Emulator, database_url: str) -> AsyncIterator[WebBot]:
    async with webhook_bot(rules, emulator, database_url) as running:
        yield running
    emulator.assert_no_violations()


# A throw-away PostgreSQL database, created and dropped like the store tests' (skipped without a
# server, or failed when SLEEPSIGNS_REQUIRE_POSTGRES=1, as in CI).
postgres_database = fresh_postgres_database
