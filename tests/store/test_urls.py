"""DATABASE_URL as operators write it, turned into the async driver URL."""

from __future__ import annotations

import pytest

from bot.store.urls import async_database_url


@pytest.mark.parametrize(
    ("written", "used"),
    [
        ("sqlite:///data/bot.db", "sqlite+aiosqlite:///data/bot.db"),
        ("sqlite+aiosqlite:///bot.db", "sqlite+aiosqlite:///bot.db"),
        ("postgresql://bot:pw@db:5432/bot", "postgresql+asyncpg://bot:pw@db:5432/bot"),
        ("postgres://bot:pw@db/bot", "postgresql+asyncpg://bot:pw@db/bot"),  # Heroku style
        ("postgresql+asyncpg://db/bot", "postgresql+asyncpg://db/bot"),
        ("postgres://db/bot?sslmode=require", "postgresql+asyncpg://db/bot?ssl=require"),
    ],
)
def test_urls_select_the_async_driver(written: str, used: str) -> None:
    assert async_database_url(written).render_as_string(hide_password=False) == used


def test_other_databases_are_refused_in_one_sentence() -> None:
    with pytest.raises(ValueError, match="sqlite:/// or postgresql://"):
        async_database_url("mysql://db/bot")
