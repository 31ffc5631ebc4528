"""The HTTP side of webhook mode (aiohttp): the webhook path, /healthz and /metrics.

The webhook answers 200 only after the update is committed to the inbox, unlike
python-telegram-bot's built-in server, which answers before the handlers run: if this process
dies after answering, the update is still in the database; if it dies before, Telegram retries.
A request without the right `X-Telegram-Bot-Api-Secret-Token` gets 403 and touches nothing.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from aiohttp import web

from bot.core.rules import Rules
from bot.metrics import CONTENT_TYPE, INBOX_DEPTH, WEBHOOK_REQUESTS, exposition
from bot.store import Store
from bot.store.inbox import Incoming
from bot.web.batching import GroupCommit
from bot.web.worker import InboxWorker

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
T = TypeVar("T")

CHECK_TIMEOUT = 3.0  # seconds; an unreachable database must not hang /healthz


def describe(raw: dict[str, Any]) -> tuple[str, int]:
    """An update's type and the key whose updates stay in order: its chat, else its user."""
    for kind, body in raw.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        for holder in (body, body.get("message")):  # callback queries carry their message
            chat = holder.get("chat") if isinstance(holder, dict) else None
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return kind, chat["id"]
        user = body.get("from") or body.get("user")
        if isinstance(user, dict) and isinstance(user.get("id"), int):
            return kind, user["id"]  # a private chat's id is its user's id
        return kind, 0
    return "unknown", 0


@dataclass
class Receiver:
    """What the three routes need; the inbox worker gets what is accepted (see GroupCommit)."""

    secret: str
    store: Store
    rules: Rules | None
    worker: InboxWorker
    clock: Callable[[], datetime]

    def __post_init__(self) -> None:
        self.batch = GroupCommit(self.store.inbox, self.clock, self.worker)

    async def webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            WEBHOOK_REQUESTS.labels(result="forbidden").inc()
            return web.Response(status=403)
        try:
            body = await request.text()
            raw = json.loads(body)
            update_id = raw["update_id"]
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                raise TypeError("update_id is not an integer")
            kind, chat_key = describe(raw)
        except Exception:  # anything unreadable (bad JSON, odd shapes, nesting too deep): 400
            WEBHOOK_REQUESTS.labels(result="bad_request").inc()
            return web.Response(status=400)
        try:
            accepted = await self.batch.accept(Incoming(update_id, chat_key, kind, body))
        except Exception:
            log.exception("webhook: could not store update %s; Telegram will retry", update_id)
            WEBHOOK_REQUESTS.labels(result="unavailable").inc()
            return web.Response(status=503)
        WEBHOOK_REQUESTS.labels(result="accepted" if accepted else "duplicate").inc()
        return web.Response(status=200)

    async def healthz(self, _request: web.Request) -> web.Response:
        rules = self.rules is not None and bool(self.rules.triage) and bool(self.rules.ui)
        database = await _within(self.store.ping(), default=False)
        worker = self.worker.running
        healthy = rules and database and worker
        return web.json_response(
            {
                "status": "ok" if healthy else "unavailable",
                "rules": rules,
                "database": database,
                "worker": worker,
            },
            status=200 if healthy else 503,
        )

    async def metrics(self, _request: web.Request) -> web.Response:
        depth = await _within(self.store.inbox.depth(), default=None)
        # Unknown (NaN) rather than a stale number when the database does not answer.
        INBOX_DEPTH.set(math.nan if depth is None else depth)
        return web.Response(body=exposition(), headers={"Content-Type": CONTENT_TYPE})

    def app(self, path: str) -> web.Application:
        application = web.Application()
        application.router.add_post(path, self.webhook)
        application.router.add_get("/healthz", self.healthz)
        application.router.add_get("/metrics", self.metrics)
        return application


async def _within(check: Awaitable[T], *, default: T) -> T:
    try:
        return await asyncio.wait_for(check, CHECK_TIMEOUT)
    except Exception:
        return default
