"""store phones: a store's phone and an account's own (optional) phone, the real numbers the masked contact
relay forwards to (neither is ever shown to the other side of a booking)

Revision ID: 0017_store_phones
Revises: 0016_perf_indexes
Create Date: 2026-12-06 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_store_phones"
down_revision: str | None = "0016_perf_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# plain ADD/DROP COLUMN (SQLite 3.35+ has both): a batch copy of ``users`` would drop and recreate a table
# that many others reference, which SQLite's foreign keys refuse once there are rows


def upgrade() -> None:
    op.add_column("stores", sa.Column("phone", sa.String(length=20), nullable=False, server_default=""))
    op.add_column("users", sa.Column("phone", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "phone")
    op.drop_column("stores", "phone")
