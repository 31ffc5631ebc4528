"""Give back the 12-week smile check to parents whose "Yes, smiling!" at 6-8 weeks skipped it.

A reflex smile can pass for a social one, so the 12-week check now stays whatever a parent
answered earlier (the rules no longer skip it). Notes already marked skipped for that reason,
and still in the future, become pending again; past ones stay as they are.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_notes = sa.table(
    "scheduled_notes",
    sa.column("milestone_id", sa.String),
    sa.column("status", sa.String),
    sa.column("last_error", sa.String),
    sa.column("due_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.execute(
        _notes.update()
        .where(
            _notes.c.milestone_id == "smile_check_12w",
            _notes.c.status == "skipped",
            _notes.c.last_error == "answered earlier",
            _notes.c.due_at > datetime.now(UTC),
        )
        .values(status="pending", last_error=None)
    )


def downgrade() -> None:
    """Nothing to undo: a pending note is what the rules now ask for."""
