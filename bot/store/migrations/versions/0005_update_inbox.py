"""Webhook mode: the update inbox (durable accept, dedupe, ordered draining) and webhook state.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "update_inbox",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("chat_key", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
    )
    open_rows = {
        "postgresql_where": sa.text("done_at IS NULL"),
        "sqlite_where": sa.text("done_at IS NULL"),
    }
    op.create_index("ix_update_inbox_open", "update_inbox", ["update_id"], **open_rows)
    op.create_index(
        "ix_update_inbox_open_chat", "update_inbox", ["chat_key", "update_id"], **open_rows
    )
    op.create_index("ix_update_inbox_done_at", "update_inbox", ["done_at"])
    op.create_table(
        "webhook_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("webhook_state")
    op.drop_index("ix_update_inbox_done_at", table_name="update_inbox")
    op.drop_index("ix_update_inbox_open_chat", table_name="update_inbox")
    op.drop_index("ix_update_inbox_open", table_name="update_inbox")
    op.drop_table("update_inbox")
