"""factory_profiles: production profiles the factory edits (line, stock, remnants, tool, DXF layers)

Revision ID: 0010_factory_profiles
Revises: 0008_files
Create Date: 2026-12-03 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_factory_profiles"
down_revision: str | None = "0008_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "factory_profiles",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_factory_profiles_updated_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_factory_profiles")),
    )


def downgrade() -> None:
    op.drop_table("factory_profiles")
