"""The store fixtures both the store and the dispatcher tests use: every test runs twice, on an
SQLite file and on a fresh PostgreSQL database (see `backends.py`), migrated by `open_store` as in
production. Import them into a conftest to use them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import Store, open_store
from tests.store.backends import BACKENDS, database_for


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_for(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = await open_store(database_url)
    yield opened
    await opened.close()
