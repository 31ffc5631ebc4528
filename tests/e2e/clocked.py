"""The real bot with a clock the test moves, so reminders fall due when the test says so."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from bot.core.rules import Rules
from bot.sandbox import Sandbox, running_bot

START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a baby born 1 Sep 2026 is 12 weeks old
REMINDER_INTERVAL = 0.05  # seconds between dispatcher rounds: due notes go out at once


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def labels(message: dict) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


@contextlib.asynccontextmanager
async def clocked_bot(
    rules: Rules, database_url: str, clock: Clock, **options: Any
) -> AsyncIterator[Sandbox]:
    """The bot on `database_url`, reading `clock`; every request it made must be valid."""
    async with running_bot(
        rules,
        database_url=database_url,
        clock=clock,
        reminder_interval=REMINDER_INTERVAL,
        **options,
    ) as running:
        yield running
    running.emulator.assert_no_violations()
