"""Turn the DATABASE_URL an operator writes into the async driver URL SQLAlchemy needs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url


def async_database_url(url: str) -> URL:
    """`sqlite:///x.db` -> aiosqlite, `postgresql://...` -> asyncpg; explicit drivers kept."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif backend not in ("sqlite", "postgresql"):
        raise ValueError("DATABASE_URL must be an sqlite:/// or postgresql:// URL")
    return parsed


def ensure_sqlite_directory(url: URL) -> None:
    """Create the folder of an SQLite file on first use (e.g. ./data/)."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
