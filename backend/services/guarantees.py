"""Service guarantees in the database: a sweep finds the promises that complaints (follow-up cases) and
visits missed, opens a guarantee case for each and gives the customer the compensation by rule (points,
through the ledger). Idempotent: (promise, object) is unique, and the points are one ledger event per
case, so a sweep run twice, or by two workers at once, compensates once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.commerce import guarantees as core
from backend.commerce.points import PointsReason
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.enums import Role
from backend.errors import Forbidden
from backend.services import points
from backend.services.actor import Actor

LOOK_BACK = timedelta(days=30)
"""A sweep looks at complaints and visits of the last 30 days."""


def _open_case(db: Session, missed: core.Missed, booking: bt.Booking) -> ct.GuaranteeCase | None:
    try:
        with db.begin_nested():
            case = ct.GuaranteeCase(kind=missed.kind.value, reference=missed.reference, booking_id=booking.id,
                                    store_id=booking.store_id, customer_id=booking.customer_id, due_at=missed.due_at,
                                    kept_at=missed.kept_at, compensation_points=missed.compensation_points)
            db.add(case)
            db.flush()
    except IntegrityError:
        return None  # already opened (by an earlier sweep, or another one now)
    points.award(db, booking.customer_id, PointsReason.COMPENSATION, case.id, missed.compensation_points, None,
                 f"missed promise: {missed.kind.value}")
    return case


def sweep(db: Session, now: datetime, store_id: str | None = None) -> list[ct.GuaranteeCase]:
    """Open a guarantee case, with its compensation, for every promise missed by now; the new cases."""
    promises = core.load_promises()
    since = now - LOOK_BACK
    opened: list[ct.GuaranteeCase] = []
    cases = select(bt.FollowUpCase).where(bt.FollowUpCase.opened_at >= since)
    visits = select(bt.Booking).where(bt.Booking.arrived_at.is_not(None), bt.Booking.start_at >= since)
    if store_id is not None:
        cases = cases.where(bt.FollowUpCase.store_id == store_id)
        visits = visits.where(bt.Booking.store_id == store_id)
    for case in db.scalars(cases):
        booking = db.get(bt.Booking, case.booking_id)
        assert booking is not None
        complaint = core.Complaint(case.id, case.opened_at, case.acknowledged_at, case.closed_at)
        for missed in core.missed_for_complaint(complaint, now, promises):
            opened += [c for c in [_open_case(db, missed, booking)] if c is not None]
    for booking in db.scalars(visits):
        late = core.missed_arrival(core.Visit(booking.id, booking.start_at, booking.arrived_at), promises)
        if late is not None:
            opened += [c for c in [_open_case(db, late, booking)] if c is not None]
    return opened


def sweep_for(db: Session, actor: Actor, now: datetime) -> list[ct.GuaranteeCase]:
    """A sweep run by a store manager (their store) or an admin (every store)."""
    if actor.role == Role.ADMIN:
        return sweep(db, now)
    if actor.role == Role.STORE_MANAGER and actor.store_id:
        return sweep(db, now, actor.store_id)
    raise Forbidden("only a store manager or an admin checks the service promises")


def visible_cases(db: Session, actor: Actor) -> list[ct.GuaranteeCase]:
    """The customer's own cases; a store manager's store's; all for an admin."""
    query = select(ct.GuaranteeCase).order_by(ct.GuaranteeCase.created_at.desc(), ct.GuaranteeCase.id)
    if actor.role == Role.STORE_MANAGER:
        query = query.where(ct.GuaranteeCase.store_id == (actor.store_id or ""))
    elif actor.role != Role.ADMIN:
        query = query.where(ct.GuaranteeCase.customer_id == actor.id)
    return list(db.scalars(query.limit(200)))
