"""Start-up migrations on PostgreSQL: replicas starting together migrate once, under a lock."""

from __future__ import annotations

import asyncio

import asyncpg
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.store import open_store
from bot.store.locks import MIGRATIONS_KEY
from bot.store.migrate import MIGRATIONS_DIR
from tests.store.backends import fresh_postgres_database


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


async def test_replicas_starting_together_migrate_one_empty_database_once() -> None:
    # Without the lock this hangs or fails: every upgrade sees no alembic_version table and
    # creates it, and the others block on (then collide with) the first one's DDL.
    async with fresh_postgres_database() as url:
        stores = await asyncio.gather(*(open_store(url) for _ in range(6)))
        try:
            async with stores[0].engine.connect() as conn:
                versions = await conn.execute(text("SELECT version_num FROM alembic_version"))
                assert versions.scalars().all() == [head_revision()]
            assert all([await store.ping() for store in stores])
        finally:
            for store in stores:
                await store.close()


async def test_start_up_waits_while_another_replica_holds_the_migration_lock() -> None:
    async with fresh_postgres_database() as url:
        holder = await asyncpg.connect(url)
        try:
            await holder.execute("SELECT pg_advisory_lock($1)", MIGRATIONS_KEY)
            starting = asyncio.create_task(open_store(url))
            await asyncio.sleep(0.5)
            assert not starting.done()  # blocked on the lock, not migrating alongside
            await holder.execute("SELECT pg_advisory_unlock($1)", MIGRATIONS_KEY)
            store = await asyncio.wait_for(starting, 10)
        finally:
            await holder.close()
        await store.close()
