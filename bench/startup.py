"""Start-up: from exec to the first reply, with 100 000 subscriptions in the database.

The database is built once (100 000 subscriptions with their notes, as `Subscriptions.subscribe`
stores them; notes already due are marked sent, as a dispatcher that kept up would leave them).
Then, several times, a user writes /start while no bot runs, and the clock starts when
`python -m bot run` (long polling, against the emulator in its own process) is exec'd and stops
when the user's chat holds the reply; the bot is then stopped with SIGTERM. The baseline, in the
same run and alternating with it, is a bare python-telegram-bot echo bot exec'd the same way
(its own interpreter, imports, getMe, first getUpdates, one sendMessage).
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

from _common import TOKEN, EmulatorProcess, bulk_subscribe, load_rules, print_table, stop_process
from due_query import T0, combos

from bot.store import open_store

FIRST_USER = 8_000_000_001
LIMIT = 30.0  # seconds; a bot that takes longer has failed

BARE_ECHO = """
import os
from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler

async def start(update: Update, _context: object) -> None:
    await update.effective_message.reply_text("hello")

app = ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"]).base_url(
    os.environ["TELEGRAM_BASE_URL"]).build()
app.add_handler(CommandHandler("start", start))
app.run_polling()
"""


def bot_env(base_url: str, database_url: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "LOG_", "DATABASE"))
    }
    return env | {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": base_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }


async def first_reply_seconds(
    emulator: EmulatorProcess, command: list[str], env: dict[str, str], user_id: int
) -> float:
    """Exec `command`, wait for its reply to the /start already waiting, stop it."""
    await emulator.send_text(user_id, "/start")
    began = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    try:
        while await emulator.message_count(user_id) == 0:
            if process.returncode is not None or time.perf_counter() - began > LIMIT:
                error = (await process.stderr.read()).decode()[-2000:] if process.stderr else ""
                raise RuntimeError(f"no reply from {command[-1][:20]!r}: {error}")
            await asyncio.sleep(0.005)
        return time.perf_counter() - began
    finally:
        await stop_process(process)


async def main(args: argparse.Namespace) -> int:
    bot = [sys.executable, "-m", "bot", "run"]
    bare = [sys.executable, "-c", BARE_ECHO]
    times: dict[str, list[float]] = {"bare": [], "bot": []}
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        path = Path(tmp) / "startup.db"
        began = time.perf_counter()
        await (await open_store(f"sqlite:///{path}")).close()  # migrate
        notes = bulk_subscribe(path, load_rules(), combos(), args.subscriptions, sent_until=T0)
        print(
            f"  database: {args.subscriptions:,} subscriptions, {notes:,} notes, "
            f"built in {time.perf_counter() - began:.0f} s",
            flush=True,
        )
        env = {}
        async with EmulatorProcess(validate=False) as emulator:
            await emulator.add_users(FIRST_USER, 2 * args.repeat)
            env = bot_env(emulator.base_url, f"sqlite:///{path}")
            user = FIRST_USER
            for _ in range(args.repeat):
                for name, command in (("bare", bare), ("bot", bot)):
                    seconds = await first_reply_seconds(emulator, command, env, user)
                    times[name].append(seconds)
                    user += 1
                    print(f"  {name}: {seconds:.2f} s", flush=True)
    bare_p50, bot_p50 = statistics.median(times["bare"]), statistics.median(times["bot"])
    print_table(
        f"Start-up, exec to the first reply to /start, {args.subscriptions:,} subscriptions "
        f"(SQLite), median of {args.repeat}",
        ["process", "median s", "min s", "max s"],
        [
            ("bare PTB echo bot", bare_p50, min(times["bare"]), max(times["bare"])),
            ("python -m bot run", bot_p50, min(times["bot"]), max(times["bot"])),
        ],
    )
    print(f"ratio bot / bare PTB: {bot_p50 / bare_p50:.2f}x; goal < 2 s: {bot_p50:.2f} s")
    return 0 if bot_p50 < args.goal else 1


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 000 subscriptions, 2 runs each")
    parser.add_argument("--subscriptions", type=int, help="default 100 000")
    parser.add_argument("--repeat", type=int, help="runs of each process (default 5)")
    parser.add_argument("--goal", type=float, default=2.0, help="seconds; exit 1 above it")
    args = parser.parse_args(argv)
    args.subscriptions = args.subscriptions or (10_000 if args.quick else 100_000)
    args.repeat = args.repeat or (2 if args.quick else 5)
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse())))
