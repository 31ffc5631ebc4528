"""setWebhook once per deployment, not once per replica, and only when something changed.

Every replica calls `ensure_webhook` at start-up. Under a database-wide lock (a PostgreSQL
advisory lock; SQLite is one process anyway) it compares what Telegram has (getWebhookInfo: URL
and allowed updates) and what was registered last (an HMAC of URL, secret and allowed updates,
kept in `webhook_state`, because getWebhookInfo never shows the secret), and calls setWebhook
only if they differ. The replicas that come second find everything in place and call nothing,
so a rolling restart doesn't send N setWebhook calls, and a rotated secret is registered once.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from telegram import Bot

from bot.settings import Webhook
from bot.store.locks import WEBHOOK_KEY, lock_for_transaction
from bot.store.schema import webhook_state
from bot.store.utc import as_utc

# The advisory lock key for "register the webhook", next to bot.store.locks' own keys.


@contextlib.asynccontextmanager
async def locked_transaction(engine: AsyncEngine, key: int) -> AsyncIterator[AsyncConnection]:
    """A transaction that holds the advisory lock `key` on PostgreSQL until it ends (replicas
    wanting the same key wait their turn); on SQLite, one process, a plain transaction."""
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await lock_for_transaction(conn, key)
        yield conn


def fingerprint(token: str, webhook: Webhook, allowed_updates: Sequence[str]) -> str:
    """HMAC keyed with the bot token: reveals nothing about the secret to a database reader."""
    message = json.dumps([webhook.url, webhook.secret, sorted(allowed_updates)])
    return hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()


async def ensure_webhook(
    bot: Bot,
    engine: AsyncEngine,
    webhook: Webhook,
    allowed_updates: Sequence[str],
    clock: Callable[[], datetime],
) -> bool:
    """Make Telegram deliver to `webhook`; True if this call had to run setWebhook."""
    wanted = fingerprint(bot.token, webhook, allowed_updates)
    async with locked_transaction(engine, WEBHOOK_KEY) as conn:
        stored = await conn.scalar(
            select(webhook_state.c.fingerprint).where(webhook_state.c.id == 1)
        )
        info = await bot.get_webhook_info()
        if (
            info.url == webhook.url
            and set(info.allowed_updates or ()) == set(allowed_updates)
            and stored == wanted
        ):
            return False
        await bot.set_webhook(
            webhook.url, secret_token=webhook.secret, allowed_updates=list(allowed_updates)
        )
        values = {"fingerprint": wanted, "updated_at": as_utc(clock())}
        changed = await conn.execute(
            update(webhook_state).where(webhook_state.c.id == 1).values(**values)
        )
        if not changed.rowcount:
            await conn.execute(insert(webhook_state).values(id=1, **values))
        return True
