"""The `babies` rows of families: one made at a family's sign-up, pruned once no caregiver
follows it any more."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.milestones import Baby
from bot.store.schema import babies, family_invites, subscriptions
from bot.store.utc import as_utc


async def insert_baby(conn: AsyncConnection, baby: Baby, now: datetime) -> int:
    """A new family's baby; returns its id."""
    created = await conn.execute(
        insert(babies).values(
            baby_name=baby.name,
            birth_date=baby.birth,
            gestational_weeks=baby.gestational_weeks,
            created_at=as_utc(now),
        )
    )
    return int(created.inserted_primary_key[0])


async def prune_babies(conn: AsyncConnection) -> None:
    """Delete the babies no caregiver follows any more, with their invites (explicitly: SQLite
    enforces ON DELETE CASCADE only with its foreign_keys pragma)."""
    followed = select(subscriptions.c.baby_id).where(subscriptions.c.baby_id.is_not(None))
    orphans = select(babies.c.id).where(babies.c.id.not_in(followed))
    await conn.execute(delete(family_invites).where(family_invites.c.baby_id.in_(orphans)))
    await conn.execute(delete(babies).where(babies.c.id.in_(orphans)))
