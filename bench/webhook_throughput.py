"""Webhook throughput: updates per second one replica accepts and handles, against a bare
python-telegram-bot webhook app in the same run.

    python bench/webhook_throughput.py [--quick] [--database-url URL]

Six servers, each fed the same stream of private-chat "/start" updates by a load generator in
its own process (`--connections` parallel POSTs with the secret header, as Telegram uses up to
40), the Bot API emulator in another:

- bare PTB: `Updater.start_webhook` (the server behind `run_webhook`; tornado), which answers
  200 as soon as the update is queued in memory, then the Application handles it;
- Sleepsigns: our aiohttp server, which answers 200 only once the update is committed to the
  inbox table, and the inbox worker, which feeds the Application; its Bot API calls go through
  the bot's own transport (`bot.telegram.transport`: aiohttp, JSON bodies);
- bare PTB on the bot's transport: the first with that transport instead of PTB's default
  (httpx), so that "Sleepsigns / this" is what the inbox and the bot's machinery cost alone;

each once with a trivial handler (counts the update: the cost of the pipeline alone) and once
with the bot's real handlers (which answer /start through the emulator; AIORateLimiter left out
so Telegram's 30 messages/s does not cap the figure). A run ends when every update is handled.
Printed: accepted/s, handled/s and the ratio Sleepsigns / bare PTB.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import TOKEN, EmulatorProcess, load_rules, print_table
from bot.metrics import UPDATES_HANDLED
from bot.settings import Webhook
from bot.store import open_store
from bot.telegram.registry import ALLOWED_UPDATES, register_handlers
from bot.telegram.services import SERVICES_KEY, BotContext, Services, utc_now
from bot.telegram.transport import AiohttpRequest
from bot.web.receiver import SECRET_HEADER
from bot.web.service import start_webhook

SECRET = "bench-secret_0123456789abcdefghij"
FIRST_USER = 7_000_000_001
HOST = "127.0.0.1"


# -- the load generator, in its own process ---------------------------------------------------


def _loadgen_child(conn: Connection) -> None:
    while True:
        job = conn.recv()
        if job is None:
            return
        conn.send(asyncio.run(_post_all(*job)))


async def _post_all(url: str, bodies: list[bytes], connections: int) -> dict[str, Any]:
    statuses: Counter[int] = Counter()
    pending = iter(bodies)
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def lane() -> None:
            for body in pending:  # the lanes share one iterator: updates go out in order
                async with session.post(url, data=body, headers=headers) as reply:
                    await reply.read()
                    statuses[reply.status] += 1

        began = time.perf_counter()
        await asyncio.gather(*(lane() for _ in range(connections)))
        seconds = time.perf_counter() - began
    return {"seconds": seconds, "statuses": dict(statuses)}


class LoadGenerator:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_loadgen_child, args=(child,), daemon=True)
        self._process.start()

    async def post(self, url: str, bodies: list[bytes], connections: int) -> dict[str, Any]:
        self._conn.send((url, bodies, connections))
        return await asyncio.get_running_loop().run_in_executor(None, self._conn.recv)  # type: ignore[no-any-return]

    def close(self) -> None:
        self._conn.send(None)
        self._process.join(10)


# -- what gets posted ---------------------------------------------------------------------------


def start_update(update_id: int, user_id: int) -> bytes:
    user = {"id": user_id, "is_bot": False, "first_name": f"P{user_id}", "language_code": "en"}
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]},
        "from": user,
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }
    return json.dumps({"update_id": update_id, "message": message}).encode()


def stream(first_update_id: int, count: int, users: int) -> list[bytes]:
    return [start_update(first_update_id + i, FIRST_USER + i % users) for i in range(count)]


# -- the servers --------------------------------------------------------------------------------


@dataclass
class Target:
    url: str
    handled: Callable[[], float]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def builder(base_url: str, transport: bool) -> ApplicationBuilder:  # type: ignore[type-arg]
    """PTB's builder; `transport`: the bot's own Bot API transport (aiohttp, JSON bodies, as
    `build_application` sets it) instead of PTB's default (httpx)."""
    built = ApplicationBuilder().token(TOKEN).base_url(base_url)
    return built.request(AiohttpRequest()) if transport else built


def trivial_app(base_url: str, seen: list[int], transport: bool) -> Application:  # type: ignore[type-arg]
    application = builder(base_url, transport).build()

    async def count(update: object, _context: object) -> None:
        seen.append(1)

    application.add_handler(TypeHandler(Update, count))
    return application


def real_app(base_url: str, services: Services, transport: bool) -> Application:  # type: ignore[type-arg]
    """build_application without AIORateLimiter (Telegram's 30/s would be the only figure)."""
    application = (
        builder(base_url, transport).context_types(ContextTypes(context=BotContext)).build()
    )
    application.bot_data[SERVICES_KEY] = services
    register_handlers(application)
    return application


@asynccontextmanager
async def bare_ptb(
    base_url: str, handlers: str, services: Services, transport: bool = False
) -> AsyncIterator[Target]:
    seen: list[int] = []
    application = (
        trivial_app(base_url, seen, transport)
        if handlers == "trivial"
        else real_app(base_url, services, transport)
    )
    port = free_port()
    url = f"http://{HOST}:{port}/hook"
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_webhook(
            listen=HOST, port=port, url_path="hook", secret_token=SECRET, webhook_url=url
        )
        handled = (lambda: len(seen)) if handlers == "trivial" else _handled_by_ptb(application)
        try:
            yield Target(url, handled)
        finally:
            await application.updater.stop()
            await application.stop()


def _handled_by_ptb(application: Application) -> Callable[[], float]:  # type: ignore[type-arg]
    """Count real-handler updates in bare PTB with a TypeHandler in a later group."""
    seen: list[int] = []

    async def count(update: object, _context: object) -> None:
        seen.append(1)

    application.add_handler(TypeHandler(Update, count), group=99)
    return lambda: len(seen)


@asynccontextmanager
async def sleepsigns(base_url: str, handlers: str, services: Services) -> AsyncIterator[Target]:
    seen: list[int] = []
    if handlers == "trivial":
        application = trivial_app(base_url, seen, transport=True)
        application.bot_data[SERVICES_KEY] = services
    else:
        application = real_app(base_url, services, transport=True)
    port = free_port()
    webhook = Webhook(url=f"http://{HOST}:{port}/hook", secret=SECRET, port=port)
    before = _all_handled()
    async with application:
        await application.start()
        service = await start_webhook(
            application,
            services.store,
            services.rules,
            webhook,
            allowed_updates=ALLOWED_UPDATES,
            clock=utc_now,
        )
        try:
            yield Target(webhook.url, lambda: _all_handled() - before)
        finally:
            await service.close()
            await application.stop()


def _all_handled() -> float:
    # Only this counter: collecting the whole REGISTRY (its process collector reads /proc) on
    # every 2 ms poll cost the measured process ~13 % of its CPU, which bare PTB never paid.
    return sum(
        s.value
        for family in UPDATES_HANDLED.collect()
        for s in family.samples
        if s.name.endswith("_total")
    )


# -- one measured run ---------------------------------------------------------------------------


@dataclass
class Result:
    server: str
    handlers: str
    updates: int
    accept_seconds: float
    handle_seconds: float

    @property
    def accepted_per_s(self) -> float:
        return self.updates / self.accept_seconds

    @property
    def handled_per_s(self) -> float:
        return self.updates / self.handle_seconds


async def measure(
    loadgen: LoadGenerator,
    target: Target,
    first_update_id: int,
    count: int,
    users: int,
    connections: int,
) -> tuple[float, float]:
    """Post `count` updates; (seconds until all were answered, until all were handled)."""
    bodies = stream(first_update_id, count, users)
    goal = target.handled() + count
    began = time.perf_counter()
    posting = asyncio.create_task(loadgen.post(target.url, bodies, connections))
    while target.handled() < goal:
        if posting.done() and posting.result()["statuses"] != {200: count}:
            raise RuntimeError(f"the server refused updates: {posting.result()['statuses']}")
        if time.perf_counter() - began > 300:
            raise TimeoutError(f"only {target.handled() - goal + count} of {count} handled")
        await asyncio.sleep(0.002)
    handled = time.perf_counter() - began
    answer = await posting
    if answer["statuses"] != {200: count}:
        raise RuntimeError(f"unexpected answers: {answer['statuses']}")
    return answer["seconds"], handled


async def main(args: argparse.Namespace) -> None:
    rules = load_rules()
    count, users, connections = args.updates, args.users, args.connections
    loadgen = LoadGenerator()
    results: list[Result] = []
    servers: dict[str, Callable[..., AbstractAsyncContextManager[Target]]] = {
        "bare PTB (start_webhook)": bare_ptb,
        "bare PTB on the bot's transport": functools.partial(bare_ptb, transport=True),
        "Sleepsigns (inbox)": sleepsigns,
    }
    try:
        async with EmulatorProcess(validate=False) as emulator:
            await emulator.add_users(FIRST_USER, users)
            with tempfile.TemporaryDirectory(prefix="webhook-bench-") as tmp:
                run = 0
                for handlers in ("trivial", "real"):
                    for name, server in servers.items():
                        run += 1
                        url = args.database_url or f"sqlite:///{Path(tmp) / f'run{run}.db'}"
                        store = await open_store(url)
                        services = Services(rules=rules, store=store)
                        try:
                            async with server(emulator.base_url, handlers, services) as target:
                                base = run * 10_000_000
                                await measure(
                                    loadgen, target, base, args.warmup, users, connections
                                )
                                accept_s, handle_s = await measure(
                                    loadgen, target, base + args.warmup, count, users, connections
                                )
                        finally:
                            await store.close()
                        results.append(Result(name, handlers, count, accept_s, handle_s))
                        print(
                            f"  {name}, {handlers} handler: {count / handle_s:,.0f} updates/s",
                            flush=True,
                        )
    finally:
        loadgen.close()
    backend = "PostgreSQL" if args.database_url else "SQLite (temp file)"
    print_table(
        f"Webhook throughput, one process, {count:,} updates from {users:,} chats over "
        f"{connections} connections; store: {backend}",
        ["server", "handler", "accepted/s", "handled/s"],
        [(r.server, r.handlers, r.accepted_per_s, r.handled_per_s) for r in results],
    )
    by = {(r.server, r.handlers): r for r in results}
    for handlers in ("trivial", "real"):
        ours = by[("Sleepsigns (inbox)", handlers)].handled_per_s
        bare = by[("bare PTB (start_webhook)", handlers)].handled_per_s
        same = by[("bare PTB on the bot's transport", handlers)].handled_per_s
        print(f"ratio Sleepsigns / bare PTB, {handlers} handler: {ours / bare:.2f}")
        print(
            f"ratio Sleepsigns / bare PTB on the bot's transport, {handlers} handler: "
            f"{ours / same:.2f}"
        )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run (seconds), for CI")
    parser.add_argument("--updates", type=int, help="updates per measured run")
    parser.add_argument("--users", type=int, help="distinct chats")
    parser.add_argument("--connections", type=int, default=40, help="parallel POSTs")
    parser.add_argument("--database-url", help="e.g. postgresql://...; default: a temp SQLite")
    args = parser.parse_args(argv)
    args.updates = args.updates or (300 if args.quick else 3000)
    args.users = args.users or (50 if args.quick else 300)
    args.warmup = 50 if args.quick else 200
    return args


if __name__ == "__main__":
    asyncio.run(main(parse()))
