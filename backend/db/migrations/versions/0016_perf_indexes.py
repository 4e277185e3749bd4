"""perf indexes: a resource's bookings by the end of their blocked time

The free times of a designer or team read the blocked ranges of their open bookings that end after the
asked range begins (``booking_resources.availability``). ``ix_bookings_resource_start`` finds only all
of the resource's bookings, past ones included, and the rest was filtered row by row: a long-booked
designer's every slot request read their whole history. ``(resource_id, blocked_end)`` reads only the
bookings that end after the range starts.

Revision ID: 0016_perf_indexes
Revises: 0015_renders
Create Date: 2026-12-06 21:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_perf_indexes"
down_revision: str | None = "0015_renders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_bookings_resource_blocked_end", "bookings", ["resource_id", "blocked_end"])


def downgrade() -> None:
    op.drop_index("ix_bookings_resource_blocked_end", table_name="bookings")
