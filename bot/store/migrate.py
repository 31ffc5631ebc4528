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

Most starts find the schema already at head. That is checked first without Alembic: the head
is read from the migration files as text (their `revision` / `down_revision` lines) and
compared with `alembic_version`. Importing Alembic (and Mako) and loading every migration was
a third of a second of each start. Anything unusual (no single head, no version table, another
version) takes the full Alembic path, as before.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.locks import MIGRATIONS_KEY, lock_for_transaction

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.M)


def head_revision(versions: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The single head of the migration files, read as text; None if there is not exactly
    one (a merge in progress, an unreadable file): Alembic then decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        lines = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if not lines:
            continue  # __init__.py
        try:
            revision = ast.literal_eval(lines["revision"])
            down = ast.literal_eval(lines["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
        revisions.add(revision)
        parents.update(down if isinstance(down, tuple | list) else [down] if down else [])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def _at_head(engine: AsyncEngine) -> bool:
    head = head_revision()
    if head is None:
        return False
    try:
        async with engine.connect() as connection:
            versions = await connection.scalars(text("SELECT version_num FROM alembic_version"))
            return list(versions.all()) == [head]
    except Exception:  # no version table yet (a new database): migrate
        return False


def _upgrade(connection: Connection) -> None:
    from alembic import command  # only when there is something to do (see the docstring)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    # The connection is already in our transaction, so Alembic runs every migration inside it.
    command.upgrade(config, "head")


async def upgrade_to_head(engine: AsyncEngine) -> None:
    if await _at_head(engine):
        return
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await lock_for_transaction(connection, MIGRATIONS_KEY)
        await connection.run_sync(_upgrade)
