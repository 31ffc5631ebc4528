"""A dispatcher's claim gets its own column, apart from a retry's back-off.

`not_before` used to hold both: the lease of a claimed row and the time a row backing off
(after a 429 or a transient failure) may be tried again. A new leader takes back every claim of
the leader before it at once (`LeasedRows.release_claims`); with one column it could not do so
without also erasing the back-offs. Claims in flight during the upgrade are dropped (they were
leases of a dispatcher that the upgrade stopped).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("scheduled_notes", "check_ins")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("claimed_until")
