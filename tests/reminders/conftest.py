"""Dispatcher fixtures: the real Application's bot (with its AIORateLimiter) against the
emulator, a real store (each test runs on SQLite and on a fresh PostgreSQL database), and a
clock the test moves by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import Application

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.services import Services
from tests.store.fixtures import database_url, store

__all__ = ["database_url", "store"]  # shared fixtures, re-exported for pytest

TOKEN = "1000001:SANDBOXsandboxSANDBOXsandboxSANDBOX_x"


@dataclass
class Clock:
    now: datetime = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        emulator.add_bot(TOKEN)
        emulator.rate_limits.enabled = True  # count any breach of Telegram's flood limits
        yield emulator
    emulator.assert_no_violations()
    assert emulator.rate_violations == 0, emulator.rate_violation_details


@pytest.fixture
async def application(
    emu: Emulator, store: Store, rules: Rules, clock: Clock
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    app = build_application(TOKEN, emu.base_url, Services(rules=rules, store=store, clock=clock))
    async with app:  # initialise: the bot asks getMe, as in production
        yield app
