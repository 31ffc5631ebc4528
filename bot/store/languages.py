"""The language each chat chose with /language (a group's, by its admins)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from bot.store.connections import Connections
from bot.store.schema import chat_languages
from bot.store.utc import as_utc


class ChatLanguages:
    def __init__(self, db: Connections) -> None:
        self._db = db

    async def get(self, chat_id: int) -> str | None:
        """The chat's chosen locale, or None when it never chose one."""
        async with self._db.connect() as conn:
            return (
                await conn.execute(
                    select(chat_languages.c.locale).where(chat_languages.c.chat_id == chat_id)
                )
            ).scalar()

    async def choose(self, chat_id: int, locale: str, now: datetime) -> None:
        values = {"locale": locale, "updated_at": as_utc(now)}
        async with self._db.begin() as conn:
            changed = await conn.execute(
                update(chat_languages).where(chat_languages.c.chat_id == chat_id).values(**values)
            )
            if not changed.rowcount:
                await conn.execute(insert(chat_languages).values(chat_id=chat_id, **values))

    async def forget(self, chat_id: int) -> int:
        async with self._db.begin() as conn:
            result = await conn.execute(
                delete(chat_languages).where(chat_languages.c.chat_id == chat_id)
            )
        return result.rowcount or 0

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its choice follows it (unless the new id has one)."""
        async with self._db.begin() as conn:
            taken = (
                await conn.execute(
                    select(chat_languages.c.chat_id).where(chat_languages.c.chat_id == new_chat_id)
                )
            ).first()
            if taken is not None:
                await conn.execute(
                    delete(chat_languages).where(chat_languages.c.chat_id == old_chat_id)
                )
                return
            await conn.execute(
                update(chat_languages)
                .where(chat_languages.c.chat_id == old_chat_id)
                .values(chat_id=new_chat_id)
            )
