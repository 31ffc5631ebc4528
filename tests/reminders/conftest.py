"""Dispatcher fixtures: the real Application's bot (with its AIORateLimiter) against the
emulator, a real store (each test runs on SQLite and on a fresh PostgreSQL database), and a
clock the test moves by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.store import Store, open_store
from bot.telegram.app import build_application
from bot.telegram.services import Services
from tests.store.backends import BACKENDS, database_for

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


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_for(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = await open_store(database_url)
    yield opened
    await opened.close()


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
