"""o2o: points, packages and promotions, escrow, service guarantees, gallery

``points_accounts`` holds each member's running balance (CHECK balance >= 0, debited by a conditional
UPDATE), ``points_entries`` is the ledger (one row per change, unique per event), ``point_redemptions``
the points paying for an order (one per order). ``packages`` are a store's fixed offers, ``promotions``
sell a limited number of places in a window (CHECK places_taken <= places), ``prebookings`` hold one
place per customer until it becomes a measurement appointment. ``escrow_holds`` is money held for a
store (authorized, held, released or refunded), ``escrow_events`` every change of it with who and why.
``guarantee_cases`` record missed service promises with their compensation (one per promise and object).
``gallery_items`` are published designs (copies without personal traces), ``gallery_ratings`` their stars.

Revision ID: 0011_o2o
Revises: 0009_journey
Create Date: 2026-12-03 12:16:18.784556
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_o2o"
down_revision: str | None = "0009_journey"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "escrow_holds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("payer_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("provider_ref", sa.String(length=100), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("work_done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('order_deposit', 'order_balance', 'service_fee', 'prebooking_deposit')",
            name=op.f("ck_escrow_holds_kind_known"),
        ),
        sa.CheckConstraint(
            "state IN ('authorized', 'held', 'released', 'refunded')", name=op.f("ck_escrow_holds_state_known")
        ),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_escrow_holds_amount_positive")),
        sa.ForeignKeyConstraint(["payer_id"], ["users.id"], name=op.f("fk_escrow_holds_payer_id_users")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_escrow_holds_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escrow_holds")),
        sa.UniqueConstraint("kind", "reference", name="uq_escrow_holds_reference"),
    )
    with op.batch_alter_table("escrow_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escrow_holds_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_escrow_holds_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_escrow_holds_store_id"), ["store_id"], unique=False)

    op.create_table(
        "packages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("price_per_metre_cents", sa.Integer(), nullable=False),
        sa.Column(
            "inclusions", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "surcharges", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("price_per_metre_cents > 0", name=op.f("ck_packages_price_positive")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_packages_created_by_users")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_packages_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_packages")),
    )
    with op.batch_alter_table("packages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_packages_store_id"), ["store_id"], unique=False)

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
            "reason IN ('design_published', 'rating_given', 'rating_received', 'order_completed', 'referral', 'redemption', 'redemption_refund', 'compensation', 'tip_given', 'tip_received')",  # noqa: E501
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
        "escrow_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hold_id", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_escrow_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["hold_id"], ["escrow_holds.id"], name=op.f("fk_escrow_events_hold_id_escrow_holds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escrow_events")),
    )
    with op.batch_alter_table("escrow_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escrow_events_hold_id"), ["hold_id"], unique=False)

    op.create_table(
        "gallery_items",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("design_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("style", sa.String(length=40), nullable=False),
        sa.Column(
            "room_types", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("budget_band", sa.String(length=20), nullable=False),
        sa.Column(
            "document", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "budget_band IN ('under_20k', '20k_50k', '50k_100k', 'over_100k')",
            name=op.f("ck_gallery_items_budget_known"),
        ),
        sa.ForeignKeyConstraint(
            ["design_id"], ["designs.id"], name=op.f("fk_gallery_items_design_id_designs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_gallery_items_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gallery_items")),
        sa.UniqueConstraint("design_id", name=op.f("uq_gallery_items_design_id")),
    )
    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gallery_items_budget_band"), ["budget_band"], unique=False)
        batch_op.create_index(batch_op.f("ix_gallery_items_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gallery_items_style"), ["style"], unique=False)

    op.create_table(
        "promotions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("package_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("places_taken", sa.Integer(), nullable=False),
        sa.Column("deposit_cents", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("deposit_cents > 0", name=op.f("ck_promotions_deposit_positive")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_promotions_window_ordered")),
        sa.CheckConstraint("places > 0", name=op.f("ck_promotions_places_positive")),
        sa.CheckConstraint(
            "places_taken >= 0 AND places_taken <= places", name=op.f("ck_promotions_places_taken_within")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_promotions_created_by_users")),
        sa.ForeignKeyConstraint(["package_id"], ["packages.id"], name=op.f("fk_promotions_package_id_packages")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_promotions_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotions")),
    )
    with op.batch_alter_table("promotions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_promotions_package_id"), ["package_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_promotions_store_id"), ["store_id"], unique=False)

    op.create_table(
        "gallery_ratings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stars >= 1 AND stars <= 5", name=op.f("ck_gallery_ratings_stars_range")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["gallery_items.id"], name=op.f("fk_gallery_ratings_item_id_gallery_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_gallery_ratings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gallery_ratings")),
        sa.UniqueConstraint("item_id", "user_id", name="uq_gallery_ratings_user"),
    )
    with op.batch_alter_table("gallery_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gallery_ratings_item_id"), ["item_id"], unique=False)

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

    op.create_table(
        "guarantee_cases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("booking_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("compensation_points", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('complaint_response', 'complaint_resolution', 'arrival')",
            name=op.f("ck_guarantee_cases_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_guarantee_cases_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["users.id"], name=op.f("fk_guarantee_cases_customer_id_users")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_guarantee_cases_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guarantee_cases")),
        sa.UniqueConstraint("kind", "reference", name="uq_guarantee_cases_promise"),
    )
    with op.batch_alter_table("guarantee_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guarantee_cases_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_guarantee_cases_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_guarantee_cases_store_id"), ["store_id"], unique=False)

    op.create_table(
        "prebookings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("promotion_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("deposit_cents", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('held', 'booked', 'cancelled')", name=op.f("ck_prebookings_status_known")),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_prebookings_booking_id_bookings")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["users.id"], name=op.f("fk_prebookings_customer_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"], ["promotions.id"], name=op.f("fk_prebookings_promotion_id_promotions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prebookings")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_prebookings_booking_id")),
        sa.UniqueConstraint("promotion_id", "customer_id", name="uq_prebookings_customer"),
    )
    with op.batch_alter_table("prebookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prebookings_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_prebookings_promotion_id"), ["promotion_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prebookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prebookings_promotion_id"))
        batch_op.drop_index(batch_op.f("ix_prebookings_customer_id"))

    op.drop_table("prebookings")
    with op.batch_alter_table("guarantee_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guarantee_cases_store_id"))
        batch_op.drop_index(batch_op.f("ix_guarantee_cases_customer_id"))
        batch_op.drop_index(batch_op.f("ix_guarantee_cases_booking_id"))

    op.drop_table("guarantee_cases")
    with op.batch_alter_table("point_redemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_point_redemptions_user_id"))

    op.drop_table("point_redemptions")
    with op.batch_alter_table("gallery_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gallery_ratings_item_id"))

    op.drop_table("gallery_ratings")
    with op.batch_alter_table("promotions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_promotions_store_id"))
        batch_op.drop_index(batch_op.f("ix_promotions_package_id"))

    op.drop_table("promotions")
    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gallery_items_style"))
        batch_op.drop_index(batch_op.f("ix_gallery_items_owner_id"))
        batch_op.drop_index(batch_op.f("ix_gallery_items_budget_band"))

    op.drop_table("gallery_items")
    with op.batch_alter_table("escrow_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escrow_events_hold_id"))

    op.drop_table("escrow_events")
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_entries_user_id"))

    op.drop_table("points_entries")
    op.drop_table("points_accounts")
    with op.batch_alter_table("packages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_packages_store_id"))

    op.drop_table("packages")
    with op.batch_alter_table("escrow_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escrow_holds_store_id"))
        batch_op.drop_index(batch_op.f("ix_escrow_holds_reference"))
        batch_op.drop_index(batch_op.f("ix_escrow_holds_payer_id"))

    op.drop_table("escrow_holds")
