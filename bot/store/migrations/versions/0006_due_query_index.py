"""Index the due query's whole sort order, so a burst due at one instant is not re-sorted.

At a delivery hour everyone in a time zone shares one due instant. With an index on
(status, due_at) alone, the database read and sorted that whole burst to return a batch of 100
(measured in bench/due_query.py: 230 rows read for 100 at 1M subscriptions); covering
(status, due_at, chat_id, milestone_id) lets it read exactly the batch.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_scheduled_notes_due_order",
        "scheduled_notes",
        ["status", "due_at", "chat_id", "milestone_id"],
    )
    op.drop_index("ix_scheduled_notes_status_due", table_name="scheduled_notes")


def downgrade() -> None:
    op.create_index("ix_scheduled_notes_status_due", "scheduled_notes", ["status", "due_at"])
    op.drop_index("ix_scheduled_notes_due_order", table_name="scheduled_notes")
