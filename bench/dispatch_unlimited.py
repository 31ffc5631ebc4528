"""How many notes per second one dispatcher can drive, with Telegram's limits lifted.

Due notes (one per chat; 20 000 by default, `--notes 100000` for the issue's size) go through
the real `Dispatcher` and store (temporary SQLite file) and a plain python-telegram-bot `Bot` on
the bot's own transport (`bot.telegram.transport.AiohttpRequest`, a pool of N connections; no
AIORateLimiter), against the emulator in its own process with validation and flood accounting
off, and the dispatcher's own pacing (30 per second) lifted too. Rounds run back to back
(`tick()` until nothing is due), with the clock fixed just past the due instant.

Baseline in the same run, same `Bot`, same emulator, same message (text, HTML, buttons), no
database:

- raw, one at a time: `send_message` awaited in a loop (how the dispatcher sent before it kept
  N in flight, issue 15);
- raw, concurrent: N (`IN_FLIGHT`) in flight, as many as the pool has connections: what the bot
  and emulator can carry; dispatcher / this = what the bookkeeping (due, claim, record in
  batches, render) costs;
- raw, one at a time over PTB's default transport (httpx, form-encoded bodies), for comparison
  with the figures from before the bot had its own transport.

Where the dispatcher's time goes is measured by wrapping the store calls and the send
(`do_api_request("sendMessage")`, which skips building a Message from the answer; the sends
overlap, so their summed time exceeds the wall time).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from _common import (
    FIRST_CHAT_ID,
    TOKEN,
    Clock,
    Combo,
    EmulatorProcess,
    Stopwatch,
    bulk_subscribe,
    load_rules,
    print_table,
    timed,
    utc,
)
from telegram import Bot
from telegram.constants import ParseMode
from telegram.request import HTTPXRequest

from bot.core.rules import Rules
from bot.reminders import Dispatcher
from bot.reminders.dispatcher import IN_FLIGHT
from bot.reminders.rendering import note_message
from bot.store import open_store
from bot.telegram.transport import AiohttpRequest

# Connections in the Bot's pool, and sends in flight for the concurrent baseline: as many as the
# dispatcher keeps in flight.
POOL = IN_FLIGHT
WARM_UP = 300  # sends before anything is timed (connections, caches, the emulator's first calls)
BIRTH = utc(2026, 1, 1).date()
SUBSCRIBED = utc(2026, 1, 2, 12)
DUE = utc(2026, 2, 12, 9)  # social_smile_6w, 09:00 London
MILESTONE = "social_smile_6w"


# The dispatcher paces its own sends to Telegram's 30 per second (bot.reminders.pacing); lifted
# here like the emulator's limits. (Older dispatchers had no pacer and no such argument.)
UNPACED: dict[str, Any] = (
    {"max_per_second": None}
    if "max_per_second" in inspect.signature(Dispatcher.__init__).parameters
    else {}
)


class TimedBot:
    """Only what the dispatcher uses of the Bot, timed."""

    def __init__(self, bot: Bot, record: list[float]) -> None:
        self.send_message = timed(record, bot.send_message)
        self.do_api_request = timed(record, bot.do_api_request)
        self.username = bot.username  # for the tip messages' deep links


async def raw_sends(bot: Bot, rules: Rules, chats: range, in_flight: int) -> tuple[float, int]:
    """Send the note's message to each chat with `in_flight` sends at a time; (seconds, sent)."""
    locale = rules.pick_locale(None)
    text, markup = note_message(rules, locale, rules.milestones[MILESTONE], [None])
    queue = iter(chats)
    sent = 0

    async def worker() -> None:
        nonlocal sent
        for chat_id in queue:
            await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
            sent += 1

    watch = Stopwatch()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return watch.seconds, sent


async def dispatch(bot: Bot, rules: Rules, count: int, folder: Path) -> dict[str, Any]:
    path = folder / "unlimited.db"
    await (await open_store(f"sqlite:///{path}")).close()  # migrate
    bulk_subscribe(path, rules, [Combo(BIRTH, "Europe/London", 9, SUBSCRIBED)], count)
    store = await open_store(f"sqlite:///{path}")
    parts: dict[str, list[float]] = {name: [] for name in ("due", "claim", "send", "mark_sent")}
    deliveries = store.deliveries
    for name in ("due", "claim", "mark_sent"):
        setattr(deliveries, name, timed(parts[name], getattr(deliveries, name)))
    clock = Clock(DUE + timedelta(minutes=1))
    bot = TimedBot(bot, parts["send"])  # type: ignore[assignment]
    dispatcher = Dispatcher(store, rules, bot, clock, **UNPACED)
    sent = rounds = 0
    try:
        watch = Stopwatch()
        while True:
            report = await dispatcher.tick()
            rounds += 1
            sent += report.sent
            if report.total == 0:
                break
            if report.failed or report.retried or report.skipped:
                raise AssertionError(f"round went wrong: {report}")
        wall = watch.seconds
    finally:
        await store.close()
    return {"sent": sent, "wall": wall, "rounds": rounds, "parts": parts}


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (< 30 s)")
    parser.add_argument("--notes", type=int, help="due notes for the dispatcher (100 000)")
    args = parser.parse_args()
    count = args.notes or (1_000 if args.quick else 20_000)
    raw_count = min(count, 500 if args.quick else 10_000)
    logging.basicConfig(level=logging.WARNING)
    rules = load_rules()
    warm = FIRST_CHAT_ID + count
    before = range(warm + WARM_UP, warm + WARM_UP + raw_count)
    parallel = range(before.stop, before.stop + raw_count)
    after = range(parallel.stop, parallel.stop + raw_count)
    httpx = range(after.stop, after.stop + raw_count)
    async with EmulatorProcess(validate=False) as emu:
        await emu.add_users(FIRST_CHAT_ID, httpx.stop - FIRST_CHAT_ID)
        # The bot's own transport (aiohttp, JSON bodies), as build_application sets it.
        request = AiohttpRequest(POOL)
        async with Bot(TOKEN, base_url=emu.base_url, request=request) as bot:
            await raw_sends(bot, rules, range(warm, warm + WARM_UP), POOL)
            raw = [
                ("raw send_message, one at a time", *await raw_sends(bot, rules, before, 1)),
                (f"raw, {POOL} in flight", *await raw_sends(bot, rules, parallel, POOL)),
            ]
            with tempfile.TemporaryDirectory(prefix="sleepsigns-bench-") as tmp:
                result = await dispatch(bot, rules, count, Path(tmp))
            # Again once the emulator holds the dispatcher's messages too (it slows as it fills).
            raw.append(("raw, one at a time, after", *await raw_sends(bot, rules, after, 1)))
        # For comparison: PTB's default transport (httpx, form-encoded), as before issue 15.
        default = HTTPXRequest(connection_pool_size=POOL)
        async with Bot(TOKEN, base_url=emu.base_url, request=default) as bot:
            await raw_sends(bot, rules, range(warm, warm + WARM_UP), 1)
            raw.append(
                (
                    "raw, one at a time, PTB's default transport",
                    *await raw_sends(bot, rules, httpx, 1),
                )
            )
        stats = await emu.stats(FIRST_CHAT_ID, count)
        raw_stats = await emu.stats(before.start, 4 * raw_count)

    rate = result["sent"] / result["wall"]
    rows: list[list[object]] = [
        [f"dispatcher, {result['rounds']:,} rounds", result["sent"], result["wall"], rate, _x(1)]
    ]
    rows += [[what, n, s, n / s, _x(rate * s / n)] for what, s, n in raw]
    print_table(
        f"Sends per second, one PTB Bot (pool of {POOL}), emulator without limits or validation",
        ["what", "messages", "wall s", "per s", "dispatcher / this"],
        rows,
    )
    total, per_note = result["wall"], 1000 / max(1, result["sent"])
    rows = [
        [name, len(spent), sum(spent), sum(spent) * per_note, _share(sum(spent), total)]
        for name, spent in result["parts"].items()
    ]
    rest = total - sum(sum(spent) for spent in result["parts"].values())
    rows.append(["the rest (render, group, loop)", "", rest, rest * per_note, _share(rest, total)])
    print_table(
        "Where the dispatcher's time went",
        ["part", "calls", "seconds", "ms per note", "share"],
        rows,
    )
    if count < 100_000:
        print(f"{count:,} notes; extrapolated to 100 000: {100_000 / rate:,.0f} s at this rate")
    for what, seconds, sent in raw:
        print(f"ratio dispatcher / {what}: {rate * seconds / sent:.2f}x ({rate:,.0f} notes/s)")
    print(f"ratio dispatcher / the goal of 1 000 notes/s: {rate / 1000:.2f}x")
    problems = {
        "duplicates": stats["duplicates"],
        "lost": max(count - result["sent"], stats["chats_without"]),
        "emulator errors": stats["other_errors"] + raw_stats["other_errors"],
    }
    print(f"checks: {problems}")
    return 1 if any(problems.values()) else 0


def _x(ratio: float) -> str:
    return f"{ratio:.2f}x"


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
