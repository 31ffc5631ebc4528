"""Getting updates: getMe, getUpdates (long polling), setWebhook, deleteWebhook, getWebhookInfo.

getUpdates follows Telegram: an `offset` confirms every update below it, a negative offset
keeps only the last -offset updates, `allowed_updates` persists until changed, `timeout`
long-polls and returns as soon as an update is queued, and a newer getUpdates terminates the
older one with 409 Conflict. While a webhook is set, getUpdates answers 409.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from bot.emulator.errors import (
    GETUPDATES_CONFLICT,
    GETUPDATES_WHILE_WEBHOOK,
    ApiError,
    spec_violation,
)
from bot.emulator.methods.base import MethodContext
from bot.emulator.state import BotAccount, LongPoll, WebhookConfig

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# How long an older poll's connection may stay open after being terminated before the
# emulator concludes that two pollers (two bot instances) are running.
_SECOND_POLLER_GRACE = 0.25


async def get_me(ctx: MethodContext) -> dict[str, Any]:
    return ctx.bot.me()


def _confirm(bot: BotAccount, offset: Any) -> None:
    if not isinstance(offset, int) or offset == 0:
        return
    pending = bot.pending
    if offset > 0:
        while pending and pending[0]["update_id"] < offset:
            pending.popleft()
    else:
        while len(pending) > -offset:
            pending.popleft()


def _set_allowed_updates(ctx: MethodContext) -> None:
    allowed = ctx.params.get("allowed_updates")
    if not isinstance(allowed, list):
        return
    unknown = sorted(str(kind) for kind in allowed if kind not in ctx.spec.update_types)
    if unknown:
        ctx.note_violation(f"{ctx.method}: unknown update types in allowed_updates: {unknown}")
    ctx.bot.allowed_updates = frozenset(str(kind) for kind in allowed) or None


def _watch_replaced_poll(ctx: MethodContext, old: LongPoll) -> None:
    def check() -> None:
        if old.is_alive():
            ctx.note_violation(
                "getUpdates: two getUpdates requests ran at once (is a second bot instance "
                "polling?); Telegram answers the older one 409 Conflict"
            )

    asyncio.get_running_loop().call_later(_SECOND_POLLER_GRACE, check)


async def get_updates(ctx: MethodContext) -> list[dict[str, Any]]:
    bot = ctx.bot
    if bot.webhook is not None:
        raise ApiError(409, GETUPDATES_WHILE_WEBHOOK)
    params = ctx.params
    limit = params.get("limit", 100)
    limit = min(max(limit if isinstance(limit, int) else 100, 1), 100)
    timeout = params.get("timeout", 0)
    timeout = max(timeout if isinstance(timeout, int | float) else 0, 0)
    _set_allowed_updates(ctx)
    _confirm(bot, params.get("offset"))
    old = bot.poll
    if old is not None:
        old.terminate(GETUPDATES_CONFLICT)
        _watch_replaced_poll(ctx, old)
    poll = LongPoll(is_alive=ctx.is_alive)
    bot.poll = poll
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while True:
            if poll.terminated is not None:
                raise ApiError(409, poll.terminated)
            if poll.closing:
                return []
            batch = list(islice(bot.pending, limit))
            remaining = deadline - loop.time()
            if batch or remaining <= 0:
                return batch
            poll.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(poll.wake.wait(), remaining)
    finally:
        if bot.poll is poll:
            bot.poll = None


def _check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    # Real Telegram insists on HTTPS; local http is allowed so tests can receive webhooks.
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return
    raise spec_violation(
        "bad webhook: An HTTPS URL must be provided for webhook", f"webhook url {url!r}"
    )


async def set_webhook(ctx: MethodContext) -> bool:
    bot = ctx.bot
    url = ctx.require("url")
    if not url:
        bot.webhook = None
        return True
    _check_webhook_url(url)
    secret = ctx.params.get("secret_token")
    if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
        raise spec_violation(
            "secret token contains unallowed characters",
            "secret_token must be 1-256 of A-Z, a-z, 0-9, _ and -",
        )
    max_connections = ctx.params.get("max_connections", 40)
    if not isinstance(max_connections, int) or not 1 <= max_connections <= 100:
        raise spec_violation("bad webhook: max_connections must be between 1 and 100")
    if ctx.params.get("drop_pending_updates"):
        bot.pending.clear()
    _set_allowed_updates(ctx)
    bot.webhook = WebhookConfig(
        url=url,
        secret_token=secret,
        max_connections=max_connections,
        ip_address=ctx.params.get("ip_address"),
        has_custom_certificate="certificate" in ctx.params,
    )
    if bot.poll is not None:
        bot.poll.terminate("Conflict: terminated by setWebhook request")
    return True


async def delete_webhook(ctx: MethodContext) -> bool:
    ctx.bot.webhook = None
    if ctx.params.get("drop_pending_updates"):
        ctx.bot.pending.clear()
    return True


async def get_webhook_info(ctx: MethodContext) -> dict[str, Any]:
    bot = ctx.bot
    hook = bot.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": bool(hook and hook.has_custom_certificate),
        "pending_update_count": len(bot.pending),
    }
    if hook is not None:
        info["max_connections"] = hook.max_connections
        if hook.ip_address:
            info["ip_address"] = hook.ip_address
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    if bot.allowed_updates is not None:
        info["allowed_updates"] = sorted(bot.allowed_updates)
    return info
