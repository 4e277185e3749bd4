"""portfolios: a published design's customer consents (or not) to its designers' portfolios; points buy
catalog accessories with an order

``gallery_items.portfolio_consent``: the customer who published the design lets the designers who worked on
it show it in their public portfolio; set when publishing or later, and revocable. Rows published before
stay out of every portfolio (false). ``accessory_redemptions``: points buying a catalog accessory with an
order at checkout, one per order and accessory.

Revision ID: 0014_portfolios
Revises: 0013_message_keys
Create Date: 2026-12-06 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_portfolios"
down_revision: str | None = "0013_message_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("portfolio_consent", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        "accessory_redemptions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("cents", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_accessory_redemptions_quantity_positive")),
        sa.CheckConstraint("points > 0", name=op.f("ck_accessory_redemptions_points_positive")),
        sa.CheckConstraint("cents > 0", name=op.f("ck_accessory_redemptions_cents_positive")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_accessory_redemptions_order_id_orders"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_accessory_redemptions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accessory_redemptions")),
        sa.UniqueConstraint("order_id", "code", name="uq_accessory_redemptions_order_code"),
    )
    with op.batch_alter_table("accessory_redemptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accessory_redemptions_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accessory_redemptions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("accessory_redemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accessory_redemptions_user_id"))
        batch_op.drop_index(batch_op.f("ix_accessory_redemptions_order_id"))
    op.drop_table("accessory_redemptions")
    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.drop_column("portfolio_consent")
