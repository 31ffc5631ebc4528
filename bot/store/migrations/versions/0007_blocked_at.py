"""A parent who blocks the bot keeps their reminders, paused until they unblock it.

`blocked_at` is separate from `paused` (the parent's own choice in /reminders), so unblocking
resumes only what blocking paused, and says what was missed since that moment.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("blocked_at")
