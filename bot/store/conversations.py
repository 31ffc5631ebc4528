"""Conversation state per chat: which step of a multi-step flow a chat is in, and its draft.

Kept in the database rather than in python-telegram-bot's ConversationHandler, whose state lives
in one process's memory: a restart mid-way, or a second replica, would lose or split it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update

from bot.store.connections import Connections
from bot.store.schema import chat_states
from bot.store.utc import as_utc

# A half-finished sign-up older than this is forgotten rather than resumed by surprise.
STATE_TTL = timedelta(days=1)


@dataclass(frozen=True)
class ChatState:
    kind: str
    data: dict[str, Any]
    updated_at: datetime


class Conversations:
    def __init__(self, db: Connections) -> None:
        self._db = db

    async def get(self, chat_id: int, now: datetime) -> ChatState | None:
        """The chat's conversation, unless it was left longer than `STATE_TTL` ago."""
        state = await self.stored(chat_id)
        if state is None or state.updated_at < now - STATE_TTL:
            return None
        return state

    async def stored(self, chat_id: int) -> ChatState | None:
        """The chat's stored conversation, however old (for /export)."""
        async with self._db.connect() as conn:
            row = (
                await conn.execute(select(chat_states).where(chat_states.c.chat_id == chat_id))
            ).first()
        return (
            None
            if row is None
            else ChatState(row.kind, json.loads(row.data), as_utc(row.updated_at))
        )

    async def put(self, chat_id: int, kind: str, data: dict[str, Any], now: datetime) -> None:
        values = {"kind": kind, "data": json.dumps(data), "updated_at": as_utc(now)}
        async with self._db.begin() as conn:
            changed = await conn.execute(
                update(chat_states).where(chat_states.c.chat_id == chat_id).values(**values)
            )
            if not changed.rowcount:
                await conn.execute(insert(chat_states).values(chat_id=chat_id, **values))

    async def clear(self, chat_id: int) -> int:
        async with self._db.begin() as conn:
            result = await conn.execute(delete(chat_states).where(chat_states.c.chat_id == chat_id))
        return result.rowcount or 0

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        async with self._db.begin() as conn:
            await conn.execute(delete(chat_states).where(chat_states.c.chat_id == new_chat_id))
            await conn.execute(
                update(chat_states)
                .where(chat_states.c.chat_id == old_chat_id)
                .values(chat_id=new_chat_id)
            )
