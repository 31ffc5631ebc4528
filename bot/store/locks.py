"""PostgreSQL advisory locks: one start-up migration at a time, one reminder dispatcher.

An advisory lock is named by a 64-bit number of the application's choosing and lives in the
server, not in any row. All keys are fixed here, side by side, so they can never collide:

- `MIGRATIONS_KEY` is taken per transaction (`pg_advisory_xact_lock`) around the Alembic upgrade;
  it is released by the commit, or by the server if the process dies mid-migration.
- `DISPATCHER_KEY` is taken per session (`pg_try_advisory_lock`) by `SessionLock` and held on a
  dedicated connection for as long as a replica leads reminder dispatch. The server releases it
  the moment that connection's session ends, including when the process is killed.

Session locks need a real PostgreSQL session: point DATABASE_URL at the server or at a pooler in
session mode (PgBouncer's transaction mode would hand the lock to whichever client came next).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

MIGRATIONS_KEY = 0x51EE_951A_0001  # "sleepsigns", migrations
DISPATCHER_KEY = 0x51EE_951A_0002  # "sleepsigns", reminder dispatcher leader
WEBHOOK_KEY = 0x51EE_951A_0003  # "sleepsigns", setWebhook once per deployment

# Let the server notice a leader whose host vanished (no FIN, no RST) within about 11 s instead
# of the kernel's two-hour keepalive default: probe after 5 s idle, every 2 s, give up after 3.
_KEEPALIVES = (
    "SET tcp_keepalives_idle = 5",
    "SET tcp_keepalives_interval = 2",
    "SET tcp_keepalives_count = 3",
)


async def lock_for_transaction(connection: AsyncConnection, key: int) -> None:
    """Wait for the transaction-level advisory lock `key`; the transaction's end releases it."""
    await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


class SessionLock:
    """A session-level advisory lock held on its own pooled connection (autocommit).

    `try_acquire` never waits; `check` proves the session (and so the lock) is still alive;
    `release` unlocks and hands the connection back. After a failed check the connection is
    discarded: the server has ended, or will end, the session and with it the lock.
    """

    def __init__(self, engine: AsyncEngine, key: int, *, check_timeout: float = 3.0) -> None:
        self._engine = engine
        self._key = key
        self._check_timeout = check_timeout
        self._connection: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None

    async def try_acquire(self) -> bool:
        if self._connection is not None:
            return True
        connection = await self._engine.connect()
        try:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
            )
            if got:
                for statement in _KEEPALIVES:
                    await connection.exec_driver_sql(statement)
        except BaseException:
            await _discard(connection)
            raise
        if not got:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def check(self) -> bool:
        """True while the lock's session answers; False (and the lock let go) otherwise."""
        connection = self._connection
        if connection is None:
            return False
        try:
            await asyncio.wait_for(connection.exec_driver_sql("SELECT 1"), self._check_timeout)
        except Exception as error:
            log.warning("advisory lock %#x: its connection failed (%s)", self._key, error)
            self._connection = None
            await _discard(connection)
            return False
        return True

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
        except Exception as error:  # the session is gone, and the lock with it
            log.warning("advisory lock %#x: unlock failed (%s)", self._key, error)
            await _discard(connection)
            return
        await connection.close()


async def _discard(connection: AsyncConnection) -> None:
    """Drop a connection that may be broken, rather than return it to the pool."""
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()
