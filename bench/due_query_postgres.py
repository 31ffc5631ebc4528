"""Due-query time with 1 000 000 subscriptions in PostgreSQL, beside 10 000 in the same run.

The PostgreSQL twin of `due_query.py`, with the same subscribers, notes, sample points and
states (nothing due / 100 due / 1 000 due / a delivery instant); see its docstring.

Each size gets a throwaway database on the server (`SLEEPSIGNS_TEST_POSTGRES`, default
postgres@127.0.0.1:5432, as the store's tests use), created from the maintenance database,
migrated by `open_store` and dropped afterwards whatever happens. The rows are bulk-loaded
with COPY (asyncpg `copy_records_to_table` on a raw connection): the secondary indexes and
constraints of `scheduled_notes` are dropped for the load and rebuilt from their own
definitions afterwards, then ANALYZE. `store.deliveries.due(now, 100)` is timed as the
dispatcher calls it (SQLAlchemy + asyncpg), and the very statement it sent is timed again on
the raw asyncpg connection: the database's own share. EXPLAIN (ANALYZE, BUFFERS) of the due
query shows whether it reads `ix_scheduled_notes_due_order`.

If the server cannot be reached, the script says so and exits 0 (skipped), so `run_all.py`
still runs on machines without PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from _common import FIRST_CHAT_ID, Combo, Stopwatch, load_rules, print_table
from due_query import (
    BATCH,
    INDEX,
    SPAN,
    STATES,
    T0,
    catch_up,
    combos,
    header,
    leave_due,
    ms,
    next_instant,
)
from sqlalchemy import event
from sqlalchemy.engine import make_url

from bot.core.milestones import Baby, plan_subscription
from bot.core.rules import Rules
from bot.store import Store, open_store

SERVER_ENV = "SLEEPSIGNS_TEST_POSTGRES"  # the same server the store's tests use
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
CHUNK = 200_000  # rows per COPY

SUBSCRIPTION_COLUMNS = (
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
    "kind",
)
NOTE_COLUMNS = (
    "id",
    "subscription_id",
    "chat_id",
    "milestone_id",
    "due_at",
    "status",
    "attempts",
    "not_before",
    "sent_at",
    "last_error",
)


def server_url() -> str:
    return os.environ.get(SERVER_ENV) or DEFAULT_SERVER


def database_url(name: str) -> str:
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def plans(rules: Rules, kinds: Sequence[Combo]) -> list[list[tuple[str, datetime, bool]]]:
    """Per kind of subscriber: the notes `Subscriptions.subscribe` stores (as `bulk_subscribe`
    computes them), each with whether it is already sent at T0."""
    milestones = list(rules.milestones.values())
    result = []
    for kind in kinds:
        plan = plan_subscription(
            milestones,
            Baby(kind.birth, None, None),
            ZoneInfo(kind.tz),
            kind.hour,
            kind.subscribed_at,
        )
        result.append([(m.id, due, due <= T0) for m, due in plan.upcoming])
    return result


def subscription_rows(kinds: Sequence[Combo], count: int) -> Iterator[tuple[Any, ...]]:
    for i in range(count):
        c = kinds[i % len(kinds)]
        chat = FIRST_CHAT_ID + i
        yield (i + 1, chat, None, c.birth, None, c.tz, c.hour, None, False, c.subscribed_at, "baby")


def note_rows(
    planned: list[list[tuple[str, datetime, bool]]], count: int
) -> Iterator[tuple[Any, ...]]:
    note_id = 0
    for i in range(count):
        sub_id, chat = i + 1, FIRST_CHAT_ID + i
        for milestone, due, sent in planned[i % len(planned)]:
            note_id += 1
            if sent:
                yield (note_id, sub_id, chat, milestone, due, "sent", 0, None, due, None)
            else:
                yield (note_id, sub_id, chat, milestone, due, "pending", 0, None, None, None)


def chunks(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def bulk_load(url: str, rules: Rules, count: int) -> int:
    """COPY `count` subscriptions and their notes into the migrated (empty) schema, exactly as
    `bulk_subscribe` does for SQLite; returns how many notes were stored."""
    kinds = combos()
    planned = plans(rules, kinds)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SET synchronous_commit = off")
        await conn.execute("SET maintenance_work_mem = '1GB'")
        # Secondary indexes and constraints go for the load and come back from their own
        # definitions: one sort per index instead of 12 M random insertions.
        constraints = await conn.fetch(
            "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint"
            " WHERE conrelid = 'scheduled_notes'::regclass AND contype IN ('u', 'f')"
        )
        indexes = await conn.fetch(
            "SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid"
            " WHERE x.indrelid = 'scheduled_notes'::regclass AND NOT x.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid"
            " AND c.conrelid = x.indrelid)"
        )
        if not any(row["name"] == INDEX for row in indexes):
            raise AssertionError(f"the migrated schema has no {INDEX}")
        async with conn.transaction():
            for row in constraints:
                drop = f'ALTER TABLE scheduled_notes DROP CONSTRAINT "{row["conname"]}"'
                await conn.execute(drop)
            for row in indexes:
                await conn.execute(f'DROP INDEX "{row["name"]}"')
        for chunk in chunks(subscription_rows(kinds, count), CHUNK):
            await conn.copy_records_to_table(
                "subscriptions", records=chunk, columns=SUBSCRIPTION_COLUMNS
            )
        stored = 0
        for chunk in chunks(note_rows(planned, count), CHUNK):
            await conn.copy_records_to_table("scheduled_notes", records=chunk, columns=NOTE_COLUMNS)
            stored += len(chunk)
        for row in indexes:
            await conn.execute(row["def"])
        for row in constraints:
            await conn.execute(
                f'ALTER TABLE scheduled_notes ADD CONSTRAINT "{row["conname"]}" {row["def"]}'
            )
        for table in ("subscriptions", "scheduled_notes"):  # the ids COPY gave, for later rows
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        await conn.execute("VACUUM ANALYZE subscriptions")
        await conn.execute("VACUUM ANALYZE scheduled_notes")
    finally:
        await conn.close()
    return stored


class Probe:
    """Times `store.deliveries.due(now, 100)` and the very statement it sent, run again on a
    raw asyncpg connection."""

    def __init__(self, store: Store, raw: asyncpg.Connection) -> None:
        self.store = store
        self.raw = raw
        self.sent: list[tuple[str, Any]] = []
        event.listen(store.engine.sync_engine, "before_cursor_execute", self._capture)

    def _capture(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        self.sent.append((statement, params))

    def close(self) -> None:
        event.remove(self.store.engine.sync_engine, "before_cursor_execute", self._capture)

    async def time(self, now: datetime, reps: int, expect: int, key: str, into: dict) -> None:
        for _ in range(reps):
            watch = Stopwatch()
            found = await self.store.deliveries.due(now, BATCH)
            into[key].append(watch.seconds)
            if len(found) != expect:
                raise AssertionError(f"due({now}) returned {len(found)} notes, not {expect}")
            statement, params = self.sent[-1]
            watch = Stopwatch()
            await self.raw.fetch(statement, *params)
            into[key + "_raw"].append(watch.seconds)
        self.sent.clear()

    async def plan(self, now: datetime) -> list[str]:
        """EXPLAIN (ANALYZE, BUFFERS) of exactly the statement `due(now, 100)` sends."""
        self.sent.clear()
        await self.store.deliveries.due(now, BATCH)
        statement, params = self.sent[-1]
        self.sent.clear()
        rows = await self.raw.fetch("EXPLAIN (ANALYZE, BUFFERS) " + statement, *params)
        return [row[0] for row in rows]


async def measure(
    admin: asyncpg.Connection, size: int, points: int, reps: int
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    rules = load_rules()
    name = f"sleepsigns_bench_{uuid.uuid4().hex[:16]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = database_url(name)
        await (await open_store(url)).close()  # migrate
        watch = Stopwatch()
        stored = await bulk_load(url, rules, size)
        load_s = watch.seconds
        store = await open_store(url)
        raw = await asyncpg.connect(url)
        probe = Probe(store, raw)
        size_mb = await raw.fetchval("SELECT pg_database_size(current_database())") / 1e6
        result: dict[str, Any] = {
            "size": size,
            "notes": stored,
            "load_s": load_s,
            "mb": size_mb,
            "burst_due": [],
            **{f"{state}{part}": [] for state in STATES for part in ("", "_raw")},
        }
        plans_seen: dict[str, list[str]] = {}
        try:
            for _ in range(20):  # warm up: connections, statement caches (nothing due at T0)
                await store.deliveries.due(T0, BATCH)
            for point in range(points):
                sample = T0 + SPAN * (point + 0.5) / points
                await catch_up(store, sample)
                # catch_up marks a whole stretch sent in one bulk UPDATE; in production the
                # dispatcher changes a few rows at a time and autovacuum keeps up. Without this,
                # the index would still hold every dead "pending" entry and the scan would step
                # over all of them (measured: ~17 700 pages read for 100 rows at 1M).
                await raw.execute("VACUUM scheduled_notes")
                await probe.time(sample, reps, 0, "idle", result)
                instant, due = await next_instant(store, sample)
                if instant is None:
                    continue
                await probe.time(instant, reps, min(due, BATCH), "burst", result)
                result["burst_due"].append(due)
                if point == points // 2:
                    plans_seen["a delivery instant"] = await probe.plan(instant)
                for key, count in (("k100", 100), ("k1000", 1000)):
                    until = await leave_due(store, instant, count)
                    if until is not None:
                        await probe.time(until, reps, BATCH, key, result)
                        if point == points // 2 and key == "k1000":
                            plans_seen["1 000 due"] = await probe.plan(until)
        finally:
            probe.close()
            await raw.close()
            await store.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return result, plans_seen


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (< 30 s)")
    parser.add_argument("--size", type=int, help="subscriptions in the large database")
    parser.add_argument("--points", type=int, help="sample points over the 3 years")
    args = parser.parse_args()
    size, baseline, points, reps = (
        (50_000, 5_000, 20, 3) if args.quick else (1_000_000, 10_000, 100, 5)
    )
    size = args.size or size
    points = args.points or points
    try:
        admin = await asyncpg.connect(server_url(), timeout=3)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        where = make_url(server_url()).render_as_string(hide_password=True)
        print(f"skipped: PostgreSQL not reachable at {where}: {error}")
        return 0
    try:
        version = await admin.fetchval("SHOW server_version")
        base, _ = await measure(admin, baseline, points, reps)
        big, plans_seen = await measure(admin, size, points, reps)
    finally:
        await admin.close()

    print_table(
        f"Databases (PostgreSQL {version})",
        ["subscriptions", "scheduled notes", "database MB", "bulk load s (COPY + indexes)"],
        [[r["size"], r["notes"], r["mb"], r["load_s"]] for r in (base, big)],
    )
    small, large = f"{baseline:,}", f"{size:,}"
    for suffix, what in (
        ("", "store.deliveries.due(now, 100)"),
        ("_raw", "its SQL on a raw asyncpg connection"),
    ):
        rows = []
        for key, label in STATES.items():
            b, s = base[key + suffix], big[key + suffix]
            if key == "burst":
                label += f" ({_mean(base['burst_due']):,.0f} / {_mean(big['burst_due']):,.0f})"
            ratio = f"{ms(s, 0.5) / ms(b, 0.5):.2f}x" if b and s else "n/a"
            rows.append([label, len(s), ms(b, 0.5), ms(b, 0.99), ms(s, 0.5), ms(s, 0.99), ratio])
        print_table(
            f"{what}: ms per call, {points} points over 3 years x {reps} calls",
            header(small, large),
            rows,
        )
    uses_index = bool(plans_seen)
    for label, plan in plans_seen.items():
        print(f"EXPLAIN (ANALYZE, BUFFERS) of due(), {label}, {large} subscriptions:")
        for line in plan:
            print(f"  {line}")
        uses_index = uses_index and any(INDEX in line for line in plan)
    print(f"uses {INDEX}: {'yes' if uses_index else 'NO'}")
    return 0 if uses_index else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
