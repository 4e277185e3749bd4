"""Tables of the commerce layer: the points ledger and redemptions.

Rules the database keeps by construction (so no race can break them):

* ``points_accounts.balance >= 0`` (a CHECK) and every debit is one conditional UPDATE
  (``balance = balance - n WHERE balance >= n``), so concurrent redemptions can never spend a point twice;
* ``points_entries`` is the ledger: every change is a row with its reason, actor and reference, and
  (user, reason, reference) is unique, so one event never earns twice;
* ``point_redemptions.order_id`` is unique: one redemption per order, a double submit finds the first;
  ``accessory_redemptions`` (order, accessory) likewise;
* ``promotions.places_taken <= places`` (a CHECK), taken by one conditional UPDATE per pre-booking, so a
  burst of pre-bookings never sells more places than exist; one pre-booking per customer and promotion.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from backend.commerce.escrow import HOLD_KINDS, HOLD_STATES
from backend.commerce.guarantees import PROMISE_KINDS
from backend.commerce.points import POINTS_REASONS
from backend.commerce.promotions import PREBOOKING_STATUSES
from backend.db.tables import Base, JsonDoc, UtcDateTime, new_id, utcnow
from backend.gallery.rules import BUDGET_CODES

_BigId = BigInteger().with_variant(Integer(), "sqlite")


class PointsAccount(Base):
    """A member's running balance (the sum of their ledger rows) and points earned in all (the level)."""

    __tablename__ = "points_accounts"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),
                      CheckConstraint("earned >= 0", name="earned_not_negative"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    balance: Mapped[int] = mapped_column(Integer, default=0)
    earned: Mapped[int] = mapped_column(Integer, default=0)
    referral_code: Mapped[str] = mapped_column(String(16), unique=True)
    referred_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PointsEntry(Base):
    """One change of a balance: +earned or -spent, why, who caused it and what it refers to."""

    __tablename__ = "points_entries"
    __table_args__ = (
        UniqueConstraint("user_id", "reason", "reference", name="uq_points_entries_event"),
        CheckConstraint(f"reason IN {POINTS_REASONS!r}", name="reason_known"),
        CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
        CheckConstraint("delta <> 0", name="delta_not_zero"),
    )
    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    delta: Mapped[int] = mapped_column(Integer)
    balance_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PointRedemption(Base):
    """Points paying for part of an order: a payment line against the order's quoted total."""

    __tablename__ = "point_redemptions"
    __table_args__ = (CheckConstraint("points > 0", name="points_positive"),
                      CheckConstraint("cents > 0", name="cents_positive"))
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("rdm"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    cents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    refunded_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AccessoryRedemption(Base):
    """Points buying a catalog accessory with an order at checkout: the catalog price, paid in points in
    full. One per order and accessory (a double submit finds the first); counted in the order's share."""

    __tablename__ = "accessory_redemptions"
    __table_args__ = (UniqueConstraint("order_id", "code", name="uq_accessory_redemptions_order_code"),
                      CheckConstraint("quantity > 0", name="quantity_positive"),
                      CheckConstraint("points > 0", name="points_positive"),
                      CheckConstraint("cents > 0", name="cents_positive"))
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("acr"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    quantity: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    cents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    refunded_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Package(Base):
    """A store's fixed offer at a price per metre of cabinet run, with inclusions and option surcharges."""

    __tablename__ = "packages"
    __table_args__ = (CheckConstraint("price_per_metre_cents > 0", name="price_positive"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("pkg"))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price_per_metre_cents: Mapped[int] = mapped_column(Integer)
    inclusions: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    surcharges: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Promotion(Base):
    """A package sold in a time window with a limited number of places, each pre-booked with a deposit."""

    __tablename__ = "promotions"
    __table_args__ = (
        CheckConstraint("places > 0", name="places_positive"),
        CheckConstraint("places_taken >= 0 AND places_taken <= places", name="places_taken_within"),
        CheckConstraint("deposit_cents > 0", name="deposit_positive"),
        CheckConstraint("ends_at > starts_at", name="window_ordered"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("promo"))
    package_id: Mapped[str] = mapped_column(ForeignKey("packages.id"), index=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    places: Mapped[int] = mapped_column(Integer)
    places_taken: Mapped[int] = mapped_column(Integer, default=0)
    deposit_cents: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Prebooking(Base):
    """A customer's place in a promotion; it becomes a measurement appointment (``booking_id``)."""

    __tablename__ = "prebookings"
    __table_args__ = (
        UniqueConstraint("promotion_id", "customer_id", name="uq_prebookings_customer"),
        CheckConstraint(f"status IN {PREBOOKING_STATUSES!r}", name="status_known"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("pre"))
    promotion_id: Mapped[str] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    deposit_cents: Mapped[int] = mapped_column(Integer)
    booking_id: Mapped[str | None] = mapped_column(ForeignKey("bookings.id"), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class EscrowHold(Base):
    """Money the platform holds for a store until the work is accepted (or refunds by rule)."""

    __tablename__ = "escrow_holds"
    __table_args__ = (
        UniqueConstraint("kind", "reference", name="uq_escrow_holds_reference"),
        CheckConstraint(f"state IN {HOLD_STATES!r}", name="state_known"),
        CheckConstraint(f"kind IN {HOLD_KINDS!r}", name="kind_known"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("esc"))
    kind: Mapped[str] = mapped_column(String(30))
    reference: Mapped[str] = mapped_column(String(32), index=True)
    payer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"), nullable=True, index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(40))
    provider_ref: Mapped[str] = mapped_column(String(100))
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    work_done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class EscrowEvent(Base):
    """One state change of a hold: from what to what, who moved it and why."""

    __tablename__ = "escrow_events"
    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    hold_id: Mapped[str] = mapped_column(ForeignKey("escrow_holds.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reason: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class GuaranteeCase(Base):
    """A missed service promise and the compensation given for it (one per promise and object)."""

    __tablename__ = "guarantee_cases"
    __table_args__ = (
        UniqueConstraint("kind", "reference", name="uq_guarantee_cases_promise"),
        CheckConstraint(f"kind IN {PROMISE_KINDS!r}", name="kind_known"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("gua"))
    kind: Mapped[str] = mapped_column(String(30))
    reference: Mapped[str] = mapped_column(String(32))
    booking_id: Mapped[str] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    kept_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    compensation_points: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class GalleryItem(Base):
    """A published design: a copy of one revision without personal traces (``backend.gallery.rules``)."""

    __tablename__ = "gallery_items"
    __table_args__ = (CheckConstraint(f"budget_band IN {BUDGET_CODES!r}", name="budget_known"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("gal"))
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), unique=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    style: Mapped[str] = mapped_column(String(40), index=True)
    room_types: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    budget_band: Mapped[str] = mapped_column(String(20), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    portfolio_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The customer lets the designers who worked on the design show it in their portfolios (revocable)."""


class GalleryRating(Base):
    """One person's stars for a published design (not its owner's)."""

    __tablename__ = "gallery_ratings"
    __table_args__ = (UniqueConstraint("item_id", "user_id", name="uq_gallery_ratings_user"),
                      CheckConstraint("stars >= 1 AND stars <= 5", name="stars_range"))
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("grt"))
    item_id: Mapped[str] = mapped_column(ForeignKey("gallery_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class GalleryComment(Base):
    """A signed-in person's comment on a published design; its author deletes it, the design's owner may
    hide it (hidden comments are shown to no one but the owner)."""

    __tablename__ = "gallery_comments"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("gcm"))
    item_id: Mapped[str] = mapped_column(ForeignKey("gallery_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(String(1000))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
