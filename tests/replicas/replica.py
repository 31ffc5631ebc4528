"""One bot replica for the multi-replica test: `python -m tests.replicas.replica`.

It runs what production runs for reminders (the store, migrated at start-up; the Application
and its bot with AIORateLimiter; `start_dispatcher` with its leader election) but no update
intake: three replicas long-polling one token would only fight over getUpdates, and webhook
intake is not what this test is about. Settings come from the environment (DATABASE_URL,
TELEGRAM_BOT_TOKEN, TELEGRAM_BASE_URL, REMINDER_INTERVAL); it logs to stderr, prints
`replica ready` once started, and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from bot.core.rules_loader import load_rules
from bot.logging_setup import configure_logging, token_secrets
from bot.reminders import start_dispatcher
from bot.sandbox import SANDBOX_TOKEN
from bot.settings import REPO_RULES_DIR
from bot.store import open_store
from bot.telegram.app import build_application
from bot.telegram.services import Services, utc_now
from bot.telegram.ui_keys import UI_KEYS

READY = "replica ready"
log = logging.getLogger("replica")


def replica_env(database_url: str, base_url: str, **extra: str) -> dict[str, str]:
    """The environment a replica runs with: this process's, without its bot settings, plus the
    database, the (emulated) Bot API, a half-second reminder round and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
    return env | {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": SANDBOX_TOKEN,
        "TELEGRAM_BASE_URL": base_url,
        "REMINDER_INTERVAL": "0.5",
        **extra,
    }


async def run() -> None:
    token, base_url = os.environ["TELEGRAM_BOT_TOKEN"], os.environ["TELEGRAM_BASE_URL"]
    interval = float(os.environ.get("REMINDER_INTERVAL", "0.5"))
    rules = load_rules(REPO_RULES_DIR, UI_KEYS)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    store = await open_store(os.environ["DATABASE_URL"])
    try:
        application = build_application(token, base_url, Services(rules=rules, store=store))
        async with application:  # getMe, as at a real start
            reminders = start_dispatcher(application, store, rules, utc_now, interval=interval)
            log.info(READY)
            await stop.wait()
            await reminders.close()
    finally:
        await store.close()


if __name__ == "__main__":
    configure_logging("INFO", token_secrets(os.environ["TELEGRAM_BOT_TOKEN"]))
    asyncio.run(run())
