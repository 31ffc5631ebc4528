"""setWebhook once per deployment: only when Telegram's view or the secret changed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from telegram import Bot

from bot.emulator import Emulator
from bot.sandbox import SANDBOX_TOKEN
from bot.settings import Webhook
from bot.store import Store, open_store
from bot.telegram.services import utc_now
from bot.web.registration import ensure_webhook, fingerprint
from tests.web.conftest import SECRET, postgres_database

HOOK = Webhook(url="http://127.0.0.1:8443/tg", secret=SECRET)
UPDATES = ["message", "callback_query"]


@contextlib.asynccontextmanager
async def bot_for(emulator: Emulator) -> AsyncIterator[Bot]:
    async with Bot(SANDBOX_TOKEN, base_url=emulator.base_url) as bot:
        yield bot


async def test_set_only_when_something_changed(emulator: Emulator, store: Store) -> None:
    async with bot_for(emulator) as bot:

        async def ensure(hook: Webhook = HOOK, updates: list[str] = UPDATES) -> bool:
            return await ensure_webhook(bot, store.engine, hook, updates, utc_now)

        assert await ensure()
        assert not await ensure()  # the next replica, or a restart: nothing to do
        rotated = Webhook(url=HOOK.url, secret="rotated-secret_0123456789")
        assert await ensure(rotated)  # getWebhookInfo can't show this: the fingerprint does
        assert emulator.webhook is not None and emulator.webhook.secret_token == rotated.secret
        assert not await ensure(rotated)
        assert await ensure(rotated, [*UPDATES, "inline_query"])
        await bot.delete_webhook()  # someone switched it off by hand
        assert await ensure(rotated, [*UPDATES, "inline_query"])
    assert len(emulator.calls_to("setWebhook")) == 4


def test_the_fingerprint_hides_the_secret() -> None:
    mark = fingerprint(SANDBOX_TOKEN, HOOK, UPDATES)
    assert SECRET not in mark and len(mark) == 64
    assert mark == fingerprint(SANDBOX_TOKEN, HOOK, list(reversed(UPDATES)))
    assert mark != fingerprint("1:other", HOOK, UPDATES)


async def test_replicas_starting_together_set_it_once_on_postgresql(emulator: Emulator) -> None:
    async with postgres_database() as url:
        stores = [await open_store(url) for _ in range(3)]
        try:
            async with bot_for(emulator) as bot:
                changed = await asyncio.gather(
                    *(ensure_webhook(bot, s.engine, HOOK, UPDATES, utc_now) for s in stores)
                )
        finally:
            for opened in stores:
                await opened.close()
    assert sorted(changed) == [False, False, True]
    assert len(emulator.calls_to("setWebhook")) == 1
