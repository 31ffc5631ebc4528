"""/language: a chat chooses the language the bot speaks there."""

from __future__ import annotations

from datetime import datetime

from bot.store import Store


async def choose_language(store: Store, chat_id: int, locale: str, now: datetime) -> int:
    """Store the chat's choice, and write its reminders and pending check-in in it from now on;
    returns how many of the chat's subscriptions now use it."""
    async with store.transaction() as tx:
        await tx.languages.choose(chat_id, locale, now)
        await tx.check_ins.set_locale(chat_id, locale)
        return await tx.subscriptions.set_locale(chat_id, locale)
