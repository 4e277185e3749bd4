"""Tables of the commerce layer: the points ledger and redemptions.

Rules the database keeps by construction (so no race can break them):

* ``points_accounts.balance >= 0`` (a CHECK) and every debit is one conditional UPDATE
  (``balance = balance - n WHERE balance >= n``), so concurrent redemptions can never spend a point twice;
* ``points_entries`` is the ledger: every change is a row with its reason, actor and reference, and
  (user, reason, reference) is unique, so one event never earns twice;
* ``point_redemptions.order_id`` is unique: one redemption per order, a double submit finds the first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.commerce.points import POINTS_REASONS
from backend.db.tables import Base, UtcDateTime, new_id, utcnow

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
