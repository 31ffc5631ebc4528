"""A group became a supergroup: its subscriptions and notes move to the new chat id, without
duplicating a baby already followed there (`Subscriptions.move_chat`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.babies import prune_babies
from bot.store.schema import scheduled_notes, subscriptions


async def move_subscriptions(conn: AsyncConnection, old_chat_id: int, new_chat_id: int) -> int:
    """Move the old chat's subscriptions and notes to the new id; a baby already followed under
    the new id (same name, birth date and gestation) is not duplicated: the old copy goes.
    Returns how many subscriptions moved."""
    existing = {
        _identity(row)
        for row in (
            await conn.execute(select(subscriptions).where(subscriptions.c.chat_id == new_chat_id))
        ).all()
    }
    old = (
        await conn.execute(select(subscriptions).where(subscriptions.c.chat_id == old_chat_id))
    ).all()
    moved = 0
    for row in old:
        if _identity(row) in existing:
            await _delete_subscription(conn, row.id)
            continue
        existing.add(_identity(row))
        await conn.execute(
            update(subscriptions).where(subscriptions.c.id == row.id).values(chat_id=new_chat_id)
        )
        await conn.execute(
            update(scheduled_notes)
            .where(scheduled_notes.c.subscription_id == row.id)
            .values(chat_id=new_chat_id)
        )
        moved += 1
    return moved


def _identity(row: Any) -> tuple[str | None, date, int | None]:
    return (row.baby_name, row.birth_date, row.gestational_weeks)


async def _delete_subscription(conn: AsyncConnection, subscription_id: int) -> None:
    # Notes first: SQLite enforces ON DELETE CASCADE only with its foreign_keys pragma.
    await conn.execute(
        delete(scheduled_notes).where(scheduled_notes.c.subscription_id == subscription_id)
    )
    await conn.execute(delete(subscriptions).where(subscriptions.c.id == subscription_id))
    await prune_babies(conn)
