"""The inbox worker on its own: an unreadable update is given up at once, never holding its
chat's next update back."""

from __future__ import annotations

import asyncio
import json

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.metrics import sample
from bot.sandbox import SANDBOX_TOKEN
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.services import Services, utc_now
from bot.web.worker import InboxWorker


async def test_a_poison_update_is_given_up_at_once_and_its_chat_moves_on(
    emulator: Emulator, store: Store, rules: Rules
) -> None:
    application = build_application(
        SANDBOX_TOKEN, emulator.base_url, Services(rules=rules, store=store)
    )
    ann = emulator.add_user("Ann", started=True)
    before = sample("sleepsigns_updates_failed_total", type="message")
    now = utc_now()
    await store.inbox.accept(1, ann.id, "message", "{not json", now)
    start = {
        "update_id": 2,
        "message": {
            "message_id": 1,
            "date": int(now.timestamp()),
            "chat": {"id": ann.id, "type": "private", "first_name": "Ann"},
            "from": {"id": ann.id, "is_bot": False, "first_name": "Ann"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    await store.inbox.accept(2, ann.id, "message", json.dumps(start), now)
    # The default backoff (2 s, doubling) would hold Ann's /start back for seconds per retry.
    worker = InboxWorker(application, store.inbox, utc_now, poll_interval=0.01)
    await application.initialize()
    await worker.start()
    try:
        async with asyncio.timeout(1.5):
            while (await store.inbox.status(2)) != (True, 0):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        await worker.close()
        await application.shutdown()
    assert await store.inbox.status(1) == (True, 0)  # given up without a retry
    assert sample("sleepsigns_updates_failed_total", type="message") == before + 1
    assert "Sleepsigns" in (await emulator.next_message(ann))["text"]
