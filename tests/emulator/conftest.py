"""Fixtures: a started emulator with one bot, a user who has started it, and a real PTB Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.emulator import Emulator, User

TOKEN = "123456789:AAEmulatorTestTokenEmulatorTestToken"


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        emulator.add_bot(TOKEN)
        yield emulator


@pytest.fixture
def ann(emu: Emulator) -> User:
    return emu.add_user("Ann", started=True)


@pytest.fixture
async def bot(emu: Emulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def token() -> str:
    return TOKEN
