"""Service guarantees in the database: a sweep finds the promises that complaints (follow-up cases) and
visits missed, opens a guarantee case for each and gives the customer the compensation by rule: money
back from the payment the rule names when it is held (a part of the booking's service fee or of its
order's deposit, ``escrow.refund_part``), else the points (through the ledger), which the case then says.
Idempotent: (promise, object) is unique, a partial refund is one split-off row per case and the points
one ledger event per case, so a sweep run twice, or by two workers at once, compensates once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.commerce import guarantees as core
from backend.commerce.escrow import HoldKind
from backend.commerce.points import PointsReason
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.enums import Role
from backend.errors import Forbidden
from backend.services import escrow, points
from backend.services.actor import Actor

LOOK_BACK = timedelta(days=30)
"""A sweep looks at complaints and visits of the last 30 days."""


def _open_case(db: Session, missed: core.Missed, booking: bt.Booking, now: datetime) -> ct.GuaranteeCase | None:
    try:
        with db.begin_nested():
            case = ct.GuaranteeCase(kind=missed.kind.value, reference=missed.reference, booking_id=booking.id,
                                    store_id=booking.store_id, customer_id=booking.customer_id, due_at=missed.due_at,
                                    kept_at=missed.kept_at, compensation_points=missed.compensation_points)
            db.add(case)
            db.flush()
    except IntegrityError:
        return None  # already opened (by an earlier sweep, or another one now)
    _compensate(db, case, missed, booking, now)
    return case


def _compensate(db: Session, case: ct.GuaranteeCase, missed: core.Missed, booking: bt.Booking,
                now: datetime) -> None:
    """Money back when the rule says so and the payment is held; else the points (0 points on the case:
    paid in money)."""
    why = f"missed promise: {missed.kind.value}"
    refund = missed.refund
    hold = refund_hold(db, refund.hold, booking) if refund is not None else None
    if refund is not None and hold is not None:
        part = escrow.refund_part(db, hold, refund.cents_of(hold.amount_cents), case.id, None,
                                  f"service guarantee compensation, {why}", now)
        if part is not None:
            case.compensation_points = 0
            db.flush()
            return
    if refund is not None:
        why += "; the payment it refunds from is not held, so points instead"
    points.award(db, booking.customer_id, PointsReason.COMPENSATION, case.id, missed.compensation_points, None, why)


def refund_hold(db: Session, kind: HoldKind, booking: bt.Booking) -> ct.EscrowHold | None:
    """The payment a money compensation comes from: the booking's service fee, or its order's deposit."""
    if kind is HoldKind.SERVICE_FEE:
        return escrow.hold_for(db, kind, booking.id)
    return escrow.hold_for(db, kind, booking.order_id) if booking.order_id else None


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
            opened += [c for c in [_open_case(db, missed, booking, now)] if c is not None]
    for booking in db.scalars(visits):
        late = core.missed_arrival(core.Visit(booking.id, booking.start_at, booking.arrived_at), promises)
        if late is not None:
            opened += [c for c in [_open_case(db, late, booking, now)] if c is not None]
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


@dataclass(frozen=True)
class Compensation:
    """What a case gave, as the customer reads it: money refunded from a payment, or points (and whether
    the points stand in for a refund the rule gives that could not be paid)."""

    refunded_cents: int
    refunded_from: str
    """The kind of payment refunded from (service_fee, order_deposit; the page translates it), or ""."""
    points: int
    instead_of_refund: bool


def compensation_of(db: Session, case: ct.GuaranteeCase) -> Compensation:
    promise = core.load_promises().get(core.PromiseKind(case.kind))
    refund = promise.refund if promise is not None else None
    if refund is not None:
        part = escrow.split_refund_of(db, refund.hold, case.id)
        if part is not None:
            return Compensation(part.amount_cents, part.kind, 0, False)
    return Compensation(0, "", case.compensation_points, refund is not None)


@dataclass(frozen=True)
class CaseView:
    case: ct.GuaranteeCase
    promise: core.Promise
    compensation: Compensation


def case_views(db: Session, actor: Actor, booking_id: str | None = None) -> list[CaseView]:
    """The cases the actor may see (of one booking, if given), with the promise and the compensation."""
    promises = core.load_promises()
    return [CaseView(c, promises[core.PromiseKind(c.kind)], compensation_of(db, c))
            for c in visible_cases(db, actor) if booking_id is None or c.booking_id == booking_id]
