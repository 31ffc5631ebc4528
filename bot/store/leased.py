"""A table of rows to send once: claim with a lease, then record sent, skipped, failed or retry.

Shared by the milestone notes (`deliveries`) and the check-ins (`check_ins`): both tables have
`id`, `status`, `attempts`, `not_before`, `claimed_until`, `sent_at` and `last_error`. `claim`
lets several dispatchers (processes) share one database without sending a row twice: a
conditional UPDATE sets a lease in `claimed_until`, and only the dispatcher whose UPDATE changed
the row sends it. `not_before` is a retry's back-off (a 429, a transient failure), kept apart
from the lease so that `release_claims` can take back a dead leader's claims without erasing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Table, and_, or_, select, update

from bot.store.connections import Connections
from bot.store.utc import as_utc

# A row's life: pending until sent, skipped (e.g. its subscription paused) or failed for good.
PENDING, SENT, SKIPPED, FAILED = "pending", "sent", "skipped", "failed"
ERROR_MAX = 200  # the width of `last_error`


class LeasedRows:
    def __init__(self, db: Connections, table: Table) -> None:
        self._db = db
        self._table = table

    def _ready(self, now: datetime) -> ColumnElement[bool]:
        """Neither claimed by a dispatcher nor backing off at `now`."""
        not_before, claimed_until = self._table.c.not_before, self._table.c.claimed_until
        return and_(
            or_(not_before.is_(None), not_before <= now),
            or_(claimed_until.is_(None), claimed_until <= now),
        )

    async def claim(self, ids: Sequence[int], now: datetime, until: datetime) -> set[int]:
        """Lease pending rows to this dispatcher until `until`; returns the ids it got."""
        if not ids:
            return set()
        now, until = as_utc(now), as_utc(until)
        table = self._table
        # One conditional UPDATE for the batch: only rows still pending and unclaimed change,
        # and RETURNING names exactly those (SQLite 3.35+ and PostgreSQL both support it).
        # `status || ''` rather than `status`: with a plain `status = 'pending'` SQLite's planner
        # walks the (status, due_at) index over every pending row (30 ms for 100 ids at 20 000
        # pending, growing with the backlog) instead of looking the ids up by primary key.
        pending = (table.c.status + "") == PENDING
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(table)
                .where(table.c.id.in_(list(ids)), pending, self._ready(now))
                .values(claimed_until=until)
                .returning(table.c.id)
            )
            return {row.id for row in result}

    async def release_claims(self, now: datetime) -> int:
        """Take back every claim, whoever holds it; back-offs stay. Returns how many.

        Only for a dispatcher that alone may send (the elected leader, or the sole process on
        its database), before its first round: the claims it finds are those of a predecessor
        that stopped sending (see `bot.reminders.leader` for why it has). Only rows due by `now`
        can be claimed, so only the `(status, due_at)` index's backlog range is read, and
        nothing is written (no commit) when no row is claimed.
        """
        table = self._table
        claimed = and_(
            table.c.status == PENDING,
            table.c.due_at <= as_utc(now),
            table.c.claimed_until.is_not(None),
        )
        async with self._db.connect() as conn:
            if (await conn.execute(select(table.c.id).where(claimed).limit(1))).first() is None:
                return 0
        async with self._db.begin() as conn:
            result = await conn.execute(update(table).where(claimed).values(claimed_until=None))
        return result.rowcount or 0

    async def release(self, ids: Sequence[int], not_before: datetime | None = None) -> None:
        """Give claimed rows back, untouched, to be picked again from `not_before` on (None:
        at once, unless a back-off they had still runs)."""
        if not_before is None:
            await self._update(ids, PENDING)
        else:
            await self._update(ids, PENDING, not_before=as_utc(not_before))

    async def mark_sent(self, ids: Sequence[int], now: datetime) -> None:
        await self._update(ids, SENT, sent_at=as_utc(now), not_before=None)

    async def mark_skipped(self, ids: Sequence[int], reason: str) -> None:
        await self._update(ids, SKIPPED, last_error=reason[:ERROR_MAX], not_before=None)

    async def mark_failed(self, ids: Sequence[int], error: str) -> None:
        """Give up on rows for good (after retries, or an error no retry can fix)."""
        await self._update(
            ids,
            FAILED,
            attempts=self._table.c.attempts + 1,
            last_error=error[:ERROR_MAX],
            not_before=None,
        )

    async def retry_later(self, ids: Sequence[int], error: str, at: datetime) -> None:
        """Count a failed attempt and keep the rows pending until `at`."""
        await self._update(
            ids,
            PENDING,
            attempts=self._table.c.attempts + 1,
            last_error=error[:ERROR_MAX],
            not_before=as_utc(at),
        )

    async def _update(self, ids: Sequence[int], status: str, **values: object) -> None:
        if not ids:
            return
        async with self._db.begin() as conn:
            await conn.execute(
                update(self._table)
                .where(self._table.c.id.in_(list(ids)))
                .values(status=status, claimed_until=None, **values)
            )
