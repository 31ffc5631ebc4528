"""Milestone reminders: subscriptions and their scheduled notes (the delivery log).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("baby_name", sa.String(64), nullable=True),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("gestational_weeks", sa.Integer, nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("delivery_hour", sa.Integer, nullable=False),
        sa.Column("locale", sa.String(16), nullable=True),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_subscriptions_chat", "subscriptions", ["chat_id"])
    op.create_table(
        "scheduled_notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "subscription_id",
            sa.Integer,
            sa.ForeignKey("subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("milestone_id", sa.String(32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.UniqueConstraint(
            "subscription_id", "milestone_id", name="uq_scheduled_notes_sub_milestone"
        ),
    )
    op.create_index("ix_scheduled_notes_status_due", "scheduled_notes", ["status", "due_at"])
    op.create_index("ix_scheduled_notes_chat", "scheduled_notes", ["chat_id"])


def downgrade() -> None:
    op.drop_table("scheduled_notes")
    op.drop_table("subscriptions")
