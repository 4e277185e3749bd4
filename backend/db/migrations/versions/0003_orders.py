"""orders: number, quote, delivery, idempotency key, package; status events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("quote", JSON, nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("delivery", JSON, nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("submitted_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("package_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_orders_number"), ["number"])
        batch_op.create_unique_constraint("uq_orders_idempotency", ["owner_id", "idempotency_key"])
        batch_op.create_foreign_key(batch_op.f("fk_orders_submitted_by_users"), "users", ["submitted_by"], ["id"])
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("quote", server_default=None)
        batch_op.alter_column("delivery", server_default=None)
    op.create_table(
        "order_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("previous_status", sa.String(length=20), nullable=True),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_order_events_actor_id_users")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_events_order_id_orders"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_events")),
    )
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_events_order_id"), ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_events_order_id"))
    op.drop_table("order_events")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_orders_submitted_by_users"), type_="foreignkey")
        batch_op.drop_constraint("uq_orders_idempotency", type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_orders_number"), type_="unique")
        for column in ("package_key", "submitted_by", "idempotency_key", "delivery", "quote", "number"):
            batch_op.drop_column(column)
