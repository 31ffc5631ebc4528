"""Caregivers share one baby (issue 12): a `babies` table, each family subscription names its
baby and its chat's role, and single-use invite links.

Every existing family subscription becomes a baby with one caregiver, its creator; its notes
(pending ones included) stay exactly as they were, so nothing is lost or sent twice.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_subscriptions = sa.table(
    "subscriptions",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("baby_name", sa.String),
    sa.column("birth_date", sa.Date),
    sa.column("gestational_weeks", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("baby_id", sa.Integer),
    sa.column("role", sa.String),
)


def upgrade() -> None:
    babies = op.create_table(
        "babies",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("baby_name", sa.String(64), nullable=True),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("gestational_weeks", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    _add_family_columns()
    op.create_table(
        "family_invites",
        sa.Column("token_hash", sa.String(64), primary_key=True, autoincrement=False),
        sa.Column(
            "baby_id",
            sa.Integer,
            sa.ForeignKey("babies.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_family_invites_baby", "family_invites", ["baby_id"])
    op.create_index("ix_family_invites_created_by", "family_invites", ["created_by"])

    conn = op.get_bind()
    family = conn.execute(
        sa.select(_subscriptions).where(_subscriptions.c.kind == "baby").order_by("id")
    ).all()
    for row in family:
        baby_id = conn.execute(
            babies.insert()
            .values(
                baby_name=row.baby_name,
                birth_date=row.birth_date,
                gestational_weeks=row.gestational_weeks,
                created_at=row.created_at or datetime.now(UTC),
            )
            .returning(babies.c.id)
        ).scalar_one()
        conn.execute(
            _subscriptions.update()
            .where(_subscriptions.c.id == row.id)
            .values(baby_id=baby_id, role="creator")
        )


def _add_family_columns() -> None:
    """Plain ADD COLUMNs, never a table rebuild: rebuilding `subscriptions` on SQLite drops the
    old table, and with foreign keys on that deletes every scheduled note (ON DELETE CASCADE)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE subscriptions ADD COLUMN baby_id INTEGER"
            " REFERENCES babies (id) ON DELETE CASCADE"
        )
    else:
        op.add_column("subscriptions", sa.Column("baby_id", sa.Integer, nullable=True))
        op.create_foreign_key(
            "fk_subscriptions_baby_id_babies",
            "subscriptions",
            "babies",
            ["baby_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.add_column("subscriptions", sa.Column("role", sa.String(16), nullable=True))
    op.add_column("subscriptions", sa.Column("first_name", sa.String(64), nullable=True))
    op.create_index("ix_subscriptions_baby", "subscriptions", ["baby_id"])


def downgrade() -> None:
    """Drops the invites and the babies; the three new columns of `subscriptions` stay on
    SQLite (dropping a foreign-key column there needs a table rebuild, which would delete the
    notes, see above), where the older code ignores them."""
    op.drop_table("family_invites")
    op.drop_index("ix_subscriptions_baby", "subscriptions")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_subscriptions_baby_id_babies", "subscriptions", type_="foreignkey")
        for column in ("first_name", "role", "baby_id"):
            op.drop_column("subscriptions", column)
        op.drop_table("babies")
