"""setMyDescription / setMyShortDescription: one text per language, spec-checked lengths."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.emulator import Emulator


async def test_descriptions_are_kept_per_language(bot: Bot, emu: Emulator) -> None:
    assert await bot.set_my_description("Hello")
    assert await bot.set_my_description("Hola", language_code="es")
    assert await bot.set_my_short_description("Hi", language_code="es")

    assert emu.description() == "Hello" and emu.description("es") == "Hola"
    assert emu.short_description("es") == "Hi" and emu.short_description() is None
    assert (await bot.get_my_description("es")).description == "Hola"
    assert (await bot.get_my_description()).description == "Hello"
    assert (await bot.get_my_short_description()).short_description == ""  # no fallback

    assert await bot.set_my_description("", language_code="es")  # removes Spanish only
    assert emu.description("es") is None and emu.description() == "Hello"
    assert not emu.violations


async def test_description_limits_and_language_codes(bot: Bot, emu: Emulator) -> None:
    with pytest.raises(BadRequest):
        await bot.set_my_description("x" * 513)
    with pytest.raises(BadRequest):
        await bot.set_my_short_description("x" * 121)
    with pytest.raises(BadRequest, match=r"(?i)language code is invalid"):
        await bot.set_my_description("Hallo", language_code="deu")

    assert await bot.set_my_description("x" * 512)
    assert await bot.set_my_short_description("x" * 120)
    assert emu.description() == "x" * 512 and emu.short_description() == "x" * 120
    assert len(emu.violations) == 3
    assert "0-512 characters" in emu.violations[0]
