"""What every handler needs, reached through a typed CallbackContext instead of loose dict keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from bot.core.rules import Rules
from bot.store import Store

SERVICES_KEY = "services"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    rules: Rules
    store: Store
    clock: Callable[[], datetime] = utc_now
    reminder_interval: float = 30.0  # seconds between reminder rounds


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):  # type: ignore[type-arg]
    """CallbackContext with typed access to the bot's services.

    python-telegram-bot builds one context per update and hands it to every handler group, so
    the chat's chosen language, read once by `read_chat_language` (group -1), serves them all.
    """

    chat_language: str | None = None  # the chat's /language choice, once read for this update

    @property
    def services(self) -> Services:
        return self.application.bot_data[SERVICES_KEY]  # type: ignore[no-any-return]

    @property
    def rules(self) -> Rules:
        return self.services.rules

    async def read_chat_language(self, update: object) -> None:
        """Look up the chat's /language choice (one primary-key read) for `locale`."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is not None:
            self.chat_language = await self.services.store.languages.get(chat.id)

    def locale(self, update: object) -> str:
        """The chat's chosen language, else the person's Telegram language, else the default."""
        language = self.chat_language
        if language is not None and language in self.rules.locales:
            return language
        user = update.effective_user if isinstance(update, Update) else None
        return self.rules.pick_locale(user.language_code if user else None)

    def texts(self, update: object) -> Texts:
        return Texts(self.rules, self.locale(update))


@dataclass(frozen=True)
class Texts:
    """UI strings in one locale: `t("key", name=...)`."""

    rules: Rules
    locale: str

    def __call__(self, key: str, **values: object) -> str:
        return self.rules.text(key, self.locale, **values)
