"""store_claims, design-scoped sessions, users.password_set: a store no longer signs customers in

A design a store starts for an existing account waits in ``store_claims`` until the customer confirms
with a one-time code; a hand-off link opens a session limited to one design (``sessions.design_id``);
``users.password_set`` is false for accounts a store created until their owner chooses a password.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 06:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "store_claims",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("design_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sends", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_store_claims_created_by_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["users.id"], name=op.f("fk_store_claims_customer_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["design_id"], ["designs.id"], name=op.f("fk_store_claims_design_id_designs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_claims")),
    )
    with op.batch_alter_table("store_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_store_claims_design_id"), ["design_id"], unique=False)
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("design_id", sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_sessions_design_id_designs"), "designs", ["design_id"], ["id"],
                                    ondelete="CASCADE")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_set", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("password_set")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_sessions_design_id_designs"), type_="foreignkey")
        batch_op.drop_column("design_id")
    with op.batch_alter_table("store_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_store_claims_design_id"))
    op.drop_table("store_claims")
