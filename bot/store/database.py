"""Open the database, migrate it, and hand out the repositories."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.check_ins import CheckIns
from bot.store.conversations import Conversations
from bot.store.deliveries import Deliveries
from bot.store.history import TriageHistory
from bot.store.inbox import UpdateInbox
from bot.store.migrate import upgrade_to_head
from bot.store.subscriptions import Subscriptions
from bot.store.urls import async_database_url, ensure_sqlite_directory
from bot.store.video_charts import VideoCharts


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.history = TriageHistory(engine)
        self.subscriptions = Subscriptions(engine)
        self.deliveries = Deliveries(engine)
        self.conversations = Conversations(engine)
        self.inbox = UpdateInbox(engine)  # webhook mode's update inbox
        self.check_ins = CheckIns(engine)  # "check on us in 2 hours", sent by the dispatcher
        self.video_charts = VideoCharts(engine)  # episode video charts a parent chose to keep

    async def forget_chat(self, chat_id: int) -> int:
        """Delete everything stored about one chat; returns how many rows went."""
        return (
            await self.history.forget(chat_id)
            + await self.subscriptions.forget(chat_id)
            + await self.conversations.clear(chat_id)
            + await self.check_ins.forget(chat_id)
            + await self.inbox.forget_chat(chat_id)
            + await self.video_charts.forget(chat_id)
        )

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: everything stored follows the new chat id."""
        await self.subscriptions.move_chat(old_chat_id, new_chat_id)
        await self.conversations.move_chat(old_chat_id, new_chat_id)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("SELECT 1")
        except Exception:
            return False
        return True

    async def close(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets the reminder dispatcher read while a handler writes; wait instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


async def open_store(database_url: str) -> Store:
    url = async_database_url(database_url)
    ensure_sqlite_directory(url)
    # hide_parameters: a failing statement's error must not carry a baby's name or birth date.
    engine = create_async_engine(
        url, pool_pre_ping=url.get_backend_name() == "postgresql", hide_parameters=True
    )
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    await upgrade_to_head(engine)
    return Store(engine)
