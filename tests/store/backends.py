"""The two database backends the store's tests run on: an SQLite file, or a fresh PostgreSQL
database per test (created from the server's maintenance database, dropped afterwards), so no
test ever sees another's rows.

The server is `SLEEPSIGNS_TEST_POSTGRES` (default: postgres@127.0.0.1:5432, trust auth, as on
CI). Where it is unreachable the PostgreSQL tests skip with a one-line reason, unless
`SLEEPSIGNS_REQUIRE_POSTGRES=1` (set by `.ci/run`), which turns that skip into a failure.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

SERVER_ENV = "SLEEPSIGNS_TEST_POSTGRES"
REQUIRE_ENV = "SLEEPSIGNS_REQUIRE_POSTGRES"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
START_HINT = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"

SQLITE, POSTGRESQL = "sqlite", "postgresql"
BACKENDS = (SQLITE, POSTGRESQL)  # fixture params: test ids end in [sqlite] / [postgresql]

_unreachable: str | None = None  # why the server could not be reached, remembered per session


def server_url() -> str:
    return os.environ.get(SERVER_ENV) or DEFAULT_SERVER


def postgres_unavailable(reason: str) -> None:
    """Skip the current test, or fail it when PostgreSQL is required (CI)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(reason)


async def _admin() -> asyncpg.Connection:
    global _unreachable
    if _unreachable is None:
        try:
            return await asyncpg.connect(server_url(), timeout=3)
        except (OSError, TimeoutError, asyncpg.PostgresError) as error:
            where = make_url(server_url()).render_as_string(hide_password=True)
            first_line = (str(error).splitlines() or [type(error).__name__])[0]
            _unreachable = f"PostgreSQL not reachable at {where}: {first_line}"
    postgres_unavailable(_unreachable)
    raise AssertionError("unreachable")  # postgres_unavailable always raises


@contextlib.asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A new, empty database on the test server; yields its URL and drops it afterwards."""
    admin = await _admin()
    name = f"sleepsigns_test_{uuid.uuid4().hex[:16]}"
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield make_url(server_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with contextlib.suppress(asyncpg.PostgresError, OSError):
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@contextlib.asynccontextmanager
async def database_for(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A DATABASE_URL of `backend` that belongs to one test alone."""
    if backend == SQLITE:
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    async with fresh_postgres_database() as url:
        yield url
