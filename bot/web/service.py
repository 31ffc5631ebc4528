"""Start and stop webhook mode beside a running Application: worker, HTTP server, setWebhook."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from telegram.ext import Application

from bot.core.rules import Rules
from bot.settings import Webhook
from bot.store import Store
from bot.web.receiver import Receiver
from bot.web.registration import ensure_webhook
from bot.web.worker import InboxWorker

log = logging.getLogger(__name__)


@dataclass
class WebhookService:
    runner: web.AppRunner
    worker: InboxWorker
    port: int  # the port actually bound (useful when asked for port 0)

    async def close(self) -> None:
        """Stop taking requests first, then let the worker finish what it holds."""
        await self.runner.cleanup()
        await self.worker.close()


async def start_webhook(
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    webhook: Webhook,
    *,
    allowed_updates: Sequence[str],
    clock: Callable[[], datetime],
    register: bool = True,
) -> WebhookService:
    """Drain leftovers, listen, then make sure Telegram delivers here (once per deployment).

    `application` must be initialised; `allowed_updates` are the update types its handlers
    take (what setWebhook asks Telegram for); `clock` stamps the inbox.
    """
    worker = InboxWorker(
        application,
        store.inbox,
        clock,
        reclaim_all_on_start=store.engine.dialect.name == "sqlite",  # one process per file
    )
    await worker.start()
    receiver = Receiver(
        secret=webhook.secret,
        store=store,
        rules=rules,
        worker=worker,
        clock=clock,
    )
    runner = web.AppRunner(receiver.app(webhook.path), access_log=None, handle_signals=False)
    try:
        await runner.setup()
        site = web.TCPSite(runner, webhook.listen, webhook.port)
        await site.start()
        port = runner.addresses[0][1] if runner.addresses else webhook.port
        changed = register and await ensure_webhook(
            application.bot, store.engine, webhook, allowed_updates, clock
        )
    except BaseException:
        await runner.cleanup()
        await worker.close()
        raise
    log.info(
        "webhook mode: listening on %s:%s%s; setWebhook %s",
        webhook.listen,
        port,
        webhook.path,
        "called" if changed else "already up to date",
    )
    return WebhookService(runner, worker, port)
