"""booking

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 05:14:34.859099
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "availability_exceptions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("resource_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.CheckConstraint("kind IN ('closed', 'extra')", name=op.f("ck_availability_exceptions_kind_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_exceptions")),
    )
    with op.batch_alter_table("availability_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_availability_exceptions_resource_id"), ["resource_id"], unique=False)

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("booking_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'dead', 'cancelled')", name=op.f("ck_outbox_messages_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_messages_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index("ix_outbox_messages_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "working_hours",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("resource_id", sa.String(length=32), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.CheckConstraint("start_time < end_time", name=op.f("ck_working_hours_start_before_end")),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name=op.f("ck_working_hours_weekday_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_hours")),
    )
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_working_hours_resource_id"), ["resource_id"], unique=False)

    op.create_table(
        "installer_teams",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column(
            "districts", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_installer_teams_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installer_teams")),
    )
    with op.batch_alter_table("installer_teams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_installer_teams_store_id"), ["store_id"], unique=False)

    op.create_table(
        "installer_team_members",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["installer_teams.id"],
            name=op.f("fk_installer_team_members_team_id_installer_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_installer_team_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_installer_team_members")),
        sa.UniqueConstraint("user_id", name=op.f("uq_installer_team_members_user_id")),
    )
    op.create_table(
        "designer_profiles",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("photo_upload_id", sa.String(length=32), nullable=True),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column(
            "styles", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "specialties", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "services", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.Column(
            "portfolio_design_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("district", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["photo_upload_id"],
            ["uploads.id"],
            name=op.f("fk_designer_profiles_photo_upload_id_uploads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_designer_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_designer_profiles")),
    )
    op.create_table(
        "revision_approvals",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("design_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("booking_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'changes_requested', 'superseded')",
            name=op.f("ck_revision_approvals_status_known"),
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["users.id"], name=op.f("fk_revision_approvals_customer_id_users")),
        sa.ForeignKeyConstraint(
            ["design_id"], ["designs.id"], name=op.f("fk_revision_approvals_design_id_designs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_approvals")),
        sa.UniqueConstraint("design_id", "revision", name="uq_revision_approvals_revision"),
    )
    with op.batch_alter_table("revision_approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revision_approvals_design_id"), ["design_id"], unique=False)

    op.create_table(
        "bookings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("performer", sa.String(length=20), nullable=False),
        sa.Column("resource_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=True),
        sa.Column("video_link", sa.String(length=400), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("design_id", sa.String(length=32), nullable=True),
        sa.Column("order_id", sa.String(length=32), nullable=True),
        sa.Column("reschedule_count", sa.Integer(), nullable=False),
        sa.Column("cancellation_fee_cents", sa.Integer(), nullable=False),
        sa.Column("late_cancellation", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "issues", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "history", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "service IN ('online_consultation', 'store_consultation', 'home_measurement', 'installation')",
            name=op.f("ck_bookings_service_known"),
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'confirmed', 'completed', 'cancelled', 'declined', 'no_show')",
            name=op.f("ck_bookings_status_known"),
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["users.id"], name=op.f("fk_bookings_customer_id_users")),
        sa.ForeignKeyConstraint(["design_id"], ["designs.id"], name=op.f("fk_bookings_design_id_designs")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_bookings_order_id_orders")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_bookings_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bookings_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookings_design_id"), ["design_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookings_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_bookings_resource_start", ["resource_id", "start_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookings_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookings_store_id"), ["store_id"], unique=False)

    op.create_table(
        "service_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("part_id", sa.String(length=80), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "photo_upload_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assigned_to", sa.String(length=32), nullable=True),
        sa.Column("booking_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('repair', 'maintenance', 'replacement_part')", name=op.f("ck_service_requests_kind_known")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'assigned', 'scheduled', 'closed')", name=op.f("ck_service_requests_status_known")
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["users.id"], name=op.f("fk_service_requests_customer_id_users")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_service_requests_order_id_orders")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_service_requests_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_requests")),
    )
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_requests_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_requests_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_requests_store_id"), ["store_id"], unique=False)

    op.create_table(
        "booking_cells",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("booking_id", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.String(length=32), nullable=False),
        sa.Column("cell_start", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_cells_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_cells")),
        sa.UniqueConstraint("resource_id", "cell_start", name="uq_booking_cells_resource_cell"),
    )
    with op.batch_alter_table("booking_cells", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_cells_booking_id"), ["booking_id"], unique=False)

    op.create_table(
        "follow_up_cases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("booking_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("performer_id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=32), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'closed')", name=op.f("ck_follow_up_cases_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_follow_up_cases_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["users.id"], name=op.f("fk_follow_up_cases_customer_id_users")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_follow_up_cases_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_cases")),
    )
    with op.batch_alter_table("follow_up_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_cases_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_cases_store_id"), ["store_id"], unique=False)

    op.create_table(
        "measurements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("booking_id", sa.String(length=32), nullable=True),
        sa.Column("design_id", sa.String(length=32), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("designer_id", sa.String(length=32), nullable=False),
        sa.Column(
            "data", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "differences", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_measurements_booking_id_bookings"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["design_id"], ["designs.id"], name=op.f("fk_measurements_design_id_designs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["designer_id"], ["users.id"], name=op.f("fk_measurements_designer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurements")),
    )
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurements_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_measurements_design_id"), ["design_id"], unique=False)

    op.create_table(
        "ratings",
        sa.Column("booking_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("performer_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column(
            "dimensions", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stars >= 1 AND stars <= 5", name=op.f("ck_ratings_stars_range")),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_ratings_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["users.id"], name=op.f("fk_ratings_customer_id_users")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_ratings_store_id_stores")),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_ratings")),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ratings_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ratings_performer_id"), ["performer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ratings_performer_id"))
        batch_op.drop_index(batch_op.f("ix_ratings_customer_id"))

    op.drop_table("ratings")
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurements_design_id"))
        batch_op.drop_index(batch_op.f("ix_measurements_booking_id"))

    op.drop_table("measurements")
    with op.batch_alter_table("follow_up_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_cases_store_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_cases_booking_id"))

    op.drop_table("follow_up_cases")
    with op.batch_alter_table("booking_cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_cells_booking_id"))

    op.drop_table("booking_cells")
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_requests_store_id"))
        batch_op.drop_index(batch_op.f("ix_service_requests_order_id"))
        batch_op.drop_index(batch_op.f("ix_service_requests_customer_id"))

    op.drop_table("service_requests")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookings_store_id"))
        batch_op.drop_index(batch_op.f("ix_bookings_status"))
        batch_op.drop_index("ix_bookings_resource_start")
        batch_op.drop_index(batch_op.f("ix_bookings_order_id"))
        batch_op.drop_index(batch_op.f("ix_bookings_design_id"))
        batch_op.drop_index(batch_op.f("ix_bookings_customer_id"))

    op.drop_table("bookings")
    with op.batch_alter_table("revision_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_approvals_design_id"))

    op.drop_table("revision_approvals")
    op.drop_table("designer_profiles")
    op.drop_table("installer_team_members")
    with op.batch_alter_table("installer_teams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_installer_teams_store_id"))

    op.drop_table("installer_teams")
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_working_hours_resource_id"))

    op.drop_table("working_hours")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_status_due")
        batch_op.drop_index(batch_op.f("ix_outbox_messages_booking_id"))

    op.drop_table("outbox_messages")
    with op.batch_alter_table("availability_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_exceptions_resource_id"))

    op.drop_table("availability_exceptions")
