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
from bot.store.schema import babies, scheduled_notes, subscriptions
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


async def test_0011_makes_each_baby_subscription_a_baby_with_its_creator_keeping_its_notes(
    database_url: str,
) -> None:
    engine = create_async_engine(async_database_url(database_url))
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade_to("0010"))
        for sub, (chat, kind, name) in enumerate(
            [(7, "baby", "Mia"), (7, "baby", None), (-100, "cohort", None)], start=1
        ):
            await conn.execute(
                text(
                    "INSERT INTO subscriptions (id, chat_id, baby_name, birth_date, timezone,"
                    " delivery_hour, paused, created_at, kind) VALUES (:id, :chat, :name, :birth,"
                    " 'Europe/Berlin', 9, :no, :now, :kind)"
                ),
                {
                    "id": sub,
                    "chat": chat,
                    "name": name,
                    "birth": now.date() - timedelta(weeks=8),
                    "no": False,
                    "now": now,
                    "kind": kind,
                },
            )
            for status in ("sent", "pending"):
                await conn.execute(
                    scheduled_notes.insert().values(
                        subscription_id=sub,
                        chat_id=chat,
                        milestone_id=f"m_{status}",
                        due_at=now + timedelta(days=1 if status == "pending" else -1),
                        status=status,
                    )
                )
    await engine.dispose()
    store = await open_store(database_url)
    try:
        async with store.engine.connect() as conn:
            notes = (await conn.execute(select(scheduled_notes.c.status))).scalars().all()
            assert sorted(notes) == ["pending"] * 3 + ["sent"] * 3
            rows = (
                await conn.execute(
                    select(
                        subscriptions.c.id, subscriptions.c.baby_id, subscriptions.c.role
                    ).order_by(subscriptions.c.id)
                )
            ).all()
            named = (await conn.execute(select(babies.c.id, babies.c.baby_name))).all()
        assert [(r.role, r.baby_id is not None) for r in rows] == [
            ("creator", True),
            ("creator", True),
            (None, False),  # a group's birth month is not a family's baby
        ]
        assert {row.baby_name for row in named} == {"Mia", None} and len(named) == 2
        assert len({r.baby_id for r in rows[:2]}) == 2
        [sub] = [s for s in await store.subscriptions.list_for_chat(7) if s.baby_name == "Mia"]
        assert [n.milestone_id for n in sub.upcoming] == ["m_pending"]
    finally:
        await store.close()
