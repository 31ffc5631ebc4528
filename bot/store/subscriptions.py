"""Which babies a chat follows, and their scheduled notes: subscribe, list, change, remove.

A subscription stores only the notes due after the parent's local today (`plan_subscription`),
so the backlog of milestones already passed is never sent. The dispatcher's side of the notes
(what is due, what was sent) lives in `deliveries`; a parent blocking the bot, in `blocking`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.milestones import Baby, Milestone, local_instant, plan_subscription
from bot.store.connections import Connections
from bot.store.leased import PENDING, SKIPPED
from bot.store.schema import scheduled_notes, subscriptions
from bot.store.utc import as_utc

# A family's baby; a group's or channel's birth month; a channel's weekly tip.
BABY, COHORT, TIPS = "baby", "cohort", "tips"


@dataclass(frozen=True)
class Note:
    """One scheduled note of a subscription."""

    id: int
    milestone_id: str
    due_at: datetime  # aware UTC
    status: str
    attempts: int
    sent_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Subscription:
    """One baby a chat follows, with its notes (earliest first)."""

    id: int
    chat_id: int
    baby_name: str | None
    birth: date
    gestational_weeks: int | None
    timezone: str
    delivery_hour: int
    locale: str | None
    paused: bool
    created_at: datetime
    notes: tuple[Note, ...]
    kind: str = BABY
    blocked_at: datetime | None = None  # the parent blocked the bot then; nothing is sent
    message_thread_id: int | None = None  # a forum group's topic (None: General, no topics)
    fallback_thread_id: int | None = None  # the topic that was closed or deleted (see topics)

    @property
    def baby(self) -> Baby:
        return Baby(self.birth, self.gestational_weeks, self.baby_name)

    @property
    def upcoming(self) -> tuple[Note, ...]:
        return tuple(note for note in self.notes if note.status == PENDING)


@dataclass(frozen=True)
class NewSubscription:
    """What `subscribe` did: the new id, the note to show now (never stored), how many stored."""

    id: int
    current: Milestone | None
    scheduled: int


def _check_hour(hour: int) -> None:
    if not 0 <= hour <= 23:
        raise ValueError(f"delivery hour must be 0-23, not {hour}")


def _note(row: Any) -> Note:
    return Note(
        id=row.id,
        milestone_id=row.milestone_id,
        due_at=as_utc(row.due_at),
        status=row.status,
        attempts=row.attempts,
        sent_at=as_utc(row.sent_at) if row.sent_at is not None else None,
        last_error=row.last_error,
    )


def _mine(chat_id: int, subscription_id: int) -> Any:
    return and_(subscriptions.c.id == subscription_id, subscriptions.c.chat_id == chat_id)


class Subscriptions:
    def __init__(self, db: Connections) -> None:
        self._db = db

    async def subscribe(
        self,
        chat_id: int,
        baby: Baby,
        tz: str,
        hour: int,
        now: datetime,
        milestones: Iterable[Milestone],
        *,
        locale: str | None = None,
        kind: str = BABY,
        message_thread_id: int | None = None,
    ) -> NewSubscription:
        """Store a baby (or a cohort's stand-in baby) and its future notes; return the note
        that is current now, to show. `message_thread_id`: the forum topic notes go to."""
        _check_hour(hour)
        plan = plan_subscription(milestones, baby, ZoneInfo(tz), hour, now)
        entries = [(milestone.id, due) for milestone, due in plan.upcoming]
        subscription_id = await self._store(
            chat_id, baby, tz, hour, now, locale, kind, entries, message_thread_id
        )
        return NewSubscription(subscription_id, plan.current, len(plan.upcoming))

    async def subscribe_tips(
        self,
        chat_id: int,
        tz: str,
        hour: int,
        now: datetime,
        entries: Sequence[tuple[str, datetime]],
        *,
        locale: str | None = None,
    ) -> int:
        """Store a channel's weekly tips (see bot.core.tips); returns the subscription id."""
        _check_hour(hour)
        baby = Baby(as_utc(now).date())  # no baby: the link date fills the required column
        return await self._store(chat_id, baby, tz, hour, now, locale, TIPS, entries)

    async def _store(
        self,
        chat_id: int,
        baby: Baby,
        tz: str,
        hour: int,
        now: datetime,
        locale: str | None,
        kind: str,
        entries: Sequence[tuple[str, datetime]],
        message_thread_id: int | None = None,
    ) -> int:
        """One subscription and its future notes, in one transaction."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                insert(subscriptions).values(
                    chat_id=chat_id,
                    baby_name=baby.name,
                    birth_date=baby.birth,
                    gestational_weeks=baby.gestational_weeks,
                    timezone=tz,
                    delivery_hour=hour,
                    locale=locale,
                    paused=False,
                    created_at=as_utc(now),
                    kind=kind,
                    message_thread_id=message_thread_id,
                )
            )
            subscription_id = int(result.inserted_primary_key[0])
            if entries:
                await conn.execute(
                    insert(scheduled_notes),
                    [
                        {
                            "subscription_id": subscription_id,
                            "chat_id": chat_id,
                            "milestone_id": note_id,
                            "due_at": due,
                            "status": PENDING,
                            "attempts": 0,
                        }
                        for note_id, due in entries
                    ],
                )
        return subscription_id

    async def list_for_chat(self, chat_id: int) -> list[Subscription]:
        """The chat's babies in the order they were added, each with its notes."""
        async with self._db.connect() as conn:
            subs = (
                await conn.execute(
                    select(subscriptions)
                    .where(subscriptions.c.chat_id == chat_id)
                    .order_by(subscriptions.c.id)
                )
            ).all()
            notes = (
                await conn.execute(
                    select(scheduled_notes)
                    .where(scheduled_notes.c.chat_id == chat_id)
                    .order_by(scheduled_notes.c.due_at, scheduled_notes.c.id)
                )
            ).all()
        by_sub: dict[int, list[Note]] = {}
        for row in notes:
            by_sub.setdefault(row.subscription_id, []).append(_note(row))
        return [
            Subscription(
                id=row.id,
                chat_id=row.chat_id,
                baby_name=row.baby_name,
                birth=row.birth_date,
                gestational_weeks=row.gestational_weeks,
                timezone=row.timezone,
                delivery_hour=row.delivery_hour,
                locale=row.locale,
                paused=bool(row.paused),
                created_at=as_utc(row.created_at),
                notes=tuple(by_sub.get(row.id, ())),
                kind=row.kind,
                blocked_at=as_utc(row.blocked_at) if row.blocked_at is not None else None,
                message_thread_id=row.message_thread_id,
                fallback_thread_id=row.fallback_thread_id,
            )
            for row in subs
        ]

    async def pause(self, chat_id: int, subscription_id: int) -> bool:
        return await self._set_paused(_mine(chat_id, subscription_id), True) > 0

    async def resume(self, chat_id: int, subscription_id: int) -> bool:
        return await self._set_paused(_mine(chat_id, subscription_id), False) > 0

    async def _set_paused(self, where: Any, paused: bool) -> int:
        async with self._db.begin() as conn:
            result = await conn.execute(update(subscriptions).where(where).values(paused=paused))
        return result.rowcount or 0

    async def change_hour(self, chat_id: int, subscription_id: int, hour: int) -> bool:
        """Set the local delivery hour and move every pending note to it, same local day."""
        _check_hour(hour)
        async with self._db.begin() as conn:
            row = (
                await conn.execute(
                    select(subscriptions.c.timezone).where(_mine(chat_id, subscription_id))
                )
            ).first()
            if row is None:
                return False
            tz = ZoneInfo(row.timezone)
            await conn.execute(
                update(subscriptions)
                .where(subscriptions.c.id == subscription_id)
                .values(delivery_hour=hour)
            )
            pending = await conn.execute(
                select(scheduled_notes.c.id, scheduled_notes.c.due_at).where(
                    scheduled_notes.c.subscription_id == subscription_id,
                    scheduled_notes.c.status == PENDING,
                )
            )
            for note_id, due_at in pending.all():
                # The stored instant's local date is the note's due date (local_instant keeps
                # the date even across a DST gap), so only the hour changes.
                day = as_utc(due_at).astimezone(tz).date()
                await conn.execute(
                    update(scheduled_notes)
                    .where(scheduled_notes.c.id == note_id)
                    .values(due_at=local_instant(day, hour, tz), not_before=None)
                )
        return True

    async def remove(self, chat_id: int, subscription_id: int) -> bool:
        """Delete a baby and its notes."""
        async with self._db.begin() as conn:
            await conn.execute(
                delete(scheduled_notes).where(
                    scheduled_notes.c.subscription_id == subscription_id,
                    scheduled_notes.c.chat_id == chat_id,
                )
            )
            result = await conn.execute(
                delete(subscriptions).where(_mine(chat_id, subscription_id))
            )
        return (result.rowcount or 0) > 0

    async def remove_kind(self, chat_id: int, kind: str) -> int:
        """Delete the chat's subscriptions of one kind (e.g. its cohort, to replace it) and
        their notes; returns how many subscriptions went."""
        mine = select(subscriptions.c.id).where(
            subscriptions.c.chat_id == chat_id, subscriptions.c.kind == kind
        )
        async with self._db.begin() as conn:
            await conn.execute(
                delete(scheduled_notes).where(scheduled_notes.c.subscription_id.in_(mine))
            )
            result = await conn.execute(delete(subscriptions).where(subscriptions.c.id.in_(mine)))
        return result.rowcount or 0

    async def skip_pending(self, chat_id: int, milestone_ids: Iterable[str]) -> int:
        """Mark the chat's pending notes for these milestones as skipped (an answer made them
        unnecessary, e.g. "Yes, smiling!" before the 12-week check); returns how many."""
        ids = list(milestone_ids)
        if not ids:
            return 0
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(scheduled_notes)
                .where(
                    scheduled_notes.c.chat_id == chat_id,
                    scheduled_notes.c.status == PENDING,
                    scheduled_notes.c.milestone_id.in_(ids),
                )
                .values(status=SKIPPED, last_error="answered earlier")
            )
        return result.rowcount or 0

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """A group became a supergroup: keep its subscriptions and notes under the new id.

        Idempotent (the migration handler and the dispatcher may both call it). A baby already
        followed under the new id (same name, birth date and gestation) is not duplicated: the
        old copy goes. Returns how many subscriptions moved.
        """
        async with self._db.begin() as conn:
            existing = {
                _identity(row)
                for row in (
                    await conn.execute(
                        select(subscriptions).where(subscriptions.c.chat_id == new_chat_id)
                    )
                ).all()
            }
            old = (
                await conn.execute(
                    select(subscriptions).where(subscriptions.c.chat_id == old_chat_id)
                )
            ).all()
            moved = 0
            for row in old:
                if _identity(row) in existing:
                    await _delete_subscription(conn, row.id)
                    continue
                existing.add(_identity(row))
                await conn.execute(
                    update(subscriptions)
                    .where(subscriptions.c.id == row.id)
                    .values(chat_id=new_chat_id)
                )
                await conn.execute(
                    update(scheduled_notes)
                    .where(scheduled_notes.c.subscription_id == row.id)
                    .values(chat_id=new_chat_id)
                )
                moved += 1
        return moved

    async def set_locale(self, chat_id: int, locale: str) -> int:
        """The chat chose a language: its notes from now on are written in it."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(subscriptions)
                .where(subscriptions.c.chat_id == chat_id)
                .values(locale=locale)
            )
        return result.rowcount or 0

    async def forget(self, chat_id: int) -> int:
        """Delete the chat's subscriptions and notes; returns how many rows went."""
        async with self._db.begin() as conn:
            notes = await conn.execute(
                delete(scheduled_notes).where(scheduled_notes.c.chat_id == chat_id)
            )
            subs = await conn.execute(
                delete(subscriptions).where(subscriptions.c.chat_id == chat_id)
            )
        return (notes.rowcount or 0) + (subs.rowcount or 0)


def _identity(row: Any) -> tuple[str | None, date, int | None]:
    return (row.baby_name, row.birth_date, row.gestational_weeks)


async def _delete_subscription(conn: AsyncConnection, subscription_id: int) -> None:
    # Notes first: SQLite enforces ON DELETE CASCADE only with its foreign_keys pragma.
    await conn.execute(
        delete(scheduled_notes).where(scheduled_notes.c.subscription_id == subscription_id)
    )
    await conn.execute(delete(subscriptions).where(subscriptions.c.id == subscription_id))
