"""points ledger and redemptions (o2o: points and membership)

``points_accounts`` holds each member's running balance (CHECK balance >= 0, debited by a conditional
UPDATE), ``points_entries`` is the ledger (one row per change, unique per event), ``point_redemptions``
the points paying for an order (one per order).

Revision ID: 0011_o2o
Revises: 0006
Create Date: 2026-12-03 11:27:24.369751
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_o2o"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "points_accounts",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("balance", sa.Integer(), nullable=False),
        sa.Column("earned", sa.Integer(), nullable=False),
        sa.Column("referral_code", sa.String(length=16), nullable=False),
        sa.Column("referred_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("balance >= 0", name=op.f("ck_points_accounts_balance_not_negative")),
        sa.CheckConstraint("earned >= 0", name=op.f("ck_points_accounts_earned_not_negative")),
        sa.ForeignKeyConstraint(["referred_by"], ["users.id"], name=op.f("fk_points_accounts_referred_by_users")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_points_accounts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_points_accounts")),
        sa.UniqueConstraint("referral_code", name=op.f("uq_points_accounts_referral_code")),
    )
    op.create_table(
        "points_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("balance_after", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('design_published', 'rating_given', 'rating_received', 'order_completed', 'referral', 'redemption', 'redemption_refund', 'compensation')",  # noqa: E501
            name=op.f("ck_points_entries_reason_known"),
        ),
        sa.CheckConstraint("balance_after >= 0", name=op.f("ck_points_entries_balance_after_not_negative")),
        sa.CheckConstraint("delta <> 0", name=op.f("ck_points_entries_delta_not_zero")),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_points_entries_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_points_entries_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_entries")),
        sa.UniqueConstraint("user_id", "reason", "reference", name="uq_points_entries_event"),
    )
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_points_entries_user_id"), ["user_id"], unique=False)

    op.create_table(
        "point_redemptions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("cents", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("cents > 0", name=op.f("ck_point_redemptions_cents_positive")),
        sa.CheckConstraint("points > 0", name=op.f("ck_point_redemptions_points_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_point_redemptions_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_point_redemptions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_point_redemptions")),
        sa.UniqueConstraint("order_id", name=op.f("uq_point_redemptions_order_id")),
    )
    with op.batch_alter_table("point_redemptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_point_redemptions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("point_redemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_point_redemptions_user_id"))

    op.drop_table("point_redemptions")
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_entries_user_id"))

    op.drop_table("points_entries")
    op.drop_table("points_accounts")
