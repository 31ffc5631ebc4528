"""The inbox worker on its own: a poison update is retried with backoff, then given up."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.metrics import UPDATES_FAILED
from bot.sandbox import SANDBOX_TOKEN
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.services import Services, utc_now
from bot.web.worker import InboxWorker


async def test_a_poison_update_is_given_up_and_its_chat_moves_on(
    emulator: Emulator, store: Store, rules: Rules
) -> None:
    application = build_application(
        SANDBOX_TOKEN, emulator.base_url, Services(rules=rules, store=store)
    )
    before = UPDATES_FAILED.value(type="message")
    now = utc_now()
    await store.inbox.accept(1, 5, "message", "{not json", now)
    worker = InboxWorker(
        application, store.inbox, utc_now, max_attempts=3, backoff=timedelta(0), poll_interval=0.01
    )
    await worker.start()
    try:
        async with asyncio.timeout(5):
            while (await store.inbox.status(1)) != (True, 2):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        await worker.close()
    assert UPDATES_FAILED.value(type="message") == before + 3
