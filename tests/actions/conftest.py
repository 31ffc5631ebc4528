"""Action fixtures: a real store, on SQLite and on a fresh PostgreSQL database."""

from tests.store.fixtures import database_url, store

__all__ = ["database_url", "store"]  # shared fixtures, re-exported for pytest
