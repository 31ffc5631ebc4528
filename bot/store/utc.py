"""Instants in and out of the database: every stored datetime is UTC.

SQLite hands datetimes back naive (it keeps no zone), PostgreSQL hands them back aware; every
repository passes what it writes and what it reads through `as_utc`, so the rest of the bot only
ever sees aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime: a naive one (SQLite's) is read as UTC, an aware one converted."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
