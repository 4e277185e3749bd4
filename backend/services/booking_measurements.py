"""Home measurement → measured design revision → the customer's approval → the order gate.

* ``record_measurement``: the booked designer records the measured room on a confirmed home
  measurement (from the start of the visit, travel buffer included); the differences with the
  drawn plan are stored, the measurement is applied (``backend.booking.measurement``) and saved as
  a new revision of the design through ``designs.save_design`` (author: the designer, revision
  control as usual), and the customer is asked to approve it (older pending requests of the design
  are superseded).
* ``decide``: the customer approves the revision or asks for changes (with a comment).
* ``ensure_orderable``: ordering a design whose latest measured revision (at or before the one
  ordered) is not approved is refused with 409; designs never measured order as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.booking import measurement as core
from backend.booking.availability import as_utc
from backend.booking.outbox import AccountMessageKind
from backend.booking.rules import BOOKING_ROLES, BookingStatus
from backend.booking.rules import Actor as CoreActor
from backend.booking.service_types import ServiceCode
from backend.db import booking_tables as bt
from backend.db import tables
from backend.enums import Role
from backend.errors import Conflict, InvalidInput, NotFound
from backend.services import designs, notifications, policy
from backend.services.actor import Actor
from backend.services.bookings import get_booking


@dataclass(frozen=True)
class MeasurementResult:
    measurement: bt.Measurement
    approval: bt.RevisionApproval
    differences: list[dict[str, Any]]


def parse_measured_room(data: Any) -> core.MeasuredRoom:
    try:
        return core.MeasuredRoom.model_validate(data)
    except ValidationError as exc:
        raise designs.invalid_from_validation(exc, prefix="measurement") from exc


def measurement_blocker(actor: Actor, booking: Any, now: datetime) -> str | None:
    """Why a measurement cannot be saved on this booking now, or None when it can: "not_allowed" (only
    designers record), "no_design" (not a home measurement booked with a design), "not_confirmed"
    (the booking is not confirmed) or "not_started" (the visit has not begun). The form is offered only
    when this is None, and saving checks the same."""
    if not policy.may_record_measurement(actor):
        return "not_allowed"
    if booking.service != ServiceCode.HOME_MEASUREMENT.value or booking.design_id is None:
        return "no_design"
    if booking.status != BookingStatus.CONFIRMED.value:
        return "not_confirmed"
    if as_utc(now, "now") < booking.blocked_start:
        return "not_started"
    return None


def record_measurement(db: Session, actor: Actor, booking_id: str, data: Any, now: datetime,
                       base_revision: int | None = None) -> MeasurementResult:
    booking = get_booking(db, actor, booking_id)
    blocker = measurement_blocker(actor, booking, now)
    if blocker == "not_allowed":
        raise NotFound(f"no booking '{booking_id}' that you can record a measurement for", field="booking_id")
    if blocker == "no_design" or booking.design_id is None:
        raise InvalidInput("a measurement is recorded on a home measurement booked with a design",
                           field="booking_id")
    if blocker == "not_confirmed":
        raise Conflict(f"a measurement is recorded on a confirmed booking, not a {booking.status} one",
                       field="status")
    if blocker == "not_started":
        raise Conflict("the measurement can be recorded once the visit has begun", field="booking_id")
    measured = parse_measured_room(data)
    view = designs.get_design(db, actor, booking.design_id)
    base = base_revision if base_revision is not None else view.row.current_revision
    differences = [{"kind": d.kind, "target": d.target, "drawn_mm": d.drawn_mm, "measured_mm": d.measured_mm,
                    "delta_mm": d.delta_mm, "significant": d.significant}
                   for d in core.compare(view.document, measured)]
    applied = core.apply_measurement(view.document, measured)
    saved = designs.save_design(db, actor, booking.design_id, base, applied.model_dump(mode="json"),
                                message=designs.Message("measured", {"booking_id": booking.id}))
    revision = saved.row.current_revision
    row = bt.Measurement(booking_id=booking.id, design_id=booking.design_id, base_revision=base, revision=revision,
                         designer_id=actor.id, data=measured.model_dump(mode="json"), differences=differences)
    db.add(row)
    db.execute(update(bt.RevisionApproval)
               .where(bt.RevisionApproval.design_id == booking.design_id,
                      bt.RevisionApproval.status == core.RevisionStatus.PENDING.value)
               .values(status=core.RevisionStatus.SUPERSEDED.value).execution_options(synchronize_session=False))
    record = core.request_approval(booking.design_id, revision, saved.row.owner_id, now, booking.id)
    approval = bt.RevisionApproval(design_id=record.design_id, revision=record.revision,
                                   customer_id=record.customer_id, booking_id=record.booking_id,
                                   status=record.status.value, requested_at=record.requested_at)
    db.add(approval)
    owner = db.get(tables.User, saved.row.owner_id)
    if owner is not None:  # the homeowner is told; the design page and My designs show it too
        notifications.account_email(db, owner, AccountMessageKind.MEASURED_REVISION, {
            "performer_name": actor.display_name, "design_name": saved.row.name, "revision": str(revision),
            "approval_link": f"/designs/{booking.design_id}/approval"}, now)
    db.flush()
    return MeasurementResult(row, approval, differences)


def _record(row: bt.RevisionApproval) -> core.ApprovalRecord:
    return core.ApprovalRecord(row.design_id, row.revision, row.customer_id, row.requested_at,
                               core.RevisionStatus(row.status), row.booking_id, row.decided_at, row.comment)


def pending_approval(db: Session, design_id: str) -> bt.RevisionApproval | None:
    return db.scalar(select(bt.RevisionApproval).where(bt.RevisionApproval.design_id == design_id,
                                                       bt.RevisionApproval.status == core.RevisionStatus.PENDING.value)
                     .order_by(bt.RevisionApproval.revision.desc()).limit(1))


def designs_awaiting_approval(db: Session, customer_id: str) -> set[str]:
    """The ids of the customer's designs with a measured revision waiting for their approval."""
    return set(db.scalars(select(bt.RevisionApproval.design_id).where(
        bt.RevisionApproval.customer_id == customer_id,
        bt.RevisionApproval.status == core.RevisionStatus.PENDING.value)))


def latest_approval(db: Session, design_id: str) -> bt.RevisionApproval | None:
    return db.scalar(select(bt.RevisionApproval).where(bt.RevisionApproval.design_id == design_id)
                     .order_by(bt.RevisionApproval.revision.desc()).limit(1))


def decide(db: Session, actor: Actor, design_id: str, decision: Literal["approve", "request_changes"],
           comment: str, now: datetime, revision: int | None = None) -> bt.RevisionApproval:
    design = designs.get_design_row(db, actor, design_id)
    if design.owner_id != actor.id:
        raise NotFound(f"no design '{design_id}' of yours waits for approval", field="design_id")
    query = select(bt.RevisionApproval).where(bt.RevisionApproval.design_id == design.id)
    if revision is not None:
        query = query.where(bt.RevisionApproval.revision == revision)
    row = db.scalar(query.order_by(bt.RevisionApproval.revision.desc()).limit(1))
    if row is None:
        raise NotFound("no measured revision of this design waits for your approval", field="revision")
    try:
        role = Role(actor.role)
    except ValueError:
        role = None
    if role is None or role not in BOOKING_ROLES:
        raise NotFound(f"no design '{design_id}' that you can see", field="design_id")
    decided = core.decide(_record(row), CoreActor(role, actor.id, actor.store_id), decision, now, comment)
    row.status = decided.status.value
    row.decided_at = decided.decided_at
    row.comment = decided.comment
    db.flush()
    return row


def ensure_orderable(db: Session, design_id: str, revision: int) -> None:
    """409 unless the revision may be ordered: a design with measured revisions needs the latest
    one at or before ``revision`` approved (or, for a later revision the customer saved on top of
    it, at least not still waiting for approval)."""
    row = db.scalar(select(bt.RevisionApproval)
                    .where(bt.RevisionApproval.design_id == design_id, bt.RevisionApproval.revision <= revision)
                    .order_by(bt.RevisionApproval.revision.desc()).limit(1))
    if row is None:
        return
    if row.revision == revision:
        core.ensure_can_order(row.status)
    elif row.status == core.RevisionStatus.PENDING.value:
        raise Conflict(f"this design cannot be ordered: measured revision {row.revision} waits for the "
                       "customer's approval", field="revision", extra={"pending_revision": row.revision})
