"""design_revisions.history: the editor's undo and redo stacks as of each revision

A revision made by an editor command keeps the stacks of inverse (undo) and forward (redo) commands
that lead away from it, so undo and redo go on where they were after a reload. Revisions saved any
other way (a new plan, a rename, a measurement, a restore) start with empty stacks (NULL).

Revision ID: 0009_journey
Revises: 0010_factory_profiles
Create Date: 2026-12-03 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009_journey"
down_revision: str | None = "0010_factory_profiles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("design_revisions") as batch:
        json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
        batch.add_column(sa.Column("history", json, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("design_revisions") as batch:
        batch.drop_column("history")
