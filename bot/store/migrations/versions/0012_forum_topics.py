"""A birth-month group that uses topics gets its notes in the topic where /subscribe ran.

`message_thread_id` is that topic (None: General, or a group without topics). When Telegram
says the topic was deleted or closed, notes fall back to General: `fallback_thread_id` keeps
the topic that went and `fallback_told_at` when the group's admins were told, so they are told
once. A new /subscribe replaces the row, so all three start afresh.

Revision ID: 0012
Revises: 0010 (video charts; 0011, families, when that is merged; 0013 revises this one)
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("message_thread_id", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("fallback_thread_id", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("fallback_told_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("fallback_told_at")
        batch.drop_column("fallback_thread_id")
        batch.drop_column("message_thread_id")
