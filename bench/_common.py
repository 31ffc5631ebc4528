"""What the benchmarks share: the emulator in its own process, bulk subscriptions, a clock,
timing helpers and the table printer.

The emulator runs in a child process (its own interpreter and core), as Telegram runs on
another machine: the bot side of a benchmark then has a core to itself, and the emulator's own
CPU time never counts against the dispatcher. Commands (add users, read statistics) go over a
pipe.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import signal
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    case,
    create_engine,
    false,
    func,
    insert,
    literal,
    null,
    select,
)
from sqlalchemy.pool import StaticPool

from bot.core.milestones import Baby, plan_subscription
from bot.core.rules import Rules
from bot.emulator import Emulator, RateLimits
from bot.sandbox import SANDBOX_TOKEN
from bot.store.schema import scheduled_notes, subscriptions

TOKEN = SANDBOX_TOKEN
FIRST_CHAT_ID = 5_000_000_001  # private chats: chat id == user id, as on Telegram


def load_rules() -> Rules:
    from bot.runtime import load_checked_rules
    from bot.settings import REPO_RULES_DIR

    return load_checked_rules(REPO_RULES_DIR)


@dataclass
class Clock:
    """The dispatcher's injected clock; the benchmark sets `now`."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


# -- the emulator in a child process ----------------------------------------------------------


def _emulator_child(conn: Connection, validate: bool, limits: RateLimits | None) -> None:
    asyncio.run(_emulator_main(conn, validate, limits))


async def _emulator_main(conn: Connection, validate: bool, limits: RateLimits | None) -> None:
    async with Emulator(validate=validate, rate_limits=limits) as emu:
        emu.add_bot(TOKEN)
        conn.send(emu.base_url)
        loop = asyncio.get_running_loop()
        while True:
            command, *args = await loop.run_in_executor(None, conn.recv)
            if command == "stop":
                break
            if command == "add_users":
                first, count = args
                for user_id in range(first, first + count):
                    emu.add_user(f"P{user_id}", user_id=user_id, started=True)
                conn.send(count)
            elif command == "stats":
                conn.send(_emulator_stats(emu, *args))
            elif command == "send_text":  # (user_id, text): the user must have been added
                user_id, text = args
                emu.send_text(emu.world.users[user_id], text)
                conn.send(True)
            elif command == "message_count":  # (chat_id,)
                conn.send(len(emu.chat_messages(args[0])))
            elif command == "send_paced":  # (first user, count, text, per second)
                first, count, text, rate = args
                began = loop.time()
                for index in range(count):
                    await asyncio.sleep(max(0.0, began + index / rate - loop.time()))
                    emu.send_text(emu.world.users[first + index], text)
                conn.send(loop.time() - began)
            else:
                conn.send(ValueError(f"unknown command {command!r}"))
    conn.send("stopped")


def _emulator_stats(emu: Emulator, first: int, count: int) -> dict[str, Any]:
    per_chat = Counter(len(emu.chat_messages(chat_id)) for chat_id in range(first, first + count))
    sends = [
        call for call in emu.calls_to("sendMessage") if first <= _chat_of(call) < first + count
    ]
    accepted = sorted(call.finished for call in sends if call.ok)
    return {
        "messages": sum(n * chats for n, chats in per_chat.items()),
        "chats_without": per_chat.get(0, 0),
        "duplicates": sum((n - 1) * chats for n, chats in per_chat.items() if n > 1),
        "refused_429": sum(1 for call in sends if call.status == 429),
        "other_errors": sum(1 for call in sends if not call.ok and call.status != 429),
        "rate_violations": emu.rate_violations,
        "rate_violation_kinds": dict(Counter(b.kind for b in emu.rate_violation_details)),
        # seconds after the first accepted send, to tell a start-up burst from a steady excess
        "rate_violations_at": [
            round(b.at - accepted[0], 2) for b in emu.rate_violation_details if accepted
        ],
        "spec_violations": list(emu.violations[:5]),
        "spec_violation_count": len(emu.violations),
        "first_to_last_s": accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0,
        "peak_per_second": _peak_in_window(accepted, 1.0),
    }


def _chat_of(call: Any) -> int:
    try:
        return int(call.params.get("chat_id"))
    except (TypeError, ValueError):
        return 0


def _peak_in_window(instants: Sequence[float], width: float) -> int:
    """The most instants in any half-open window of `width` seconds (as Telegram counts)."""
    peak, start = 0, 0
    for end, instant in enumerate(instants):
        while instant - instants[start] >= width:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


class EmulatorProcess:
    """`Emulator(validate=..., rate_limits=...)` with one bot (TOKEN), in a child process."""

    def __init__(self, *, validate: bool = True, rate_limits: RateLimits | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_emulator_child, args=(child, validate, rate_limits), daemon=True
        )
        self.base_url = ""

    async def _recv(self) -> Any:
        answer = await asyncio.get_running_loop().run_in_executor(None, self._conn.recv)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def __aenter__(self) -> Self:
        self._process.start()
        self.base_url = await self._recv()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process.is_alive():
            self._conn.send(("stop",))
            await self._recv()
        await asyncio.get_running_loop().run_in_executor(None, self._process.join, 10)
        if self._process.is_alive():
            self._process.kill()

    async def add_users(self, first: int, count: int) -> None:
        """Users `first`..`first+count-1`, each of whom has started the bot."""
        self._conn.send(("add_users", first, count))
        await self._recv()

    async def send_text(self, user_id: int, text: str) -> None:
        """User `user_id` (added before) writes `text` to the bot."""
        self._conn.send(("send_text", user_id, text))
        await self._recv()

    async def send_paced(self, first: int, count: int, text: str, per_second: float) -> float:
        """Users first..first+count-1 (added before) each write `text`, evenly paced;
        returns the seconds it took."""
        self._conn.send(("send_paced", first, count, text, per_second))
        return await self._recv()  # type: ignore[no-any-return]

    async def message_count(self, chat_id: int) -> int:
        """How many of the bot's messages the chat holds now."""
        self._conn.send(("message_count", chat_id))
        return await self._recv()  # type: ignore[no-any-return]

    async def stats(self, first: int, count: int) -> dict[str, Any]:
        """Messages, duplicates, refusals and limit violations for chats first..first+count-1."""
        self._conn.send(("stats", first, count))
        return await self._recv()  # type: ignore[no-any-return]


# -- subscriptions in bulk -------------------------------------------------------------------


@dataclass(frozen=True)
class Combo:
    """One kind of subscriber: birth date, zone, hour and when they subscribed."""

    birth: date
    tz: str
    hour: int
    subscribed_at: datetime


def bulk_subscribe(
    db_path: Path,
    rules: Rules,
    combos: Sequence[Combo],
    count: int,
    first_chat_id: int = FIRST_CHAT_ID,
    *,
    sent_until: datetime | None = None,
) -> int:
    """`count` subscriptions (chat ids from `first_chat_id`, one baby each, subscriber i of kind
    `combos[i % len(combos)]`) with exactly the notes `Subscriptions.subscribe` would store
    (`plan_subscription(...).upcoming`), written with SQLAlchemy Core into the migrated schema.

    Notes due at or before `sent_until` are stored as already sent (the history a dispatcher
    that kept up would have left). Returns how many notes were stored. The rows are generated
    inside SQLite (INSERT ... SELECT from two small temporary tables), so a million
    subscriptions take seconds, not minutes.
    """
    milestones = list(rules.milestones.values())
    meta = MetaData()
    kinds = Table(
        "bench_combo",
        meta,
        Column("combo", Integer, primary_key=True),
        Column("birth_date", Date, nullable=False),
        Column("timezone", String(64), nullable=False),
        Column("delivery_hour", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        prefixes=["TEMPORARY"],
    )
    plans = Table(
        "bench_plan",
        meta,
        Column("combo", Integer, nullable=False),
        Column("milestone_id", String(32), nullable=False),
        Column("due_at", DateTime(timezone=True), nullable=False),
        prefixes=["TEMPORARY"],
    )
    plan_rows = []
    for index, combo in enumerate(combos):
        plan = plan_subscription(
            milestones,
            Baby(combo.birth, None, None),
            ZoneInfo(combo.tz),
            combo.hour,
            combo.subscribed_at,
        )
        plan_rows += [
            {"combo": index, "milestone_id": m.id, "due_at": due} for m, due in plan.upcoming
        ]
    engine = create_engine(f"sqlite:///{db_path}", poolclass=StaticPool)
    try:
        with engine.connect() as conn:
            # Loading only: no journal, no fsync, a large cache; WAL (the store's mode) after.
            conn.exec_driver_sql("PRAGMA journal_mode=OFF")
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            conn.exec_driver_sql("PRAGMA cache_size=-1000000")  # 1 GB
            conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
        with engine.begin() as conn:
            meta.create_all(conn)
            conn.execute(
                insert(kinds),
                [
                    {
                        "combo": index,
                        "birth_date": c.birth,
                        "timezone": c.tz,
                        "delivery_hour": c.hour,
                        "created_at": c.subscribed_at,
                    }
                    for index, c in enumerate(combos)
                ],
            )
            if plan_rows:
                conn.execute(insert(plans), plan_rows)
            base = conn.execute(select(func.coalesce(func.max(subscriptions.c.id), 0))).scalar_one()
            counter = select(literal(0).label("i")).cte("counter", recursive=True)
            counter = counter.union_all(select(counter.c.i + 1).where(counter.c.i < count - 1))
            conn.execute(
                insert(subscriptions).from_select(
                    [
                        "id",
                        "chat_id",
                        "baby_name",
                        "birth_date",
                        "gestational_weeks",
                        "timezone",
                        "delivery_hour",
                        "locale",
                        "paused",
                        "created_at",
                    ],
                    select(
                        counter.c.i + base + 1,
                        counter.c.i + first_chat_id,
                        null(),
                        kinds.c.birth_date,
                        null(),
                        kinds.c.timezone,
                        kinds.c.delivery_hour,
                        null(),
                        false(),
                        kinds.c.created_at,
                    ).join_from(counter, kinds, kinds.c.combo == counter.c.i % len(combos)),
                )
            )
            sent = plans.c.due_at <= sent_until if sent_until is not None else literal(False)
            result = conn.execute(
                insert(scheduled_notes).from_select(
                    [
                        "subscription_id",
                        "chat_id",
                        "milestone_id",
                        "due_at",
                        "status",
                        "attempts",
                        "sent_at",
                    ],
                    select(
                        subscriptions.c.id,
                        subscriptions.c.chat_id,
                        plans.c.milestone_id,
                        plans.c.due_at,
                        case((sent, literal("sent")), else_=literal("pending")),
                        literal(0),
                        case((sent, plans.c.due_at), else_=null()),
                    )
                    .join_from(
                        subscriptions,
                        plans,
                        plans.c.combo == (subscriptions.c.id - base - 1) % len(combos),
                    )
                    .where(subscriptions.c.id > base)
                    .order_by(subscriptions.c.id, plans.c.due_at),
                )
            )
            stored = result.rowcount
            meta.drop_all(conn)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    finally:
        engine.dispose()
    return stored


# -- measuring and printing ------------------------------------------------------------------


async def stop_process(process: asyncio.subprocess.Process, grace: float = 20) -> None:
    """SIGTERM a bot process the bench started (a clean shutdown), SIGKILL it after `grace` s."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        process.kill()
        await process.wait()


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def median(values: Iterable[float]) -> float:
    return statistics.median(values)


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def print_table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A small markdown table (pastes into the README as it is)."""
    cells = [list(map(str, header))] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}\n")
    for index, row in enumerate(cells):
        print("| " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print(flush=True)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def timed(record: list[float], function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an async function so each call's wall time is appended to `record`."""

    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            record.append(time.perf_counter() - started)

    return wrapper
