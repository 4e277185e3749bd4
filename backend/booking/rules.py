"""A booking's life: creation checks, the state machine per role, cancel, reschedule, decline,
and the performer's arrival, completion and issue reports.

States::

    requested ──confirm──► confirmed ──complete──► completed
        │                     ├──────no-show──────► no_show
        ├──────decline───────►├──────decline──────► declined
        └──────cancel────────►└──────cancel───────► cancelled

``completed``, ``cancelled``, ``declined`` and ``no_show`` are final. Who may do what is the
table :data:`TRANSITIONS`; on top of the role, the actor must be a party of the booking (the
homeowner who booked, the designer or installer team booked, a manager of the booking's store;
an admin is a party of every booking).

Time rules (``now`` always passed in, never read from the clock):

* create / reschedule: the start is on the grid, at least ``min_notice_hours`` ahead, at most
  ``horizon_days`` ahead, and one of the currently bookable slots.
* cancel by the homeowner: before the start only. Free while ``start - now >= free_cancellation_hours``
  (exactly 24 h before is still free); inside that window a fee is recorded
  (``late_cancellation="fee"``) or the cancellation is refused (``"refuse"``). A store manager or
  admin may cancel until the end, never with a fee to the customer.
* reschedule by the homeowner: only while cancelling would be free, at most ``max_reschedules``
  times; the booking goes back to ``requested`` so the performer confirms the new time. A store
  manager or admin may reschedule any open booking; its status is kept. The old start stays in
  the history.
* decline (designer, installer team, store manager, admin): before the start, reason required.
* confirm: before the start; an online consultation needs a video link by then.
* complete / no-show: from the start on.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from backend.booking.availability import Slot, TimeRange, as_utc, blocked_range, is_bookable, on_grid
from backend.booking.service_types import (
    DEFAULT_RULES,
    BookingRules,
    Performer,
    ServiceCode,
    ServiceType,
    service_type,
)
from backend.enums import Role
from backend.errors import Conflict, Forbidden, InvalidInput


class BookingStatus(StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    NO_SHOW = "no_show"


S = BookingStatus
_PERFORMERS = frozenset({Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN})
_CUSTOMER_SIDE = frozenset({Role.HOMEOWNER, Role.STORE_MANAGER, Role.ADMIN})
#: The roles that take part in bookings (a factory account does not).
BOOKING_ROLES = frozenset({Role.HOMEOWNER, Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN})

TRANSITIONS: Mapping[tuple[BookingStatus, BookingStatus], frozenset[Role]] = {
    (S.REQUESTED, S.CONFIRMED): _PERFORMERS,
    (S.REQUESTED, S.DECLINED): _PERFORMERS,
    (S.CONFIRMED, S.DECLINED): _PERFORMERS,
    (S.REQUESTED, S.CANCELLED): _CUSTOMER_SIDE,
    (S.CONFIRMED, S.CANCELLED): _CUSTOMER_SIDE,
    (S.CONFIRMED, S.COMPLETED): _PERFORMERS,
    (S.CONFIRMED, S.NO_SHOW): _PERFORMERS,
}
"""(from, to) → the roles allowed to make that change. Anything not listed is refused."""

OPEN_STATUSES = frozenset({S.REQUESTED, S.CONFIRMED})
"""Bookings in these states hold their time: pass their ``blocked`` range to ``bookable_slots``."""
FINAL_STATUSES = frozenset({S.COMPLETED, S.CANCELLED, S.DECLINED, S.NO_SHOW})


@dataclass(frozen=True)
class Actor:
    """Who acts. ``store_id`` for store managers, ``team_id`` for installers."""

    role: Role
    id: str
    store_id: str | None = None
    team_id: str | None = None


@dataclass(frozen=True)
class BookingEvent:
    """One line of a booking's history."""

    at: datetime
    action: str
    actor_role: Role
    actor_id: str
    from_status: BookingStatus | None
    to_status: BookingStatus
    detail: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IssueReport:
    """What the performer recorded on site, with uploaded photo ids: a problem found (``kind`` "issue"), or
    photos of the work as done (``kind`` "work": evidence for the customer and the store, the caption in
    ``description``)."""

    at: datetime
    reporter_id: str
    description: str
    photo_ids: tuple[str, ...] = ()
    kind: Literal["issue", "work"] = "issue"


@dataclass(frozen=True)
class BookingChoice:
    """What a homeowner picks: ``resource_id`` (a designer id or an installer team id), the service,
    the start and what the service needs. Pages and the API hand this record to the booking service."""

    resource_id: str
    service: str
    start: datetime
    design_id: str | None = None
    order_id: str | None = None
    address: str | None = None
    video_link: str | None = None
    note: str = ""


@dataclass(frozen=True)
class BookingRequest(BookingChoice):
    """A choice with who books it and the store of the booked resource: what the rules check."""

    customer_id: str = field(kw_only=True)
    store_id: str = field(kw_only=True)


@dataclass(frozen=True)
class Booking:
    id: str
    service: ServiceCode
    performer: Performer
    resource_id: str
    customer_id: str
    store_id: str
    start: datetime
    end: datetime
    blocked: TimeRange
    status: BookingStatus
    design_id: str | None = None
    order_id: str | None = None
    address: str | None = None
    video_link: str | None = None
    note: str = ""
    reschedule_count: int = 0
    cancellation_fee_cents: int = 0
    late_cancellation: bool = False
    reason: str | None = None
    arrived_at: datetime | None = None
    completed_at: datetime | None = None
    issues: tuple[IssueReport, ...] = ()
    history: tuple[BookingEvent, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class CancelOutcome:
    booking: Booking
    late: bool
    fee_cents: int


def allowed_transitions(status: BookingStatus, role: Role) -> frozenset[BookingStatus]:
    """The states ``role`` may move a booking in ``status`` to (time and party rules aside)."""
    return frozenset(to for (frm, to), roles in TRANSITIONS.items() if frm == status and role in roles)


def can_transition(status: BookingStatus, to: BookingStatus, role: Role) -> bool:
    return role in TRANSITIONS.get((status, to), frozenset())


def check_party(booking: Booking, actor: Actor) -> None:
    """:class:`Forbidden` unless ``actor`` is a party of ``booking`` (see the module docstring)."""
    match actor.role:
        case Role.ADMIN:
            ok = True
        case Role.STORE_MANAGER:
            ok = actor.store_id is not None and actor.store_id == booking.store_id
        case Role.HOMEOWNER:
            ok = actor.id == booking.customer_id
        case Role.DESIGNER:
            ok = booking.performer is Performer.DESIGNER and actor.id == booking.resource_id
        case Role.INSTALLER:
            ok = booking.performer is Performer.INSTALLER_TEAM and actor.team_id == booking.resource_id
        case _:
            ok = False
    if not ok:
        raise Forbidden(f"this {actor.role.value} is not a party of booking {booking.id}")


def check_allowed(booking: Booking, to: BookingStatus, actor: Actor) -> None:
    """:class:`Forbidden` unless ``actor`` is a party and its role may move the booking to ``to``."""
    check_party(booking, actor)
    if not can_transition(booking.status, to, actor.role):
        raise Forbidden(f"a {actor.role.value} cannot move a {booking.status.value} booking to {to.value}",
                        field="status", extra={"from": booking.status.value, "to": to.value})


def _transition(booking: Booking, to: BookingStatus, actor: Actor, now: datetime, action: str,
                **changes: Any) -> Booking:
    check_allowed(booking, to, actor)
    event = BookingEvent(now, action, actor.role, actor.id, booking.status, to,
                         {k: str(v) for k, v in changes.items() if v is not None})
    return replace(booking, status=to, history=(*booking.history, event), **changes)


def _require_text(value: str | None, name: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{what} is required", field=name)
    return text


def check_start(start: datetime, rules: BookingRules, now: datetime) -> datetime:
    """The start in UTC if it is on the grid, beyond the minimum notice and inside the horizon."""
    start, now = as_utc(start, "start"), as_utc(now, "now")
    if not on_grid(start, rules):
        raise InvalidInput(f"start must be on the {rules.slot_minutes}-minute grid", field="start")
    if start < now + rules.min_notice:
        raise InvalidInput(f"bookings need at least {rules.min_notice_hours} h notice", field="start")
    if start > now + rules.horizon:
        raise InvalidInput(f"bookings can be made at most {rules.horizon_days} days ahead", field="start")
    return start


def _check_available(resource_id: str, service: ServiceType, start: datetime,
                     available: Sequence[Slot]) -> None:
    mine = [s for s in available
            if s.resource_id in ("", resource_id) and s.service == service.code.value]
    if not is_bookable(mine, start):
        raise Conflict("this time is no longer available; please pick another slot", field="start")


def check_requirements(service: ServiceType, request: BookingRequest) -> None:
    """The fields a service needs: an address on site, an order for installation, a design for
    a home measurement (the measurement is recorded against it)."""
    if service.needs_address:
        _require_text(request.address, "address", f"an address for a {service.code.value}")
    if service.needs_order:
        _require_text(request.order_id, "order_id", "an order for an installation")
    if service.code is ServiceCode.HOME_MEASUREMENT:
        _require_text(request.design_id, "design_id", "a design for a home measurement")


def create_booking(request: BookingRequest, available: Sequence[Slot], rules: BookingRules = DEFAULT_RULES,
                   *, now: datetime, booking_id: str | None = None) -> Booking:
    """Validate ``request`` and return a new booking in state ``requested``.

    ``available`` is the output of ``bookable_slots`` for this resource and service (a range
    covering the start is enough). The database's unique cells still decide races.
    """
    service = service_type(request.service, rules)
    check_requirements(service, request)
    start = check_start(request.start, rules, now)
    _check_available(request.resource_id, service, start, available)
    booking = Booking(
        id=booking_id or f"bkg-{uuid.uuid4().hex[:16]}",
        service=service.code, performer=service.performer, resource_id=request.resource_id,
        customer_id=request.customer_id, store_id=request.store_id, start=start,
        end=start + service.duration, blocked=blocked_range(service, start), status=S.REQUESTED,
        design_id=request.design_id, order_id=request.order_id, address=request.address,
        video_link=request.video_link, note=request.note,
    )
    event = BookingEvent(as_utc(now, "now"), "requested", Role.HOMEOWNER, request.customer_id, None,
                         S.REQUESTED)
    return replace(booking, history=(event,))


def confirm(booking: Booking, actor: Actor, now: datetime, *, video_link: str | None = None) -> Booking:
    now = as_utc(now, "now")
    check_allowed(booking, S.CONFIRMED, actor)
    if now >= booking.start:
        raise Conflict("a booking can only be confirmed before it starts", field="status")
    link = video_link or booking.video_link
    if booking.service is ServiceCode.ONLINE_CONSULTATION:
        link = _require_text(link, "video_link", "a video call link for an online consultation")
    return _transition(booking, S.CONFIRMED, actor, now, "confirmed", video_link=link)


def decline(booking: Booking, actor: Actor, now: datetime, reason: str) -> Booking:
    now = as_utc(now, "now")
    check_allowed(booking, S.DECLINED, actor)
    text = _require_text(reason, "reason", "a reason for declining")
    if now >= booking.start:
        raise Conflict("a booking can only be declined before it starts", field="status")
    return _transition(booking, S.DECLINED, actor, now, "declined", reason=text)


def cancellation_is_free(booking: Booking, now: datetime, rules: BookingRules = DEFAULT_RULES) -> bool:
    """True while ``start - now >= free_cancellation_hours`` (the boundary itself is free)."""
    return booking.start - as_utc(now, "now") >= rules.free_cancellation


def cancel(booking: Booking, actor: Actor, now: datetime, rules: BookingRules = DEFAULT_RULES,
           reason: str | None = None) -> CancelOutcome:
    now = as_utc(now, "now")
    check_allowed(booking, S.CANCELLED, actor)
    customer = actor.role is Role.HOMEOWNER
    if now >= (booking.start if customer else booking.end):
        raise Conflict("this booking has already started and can no longer be cancelled", field="status")
    late = customer and not cancellation_is_free(booking, now, rules)
    if late and rules.late_cancellation == "refuse":
        raise Conflict(f"cancellation is only possible until {rules.free_cancellation_hours} h before "
                       "the start; please contact the store", field="status")
    fee = rules.late_cancellation_fee_cents if late else 0
    new = _transition(booking, S.CANCELLED, actor, now, "cancelled", reason=reason,
                      late_cancellation=late, cancellation_fee_cents=fee)
    return CancelOutcome(new, late, fee)


def reschedule(booking: Booking, actor: Actor, new_start: datetime, available: Sequence[Slot],
               rules: BookingRules = DEFAULT_RULES, *, now: datetime) -> Booking:
    """Move an open booking to ``new_start`` (same id, history kept).

    ``available`` must be computed *without* this booking's own blocked range, so that moving it
    by one slot is possible. In the database, delete its old cells and insert the new ones in
    the same transaction.
    """
    now = as_utc(now, "now")
    check_party(booking, actor)
    if actor.role not in _CUSTOMER_SIDE:
        raise Forbidden(f"a {actor.role.value} cannot reschedule; decline with a reason instead")
    if not booking.is_open:
        raise Conflict(f"a {booking.status.value} booking cannot be rescheduled", field="status")
    customer = actor.role is Role.HOMEOWNER
    if customer and not cancellation_is_free(booking, now, rules):
        raise Conflict(f"rescheduling is only possible until {rules.free_cancellation_hours} h before "
                       "the start", field="start")
    if customer and booking.reschedule_count >= rules.max_reschedules:
        raise Conflict(f"a booking can be rescheduled at most {rules.max_reschedules} times", field="start")
    service = service_type(booking.service, rules)
    start = check_start(new_start, rules, now)
    if start == booking.start:
        raise InvalidInput("the new start is the current start", field="start")
    _check_available(booking.resource_id, service, start, available)
    status = S.REQUESTED if customer else booking.status
    event = BookingEvent(now, "rescheduled", actor.role, actor.id, booking.status, status,
                         {"previous_start": booking.start.isoformat(), "start": start.isoformat()})
    return replace(booking, start=start, end=start + service.duration, blocked=blocked_range(service, start),
                   status=status, reschedule_count=booking.reschedule_count + (1 if customer else 0),
                   history=(*booking.history, event))


def complete(booking: Booking, actor: Actor, now: datetime, note: str | None = None) -> Booking:
    now = as_utc(now, "now")
    check_allowed(booking, S.COMPLETED, actor)
    if now < booking.start:
        raise Conflict("a booking can only be completed once it has started", field="status")
    return _transition(booking, S.COMPLETED, actor, now, "completed", completed_at=now, reason=note)


def mark_no_show(booking: Booking, actor: Actor, now: datetime) -> Booking:
    now = as_utc(now, "now")
    check_allowed(booking, S.NO_SHOW, actor)
    if now < booking.start:
        raise Conflict("a no-show can only be recorded once the booking has started", field="status")
    return _transition(booking, S.NO_SHOW, actor, now, "no_show")


def _check_performer_side(booking: Booking, actor: Actor) -> None:
    check_party(booking, actor)
    if actor.role is Role.HOMEOWNER:
        raise Forbidden("only the designer, installer team, store or an admin can record this")


def record_arrival(booking: Booking, actor: Actor, now: datetime) -> Booking:
    """The performer arrived on site (home measurement, installation); from the travel buffer on."""
    now = as_utc(now, "now")
    _check_performer_side(booking, actor)
    if not service_type(booking.service).on_site:
        raise InvalidInput(f"a {booking.service.value} has no on-site arrival", field="service")
    if booking.status is not S.CONFIRMED:
        raise Conflict("arrival can only be recorded on a confirmed booking, "
                       f"not a {booking.status.value} one", field="status")
    if booking.arrived_at is not None:
        raise Conflict("arrival was already recorded", field="arrived_at")
    if now < booking.blocked.start:
        raise Conflict("arrival cannot be recorded before the visit's time", field="arrived_at")
    event = BookingEvent(now, "arrived", actor.role, actor.id, booking.status, booking.status)
    return replace(booking, arrived_at=now, history=(*booking.history, event))


def report_issue(booking: Booking, actor: Actor, now: datetime, description: str,
                 photo_ids: Sequence[str] = ()) -> Booking:
    """Add an issue (with photo ids) to a confirmed or completed booking."""
    now = as_utc(now, "now")
    _check_performer_side(booking, actor)
    text = _require_text(description, "description", "a description of the issue")
    if booking.status not in (S.CONFIRMED, S.COMPLETED):
        raise Conflict(f"issues cannot be reported on a {booking.status.value} booking", field="status")
    issue = IssueReport(now, actor.id, text, tuple(photo_ids))
    event = BookingEvent(now, "issue_reported", actor.role, actor.id, booking.status, booking.status,
                         {"description": text, "photos": str(len(issue.photo_ids))})
    return replace(booking, issues=(*booking.issues, issue), history=(*booking.history, event))


def add_work_photos(booking: Booking, actor: Actor, now: datetime, caption: str,
                    photo_ids: Sequence[str]) -> Booking:
    """Photos of the work done on site (at least one), taken by the performer's side on a confirmed or
    completed booking; the customer and the store see them with the booking."""
    now = as_utc(now, "now")
    _check_performer_side(booking, actor)
    if not photo_ids:
        raise InvalidInput("attach at least one photo of the work", field="photo_ids")
    if booking.status not in (S.CONFIRMED, S.COMPLETED):
        raise Conflict(f"work photos cannot be added to a {booking.status.value} booking", field="status")
    record = IssueReport(now, actor.id, caption.strip()[:500], tuple(photo_ids), "work")
    event = BookingEvent(now, "work_photos", actor.role, actor.id, booking.status, booking.status,
                         {"photos": str(len(record.photo_ids))})
    return replace(booking, issues=(*booking.issues, record), history=(*booking.history, event))


def shares_design(booking: Booking, designer_id: str) -> bool:
    """True while the booked designer may read and edit the booking's design: from the request
    until the service ends (completed, cancelled, declined or no-show end the sharing)."""
    return (booking.performer is Performer.DESIGNER and booking.resource_id == designer_id
            and booking.design_id is not None and booking.is_open)


def busy_ranges(bookings: Sequence[Booking]) -> list[TimeRange]:
    """The blocked ranges of the open bookings: the ``existing_bookings`` of ``bookable_slots``."""
    return [b.blocked for b in bookings if b.is_open]
