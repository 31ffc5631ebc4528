"""The command menu Telegram shows, registered with setMyCommands per scope and locale."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.ext import Application

from bot.core.rules import Rules

PRIVATE_COMMANDS = (
    "start",
    "explain",
    "triage",
    "subscribe",
    "reminders",
    "family",
    "history",
    "export",
    "unsubscribe",
    "channel",
    "forget",
    "about",
    "help",
)
GROUP_COMMANDS = ("explain", "triage", "subscribe", "reminders", "help")


def command_list(rules: Rules, locale: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, rules.text(f"command.{name}", locale)) for name in names]


def ui_keys() -> set[str]:
    return {f"command.{name}" for name in (*PRIVATE_COMMANDS, *GROUP_COMMANDS)}


async def register_commands(application: Application, rules: Rules) -> None:  # type: ignore[type-arg]
    """Default (no language) in the default locale, then one set per supported locale."""
    bot = application.bot
    for locale in (None, *rules.locales):
        texts_locale = locale or rules.default_locale
        await bot.set_my_commands(
            command_list(rules, texts_locale, PRIVATE_COMMANDS),
            scope=BotCommandScopeAllPrivateChats(),
            language_code=locale,
        )
        await bot.set_my_commands(
            command_list(rules, texts_locale, GROUP_COMMANDS),
            scope=BotCommandScopeAllGroupChats(),
            language_code=locale,
        )
        await bot.set_my_commands(
            command_list(rules, texts_locale, PRIVATE_COMMANDS), language_code=locale
        )
