"""Where a repository gets its database connection: its own transaction, or a shared one.

Outside `Store.transaction()` every repository call is its own transaction (`begin`: commit at
the end of the call) or a plain read (`connect`: nothing to commit). Inside it, the repositories
of the transaction share its one connection: their calls neither begin nor commit, and the whole
block commits once at its end, or rolls back entirely if anything in it raises.

A call that recovers from a database error (`CheckIns.schedule` catching a unique-index clash)
belongs outside a shared transaction: on PostgreSQL the error aborts the whole transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


class Connections:
    def __init__(self, engine: AsyncEngine, shared: AsyncConnection | None = None) -> None:
        self.engine = engine
        self._shared = shared  # the connection of an open `Store.transaction()`, if any

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A connection to write with: committed when the block ends, unless it is shared (then
        the transaction that shares it commits)."""
        if self._shared is not None:
            yield self._shared
            return
        async with self.engine.begin() as connection:
            yield connection

    @contextlib.asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A connection to read with (inside a transaction: its own, so reads see its writes)."""
        if self._shared is not None:
            yield self._shared
            return
        async with self.engine.connect() as connection:
            yield connection
