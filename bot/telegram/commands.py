"""What Telegram shows about the bot, per locale: the command menu (setMyCommands, per scope)
and the description and short description (setMyDescription, setMyShortDescription)."""

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
    "history",
    "export",
    "unsubscribe",
    "channel",
    "language",
    "forget",
    "about",
    "help",
)
GROUP_COMMANDS = ("explain", "triage", "subscribe", "reminders", "language", "help")


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


async def register_descriptions(application: Application, rules: Rules) -> None:  # type: ignore[type-arg]
    """The description (an empty chat with the bot) and the short one (its profile, shared
    links): the default locale's for languages without their own, then one per locale."""
    bot = application.bot
    for locale in (None, *rules.locales):
        texts_locale = locale or rules.default_locale
        await bot.set_my_description(
            rules.text("bot.description", texts_locale), language_code=locale
        )
        await bot.set_my_short_description(
            rules.text("bot.short_description", texts_locale), language_code=locale
        )
