"""Peak memory of the bot process: subscriptions in the database vs one JobQueue job each.

Each measurement is a fresh child process (spawned, so nothing is inherited) running the real
bot: `build_application` + `serve` (long polling, commands, the reminder loop) against the
emulator, which runs in a process of its own so its memory is not counted. The figure is the
child's RSS high-water mark (VmHWM; see `peak_mb`), which includes the interpreter, the
libraries and SQLite's page cache.

- bare: the bot on an empty database, no subscriptions (what any design pays);
- database (this design): N subscriptions (12 notes each) in SQLite; the dispatcher runs until
  it has sent a full round of due notes;
- JobQueue (the naive design the issue warns against): the same bot on an empty database plus
  python-telegram-bot's JobQueue with one `run_once` job per subscriber (its next note), all
  scheduled in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from _common import FIRST_CHAT_ID, Clock, EmulatorProcess, bulk_subscribe, load_rules, print_table
from due_query import T0, combos
from sqlalchemy import func, select

from bot.core.milestones import Baby, plan_subscription
from bot.runtime import build_bot, serve
from bot.sandbox import SANDBOX_TOKEN
from bot.store import Store, open_store
from bot.store.schema import scheduled_notes
from bot.telegram.services import Services

NOW = T0 + timedelta(days=1)  # about 1 100 of 100 000 subscribers' notes fell due since T0
ROUND = 100  # the dispatcher's batch


def _status(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def peak_mb() -> float:
    """The process's RSS high-water mark, in MiB.

    Linux's VmHWM, when there is one: `getrusage(...).ru_maxrss` is the same counter, but a
    spawned child inherits there the size of the parent it was forked from (the kernel keeps the
    larger value across exec), so it would report the benchmark's own size for a small child.
    """
    hwm = _status("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float:
    return _status("VmRSS") or 0.0


async def sent_count(store: Store) -> int:
    async with store.engine.connect() as conn:
        return (
            await conn.execute(
                select(func.count()).where(
                    scheduled_notes.c.status == "sent", scheduled_notes.c.sent_at >= T0
                )
            )
        ).scalar_one()


async def note_job(context: Any) -> None:  # never runs: every job is in the future
    await context.bot.send_message(context.job.chat_id, str(context.job.data))


def next_notes() -> list[tuple[str, datetime] | None]:
    """Each subscriber kind's next note after NOW (computed here, outside the measured child)."""
    rules = load_rules()
    upcoming = []
    for kind in combos():
        plan = plan_subscription(
            rules.milestones.values(),
            Baby(kind.birth, None, None),
            ZoneInfo(kind.tz),
            kind.hour,
            kind.subscribed_at,
        )
        upcoming.append(next(((m.id, due) for m, due in plan.upcoming if due > NOW), None))
    return upcoming


def schedule_jobs(application: Any, count: int, upcoming: list[tuple[str, datetime] | None]) -> int:
    """One `run_once` per subscriber, at its next note (shifted into the real future)."""
    shift = datetime.now(UTC) + timedelta(days=1) - NOW
    scheduled = 0
    for index in range(count):
        note = upcoming[index % len(upcoming)]
        if note is None:
            continue
        milestone_id, due = note
        application.job_queue.run_once(
            note_job,
            when=due + shift,
            data={"milestone": milestone_id, "subscription": index + 1},
            chat_id=FIRST_CHAT_ID + index,
            name=f"note-{index + 1}",
        )
        scheduled += 1
    return scheduled


async def bot_process(
    kind: str, base_url: str, database: str, count: int, upcoming: list[Any]
) -> dict[str, Any]:
    rules = load_rules()
    store = await open_store(f"sqlite:///{database}")
    services = Services(rules, store, Clock(NOW), reminder_interval=3600.0)
    application = build_bot(SANDBOX_TOKEN, base_url, services)
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(application, stop, ready))
    await asyncio.wait_for(ready.wait(), 30)
    started_mb = peak_mb()
    result: dict[str, Any] = {"kind": kind, "subscribers": count}
    try:
        if kind == "database":
            for _ in range(600):
                if await sent_count(store) >= ROUND:
                    break
                await asyncio.sleep(0.05)
            result["sent"] = await sent_count(store)
        elif kind == "jobqueue":
            if application.job_queue is None:
                raise RuntimeError("no JobQueue: pip install 'python-telegram-bot[job-queue]'")
            result["jobs"] = schedule_jobs(application, count, upcoming)
            await asyncio.sleep(0.5)
            result["queued"] = len(application.job_queue.jobs())
    finally:
        stop.set()
        await task
        await store.close()
    result.update(started_mb=started_mb, peak_mb=peak_mb(), rss_mb=current_mb())
    return result


def _child(conn: Connection, *args: Any) -> None:
    try:
        conn.send(asyncio.run(bot_process(*args)))
    except BaseException as error:
        conn.send(RuntimeError(f"{args[0]} child failed: {error!r}"))
        raise


async def measure(
    kind: str, base_url: str, database: Path, count: int, upcoming: list[Any] | None = None
) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    args = (child, kind, base_url, str(database), count, upcoming or [])
    process = context.Process(target=_child, args=args)
    process.start()
    answer = await asyncio.get_running_loop().run_in_executor(None, parent.recv)
    await asyncio.get_running_loop().run_in_executor(None, process.join, 30)
    if isinstance(answer, Exception):
        raise answer
    return answer  # type: ignore[no-any-return]


async def database_with(folder: Path, name: str, count: int, first_chat: int) -> Path:
    path = folder / f"{name}.db"
    await (await open_store(f"sqlite:///{path}")).close()  # migrate
    if count:
        bulk_subscribe(path, load_rules(), combos(), count, first_chat, sent_until=T0)
    return path


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (< 30 s)")
    args = parser.parse_args()
    sizes = (10_000,) if args.quick else (10_000, 100_000)
    results = []
    upcoming = next_notes()
    messages = errors = 0
    with tempfile.TemporaryDirectory(prefix="sleepsigns-bench-") as tmp:
        folder = Path(tmp)
        async with EmulatorProcess() as emu:
            empty = await database_with(folder, "empty", 0, FIRST_CHAT_ID)
            bare = await measure("bare", emu.base_url, empty, 0)
            for position, size in enumerate(sizes):
                first = FIRST_CHAT_ID + position * 1_000_000  # chats of their own per size
                await emu.add_users(first, size)
                full = await database_with(folder, f"subs-{size}", size, first)
                results.append(
                    (
                        await measure("database", emu.base_url, full, size),
                        await measure("jobqueue", emu.base_url, empty, size, upcoming),
                    )
                )
                seen = await emu.stats(first, size)
                messages += seen["messages"]
                errors += seen["other_errors"] + seen["duplicates"] + seen["spec_violation_count"]
    base = bare["peak_mb"]
    rows: list[list[object]] = [["bare bot, no subscriptions", 0, "", base, "", ""]]
    for db, jq in results:
        rows.append(
            [
                f"database + dispatcher round ({db['sent']} sent)",
                db["subscribers"],
                "",
                db["peak_mb"],
                db["peak_mb"] - base,
                "1.00x",
            ]
        )
        rows.append(
            [
                "JobQueue, one run_once per subscriber",
                jq["subscribers"],
                jq["queued"],
                jq["peak_mb"],
                jq["peak_mb"] - base,
                f"{jq['peak_mb'] / db['peak_mb']:.2f}x",
            ]
        )
    print_table(
        "Bot process peak RSS (MiB), each in a fresh process",
        ["design", "subscribers", "jobs", "peak MiB", "above bare", "peak vs database"],
        rows,
    )
    for db, jq in results:
        above = (jq["peak_mb"] - base) / max(0.1, db["peak_mb"] - base)
        print(
            f"{db['subscribers']:,} subscribers: JobQueue needs {above:.1f}x the memory the "
            f"database design adds above the bare bot"
        )
    for db, jq in results:
        print(
            f"ratio peak RSS database design / JobQueue, {db['subscribers']:,} subscribers: "
            f"{db['peak_mb'] / jq['peak_mb']:.2f}x"
        )
    print(f"emulator: {messages} reminder messages; errors, duplicates, spec violations: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
