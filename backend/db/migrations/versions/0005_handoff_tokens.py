"""handoff_tokens: one-time sign-in links from the store's screen to the customer's phone

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 05:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handoff_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("design_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_handoff_tokens_created_by_users")),
        sa.ForeignKeyConstraint(["design_id"], ["designs.id"], name=op.f("fk_handoff_tokens_design_id_designs"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_handoff_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_handoff_tokens")),
    )
    with op.batch_alter_table("handoff_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handoff_tokens_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handoff_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_tokens_user_id"))
    op.drop_table("handoff_tokens")
