"""Open the database, migrate it, and hand out the repositories (alone, or in one transaction)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.blocking import ChatBlocks
from bot.store.check_ins import CheckIns
from bot.store.connections import Connections
from bot.store.conversations import Conversations
from bot.store.deliveries import Deliveries
from bot.store.history import TriageHistory
from bot.store.inbox import UpdateInbox
from bot.store.languages import ChatLanguages
from bot.store.migrate import upgrade_to_head
from bot.store.subscriptions import Subscriptions
from bot.store.topics import ForumTopics
from bot.store.urls import async_database_url, ensure_sqlite_directory
from bot.store.video_charts import VideoCharts


class Repositories:
    """One repository per aggregate, all drawing their connections from the same place."""

    def __init__(self, db: Connections) -> None:
        self.history = TriageHistory(db)
        self.subscriptions = Subscriptions(db)
        self.blocks = ChatBlocks(db)  # a parent blocked (or unblocked) the bot
        self.deliveries = Deliveries(db)
        self.conversations = Conversations(db)
        self.inbox = UpdateInbox(db)  # webhook mode's update inbox
        self.check_ins = CheckIns(db)  # "check on us in 2 hours", sent by the dispatcher
        self.video_charts = VideoCharts(db)  # episode video charts a parent chose to keep
        self.topics = ForumTopics(db)  # a forum group's topic, or General after it went
        self.languages = ChatLanguages(db)  # the language a chat chose with /language


class Store(Repositories):
    """The repositories, each call its own transaction; `transaction()` for several at once."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(Connections(engine))
        self.engine = engine

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repositories]:
        """Repositories bound to one connection: everything done through them in the block
        commits once when it ends, or not at all if it raises. Use the ones it yields, not
        the store's own (those would commit on their own, outside the transaction)."""
        async with self.engine.begin() as connection:
            yield Repositories(Connections(self.engine, connection))

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
