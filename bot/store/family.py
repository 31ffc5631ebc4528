"""A baby's family: its caregivers (their family subscriptions) and its invite links.

A caregiver is a `subscriptions` row of kind "baby" naming the baby (`baby_id`): its chat, role
and first name, and that chat's own hour, zone, language, pause and block. Joining is a new
subscription of the same baby (see `Subscriptions.subscribe(family=...)`); leaving or being
removed deletes the row (`Subscriptions.remove`), and the baby goes with its last caregiver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from bot.core.family import Invite
from bot.core.milestones import Baby
from bot.store.connections import Connections
from bot.store.schema import babies, family_invites, subscriptions
from bot.store.utc import as_utc


@dataclass(frozen=True)
class Caregiver:
    """One chat that follows a baby; the subscription id names it in buttons."""

    subscription_id: int
    chat_id: int
    role: str
    first_name: str | None
    blocked: bool
    locale: str | None  # the language of this caregiver's chat (None: the default)


@dataclass(frozen=True)
class StoredInvite:
    """An invite with the baby it is for (None once the baby is gone)."""

    invite: Invite
    created_by: int
    baby: Baby | None


@dataclass(frozen=True)
class SentInvite:
    """An invite as the chat that made it sees it in /export (the token is never stored)."""

    baby_id: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


def _caregiver(row: Any) -> Caregiver:
    return Caregiver(
        subscription_id=row.id,
        chat_id=row.chat_id,
        role=row.role,
        first_name=row.first_name,
        blocked=row.blocked_at is not None,
        locale=row.locale,
    )


class Families:
    def __init__(self, db: Connections) -> None:
        self._db = db

    async def caregivers(self, baby_id: int) -> list[Caregiver]:
        """The baby's caregivers, creator first, then in the order they joined."""
        query = (
            select(subscriptions)
            .where(subscriptions.c.baby_id == baby_id)
            .order_by(subscriptions.c.id)
        )
        async with self._db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return sorted((_caregiver(row) for row in rows), key=lambda c: c.role != "creator")

    async def lock(self, baby_id: int) -> None:
        """Hold the baby's row until the transaction ends (PostgreSQL: FOR UPDATE), so two
        people joining at once are counted one after the other against the limit. SQLite has
        one writer at a time already."""
        async with self._db.begin() as conn:
            await conn.execute(select(babies.c.id).where(babies.c.id == baby_id).with_for_update())

    async def count(self, baby_id: int) -> int:
        query = select(func.count()).where(subscriptions.c.baby_id == baby_id)
        async with self._db.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def baby_of(self, chat_id: int, subscription_id: int) -> int | None:
        """The baby this chat's subscription follows; None if it is not this chat's, or not a
        family's baby."""
        query = select(subscriptions.c.baby_id).where(
            subscriptions.c.id == subscription_id, subscriptions.c.chat_id == chat_id
        )
        async with self._db.connect() as conn:
            return (await conn.execute(query)).scalar()

    async def is_caregiver(self, chat_id: int, baby_id: int) -> bool:
        query = select(subscriptions.c.id).where(
            subscriptions.c.baby_id == baby_id, subscriptions.c.chat_id == chat_id
        )
        async with self._db.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def set_first_name(self, chat_id: int, baby_id: int, first_name: str | None) -> None:
        if first_name is None:
            return
        async with self._db.begin() as conn:
            await conn.execute(
                update(subscriptions)
                .where(subscriptions.c.chat_id == chat_id, subscriptions.c.baby_id == baby_id)
                .values(first_name=first_name)
            )

    async def add_invite(
        self, token_hash: str, baby_id: int, chat_id: int, now: datetime, expires_at: datetime
    ) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                insert(family_invites).values(
                    token_hash=token_hash,
                    baby_id=baby_id,
                    created_by=chat_id,
                    created_at=as_utc(now),
                    expires_at=as_utc(expires_at),
                )
            )

    async def invite(self, token_hash: str) -> StoredInvite | None:
        query = (
            select(family_invites, babies.c.baby_name, babies.c.birth_date, babies.c.id.label("b"))
            .outerjoin(babies, babies.c.id == family_invites.c.baby_id)
            .where(family_invites.c.token_hash == token_hash)
        )
        async with self._db.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        baby = None
        if row.b is not None:
            baby = Baby(row.birth_date, None, row.baby_name)
        used = as_utc(row.used_at) if row.used_at is not None else None
        return StoredInvite(Invite(row.baby_id, as_utc(row.expires_at), used), row.created_by, baby)

    async def use_invite(self, token_hash: str, now: datetime) -> bool:
        """Mark the invite used; False if it already was (two taps, or two people at once)."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(family_invites)
                .where(
                    family_invites.c.token_hash == token_hash, family_invites.c.used_at.is_(None)
                )
                .values(used_at=as_utc(now))
            )
        return (result.rowcount or 0) == 1

    async def baby(self, baby_id: int) -> Baby | None:
        query = select(babies).where(babies.c.id == baby_id)
        async with self._db.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return Baby(row.birth_date, row.gestational_weeks, row.baby_name)

    async def family_chats(self, chat_id: int) -> list[tuple[int, str | None]]:
        """Every other chat that shares a baby with this one, each once in joining order, with
        its language; chats that blocked the bot are left out."""
        mine = select(subscriptions.c.baby_id).where(
            subscriptions.c.chat_id == chat_id, subscriptions.c.baby_id.is_not(None)
        )
        query = (
            select(
                subscriptions.c.chat_id,
                func.min(subscriptions.c.id).label("first"),
                func.min(subscriptions.c.locale).label("locale"),
            )
            .where(
                subscriptions.c.baby_id.in_(mine),
                subscriptions.c.chat_id != chat_id,
                subscriptions.c.blocked_at.is_(None),
            )
            .group_by(subscriptions.c.chat_id)
            .order_by("first")
        )
        async with self._db.connect() as conn:
            return [(row.chat_id, row.locale) for row in (await conn.execute(query)).all()]

    async def sent_invites(self, chat_id: int) -> list[SentInvite]:
        query = (
            select(family_invites)
            .where(family_invites.c.created_by == chat_id)
            .order_by(family_invites.c.created_at)
        )
        async with self._db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            SentInvite(
                baby_id=row.baby_id,
                created_at=as_utc(row.created_at),
                expires_at=as_utc(row.expires_at),
                used_at=as_utc(row.used_at) if row.used_at is not None else None,
            )
            for row in rows
        ]
