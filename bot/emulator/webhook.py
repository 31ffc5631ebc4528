"""Webhook delivery: POSTs queued updates to the URL the bot set with setWebhook.

Only loopback URLs are served (the emulator never contacts anything beyond this machine). Each
update goes out as Telegram sends it: a JSON body, with the `X-Telegram-Bot-Api-Secret-Token`
header when the bot set a secret token; a 2xx answer confirms it, anything else stops delivery
and is reported through getWebhookInfo's last_error_* fields.
"""

# Waiting helpers take a `timeout` argument on purpose: it is their public API.
# ruff: noqa: ASYNC109

from __future__ import annotations

from urllib.parse import urlsplit

import aiohttp

from bot.emulator.methods.updates import LOOPBACK_HOSTS
from bot.emulator.state import BotAccount, now_unix

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def deliver_pending(bot: BotAccount, *, timeout: float = 5.0) -> int:
    """Delivers the bot's pending updates in order; returns how many were accepted."""
    hook = bot.webhook
    if hook is None:
        raise RuntimeError("the bot has no webhook set")
    if urlsplit(hook.url).hostname not in LOOPBACK_HOSTS:
        raise RuntimeError(f"the emulator only delivers to 127.0.0.1, not {hook.url}")
    headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
    delivered = 0
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(timeout=client_timeout) as session:
        while bot.pending:
            update = bot.pending[0]
            error: str | None = None
            try:
                async with session.post(hook.url, json=update, headers=headers, ssl=False) as reply:
                    if not 200 <= reply.status < 300:
                        error = f"Wrong response from the webhook: {reply.status} {reply.reason}"
            except (aiohttp.ClientError, TimeoutError) as failure:
                error = f"Connection failed: {failure}"
            if error is not None:
                hook.last_error_date = now_unix()
                hook.last_error_message = error
                break
            bot.pending.popleft()
            delivered += 1
    return delivered
