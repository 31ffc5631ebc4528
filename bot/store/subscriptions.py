"""Which babies a chat follows, and their scheduled notes: subscribe, list, change, remove.

A subscription stores only the notes due after the parent's local today (`plan_subscription`),
so the backlog of milestones already passed is never sent. The dispatcher's side of the notes
(what is due, what was sent) lives in `deliveries`; a parent blocking the bot, in `blocking`.
What a subscription looks like (its kinds, roles and records) is in `subscription_rows`; the
families' `babies` rows in `babies`; a group's move to a supergroup in `chat_migration`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, insert, select, update

from bot.core.milestones import Baby, Milestone, local_instant, plan_subscription
from bot.store.babies import insert_baby, prune_babies
from bot.store.chat_migration import move_subscriptions
from bot.store.connections import Connections
from bot.store.leased import PENDING, SKIPPED
from bot.store.schema import family_invites, scheduled_notes, subscriptions
from bot.store.subscription_rows import (
    BABY,
    CREATOR,
    TIPS,
    Family,
    NewSubscription,
    Note,
    Subscription,
    note_from_row,
    subscription_from_row,
)
from bot.store.subscription_rows import CAREGIVER as CAREGIVER  # re-exported, as before
from bot.store.subscription_rows import COHORT as COHORT  # re-exported, as before
from bot.store.utc import as_utc


def _check_hour(hour: int) -> None:
    if not 0 <= hour <= 23:
        raise ValueError(f"delivery hour must be 0-23, not {hour}")


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
        family: Family | None = None,
        message_thread_id: int | None = None,
    ) -> NewSubscription:
        """Store a baby (or a cohort's stand-in baby) and its future notes; return the note
        that is current now, to show. A new family baby gets its `babies` row, with this chat
        as its creator; `family` instead joins this chat to an existing baby.
        `message_thread_id`: the forum topic notes go to."""
        _check_hour(hour)
        plan = plan_subscription(milestones, baby, ZoneInfo(tz), hour, now)
        entries = [(milestone.id, due) for milestone, due in plan.upcoming]
        subscription_id = await self._store(
            chat_id, baby, tz, hour, now, locale, kind, entries, family, message_thread_id
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
        family: Family | None = None,
        message_thread_id: int | None = None,
    ) -> int:
        """One subscription and its future notes, in one transaction."""
        async with self._db.begin() as conn:
            if kind == BABY and family is None:
                family = Family(await insert_baby(conn, baby, now), CREATOR, None)
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
                    baby_id=family.baby_id if family else None,
                    role=family.role if family else None,
                    first_name=family.first_name if family else None,
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
            by_sub.setdefault(row.subscription_id, []).append(note_from_row(row))
        return [subscription_from_row(row, tuple(by_sub.get(row.id, ()))) for row in subs]

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
        """Delete a baby and its notes: for a shared baby, this chat leaves its family (its
        invites die with it) and the baby goes with its last caregiver."""
        async with self._db.begin() as conn:
            baby_id = (
                await conn.execute(
                    select(subscriptions.c.baby_id).where(_mine(chat_id, subscription_id))
                )
            ).scalar()
            await conn.execute(
                delete(scheduled_notes).where(
                    scheduled_notes.c.subscription_id == subscription_id,
                    scheduled_notes.c.chat_id == chat_id,
                )
            )
            result = await conn.execute(
                delete(subscriptions).where(_mine(chat_id, subscription_id))
            )
            if baby_id is not None:
                await conn.execute(
                    delete(family_invites).where(
                        family_invites.c.baby_id == baby_id,
                        family_invites.c.created_by == chat_id,
                    )
                )
                await prune_babies(conn)
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
            await prune_babies(conn)
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
            return await move_subscriptions(conn, old_chat_id, new_chat_id)

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
            invites = await conn.execute(
                delete(family_invites).where(family_invites.c.created_by == chat_id)
            )
            await prune_babies(conn)
        return (notes.rowcount or 0) + (subs.rowcount or 0) + (invites.rowcount or 0)
