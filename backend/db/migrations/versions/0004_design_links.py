"""design_links: revocable read-only links to a design

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 05:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "design_links",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("design_id", sa.String(length=32), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_design_links_created_by_users")),
        sa.ForeignKeyConstraint(["design_id"], ["designs.id"], name=op.f("fk_design_links_design_id_designs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_design_links")),
        sa.UniqueConstraint("token", name=op.f("uq_design_links_token")),
    )
    with op.batch_alter_table("design_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_design_links_design_id"), ["design_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("design_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_design_links_design_id"))
    op.drop_table("design_links")
