"""End-to-end fixtures: the real Application long-polling the project's Bot API emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.rules import Rules
from bot.sandbox import Sandbox, running_bot


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
async def sandbox(rules: Rules, database_url: str) -> AsyncIterator[Sandbox]:
    async with running_bot(rules, database_url=database_url) as running:
        yield running
    # Every request the bot made must have been valid Bot API (types, limits, HTML).
    running.emulator.assert_no_violations()
