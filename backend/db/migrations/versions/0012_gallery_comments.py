"""gallery comments: signed-in people comment on published designs

``gallery_comments`` hold one comment each (its author deletes it; the design's owner may hide it).

Revision ID: 0012_gallery_comments
Revises: 0011_o2o
Create Date: 2026-12-03 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_gallery_comments"
down_revision: str | None = "0011_o2o"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gallery_comments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("body", sa.String(length=1000), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["gallery_items.id"], name=op.f("fk_gallery_comments_item_id_gallery_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_gallery_comments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gallery_comments")),
    )
    with op.batch_alter_table("gallery_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gallery_comments_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gallery_comments_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gallery_comments_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gallery_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gallery_comments_created_at"))
        batch_op.drop_index(batch_op.f("ix_gallery_comments_user_id"))
        batch_op.drop_index(batch_op.f("ix_gallery_comments_item_id"))
    op.drop_table("gallery_comments")
