"""Build the python-telegram-bot Application: every handler, the rate limiter, the services.

Running it (polling or webhook, with the reminder dispatcher beside it) is the composition
root's job: `bot.runtime.serve`.
"""

from __future__ import annotations

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.telegram.ratelimit import MessageRateLimiter
from bot.telegram.registry import register_handlers
from bot.telegram.services import SERVICES_KEY, BotContext, Services
from bot.telegram.transport import GET_UPDATES_POOL_SIZE, AiohttpRequest

# Where the Application keeps its two Bot API transports (the bot's, and getUpdates').
TRANSPORT_KEY = "transport"

# Telegram's limits for messages: 20 a minute into one group, 30 a second overall. They are
# also AIORateLimiter's defaults; written out here so the numbers the bot keeps are visible.
GROUP_MESSAGES_PER_MINUTE = 20
OVERALL_MESSAGES_PER_SECOND = 30


def file_url_for(base_url: str) -> str:
    """Telegram serves files at .../file/bot<token>/...; self-hosted servers mirror that."""
    root, sep, _ = base_url.rstrip("/").rpartition("/bot")
    return f"{root}/file/bot" if sep else base_url


def rate_limiter() -> AIORateLimiter:
    """Honours 429 retry_after and keeps sends and edits within Telegram's per-group and
    overall limits; admin look-ups and press answers do not spend a group's budget."""
    return MessageRateLimiter(
        overall_max_rate=OVERALL_MESSAGES_PER_SECOND,
        overall_time_period=1,
        group_max_rate=GROUP_MESSAGES_PER_MINUTE,
        group_time_period=60,
        max_retries=3,
    )


def build_application(
    token: str,
    base_url: str,
    services: Services,
    base_file_url: str | None = None,
) -> Application:  # type: ignore[type-arg]
    """`base_file_url`: where downloaded files come from (TELEGRAM_BASE_FILE_URL), else derived
    from `base_url`. Bot API calls go through `transport` (aiohttp, timed for /metrics)."""
    transport = (AiohttpRequest(), AiohttpRequest(GET_UPDATES_POOL_SIZE))
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url or file_url_for(base_url))
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(rate_limiter())
        .request(transport[0])
        .get_updates_request(transport[1])
    )
    application = builder.build()
    application.bot_data[SERVICES_KEY] = services
    application.bot_data[TRANSPORT_KEY] = transport
    register_handlers(application)
    return application


async def close_transport(application: Application) -> None:  # type: ignore[type-arg]
    """Close the Bot API connections, also after a start-up that failed: PTB shuts down only a
    bot whose initialize succeeded, so a refused token (getMe) would leave them open."""
    for request in application.bot_data.get(TRANSPORT_KEY, ()):
        await request.shutdown()
