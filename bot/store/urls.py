"""Turn the DATABASE_URL an operator writes into the async driver URL SQLAlchemy needs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url

# Spellings hosting providers hand out (Heroku, Render, Fly write `postgres://`); SQLAlchemy 2
# knows only `postgresql`, so `postgres://` would otherwise be rejected as an unknown backend.
_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgres+asyncpg")


def async_database_url(url: str) -> URL:
    """`sqlite:///x.db` -> aiosqlite, `postgresql://` or `postgres://` -> asyncpg.

    Explicit drivers are kept (`postgresql+asyncpg://`, `sqlite+aiosqlite://`). libpq's
    `sslmode=` query option becomes asyncpg's `ssl=` (asyncpg would refuse `sslmode`).
    """
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_SCHEMES:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError("DATABASE_URL must be an sqlite:/// or postgresql:// URL")
    if parsed.drivername == "postgresql+asyncpg" and "sslmode" in parsed.query:
        sslmode = parsed.query["sslmode"]
        parsed = parsed.difference_update_query(["sslmode"]).update_query_dict({"ssl": sslmode})
    return parsed


def ensure_sqlite_directory(url: URL) -> None:
    """Create the folder of an SQLite file on first use (e.g. ./data/)."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
