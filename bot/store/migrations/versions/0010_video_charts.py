"""Episode video charts kept with a chat's history ("Keep with the history", issue 14).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video_charts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("level", sa.String(16), nullable=True),
        sa.Column("findings", sa.String(200), nullable=False),
        sa.Column("numbers", sa.Text, nullable=False),
        sa.Column("chart_png", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_video_charts_chat", "video_charts", ["chat_id", "created_at"])


def downgrade() -> None:
    op.drop_table("video_charts")
