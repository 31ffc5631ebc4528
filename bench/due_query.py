"""Due-query time with 1 000 000 subscriptions in SQLite, beside 10 000 in the same run.

Each database holds subscribers born over the 3 years before T0 (one per day, zone and hour
kind), each with the notes `Subscriptions.subscribe` stores (12 per baby), written in bulk into
the migrated schema. Notes due before T0 are already sent (the history a dispatcher that kept up
leaves), so the pending notes spread over the 3 years after T0.

At K sample points spread over those 3 years, the database is brought to the state a
dispatcher that kept up would leave (everything due so far sent), and `store.deliveries.due(now,
100)` is timed R times in each of these states:

- idle: nothing due (the usual round: most rounds find nothing);
- burst: `now` is the next delivery instant, so every note due at that instant is due at once
  (everyone whose local hour it is: this number grows with the subscribers);
- 100 due / 1000 due: the middle of draining a backlog, exactly that many notes due.

The ratio (1M / 10k) of a state with the same number due shows whether the query's cost grows
with the number of subscribers (it should be ~1x). EXPLAIN QUERY PLAN shows the index used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from _common import Combo, Stopwatch, bulk_subscribe, load_rules, percentile, print_table, utc
from sqlalchemy import and_, event, func, select, update

from bot.store import Store, open_store
from bot.store.schema import scheduled_notes

T0 = utc(2027, 1, 1)
SPAN = timedelta(days=3 * 365)
BATCH = 100
ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
)
HOURS = (9, 9, 9, 8, 10, 20)  # most keep the default 09:00
INDEX = "ix_scheduled_notes_due_order"
notes = scheduled_notes.c
STATES = {
    "idle": "nothing due",
    "k100": "100 due (mid-backlog)",
    "k1000": "1 000 due (mid-backlog)",
    "burst": "a delivery instant: all due at once",
}


def combos() -> list[Combo]:
    """Born on each of the 1096 days before T0, in each zone; subscribed the next day."""
    kinds = []
    for days in range(1, 1097):
        birth = (T0 - timedelta(days=days)).date()
        born = datetime.combine(birth, datetime.min.time(), T0.tzinfo)
        for z, zone in enumerate(ZONES):
            kinds.append(Combo(birth, zone, HOURS[(days + z) % len(HOURS)], born + timedelta(1.5)))
    return kinds


async def catch_up(store: Store, until: datetime) -> None:
    """What a dispatcher that kept up would have done: everything due until `until` is sent."""
    async with store.engine.begin() as conn:
        await conn.execute(
            update(scheduled_notes)
            .where(notes.status == "pending", notes.due_at <= until)
            .values(status="sent", sent_at=notes.due_at)
        )


async def leave_due(store: Store, after: datetime, count: int) -> datetime | None:
    """Mid-backlog: the instant by which `count` more notes fell due after `after`, with all
    earlier ones sent and exactly `count` still pending and due. None if too few are left."""
    async with store.engine.begin() as conn:
        until = (
            await conn.execute(
                select(notes.due_at)
                .where(notes.status == "pending", notes.due_at > after)
                .order_by(notes.due_at, notes.id)
                .offset(count - 1)
                .limit(1)
            )
        ).scalar_one_or_none()
        if until is None:
            return None
        keep = (
            select(notes.id)
            .where(notes.status == "pending", notes.due_at <= until)
            .order_by(notes.due_at.desc(), notes.id.desc())
            .limit(count)
            .scalar_subquery()
        )
        await conn.execute(
            update(scheduled_notes)
            .where(notes.status == "pending", notes.due_at <= until, notes.id.not_in(keep))
            .values(status="sent", sent_at=notes.due_at)
        )
    return until.replace(tzinfo=T0.tzinfo)


async def next_instant(store: Store, after: datetime) -> tuple[datetime | None, int]:
    async with store.engine.connect() as conn:
        instant = (
            await conn.execute(
                select(func.min(notes.due_at)).where(
                    notes.status == "pending", notes.due_at > after
                )
            )
        ).scalar_one_or_none()
        if instant is None:
            return None, 0
        due = (
            await conn.execute(
                select(func.count()).where(and_(notes.status == "pending", notes.due_at <= instant))
            )
        ).scalar_one()
    return instant.replace(tzinfo=T0.tzinfo), due


class Probe:
    """Times `store.deliveries.due(now, 100)` as the dispatcher calls it, and the very statement
    it sent, run again in a plain sqlite3 connection: the database's own share of the time."""

    def __init__(self, store: Store, path: Path) -> None:
        self.store = store
        self.sent: list[tuple[str, Any]] = []
        self.raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        event.listen(store.engine.sync_engine, "before_cursor_execute", self._capture)

    def _capture(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        self.sent.append((statement, params))

    def close(self) -> None:
        event.remove(self.store.engine.sync_engine, "before_cursor_execute", self._capture)
        self.raw.close()

    async def time(self, now: datetime, reps: int, expect: int, key: str, into: dict) -> None:
        """Time due(now, 100) `reps` times into `into[key]`, its SQL into `into[key + "_raw"]`,
        and count the rows SQLite reads for it into `into[key + "_read"]`."""
        for _ in range(reps):
            watch = Stopwatch()
            found = await self.store.deliveries.due(now, BATCH)
            into[key].append(watch.seconds)
            if len(found) != expect:
                raise AssertionError(f"due({now}) returned {len(found)} notes, not {expect}")
            statement, params = self.sent[-1]
            watch = Stopwatch()
            self.raw.execute(statement, params).fetchall()
            into[key + "_raw"].append(watch.seconds)
        into[key + "_read"].append(self.rows_read(statement, params))
        self.sent.clear()

    def rows_read(self, statement: str, params: Any) -> int:
        """How many scheduled_notes rows SQLite visits for the statement (same query plan: a
        counting function is evaluated for each row the index range yields)."""
        read = 0

        def count(_: object) -> int:
            nonlocal read
            read += 1
            return 1

        self.raw.create_function("bench_read", 1, count)
        where = "WHERE scheduled_notes.status"
        counted = statement.replace(where, "WHERE bench_read(scheduled_notes.id) AND " + where[6:])
        self.raw.execute(counted, params).fetchall()
        return read

    def plan(self) -> list[str]:
        """EXPLAIN QUERY PLAN of exactly the statement `due()` sent last."""
        statement, params = self.sent[-1]
        rows = self.raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
        return [row[-1] for row in rows]


async def measure(
    size: int, points: int, reps: int, folder: Path
) -> tuple[dict[str, Any], list[str]]:
    rules = load_rules()
    path = folder / f"due-{size}.db"
    url = f"sqlite:///{path}"
    await (await open_store(url)).close()  # migrate
    watch = Stopwatch()
    stored = bulk_subscribe(path, rules, combos(), size, sent_until=T0)
    load_s = watch.seconds
    store = await open_store(url)
    probe = Probe(store, path)
    result: dict[str, Any] = {
        "size": size,
        "notes": stored,
        "load_s": load_s,
        "mb": _megabytes(path),
        "burst_due": [],
        **{f"{state}{part}": [] for state in STATES for part in ("", "_raw", "_read")},
    }
    try:
        for _ in range(20):  # warm up: connections, statement caches (nothing is due at T0)
            await store.deliveries.due(T0, BATCH)
        plan = probe.plan()
        for point in range(points):
            sample = T0 + SPAN * (point + 0.5) / points
            await catch_up(store, sample)
            await probe.time(sample, reps, 0, "idle", result)
            instant, due = await next_instant(store, sample)
            if instant is None:
                continue
            await probe.time(instant, reps, min(due, BATCH), "burst", result)
            result["burst_due"].append(due)
            for key, count in (("k100", 100), ("k1000", 1000)):
                until = await leave_due(store, instant, count)
                if until is not None:
                    await probe.time(until, reps, BATCH, key, result)
    finally:
        probe.close()
        await store.close()
        _remove(path)
    return result, plan


def _megabytes(path: Path) -> float:
    return os.path.getsize(path) / 1e6


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def ms(values: list[float], fraction: float) -> float:
    return percentile(values, fraction) * 1000 if values else float("nan")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (< 30 s)")
    args = parser.parse_args()
    size, baseline, points, reps = (
        (50_000, 5_000, 20, 3) if args.quick else (1_000_000, 10_000, 100, 5)
    )
    with tempfile.TemporaryDirectory(prefix="sleepsigns-bench-") as tmp:
        base, _ = await measure(baseline, points, reps, Path(tmp))
        big, plan = await measure(size, points, reps, Path(tmp))

    print_table(
        "Databases",
        ["subscriptions", "scheduled notes", "file MB", "bulk load s"],
        [[r["size"], r["notes"], r["mb"], r["load_s"]] for r in (base, big)],
    )
    small, large = f"{baseline:,}", f"{size:,}"
    for suffix, what in (("", "store.deliveries.due(now, 100)"), ("_raw", "its SQL in sqlite3")):
        rows = []
        for key, label in STATES.items():
            b, s = base[key + suffix], big[key + suffix]
            if key == "burst":
                label += f" ({_mean(base['burst_due']):,.0f} / {_mean(big['burst_due']):,.0f})"
            ratio = f"{ms(s, 0.5) / ms(b, 0.5):.2f}x" if b and s else "n/a"
            row = [label, len(s), ms(b, 0.5), ms(b, 0.99), ms(s, 0.5), ms(s, 0.99), ratio]
            if suffix:
                row.append(f"{_mean(base[key + '_read']):,.0f} / {_mean(big[key + '_read']):,.0f}")
            rows.append(row)
        print_table(
            f"{what}: ms per call, {points} points over 3 years x {reps} calls",
            header(small, large) + (["rows read"] if suffix else []),
            rows,
        )
    print("EXPLAIN QUERY PLAN of due():")
    for line in plan:
        print(f"  {line}")
    uses_index = any(INDEX in line for line in plan)
    print(f"uses {INDEX}: {'yes' if uses_index else 'NO'}")
    return 0 if uses_index else 1


def header(small: str, large: str) -> list[str]:
    return [
        "state (due)",
        "calls",
        f"p50 {small}",
        f"p99 {small}",
        f"p50 {large}",
        f"p99 {large}",
        "p50 ratio",
    ]


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
