"""Data migrations: what they change in rows written by an older version of the bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from bot.store import open_store
from bot.store.migrate import MIGRATIONS_DIR
from bot.store.schema import scheduled_notes
from bot.store.urls import async_database_url


def _upgrade_to(revision: str):  # type: ignore[no-untyped-def]
    def run(connection: Connection) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    return run


async def test_0009_gives_back_future_12_week_checks_that_an_early_smile_skipped(
    database_url: str,
) -> None:
    engine = create_async_engine(async_database_url(database_url))
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade_to("0008"))
        rows = [
            ("smile_check_12w", now + timedelta(days=20), "answered earlier"),  # given back
            ("smile_check_12w", now - timedelta(days=1), "answered earlier"),  # past: stays
            ("smile_check_12w", now + timedelta(days=30), "subscription paused"),  # other reason
        ]
        for sub, (milestone, due, error) in enumerate(rows, start=1):
            await conn.execute(
                text(
                    "INSERT INTO subscriptions (id, chat_id, birth_date, timezone, delivery_hour,"
                    " paused, created_at) VALUES (:id, 7, :birth, 'Europe/Berlin', 9, :no, :now)"
                ),
                {"id": sub, "birth": now.date() - timedelta(weeks=8), "no": False, "now": now},
            )
            await conn.execute(
                scheduled_notes.insert().values(
                    subscription_id=sub,
                    chat_id=7,
                    milestone_id=milestone,
                    due_at=due,
                    status="skipped",
                    last_error=error,
                )
            )
    await engine.dispose()
    store = await open_store(database_url)  # upgrades to head, as at start-up
    try:
        async with store.engine.connect() as conn:
            result = await conn.execute(
                select(scheduled_notes.c.status, scheduled_notes.c.last_error).order_by(
                    scheduled_notes.c.due_at
                )
            )
            assert [tuple(r) for r in result] == [
                ("skipped", "answered earlier"),
                ("pending", None),
                ("skipped", "subscription paused"),
            ]
    finally:
        await store.close()
