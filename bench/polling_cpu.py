"""Polling: the CPU the bot process spends per update, against a bare python-telegram-bot echo bot.

Each bot runs as its own process (`python -m bot run`: the real Application, with its rate
limiter, guard, store on a temporary SQLite file and reminder dispatcher; the bare bot: PTB's
`run_polling` with one /start handler that replies). The emulator, in a process of its own,
feeds /start from distinct users at Telegram's 30 messages/s (so both bots answer at the same
pace, and the real one's rate limiter never has to wait long) and counts the replies. The CPU
time (user + system, from /proc/<pid>/stat) the bot process spends from the first fed update
until the last reply arrived, divided by the updates, is the figure; the ratio printed is
bare / real (1.00x: the real bot costs no more than the bare one). A third process, the bare bot
sending the bot's own home screen, separates what the bigger reply costs (PTB form-encodes every
request in pure Python) from the bot's own machinery, and a fourth, the bare bot on the bot's own
Bot API transport (aiohttp with JSON bodies, `bot.telegram.transport`, instead of PTB's default
httpx), what the machinery costs once the transport is the same. They run in turn, several
rounds, and the medians are compared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import EmulatorProcess, load_rules, print_table, stop_process
from startup import BARE_ECHO, bot_env

FIRST_USER = 8_100_000_001
PER_SECOND = 30.0
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15)


async def replies(emulator: EmulatorProcess, first: int, count: int) -> int:
    return int((await emulator.stats(first, count))["messages"])


async def one_round(
    emulator: EmulatorProcess, command: list[str], env: dict[str, str], first: int, count: int
) -> float:
    """CPU seconds per update of one bot process answering `count` paced /start."""
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    try:
        await emulator.send_paced(first, 1, "/start", PER_SECOND)  # warm-up: it is polling
        await wait_for(emulator, process, first, 1)
        before = cpu_seconds(process.pid)
        await emulator.send_paced(first + 1, count, "/start", PER_SECOND)
        await wait_for(emulator, process, first + 1, count)
        return (cpu_seconds(process.pid) - before) / count
    finally:
        await stop_process(process)


async def wait_for(
    emulator: EmulatorProcess, process: asyncio.subprocess.Process, first: int, count: int
) -> None:
    began = time.perf_counter()
    while await replies(emulator, first, count) < count:
        if process.returncode is not None or time.perf_counter() - began > 60:
            error = (await process.stderr.read()).decode()[-2000:] if process.stderr else ""
            raise RuntimeError(f"{count} replies did not arrive: {error}")
        await asyncio.sleep(0.05)


def same_reply_bot() -> str:
    """The bare bot answering /start with exactly the bot's home screen (text, HTML, keyboard,
    no preview): it tells the cost of what the bot says from the cost of how it runs."""
    from bot.telegram import keyboards
    from bot.telegram.services import Texts

    texts = Texts(load_rules(), "en")
    rows = [
        [(b.text, b.callback_data) for b in row]
        for row in keyboards.main_menu(texts).inline_keyboard
    ]
    return BARE_ECHO.replace(
        'await update.effective_message.reply_text("hello")',
        f"""from telegram import InlineKeyboardButton as B, InlineKeyboardMarkup, LinkPreviewOptions
    keyboard = InlineKeyboardMarkup([[B(a, callback_data=b) for a, b in row] for row in {rows!r}])
    await update.effective_message.reply_text({texts("start.welcome")!r}, parse_mode="HTML",
        reply_markup=keyboard, link_preview_options=LinkPreviewOptions(is_disabled=True))""",
    )


def same_transport_bot() -> str:
    """The bare echo bot on the bot's own Bot API transport (aiohttp, JSON bodies) instead of
    PTB's default (httpx): what is left is the cost of the bot's machinery alone."""
    return BARE_ECHO.replace(
        ".build()",
        ".request(AiohttpRequest()).get_updates_request(AiohttpRequest(1)).build()",
    ).replace(
        "from telegram import Update",
        "from telegram import Update\nfrom bot.telegram.transport import AiohttpRequest",
    )


async def main(args: argparse.Namespace) -> int:
    commands = {
        "bare PTB echo bot": [sys.executable, "-c", BARE_ECHO],
        "bare PTB, the bot's reply": [sys.executable, "-c", same_reply_bot()],
        "bare PTB on the bot's transport": [sys.executable, "-c", same_transport_bot()],
        "python -m bot run": [sys.executable, "-m", "bot", "run"],
    }
    per_update: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="polling-bench-") as tmp:
        async with EmulatorProcess(validate=False) as emulator:
            users = len(commands) * args.rounds * (args.updates + 1)
            await emulator.add_users(FIRST_USER, users)
            env = bot_env(emulator.base_url, f"sqlite:///{Path(tmp) / 'polling.db'}")
            first = FIRST_USER
            for _ in range(args.rounds):
                for name, command in commands.items():
                    cpu = await one_round(emulator, command, env, first, args.updates)
                    first += args.updates + 1
                    per_update[name].append(cpu)
                    print(f"  {name}: {cpu * 1000:.2f} ms CPU per update", flush=True)
    bare = statistics.median(per_update["bare PTB echo bot"])
    real = statistics.median(per_update["python -m bot run"])
    print_table(
        f"Polling, CPU per update, {args.updates} /start at {PER_SECOND:.0f}/s, "
        f"median of {args.rounds} rounds",
        ["process", "ms CPU per update (median)", "min", "max"],
        [
            (name, statistics.median(v) * 1000, min(v) * 1000, max(v) * 1000)
            for name, v in per_update.items()
        ],
    )
    same = statistics.median(per_update["bare PTB, the bot's reply"])
    transport = statistics.median(per_update["bare PTB on the bot's transport"])
    print(f"ratio bare / bot (CPU per update): {bare / real:.2f}x")
    print(f"ratio bare with the bot's reply / bot (CPU per update): {same / real:.2f}x")
    print(f"ratio bare on the bot's transport / bot (CPU per update): {transport / real:.2f}x")
    return 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="150 updates, 2 rounds")
    parser.add_argument("--updates", type=int, help="updates per round (default 600: 20 s)")
    parser.add_argument("--rounds", type=int, help="rounds of each bot (default 3)")
    args = parser.parse_args(argv)
    args.updates = args.updates or (150 if args.quick else 600)
    args.rounds = args.rounds or (2 if args.quick else 3)
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse())))
