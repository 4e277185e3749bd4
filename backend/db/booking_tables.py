"""Tables of the service loop (issue 6): designer profiles, installer teams, working hours,
bookings with their occupied grid cells, ratings, follow-up cases, measurements, revision
approvals, the notification outbox and after-sales service requests.

No double booking, ever: every booking owns one ``booking_cells`` row per grid cell it blocks
(``backend.booking.availability.occupied_cells``), inserted in the booking's transaction, and
``UNIQUE (resource_id, cell_start)`` makes the database refuse a second booking of any cell.
Cells of cancelled, declined and rescheduled bookings are deleted in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.booking.measurement import RevisionStatus
from backend.booking.ratings import CaseStatus
from backend.booking.rules import BookingStatus
from backend.booking.service_types import ServiceCode
from backend.db.tables import Base, JsonDoc, UtcDateTime, new_id, utcnow
from backend.enums import ServiceRequestKind, ServiceRequestStatus

SERVICE_CODES = tuple(c.value for c in ServiceCode)
BOOKING_STATUSES = tuple(s.value for s in BookingStatus)
CASE_STATUSES = tuple(s.value for s in CaseStatus)
APPROVAL_STATUSES = tuple(s.value for s in RevisionStatus)
OUTBOX_STATUSES = ("pending", "sent", "dead", "cancelled")
SERVICE_REQUEST_KINDS = tuple(k.value for k in ServiceRequestKind)
SERVICE_REQUEST_STATUSES = tuple(s.value for s in ServiceRequestStatus)

_BigId = BigInteger().with_variant(Integer(), "sqlite")


class DesignerProfile(Base):
    """The public face of a designer account (one per user)."""

    __tablename__ = "designer_profiles"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    photo_upload_id: Mapped[str | None] = mapped_column(ForeignKey("uploads.id", ondelete="SET NULL"),
                                                        nullable=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    styles: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    specialties: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    services: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    years_experience: Mapped[int] = mapped_column(Integer, default=0)
    portfolio_design_ids: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    district: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class InstallerTeam(Base):
    __tablename__ = "installer_teams"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("team"))
    name: Mapped[str] = mapped_column(String(200))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    districts: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class InstallerTeamMember(Base):
    """An installer account belongs to at most one team."""

    __tablename__ = "installer_team_members"
    team_id: Mapped[str] = mapped_column(ForeignKey("installer_teams.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                         unique=True)


class WorkingHours(Base):
    """A weekly working period of a resource (designer user id or installer team id), local time."""

    __tablename__ = "working_hours"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint("start_time < end_time", name="start_before_end"),
    )
    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    resource_id: Mapped[str] = mapped_column(String(32), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[time] = mapped_column(Time())
    end_time: Mapped[time] = mapped_column(Time())


class AvailabilityException(Base):
    """A one-day change to a resource's hours: ``closed`` (all day or a part) or ``extra`` hours."""

    __tablename__ = "availability_exceptions"
    __table_args__ = (CheckConstraint("kind IN ('closed', 'extra')", name="kind_known"),)
    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    resource_id: Mapped[str] = mapped_column(String(32), index=True)
    day: Mapped[date] = mapped_column(Date())
    kind: Mapped[str] = mapped_column(String(10))
    start_time: Mapped[time | None] = mapped_column(Time(), nullable=True)
    end_time: Mapped[time | None] = mapped_column(Time(), nullable=True)
    reason: Mapped[str] = mapped_column(String(300), default="")


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_resource_start", "resource_id", "start_at"),
        Index("ix_bookings_resource_blocked_end", "resource_id", "blocked_end"),  # availability: 0016
        CheckConstraint(f"status IN {BOOKING_STATUSES!r}", name="status_known"),
        CheckConstraint(f"service IN {SERVICE_CODES!r}", name="service_known"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("bkg"))
    service: Mapped[str] = mapped_column(String(40))
    performer: Mapped[str] = mapped_column(String(20))
    resource_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    start_at: Mapped[datetime] = mapped_column(UtcDateTime())
    end_at: Mapped[datetime] = mapped_column(UtcDateTime())
    blocked_start: Mapped[datetime] = mapped_column(UtcDateTime())
    blocked_end: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(20), default=BookingStatus.REQUESTED.value, index=True)
    address: Mapped[str | None] = mapped_column(String(400), nullable=True)
    video_link: Mapped[str | None] = mapped_column(String(400), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    design_id: Mapped[str | None] = mapped_column(ForeignKey("designs.id"), nullable=True, index=True)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"), nullable=True, index=True)
    reschedule_count: Mapped[int] = mapped_column(Integer, default=0)
    cancellation_fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    late_cancellation: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    arrived_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class BookingCell(Base):
    """One occupied grid cell of an open booking; the unique key is what refuses double booking."""

    __tablename__ = "booking_cells"
    __table_args__ = (UniqueConstraint("resource_id", "cell_start", name="uq_booking_cells_resource_cell"),)
    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    booking_id: Mapped[str] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[str] = mapped_column(String(32))
    cell_start: Mapped[datetime] = mapped_column(UtcDateTime())


class Rating(Base):
    """One rating per booking, by its customer."""

    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint("stars >= 1 AND stars <= 5", name="stars_range"),)
    booking_id: Mapped[str] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    performer_id: Mapped[str] = mapped_column(String(32), index=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    service: Mapped[str] = mapped_column(String(40))
    stars: Mapped[int] = mapped_column(Integer)
    dimensions: Mapped[dict[str, int]] = mapped_column(JsonDoc, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class FollowUpCase(Base):
    __tablename__ = "follow_up_cases"
    __table_args__ = (CheckConstraint(f"status IN {CASE_STATUSES!r}", name="status_known"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("case"))
    booking_id: Mapped[str] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    performer_id: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(40))
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    acknowledged_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)


class Measurement(Base):
    """A measured room recorded by a designer and the design revision it produced."""

    __tablename__ = "measurements"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("msr"))
    booking_id: Mapped[str | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"),
                                                   nullable=True, index=True)
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), index=True)
    base_revision: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    designer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    differences: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RevisionApproval(Base):
    """The customer's decision on one (measured) revision of a design."""

    __tablename__ = "revision_approvals"
    __table_args__ = (
        UniqueConstraint("design_id", "revision", name="uq_revision_approvals_revision"),
        CheckConstraint(f"status IN {APPROVAL_STATUSES!r}", name="status_known"),
    )
    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    booking_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """A notification, rendered in the recipient's language, waiting to be (re)sent."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_due", "status", "due_at"),
        CheckConstraint(f"status IN {OUTBOX_STATUSES!r}", name="status_known"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("msg"))
    kind: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(320))
    channel: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(400), default="")
    body: Mapped[str] = mapped_column(Text)
    booking_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ServiceRequest(Base):
    """After-sales: repair, maintenance or a replacement part on an installed order."""

    __tablename__ = "service_requests"
    __table_args__ = (
        CheckConstraint(f"kind IN {SERVICE_REQUEST_KINDS!r}", name="kind_known"),
        CheckConstraint(f"status IN {SERVICE_REQUEST_STATUSES!r}", name="status_known"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("svc"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(30), default="repair")
    part_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    description: Mapped[str] = mapped_column(Text)
    photo_upload_ids: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    status: Mapped[str] = mapped_column(String(20), default="open")
    assigned_to: Mapped[str | None] = mapped_column(String(32), nullable=True)
    booking_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
