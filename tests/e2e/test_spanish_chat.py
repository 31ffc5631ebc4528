"""A parent whose Telegram speaks Spanish gets the bot in Spanish, with nothing left in English."""

from __future__ import annotations

import re

from bot.core.rules import Rules
from bot.core.triage import Level
from bot.sandbox import Sandbox

from .test_triage_chat import answer, shortest_path_to, start_check


def plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def buttons(message: dict) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_the_welcome_and_its_buttons_are_in_spanish(sandbox: Sandbox, rules: Rules) -> None:
    emu = sandbox.emulator
    ana = emu.add_user("Ana", language_code="es")
    emu.send_text(ana, "/start")
    welcome = await emu.next_message(ana)
    assert welcome["text"] == plain(rules.text("start.welcome", "es"))
    assert rules.text("button.menu_triage", "es") in buttons(welcome)
    assert rules.text("button.menu_triage", "en") not in buttons(welcome)


async def test_the_command_menu_has_a_spanish_list(sandbox: Sandbox, rules: Rules) -> None:
    emu = sandbox.emulator
    ana = emu.add_user("Ana", language_code="es")
    emu.send_text(ana, "/start")
    await emu.next_message(ana)  # the bot has registered its commands by now
    spanish = {c["command"]: c["description"] for c in emu.commands(language_code="es")}
    assert spanish["triage"] == rules.text("command.triage", "es")
    assert spanish["explain"] == rules.text("command.explain", "es")


async def test_every_level_of_the_movement_check_reads_in_spanish(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    flow = rules.triage["twitch"]
    for level in Level:
        parent = emu.add_user(f"Madre {level.id}", language_code="es")
        message = await start_check(emu, parent, "twitch")
        assert flow.title.get("es") in message["text"]
        assert "pregunta 1 de" in message["text"]
        final = await answer(emu, parent, message, shortest_path_to(flow, level))
        text = final["text"]
        assert "No es un médico" in text  # the Spanish disclaimer
        assert "not a doctor" not in text
        assert "Sleepsigns gives" not in text
        if level is not Level.EMERGENCY:
            assert plain(rules.text(f"triage.level.{level.id}", "es")) in text


async def test_a_mexican_parent_is_told_to_call_911_in_spanish(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    flow = rules.triage["twitch"]
    parent = emu.add_user("Lucía", language_code="es-MX")
    message = await start_check(emu, parent, "twitch")
    final = await answer(emu, parent, message, shortest_path_to(flow, Level.EMERGENCY))
    assert final["text"].startswith("🚨 LLAMA YA AL 911 para pedir una ambulancia.")
    assert "Call your emergency number" not in final["text"]
    assert "Pon a tu bebé de lado" in final["text"]
