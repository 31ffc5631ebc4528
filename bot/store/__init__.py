"""The database: schema, versioned migrations, and one repository per aggregate.

SQLAlchemy Core with its async engine serves SQLite (aiosqlite, the embedded default) and
PostgreSQL (asyncpg, for scale-out) from one set of queries; Alembic applies the migrations.
"""

from bot.store.database import Store, open_store

__all__ = ["Store", "open_store"]
