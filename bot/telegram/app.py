"""Build the python-telegram-bot Application and run it until asked to stop."""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.reminders.runner import start_dispatcher
from bot.settings import Webhook
from bot.telegram.commands import register_commands
from bot.telegram.ratelimit import MessageRateLimiter
from bot.telegram.registry import ALLOWED_UPDATES, register_handlers
from bot.telegram.services import SERVICES_KEY, BotContext, Services
from bot.web.service import start_webhook
from bot.web.timing import TimedRequest

log = logging.getLogger(__name__)


def file_url_for(base_url: str) -> str:
    """Telegram serves files at .../file/bot<token>/...; self-hosted servers mirror that."""
    root, sep, _ = base_url.rstrip("/").rpartition("/bot")
    return f"{root}/file/bot" if sep else base_url


def build_application(
    token: str, base_url: str, services: Services, base_file_url: str | None = None
) -> Application:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url or file_url_for(base_url))
        .request(TimedRequest())  # PTB's default HTTPXRequest, timed for /metrics
        .context_types(ContextTypes(context=BotContext))
        # Honours 429 retry_after and keeps sends and edits within Telegram's per-chat and
        # overall limits; admin look-ups and press answers do not spend a group's budget.
        .rate_limiter(MessageRateLimiter(max_retries=3))
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    register_handlers(application)
    return application


async def serve(
    application: Application,  # type: ignore[type-arg]
    stop: asyncio.Event,
    ready: asyncio.Event | None = None,
    webhook: Webhook | None = None,
) -> None:
    """Initialise (getMe), register commands, long-poll (or serve `webhook`) until `stop` is
    set, then shut down."""
    services: Services = application.bot_data[SERVICES_KEY]
    async with application:
        await register_commands(application, services.rules)
        await application.start()
        assert application.updater is not None
        if webhook is None:
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        else:  # our own server: answers Telegram only once the update is in the database
            try:
                web = await start_webhook(application, services, webhook)
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
            await (application.updater.stop() if webhook is None else web.close())
            await application.stop()
