"""The update inbox of webhook mode: accept durably, dedupe on update_id, drain in order.

`accept` commits the raw update before the webhook answers Telegram, so a crash after the answer
loses nothing; a second delivery of the same update_id (Telegram retries on timeouts) changes
nothing. `claim` hands a worker the oldest undone update of each chat whose earlier updates are
all done (the head of that chat's queue), leased to it with a conditional UPDATE ... RETURNING:
any number of workers on one database never handle the same update at once, and one chat's
updates are handled one after another, in update_id order. A lease left by a worker that died
runs out, and the update is claimed again: delivery into the handlers is at least once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import ColumnElement, FromClause, Update

from bot.store.connections import Connections
from bot.store.schema import update_inbox
from bot.store.utc import as_utc

ERROR_MAX = 200  # the width of `last_error`
_inbox = update_inbox.c
_CLAIMED = (
    _inbox.update_id,
    _inbox.chat_key,
    _inbox.kind,
    _inbox.payload,
    _inbox.received_at,
    _inbox.attempts,
)


@dataclass(frozen=True)
class InboxUpdate:
    """An accepted update, as a worker gets it."""

    update_id: int
    chat_key: int
    kind: str
    payload: str  # the JSON body Telegram sent
    received_at: datetime  # aware UTC
    attempts: int


@dataclass(frozen=True)
class Incoming:
    """An update as the webhook received it, before it is stored."""

    update_id: int
    chat_key: int  # the chat (else the user) whose updates stay in order
    kind: str  # message, callback_query, ...
    payload: str  # the JSON body


@dataclass(frozen=True)
class ClaimRequest:
    """A worker's claim, to run inside another transaction (`accept_many`'s): lease up to
    `limit` chat-queue heads to `worker` until `until`, after marking `done` handled."""

    worker: str
    until: datetime
    limit: int
    done: Sequence[int] = ()


def _inbox_update(row: Any) -> InboxUpdate:
    return InboxUpdate(
        update_id=row.update_id,
        chat_key=row.chat_key,
        kind=row.kind,
        payload=row.payload,
        received_at=as_utc(row.received_at),
        attempts=row.attempts,
    )


def _mark_done(update_ids: Sequence[int], now: datetime, error: str | None = None) -> Update:
    return (
        update(update_inbox)
        .where(_inbox.update_id.in_(list(update_ids)))
        .values(
            done_at=as_utc(now),
            payload="",  # message texts are not kept once handled
            chat_key=0,  # nor whose they were: only the update_id is needed, to catch retries
            claimed_by=None,
            claimed_until=None,
            last_error=error[:ERROR_MAX] if error else None,
        )
    )


def _claimable(now: datetime, table: FromClause = update_inbox) -> ColumnElement[bool]:
    """Not leased to a live worker, and not waiting for a retry."""
    return or_(table.c.claimed_until.is_(None), table.c.claimed_until <= now)


class UpdateInbox:
    def __init__(self, db: Connections) -> None:
        self._db = db
        dialect = db.dialect
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    async def accept(
        self, update_id: int, chat_key: int, kind: str, payload: str, now: datetime
    ) -> bool:
        """Store an update once; False if this update_id was accepted before (a retry)."""
        new = await self.accept_many([Incoming(update_id, chat_key, kind, payload)], now)
        return update_id in new

    async def accept_many(self, updates: Sequence[Incoming], now: datetime) -> set[int]:
        """Store several updates in one transaction (one commit); returns the update_ids that
        were new. Ids already stored, or repeated within `updates`, are left as they are."""
        new, _ = await self.accept_and_claim(updates, now, None)
        return new

    async def accept_and_claim(
        self, updates: Sequence[Incoming], now: datetime, claim: ClaimRequest | None
    ) -> tuple[set[int], list[InboxUpdate]]:
        """`accept_many`, then `claim` (if given) in the same transaction: one commit stores
        the updates and leases the worker its next ones, often the very updates just stored."""
        if not updates:
            if claim is None:
                return set(), []
            async with self._db.begin() as conn:
                return set(), await _claim_in(
                    conn, claim.worker, now, claim.until, claim.limit, claim.done
                )
        received_at = as_utc(now)
        rows = [
            {
                "update_id": item.update_id,
                "chat_key": item.chat_key,
                "kind": item.kind[:32],
                "payload": item.payload,
                "received_at": received_at,
                "attempts": 0,
            }
            for item in {item.update_id: item for item in reversed(updates)}.values()
        ]
        statement = (
            self._insert(update_inbox)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(_inbox.update_id)
        )
        async with self._db.begin() as conn:
            new = set((await conn.scalars(statement)).all())
            if claim is None:
                return new, []
            claimed = await _claim_in(conn, claim.worker, now, claim.until, claim.limit, claim.done)
        return new, claimed

    async def claim(
        self, worker: str, now: datetime, until: datetime, limit: int, done: Sequence[int] = ()
    ) -> list[InboxUpdate]:
        """Lease up to `limit` chat-queue heads to `worker` until `until`, oldest first.

        `done`: updates this worker has handled since its last claim, marked done in the same
        transaction (one commit instead of one per update); their chats' next updates are then
        claimable at once.
        """
        async with self._db.begin() as conn:
            return await _claim_in(conn, worker, now, until, limit, done)

    async def renew(self, worker: str, update_ids: Sequence[int], until: datetime) -> None:
        """Extend `worker`'s leases on updates it is still handling."""
        if not update_ids:
            return
        async with self._db.begin() as conn:
            await conn.execute(
                update(update_inbox)
                .where(
                    _inbox.update_id.in_(list(update_ids)),
                    _inbox.claimed_by == worker[:64],
                    _inbox.done_at.is_(None),
                )
                .values(claimed_until=as_utc(until))
            )

    async def mark_done(
        self, update_ids: Sequence[int], now: datetime, error: str | None = None
    ) -> None:
        """Handled (or given up on, with `error`): the payload goes, the update_id stays."""
        if not update_ids:
            return
        async with self._db.begin() as conn:
            await conn.execute(_mark_done(update_ids, now, error))

    async def retry_later(self, update_id: int, error: str, at: datetime) -> None:
        """Count a failed attempt; the update (and so its chat's queue) waits until `at`."""
        async with self._db.begin() as conn:
            await conn.execute(
                update(update_inbox)
                .where(_inbox.update_id == update_id, _inbox.done_at.is_(None))
                .values(
                    attempts=_inbox.attempts + 1,
                    claimed_by=None,
                    claimed_until=as_utc(at),
                    last_error=error[:ERROR_MAX],
                )
            )

    async def release(self, worker: str | None = None) -> int:
        """Give back `worker`'s leases (None: every lease, for a single process starting up)."""
        condition = (
            _inbox.claimed_by.is_not(None) if worker is None else (_inbox.claimed_by == worker[:64])
        )
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(update_inbox)
                .where(condition, _inbox.done_at.is_(None))
                .values(claimed_by=None, claimed_until=None)
            )
        return result.rowcount or 0

    async def forget_chat(self, chat_id: int) -> int:
        """/forget: handled updates of the chat keep no trace of it (their update_ids stay, to
        catch Telegram's retries); updates still waiting are handled as usual. Returns how many
        rows changed."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(update_inbox)
                .where(_inbox.chat_key == chat_id, _inbox.done_at.is_not(None))
                .values(chat_key=0, payload="")
            )
        return result.rowcount or 0

    async def waiting_for_chat(self, chat_id: int) -> list[InboxUpdate]:
        """The chat's updates accepted and not yet handled, oldest first (for /export)."""
        query = (
            select(*_CLAIMED)
            .where(_inbox.chat_key == chat_id, _inbox.done_at.is_(None))
            .order_by(_inbox.update_id)
        )
        async with self._db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_inbox_update(row) for row in rows]

    async def depth(self) -> int:
        """Updates accepted and not yet handled."""
        async with self._db.connect() as conn:
            count = await conn.scalar(
                select(func.count()).select_from(update_inbox).where(_inbox.done_at.is_(None))
            )
        return int(count or 0)

    async def purge(self, done_before: datetime) -> int:
        """Delete handled updates older than `done_before`; returns how many went.

        Telegram keeps an undelivered update for at most 24 hours, so a day of handled
        update_ids still catches every retry.
        """
        async with self._db.begin() as conn:
            result = await conn.execute(
                delete(update_inbox).where(
                    _inbox.done_at.is_not(None), _inbox.done_at < as_utc(done_before)
                )
            )
        return result.rowcount or 0

    async def status(self, update_id: int) -> tuple[bool, int] | None:
        """(done, attempts) of one update, or None if it was never accepted (or purged)."""
        async with self._db.connect() as conn:
            row = (
                await conn.execute(
                    select(_inbox.done_at, _inbox.attempts).where(_inbox.update_id == update_id)
                )
            ).first()
        return None if row is None else (row.done_at is not None, row.attempts)


async def _claim_in(
    conn: AsyncConnection,
    worker: str,
    now: datetime,
    until: datetime,
    limit: int,
    done: Sequence[int],
) -> list[InboxUpdate]:
    """UpdateInbox.claim's statements, in the caller's transaction."""
    now, until = as_utc(now), as_utc(until)
    head, earlier = update_inbox.alias("head"), update_inbox.alias("earlier")
    # A correlated scalar subquery, not NOT EXISTS, and the heads read before the UPDATE
    # rather than nested in it: either way PostgreSQL planned a quadratic loop while the
    # table's statistics were stale (a burst into a fresh table: ~1 s a claim, not ~10 ms).
    first_of_chat = (  # ORDER BY ... LIMIT 1: one index probe (min() read the whole chat)
        select(earlier.c.update_id)
        .where(earlier.c.chat_key == head.c.chat_key, earlier.c.done_at.is_(None))
        .order_by(earlier.c.update_id)
        .limit(1)
        .scalar_subquery()
    )
    heads = (
        select(head.c.update_id)
        .where(
            head.c.done_at.is_(None),
            _claimable(now, head),
            head.c.update_id == first_of_chat,
        )
        .order_by(head.c.update_id)
        .limit(limit)
    )
    if done:
        await conn.execute(_mark_done(done, now))
    ids = list((await conn.scalars(heads)).all()) if limit > 0 else []
    # The conditional UPDATE is what makes the claim exclusive: a head another worker
    # leased since the SELECT no longer matches, and is simply not returned.
    rows: Sequence[Row[Any]] = []
    if ids:
        lease = (
            update(update_inbox)
            .where(_inbox.update_id.in_(ids), _inbox.done_at.is_(None), _claimable(now))
            .values(claimed_by=worker[:64], claimed_until=until)
            .returning(*_CLAIMED)
        )
        rows = (await conn.execute(lease)).all()
    return sorted((_inbox_update(row) for row in rows), key=lambda item: item.update_id)
