"""Bookings in the database: create (with one unique row per occupied grid cell, so the database
refuses any double booking), the state changes of ``backend.booking.rules``, design sharing with
the booked designer, ratings with follow-up cases, and after-sales service requests.

Every function takes ``now``; the web layer passes the clock. Visibility: ``policy.visible_bookings``
(not visible → 404); what a visible party may do is the core's rules (not allowed → 403/409).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.booking import ratings as core_ratings
from backend.booking import rules as core
from backend.booking import search as core_search
from backend.booking.availability import TimeRange, as_utc, occupied_cells
from backend.booking.outbox import MessageKind, reminder_due_at
from backend.booking.service_types import DEFAULT_RULES, BookingRules, Performer, ServiceCode, service_type
from backend.db import booking_tables as bt
from backend.db import tables
from backend.enums import OrderStatus, Role, ServiceRequestStatus
from backend.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.services import booking_resources, escrow, notifications, points, policy, transactions
from backend.services import uploads as upload_svc
from backend.services.actor import Actor

SLOT_TAKEN = "this slot was just taken; please pick another time"
Action = Literal["cancel", "reschedule", "decline", "confirm", "complete", "no_show", "arrive", "report_issue",
                 "add_photos"]
ACTIONS: tuple[str, ...] = ("cancel", "reschedule", "decline", "confirm", "complete", "no_show", "arrive",
                            "report_issue", "add_photos")


# --- mapping between rows and the pure core --------------------------------------------------------


def party(db: Session, actor: Actor) -> core.Actor:
    """The core's view of the acting user (installers carry their team)."""
    try:
        role = Role(actor.role)
    except ValueError:
        role = None
    if role is None or role not in core.BOOKING_ROLES:
        raise NotFound("bookings are not available for this account")
    team_id = None
    if role is Role.INSTALLER:
        team = booking_resources.team_of(db, actor.id)
        team_id = team.id if team else None
    return core.Actor(role, actor.id, store_id=actor.store_id, team_id=team_id)


def _event_out(event: core.BookingEvent) -> dict[str, Any]:
    return {"at": event.at.isoformat(), "action": event.action, "actor_role": event.actor_role.value,
            "actor_id": event.actor_id, "from": event.from_status.value if event.from_status else None,
            "to": event.to_status.value, "detail": dict(event.detail)}


def _event_in(data: dict[str, Any]) -> core.BookingEvent:
    return core.BookingEvent(datetime.fromisoformat(data["at"]), data["action"], Role(data["actor_role"]),
                             data["actor_id"], core.BookingStatus(data["from"]) if data.get("from") else None,
                             core.BookingStatus(data["to"]), dict(data.get("detail") or {}))


def _issue_out(issue: core.IssueReport) -> dict[str, Any]:
    return {"at": issue.at.isoformat(), "reporter_id": issue.reporter_id, "description": issue.description,
            "photo_ids": list(issue.photo_ids), "kind": issue.kind}


def to_domain(row: bt.Booking) -> core.Booking:
    return core.Booking(
        id=row.id, service=ServiceCode(row.service), performer=Performer(row.performer),
        resource_id=row.resource_id, customer_id=row.customer_id, store_id=row.store_id, start=row.start_at,
        end=row.end_at, blocked=TimeRange(row.blocked_start, row.blocked_end), status=core.BookingStatus(row.status),
        design_id=row.design_id, order_id=row.order_id, address=row.address, video_link=row.video_link,
        note=row.note, reschedule_count=row.reschedule_count, cancellation_fee_cents=row.cancellation_fee_cents,
        late_cancellation=row.late_cancellation, reason=row.reason, arrived_at=row.arrived_at,
        completed_at=row.completed_at,
        issues=tuple(core.IssueReport(datetime.fromisoformat(i["at"]), i["reporter_id"], i["description"],
                                      tuple(i.get("photo_ids") or ()), i.get("kind") or "issue")
                     for i in row.issues or []),
        history=tuple(_event_in(e) for e in row.history or []),
    )


def _write_back(row: bt.Booking, booking: core.Booking, now: datetime) -> None:
    row.start_at, row.end_at = booking.start, booking.end
    row.blocked_start, row.blocked_end = booking.blocked.start, booking.blocked.end
    row.status = booking.status.value
    row.video_link = booking.video_link
    row.reschedule_count = booking.reschedule_count
    row.cancellation_fee_cents = booking.cancellation_fee_cents
    row.late_cancellation = booking.late_cancellation
    row.reason = booking.reason
    row.arrived_at, row.completed_at = booking.arrived_at, booking.completed_at
    row.issues = [_issue_out(i) for i in booking.issues]
    row.history = [_event_out(e) for e in booking.history]
    row.updated_at = tables.utcnow()


_INSERT_CELLS = insert(cast(Table, bt.BookingCell.__table__))


def _insert_cells(db: Session, booking: core.Booking, rules: BookingRules) -> None:
    """One unique row per occupied cell; a clash with a stored cell is a 409. A lock the database could
    not grant in time (PostgreSQL's lock timeout, SQLite's "database is locked") is not a clash: it goes
    up to :func:`transactions.retry_locked` (a rerun, then 503 Busy)."""
    cells = occupied_cells(booking.resource_id, service_type(booking.service, rules), booking.start, rules)
    try:  # the booking row first, then its cells in one executemany of the table's plain INSERT (not the ORM's
        # bulk insert, which costs as much again in Python for the same statement); nothing read back
        db.flush()
        db.execute(_INSERT_CELLS, [{"booking_id": booking.id, "resource_id": c.resource_id,
                                    "cell_start": c.start} for c in cells])
    except IntegrityError as exc:
        if "booking_cells" not in str(exc.orig).lower() and "uq_booking_cells" not in str(exc.orig):
            raise
        db.rollback()
        raise Conflict(SLOT_TAKEN, field="start", extra={"slot": booking.start.isoformat()}) from exc


def _delete_cells(db: Session, booking_id: str) -> None:
    db.execute(delete(bt.BookingCell).where(bt.BookingCell.booking_id == booking_id))
    db.flush()


# --- design sharing --------------------------------------------------------------------------------


def _start_share(db: Session, design_id: str, designer_id: str) -> None:
    share = db.scalar(select(tables.DesignShare).where(tables.DesignShare.design_id == design_id,
                                                       tables.DesignShare.user_id == designer_id))
    if share is None:
        db.add(tables.DesignShare(design_id=design_id, user_id=designer_id, reason="booking"))
    elif share.ends_at is not None:
        share.ends_at = None
        share.reason = "booking"


def _end_share(db: Session, row: bt.Booking) -> None:
    """The booking's service is over: the designer loses access unless another open booking of the
    same design with them, or an explicit share, keeps it."""
    if row.performer != Performer.DESIGNER.value or row.design_id is None:
        return
    still_open = db.scalar(select(func.count()).select_from(bt.Booking).where(
        bt.Booking.id != row.id, bt.Booking.design_id == row.design_id, bt.Booking.resource_id == row.resource_id,
        bt.Booking.status.in_([s.value for s in core.OPEN_STATUSES])))
    if still_open:
        return
    share = db.scalar(select(tables.DesignShare).where(tables.DesignShare.design_id == row.design_id,
                                                       tables.DesignShare.user_id == row.resource_id))
    if share is not None and share.reason == "booking" and share.ends_at is None:
        share.ends_at = tables.utcnow()


# --- reading ---------------------------------------------------------------------------------------


def get_booking(db: Session, actor: Actor, booking_id: str) -> bt.Booking:
    row = db.scalar(policy.visible_bookings(actor).where(bt.Booking.id == booking_id))
    if row is None:
        raise NotFound(f"no booking '{booking_id}' that you can see", field="booking_id")
    return row  # type: ignore[no-any-return]


def list_bookings(db: Session, actor: Actor, *, start: datetime | None = None, end: datetime | None = None,
                  status: str | None = None, limit: int = 500) -> list[bt.Booking]:
    query = policy.visible_bookings(actor)
    if start is not None:
        query = query.where(bt.Booking.end_at > start)
    if end is not None:
        query = query.where(bt.Booking.start_at < end)
    if status:
        query = query.where(bt.Booking.status == status)
    return list(db.scalars(query.order_by(bt.Booking.start_at, bt.Booking.id).limit(limit)))


def names(db: Session, ids: set[str]) -> dict[str, str]:
    """Display names of users and installer teams by id."""
    found: dict[str, str] = {}
    if ids:
        users = db.execute(select(tables.User.id, tables.User.display_name).where(tables.User.id.in_(ids)))
        found.update({uid: name for uid, name in users})
        teams = db.execute(select(bt.InstallerTeam.id, bt.InstallerTeam.name).where(bt.InstallerTeam.id.in_(ids)))
        found.update({tid: name for tid, name in teams})
    return found


# --- creating --------------------------------------------------------------------------------------


def book(db: Session, actor: Actor, request: core.BookingChoice, now: datetime,
         rules: BookingRules = DEFAULT_RULES) -> bt.Booking:
    """Validate and store a booking in state ``requested``; the cells' unique key decides races (409),
    a lock wait that failed is run again (then 503 Busy, see :mod:`backend.services.transactions`)."""
    return transactions.retry_locked(db, lambda: _book(db, actor, request, now, rules))


def _book(db: Session, actor: Actor, request: core.BookingChoice, now: datetime, rules: BookingRules) -> bt.Booking:
    if not policy.may_book(actor):
        raise Forbidden("only a homeowner account can book a service")
    res = booking_resources.resource(db, request.resource_id)
    start = as_utc(request.start, "start")
    if request.design_id:
        design = db.scalar(policy.visible_designs(actor).where(tables.Design.id == request.design_id))
        if design is None or (design.owner_id != actor.id and actor.role != Role.ADMIN):
            raise NotFound(f"no design '{request.design_id}' of yours", field="design_id")
    customer_id = actor.id
    if request.order_id:
        order = db.scalar(policy.visible_orders(actor).where(tables.Order.id == request.order_id))
        if order is None:
            raise NotFound(f"no order '{request.order_id}' of yours", field="order_id")
        if service_type(request.service, rules).code is ServiceCode.INSTALLATION and \
                order.status not in (OrderStatus.SHIPPED, OrderStatus.INSTALLED):
            raise Conflict("installation can be booked once the order has shipped", field="order_id",
                           extra={"order_status": order.status})
    stype = service_type(request.service, rules)
    # a visit the customer books freely must be in the area the performer serves; an installation of an
    # order goes to the order's delivery address, which the store accepted when it sold the order (its
    # teams are offered by district first, see booking.search.teams_for_address)
    if stype.needs_address and request.order_id is None and request.address and request.address.strip():
        area = booking_resources.service_area(res)
        if not core_search.serves_address(area, request.address):
            raise InvalidInput(
                f"the address '{request.address.strip()[:120]}' is outside the area {res.name} serves "
                f"({', '.join(area)}); give an address in one of these districts, or book someone who serves "
                "yours", field="address", extra={"districts": area})
    available = booking_resources.slots(db, res.id, stype.code.value, start - stype.duration, start + rules.slot, now,
                                        rules)
    domain = core.create_booking(
        core.BookingRequest(customer_id=customer_id, resource_id=res.id, store_id=res.store.id,
                            service=stype.code.value, start=start, design_id=request.design_id or None,
                            order_id=request.order_id or None, address=(request.address or None),
                            video_link=request.video_link or None, note=request.note or ""),
        available, rules, now=now, booking_id=tables.new_id("bkg"))
    row = bt.Booking(id=domain.id, service=domain.service.value, performer=domain.performer.value,
                     resource_id=domain.resource_id, customer_id=domain.customer_id, store_id=domain.store_id,
                     start_at=domain.start, end_at=domain.end, blocked_start=domain.blocked.start,
                     blocked_end=domain.blocked.end, status=domain.status.value, address=domain.address,
                     video_link=domain.video_link, note=domain.note, design_id=domain.design_id,
                     order_id=domain.order_id, history=[_event_out(e) for e in domain.history], issues=[])
    db.add(row)
    _insert_cells(db, domain, rules)
    if domain.design_id and domain.performer is Performer.DESIGNER:
        _start_share(db, domain.design_id, domain.resource_id)
        db.flush()
    return row


# --- changing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    action: str
    start: datetime | None = None
    reason: str | None = None
    video_link: str | None = None
    note: str | None = None
    description: str | None = None
    photo_ids: Sequence[str] = ()


def change(db: Session, actor: Actor, booking_id: str, change: Change, now: datetime,
           rules: BookingRules = DEFAULT_RULES) -> bt.Booking:
    """Apply one action of :data:`ACTIONS` to a visible booking (rerun once more if a lock wait failed)."""
    return transactions.retry_locked(db, lambda: _change(db, actor, booking_id, change, now, rules))


def _change(db: Session, actor: Actor, booking_id: str, change: Change, now: datetime,
            rules: BookingRules) -> bt.Booking:
    row = get_booking(db, actor, booking_id)
    who = party(db, actor)
    before = to_domain(row)
    action = change.action
    if action not in ACTIONS:
        raise InvalidInput(f"unknown action '{action}'; expected one of {', '.join(ACTIONS)}", field="action")
    if action == "cancel":
        after = core.cancel(before, who, now, rules, change.reason).booking
    elif action == "decline":
        after = core.decline(before, who, now, change.reason or "")
    elif action == "confirm":
        after = core.confirm(before, who, now, video_link=change.video_link)
    elif action == "complete":
        after = core.complete(before, who, now, change.note)
    elif action == "no_show":
        after = core.mark_no_show(before, who, now)
    elif action == "arrive":
        after = core.record_arrival(before, who, now)
    elif action == "report_issue":
        photos = _own_uploads(db, actor, change.photo_ids)
        after = core.report_issue(before, who, now, change.description or "", photos)
    elif action == "add_photos":
        photos = _own_uploads(db, actor, change.photo_ids)
        after = core.add_work_photos(before, who, now, change.description or "", photos)
    else:
        if change.start is None:
            raise InvalidInput("give the new start", field="start")
        core.check_party(before, who)
        new_start = as_utc(change.start, "start")
        stype = service_type(before.service, rules)
        available = booking_resources.slots(db, before.resource_id, before.service.value, new_start - stype.duration,
                                    new_start + rules.slot, now, rules, exclude_booking_id=before.id)
        after = core.reschedule(before, who, new_start, available, rules, now=now)
    _write_back(row, after, now)
    if action == "reschedule":
        _delete_cells(db, row.id)
        _insert_cells(db, after, rules)
        notifications.cancel_reminders(db, row.id)
        notifications.write(db, after, MessageKind.CHANGE, now, previous_start=before.start, rules=rules)
        if after.status is core.BookingStatus.CONFIRMED:
            notifications.write(db, after, MessageKind.REMINDER, now, due_at=reminder_due_at(after.start),
                                rules=rules)
    elif after.status is not before.status:
        _after_status_change(db, row, after, now, rules)
    db.flush()
    return row


def _after_status_change(db: Session, row: bt.Booking, after: core.Booking, now: datetime,
                         rules: BookingRules) -> None:
    status = after.status
    if status in (core.BookingStatus.CANCELLED, core.BookingStatus.DECLINED):
        _delete_cells(db, row.id)
        notifications.cancel_reminders(db, row.id)
        notifications.write(db, after, MessageKind.CANCELLATION, now, rules=rules)
    if status is core.BookingStatus.CONFIRMED:
        notifications.confirmed(db, after, now, rules)
    if status is core.BookingStatus.COMPLETED:
        notifications.write(db, after, MessageKind.RATING_REQUEST, now, rules=rules)
        if row.service == "installation" and row.order_id:
            _mark_installed(db, row.order_id, row.resource_id, now)
    if status in core.FINAL_STATUSES:
        _end_share(db, row)
        last = after.history[-1] if after.history else None
        escrow.on_booking_ended(db, row, status, last.actor_id if last else None,
                                last is not None and last.actor_role is Role.HOMEOWNER, now, rules=rules)


def _mark_installed(db: Session, order_id: str, team_id: str, now: datetime) -> None:
    """A completed installation moves its shipped order to "installed", as an event of the order."""
    order = db.get(tables.Order, order_id)
    if order is None or order.status != OrderStatus.SHIPPED:
        return
    db.add(tables.OrderEvent(order_id=order.id, status=OrderStatus.INSTALLED.value, previous_status=order.status,
                             note=f"installation completed by {team_id}", at=now))
    order.status = OrderStatus.INSTALLED.value
    order.updated_at = now
    db.flush()
    points.on_order_installed(db, order, None)


def booking_photo(db: Session, actor: Actor, booking_id: str, upload_id: str) -> tables.Upload:
    """A photo recorded with a booking (work done or an issue), for anyone who may see the booking (its
    customer, performer side, store, admin); a photo the booking does not hold answers 404 like the rest."""
    row = get_booking(db, actor, booking_id)
    if not any(upload_id in (i.get("photo_ids") or ()) for i in row.issues or []):
        raise NotFound(f"no photo '{upload_id}' on this booking", field="upload_id")
    found = db.get(tables.Upload, upload_id)
    if found is None:
        raise NotFound(f"no photo '{upload_id}' on this booking", field="upload_id")
    return found


def _own_uploads(db: Session, actor: Actor, ids: Sequence[str]) -> tuple[str, ...]:
    if len(ids) > 20:
        raise InvalidInput("attach at most 20 photos", field="photo_ids")
    for upload_id in ids:
        upload_svc.get_upload(db, actor, upload_id)
    return tuple(ids)


# --- ratings and follow-up cases -------------------------------------------------------------------


def _rating_domain(row: bt.Rating) -> core_ratings.Rating:
    return core_ratings.Rating(row.booking_id, row.customer_id, row.performer_id, row.store_id, row.service,
                               row.stars, dict(row.dimensions or {}), row.comment, row.created_at, row.updated_at)


def rate(db: Session, actor: Actor, booking_id: str, stars: int, comment: str, dimensions: dict[str, int],
         now: datetime, rules: BookingRules = DEFAULT_RULES) -> tuple[bt.Rating, bt.FollowUpCase | None, bool]:
    """Rate (or, within the edit window, re-rate) a completed booking. Returns (rating, new case, created)."""
    row = get_booking(db, actor, booking_id)
    who = party(db, actor)
    existing = db.get(bt.Rating, row.id)
    if existing is None:
        outcome = core_ratings.rate(to_domain(row), who, stars, comment, now=now, dimensions=dimensions, rules=rules)
        rating = bt.Rating(booking_id=row.id, customer_id=row.customer_id, performer_id=row.resource_id,
                           store_id=row.store_id, service=row.service, created_at=now)
        db.add(rating)
    else:
        open_case = db.scalar(select(func.count()).select_from(bt.FollowUpCase).where(
            bt.FollowUpCase.booking_id == row.id, bt.FollowUpCase.status != core_ratings.CaseStatus.CLOSED.value))
        outcome = core_ratings.edit_rating(_rating_domain(existing), who, stars, comment, now=now,
                                           dimensions=dimensions, open_case_exists=bool(open_case), rules=rules)
        rating = existing
    rating.stars = outcome.rating.stars
    rating.dimensions = dict(outcome.rating.dimensions)
    rating.comment = outcome.rating.comment
    rating.updated_at = now
    case_row = None
    if outcome.follow_up is not None:
        case = outcome.follow_up
        case_row = bt.FollowUpCase(id=tables.new_id("case"), booking_id=case.booking_id, store_id=case.store_id,
                                   customer_id=case.customer_id, performer_id=case.performer_id,
                                   service=case.service, stars=case.stars, comment=case.comment,
                                   status=case.status.value, opened_at=case.opened_at)
        db.add(case_row)
    db.flush()
    if existing is None:
        points.on_rating(db, rating)
    return rating, case_row, existing is None


def list_cases(db: Session, actor: Actor, status: str | None = None) -> list[bt.FollowUpCase]:
    query = policy.visible_follow_up_cases(actor)
    if status:
        query = query.where(bt.FollowUpCase.status == status)
    return list(db.scalars(query.order_by(bt.FollowUpCase.opened_at.desc(), bt.FollowUpCase.id)))


def handle_case(db: Session, actor: Actor, case_id: str, action: str, resolution: str, now: datetime
                ) -> bt.FollowUpCase:
    row = db.scalar(policy.visible_follow_up_cases(actor).where(bt.FollowUpCase.id == case_id))
    if row is None:
        raise NotFound(f"no follow-up case '{case_id}' that you can see", field="case_id")
    case = core_ratings.FollowUpCase(
        id=row.id, booking_id=row.booking_id, store_id=row.store_id, customer_id=row.customer_id,
        performer_id=row.performer_id, service=row.service, stars=row.stars, comment=row.comment,
        opened_at=row.opened_at, status=core_ratings.CaseStatus(row.status), acknowledged_by=row.acknowledged_by,
        acknowledged_at=row.acknowledged_at, closed_by=row.closed_by, closed_at=row.closed_at,
        resolution=row.resolution)
    who = party(db, actor)
    if action == "acknowledge":
        case = core_ratings.acknowledge_case(case, who, now)
    elif action == "close":
        case = core_ratings.close_case(case, who, now, resolution)
    else:
        raise InvalidInput("action is 'acknowledge' or 'close'", field="action")
    row.status = case.status.value
    row.acknowledged_by, row.acknowledged_at = case.acknowledged_by, case.acknowledged_at
    row.closed_by, row.closed_at, row.resolution = case.closed_by, case.closed_at, case.resolution
    db.flush()
    return row  # type: ignore[no-any-return]


# --- after-sales -----------------------------------------------------------------------------------


def request_service(db: Session, actor: Actor, order_id: str, kind: str, description: str,
                    part_id: str | None, photo_ids: Sequence[str]) -> bt.ServiceRequest:
    """A customer asks for repair, maintenance or a replacement part on an installed order."""
    order = db.scalar(policy.visible_orders(actor).where(tables.Order.id == order_id))
    if order is None or (actor.role != Role.ADMIN and order.owner_id != actor.id):
        raise NotFound(f"no order '{order_id}' of yours", field="order_id")
    if kind not in bt.SERVICE_REQUEST_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(bt.SERVICE_REQUEST_KINDS)}", field="kind")
    text = description.strip()
    if not text:
        raise InvalidInput("describe what needs repair, maintenance or replacing", field="description")
    if order.status != OrderStatus.INSTALLED:
        raise Conflict("after-sales service is for installed orders", field="order_id",
                       extra={"order_status": order.status})
    photos = _own_uploads(db, actor, photo_ids)
    store_id = db.scalar(select(bt.Booking.store_id).where(
        (bt.Booking.order_id == order.id) | (bt.Booking.design_id == order.design_id))
        .order_by(bt.Booking.created_at.desc()).limit(1))
    row = bt.ServiceRequest(order_id=order.id, customer_id=order.owner_id, store_id=store_id, kind=kind,
                            part_id=(part_id or "").strip()[:80] or None, description=text[:4000],
                            photo_upload_ids=list(photos), status=ServiceRequestStatus.OPEN.value)
    db.add(row)
    db.flush()
    return row


def list_service_requests(db: Session, actor: Actor) -> list[bt.ServiceRequest]:
    query = policy.visible_service_requests(actor)
    return list(db.scalars(query.order_by(bt.ServiceRequest.created_at.desc(), bt.ServiceRequest.id)))


def assign_service_request(db: Session, actor: Actor, request_id: str, team_id: str) -> bt.ServiceRequest:
    """The store assigns an after-sales request to an installer team; the customer then books a visit."""
    if actor.role not in (Role.STORE_MANAGER, Role.ADMIN):
        raise NotFound(f"no service request '{request_id}'", field="request_id")
    found = db.scalar(policy.visible_service_requests(actor).where(bt.ServiceRequest.id == request_id))
    if not isinstance(found, bt.ServiceRequest):
        raise NotFound(f"no service request '{request_id}'", field="request_id")
    row = found
    if row.status not in (ServiceRequestStatus.OPEN, ServiceRequestStatus.ASSIGNED):
        raise Conflict(f"this request is already {row.status}", field="request_id")
    if db.get(bt.InstallerTeam, team_id) is None:
        raise InvalidInput("choose one of the installer teams", field="team_id")
    row.assigned_to, row.status, row.updated_at = team_id, ServiceRequestStatus.ASSIGNED.value, tables.utcnow()
    db.flush()
    return row


def schedule_service_request(db: Session, actor: Actor, request_id: str, start: datetime, now: datetime,
                             rules: BookingRules = DEFAULT_RULES) -> bt.Booking:
    """The customer books the assigned team's visit, under the same rules as any booking."""
    row = db.get(bt.ServiceRequest, request_id)
    if row is None or row.customer_id != actor.id:
        raise NotFound(f"no service request '{request_id}' of yours", field="request_id")
    if row.status != ServiceRequestStatus.ASSIGNED or not row.assigned_to:
        raise Conflict("the store has not assigned this request to a team yet", field="request_id")
    order = db.get(tables.Order, row.order_id)
    if order is None:
        raise NotFound("the order of this request is gone", field="request_id")
    address = str((order.delivery or {}).get("address", "")) or None
    note = f"after-sales {row.kind}: {row.description}"[:2000]
    choice = core.BookingChoice(row.assigned_to, "installation", start, order.design_id, order.id, address, note=note)
    booking = book(db, actor, choice, now, rules)
    row.status, row.booking_id, row.updated_at = ServiceRequestStatus.SCHEDULED.value, booking.id, tables.utcnow()
    db.flush()
    return booking


def service_requests_of_order(db: Session, actor: Actor, order_id: str) -> list[bt.ServiceRequest]:
    query = select(bt.ServiceRequest).where(bt.ServiceRequest.order_id == order_id,
                                            bt.ServiceRequest.customer_id == actor.id)
    return list(db.scalars(query.order_by(bt.ServiceRequest.created_at)))
