"""Start-up migrations on PostgreSQL: replicas starting together migrate once, under a lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.store import migrate, open_store
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


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert migrate.head_revision() == head_revision()


def test_no_single_head_leaves_the_decision_to_alembic(tmp_path: Path) -> None:
    def migration(name: str, revision: str, down: str) -> None:
        (tmp_path / name).write_text(f'revision = "{revision}"\ndown_revision = {down}\n')

    migration("0001_a.py", "0001", "None")
    migration("0002_b.py", "0002", '"0001"')
    assert migrate.head_revision(tmp_path) == "0002"
    migration("0003_c.py", "0003", '"0001"')  # a second branch: two heads
    assert migrate.head_revision(tmp_path) is None
    migration("0004_merge.py", "0004", '("0002", "0003")')
    assert migrate.head_revision(tmp_path) == "0004"


async def test_a_database_at_head_starts_without_alembic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'at_head.db'}"
    await (await open_store(url)).close()  # a new database: migrated by Alembic
    upgrades: list[object] = []
    monkeypatch.setattr(migrate, "_upgrade", upgrades.append)
    await (await open_store(url)).close()
    assert upgrades == []
