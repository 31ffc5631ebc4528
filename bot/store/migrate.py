"""Apply the versioned schema migrations (Alembic) at start-up, safely from several replicas.

On PostgreSQL every replica runs this at start-up, often at the same moment (a deployment
starts them together). Two concurrent upgrades would both see an empty `alembic_version` and
both try to create the same tables. So the upgrade runs inside one transaction that first
takes a transaction-level advisory lock: the first replica migrates and commits (which releases
the lock); the others wait, then find the schema at head and do nothing. PostgreSQL's DDL is
transactional, so a replica that dies mid-upgrade leaves neither half a schema nor the lock.

SQLite needs no lock: it is the single-process backend (one bot process per database file, on
that process's disk; several replicas require PostgreSQL), so there is nobody to race with, and
SQLite has no advisory locks to take anyway.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.locks import MIGRATIONS_KEY, lock_for_transaction

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    # The connection is already in our transaction, so Alembic runs every migration inside it.
    command.upgrade(config, "head")


async def upgrade_to_head(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await lock_for_transaction(connection, MIGRATIONS_KEY)
        await connection.run_sync(_upgrade)
