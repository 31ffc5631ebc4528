"""Table definitions (SQLAlchemy Core). Change them only together with a new migration."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

# One row per finished movement check, so a parent can look back (/history) or delete (/forget).
triage_results = Table(
    "triage_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("flow", String(32), nullable=False),
    Column("answers", String(64), nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("level", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_triage_results_chat_created", "chat_id", "created_at"),
)
