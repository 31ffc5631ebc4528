"""The composition root: the one module that wires the parts into a running bot.

Rules (checked against the UI keys the shell uses), the store, the python-telegram-bot
Application (the shell's handlers, with Bot API calls timed for /metrics), the reminder
dispatcher and, in webhook mode, the webhook server. The parts below do not import each other
sideways: the shell (`bot.telegram`) and the webhook server (`bot.web`) meet only here, and the
dispatcher (`bot.reminders`) is started from here. `bot.cli`, `bot.sandbox` (and through it the
console and the end-to-end tests) start the bot through this module. docs/architecture.md draws
the arrows; `lint-imports` holds them.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from telegram.ext import Application

from bot.core.rules import Rules
from bot.core.rules_loader import load_rules
from bot.reminders import start_dispatcher
from bot.settings import Webhook
from bot.store import open_store
from bot.telegram.app import build_application, close_transport
from bot.telegram.commands import register_commands, register_descriptions
from bot.telegram.registry import ALLOWED_UPDATES
from bot.telegram.services import SERVICES_KEY, Services, utc_now
from bot.telegram.ui_keys import UI_KEYS

if TYPE_CHECKING:
    from bot.web.service import WebhookService

log = logging.getLogger("bot")


def load_checked_rules(directory: Path) -> Rules:
    """The rules, refused (RulesInvalid) if any UI string the shell uses is missing."""
    return load_rules(directory, UI_KEYS)


def build_bot(
    token: str, base_url: str, services: Services, base_file_url: str | None = None
) -> Application:  # type: ignore[type-arg]
    """The Application as production runs it: every handler, Bot API calls over aiohttp."""
    return build_application(token, base_url, services, base_file_url)


async def serve(
    application: Application,  # type: ignore[type-arg]
    stop: asyncio.Event,
    ready: asyncio.Event | None = None,
    webhook: Webhook | None = None,
) -> None:
    """Initialise (getMe), register commands and descriptions, long-poll (or serve `webhook`)
    and deliver reminders until `stop` is set, then shut down."""
    try:
        await _serve(application, stop, ready, webhook)
    finally:
        await close_transport(application)


async def _serve(
    application: Application,  # type: ignore[type-arg]
    stop: asyncio.Event,
    ready: asyncio.Event | None,
    webhook: Webhook | None,
) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    async with application:
        await register_commands(application, services.rules)
        await register_descriptions(application, services.rules)
        await application.start()
        assert application.updater is not None
        web: WebhookService | None = None
        if webhook is None:
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        else:  # our own server: answers Telegram only once the update is in the database
            # Imported here: aiohttp's server is a fifth of a second of a polling bot's start.
            from bot.web.service import start_webhook

            try:
                # The inbox uses the real clock, not the services' clock (which tests may
                # freeze): its times are operational, not part of what the bot says.
                web = await start_webhook(
                    application,
                    services.store,
                    services.rules,
                    webhook,
                    allowed_updates=ALLOWED_UPDATES,
                    clock=utc_now,
                )
            except BaseException:  # e.g. PORT taken: stop cleanly so the real error shows
                await application.stop()
                raise
        # One repeating loop delivers every subscriber's reminders (never a job per subscriber).
        reminders = start_dispatcher(
            application,
            services.store,
            services.rules,
            services.clock,
            interval=services.reminder_interval,
        )
        log.info("Sleepsigns is running as @%s", application.bot.username)
        if ready is not None:
            ready.set()
        try:
            await stop.wait()
        finally:
            await reminders.close()
            await (application.updater.stop() if web is None else web.close())
            await application.stop()


async def run(
    token: str,
    base_url: str,
    database_url: str,
    rules: Rules,
    webhook: Webhook | None = None,
    base_file_url: str | None = None,
) -> None:
    """`python -m bot run`: open the store, serve until SIGINT or SIGTERM, close the store."""
    store = await open_store(database_url)
    try:
        services = Services(rules=rules, store=store)
        application = build_bot(token, base_url, services, base_file_url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(application, stop, webhook=webhook)
    finally:
        await store.close()
