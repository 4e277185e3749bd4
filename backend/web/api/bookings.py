"""Designers, slots, bookings, ratings, measurements, approvals, follow-up cases, after-sales requests.

Times are ISO 8601 with an offset (``2026-06-05T10:00:00+08:00``); answers are in UTC with the
local time of the store beside them where a person reads them. Every error is a problem document.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from backend.booking.availability import as_utc
from backend.booking.outbox import format_local
from backend.booking.service_types import DEFAULT_RULES, BookingRules
from backend.enums import Role
from backend.errors import NotFound
from backend.notify import make_sender
from backend.services import booking_measurements, booking_resources, notifications
from backend.services import bookings as svc
from backend.web.answers import json_answer
from backend.web.api.uploads import image_response
from backend.web.booking_schemas import (
    ApprovalIn,
    ApprovalOut,
    BookingChange,
    BookingCreate,
    BookingOut,
    CaseAction,
    DeliveryOut,
    DesignerOut,
    FollowUpOut,
    MeasurementIn,
    MeasurementOut,
    RatingIn,
    RatingOut,
    ServiceRequestIn,
    ServiceRequestOut,
    SlotsOut,
    designer_out,
    rating_out,
    slots_json,
)
from backend.web.deps import ActorDep, ActorLookupDep, DbDep, SettingsDep, StoreDep
from backend.web.schemas import Moment

router = APIRouter(prefix="/api", tags=["bookings"])


def clock(request: Request) -> datetime:
    """Now, in UTC. Tests and benchmarks may set ``app.state.booking_clock`` to a function."""
    fn: Callable[[], datetime] | None = getattr(request.app.state, "booking_clock", None)
    return as_utc(fn()) if fn is not None else datetime.now(UTC)


def booking_rules(request: Request) -> BookingRules:
    """The booking rules (``app.state.booking_rules`` when set, else the defaults)."""
    rules: BookingRules = getattr(request.app.state, "booking_rules", DEFAULT_RULES)
    return rules


async def _clock_dep(request: Request) -> datetime:
    return clock(request)


async def _rules_dep(request: Request) -> BookingRules:
    return booking_rules(request)


# coroutines, as dependencies: FastAPI runs a plain function in a worker thread, and a thread hop (two per
# booking request, for these) costs more than reading the clock or the rules does (see backend.web.deps)
NowDep = Annotated[datetime, Depends(_clock_dep)]
RulesDep = Annotated[BookingRules, Depends(_rules_dep)]
SlotFrom = Annotated[Moment | None, Query(alias="from", description="start of the range, with offset")]
SlotTo = Annotated[Moment | None, Query(alias="to", description="end of the range (default from + 7 days)")]


def _range(start: datetime | None, end: datetime | None, now: datetime, days: int = 7) -> tuple[datetime, datetime]:
    start = as_utc(start, "from") if start is not None else now
    end = as_utc(end, "to") if end is not None else start + timedelta(days=days)
    return start, end


@router.get("/designers", response_model=list[DesignerOut])
def search_designers(
    db: DbDep, actor: ActorDep, now: NowDep, rules: RulesDep,
    service: str | None = None, style: Annotated[list[str] | None, Query()] = None, store: str | None = None,
    district: str | None = None, min_rating: float | None = None,
    start: SlotFrom = None, end: SlotTo = None,
) -> list[DesignerOut]:
    """Designers matching the filters, best first; with a service and from/to, only those with a free slot."""
    if start is not None or end is not None:
        start, end = _range(start, end, now)
    hits = booking_resources.search(db, service=service, styles=style or [], store_id=store, district=district,
                            min_rating=min_rating, start=start, end=end, now=now, rules=rules)
    return [designer_out(h.view, h.hit.free_slots, h.hit.score) for h in hits]


@router.get("/designers/{designer_id}", response_model=DesignerOut)
def get_designer(designer_id: str, db: DbDep, actor: ActorDep) -> DesignerOut:
    return designer_out(booking_resources.get_designer(db, designer_id))


def _slots(db: DbDep, resource_id: str, service: str, start: datetime | None, end: datetime | None,
           now: datetime, rules: BookingRules) -> Response:
    lo, hi = _range(start, end, now)
    res = booking_resources.resource(db, resource_id)
    found = booking_resources.slots(db, resource_id, service, lo, hi, now, rules)
    return json_answer(slots_json(res.id, service, res.tz, found), db)


@router.get("/designers/{designer_id}/slots", response_model=SlotsOut)
def designer_slots(designer_id: str, service: str, db: DbDep, who: ActorLookupDep, now: NowDep, rules: RulesDep,
                   start: SlotFrom = None, end: SlotTo = None) -> Response:
    """Bookable starts of ``service`` with this designer, from stored hours, exceptions and bookings."""
    who.actor()  # signed in
    booking_resources.check_designer(db, designer_id)  # one query, and _slots finds the designer without one
    return _slots(db, designer_id, service, start, end, now, rules)


@router.get("/teams")
def list_teams(db: DbDep, actor: ActorDep, district: str) -> list[dict[str, object]]:
    """Installer teams serving a district, best rated first."""
    return [{"id": t.id, "name": t.name, "store_id": t.store_id, "districts": list(t.districts)}
            for t in booking_resources.teams_covering(db, district)]


@router.get("/teams/{team_id}/slots", response_model=SlotsOut)
def team_slots(team_id: str, db: DbDep, actor: ActorDep, now: NowDep, rules: RulesDep,
               service: str = "installation", start: SlotFrom = None, end: SlotTo = None) -> Response:
    booking_resources.get_team(db, team_id)
    return _slots(db, team_id, service, start, end, now, rules)


@router.post("/bookings", response_model=BookingOut, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "the slot was just taken, or is not free"}})
def create_booking(body: BookingCreate, db: DbDep, who: ActorLookupDep, now: NowDep, rules: RulesDep) -> Response:
    """Book a slot. The database refuses a second booking of any occupied cell: the loser of a race gets 409."""
    row = svc.book(db, who.actor(), body.choice(), now, rules)
    return json_answer(BookingOut.model_validate(row), db, status.HTTP_201_CREATED)


@router.get("/bookings", response_model=list[BookingOut])
def list_bookings(db: DbDep, actor: ActorDep, start: SlotFrom = None, end: SlotTo = None,
                  status: str | None = None) -> list[BookingOut]:
    """My bookings (homeowner), my agenda (designer, installer), my store's (store manager)."""
    rows = svc.list_bookings(db, actor, start=as_utc(start, "from") if start else None,
                             end=as_utc(end, "to") if end else None, status=status)
    return [BookingOut.model_validate(r) for r in rows]


@router.get("/bookings/{booking_id}", response_model=BookingOut)
def get_booking(booking_id: str, db: DbDep, actor: ActorDep) -> BookingOut:
    return BookingOut.model_validate(svc.get_booking(db, actor, booking_id))


@router.patch("/bookings/{booking_id}", response_model=BookingOut)
def change_booking(booking_id: str, body: BookingChange, db: DbDep, actor: ActorDep, now: NowDep,
                   rules: RulesDep) -> BookingOut:
    """cancel, reschedule (``start``), decline (``reason``), confirm (``video_link`` for online),
    complete, no_show, arrive, report_issue (``description``, ``photo_ids``), add_photos (photos of the work
    done: ``photo_ids`` of your uploads, a caption in ``description``)."""
    row = svc.change(db, actor, booking_id, svc.Change(body.action, body.start, body.reason, body.video_link,
                                                        body.note, body.description, body.photo_ids), now, rules)
    return BookingOut.model_validate(row)


@router.get("/bookings/{booking_id}/photos/{upload_id}")
def booking_photo(booking_id: str, upload_id: str, db: DbDep, actor: ActorDep, store: StoreDep) -> Response:
    """A photo recorded with the booking (work done, an issue), for whoever may see the booking."""
    return image_response(store, svc.booking_photo(db, actor, booking_id, upload_id), "photo")


@router.post("/bookings/{booking_id}/rating", response_model=RatingOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "an existing rating was edited"}})
def rate_booking(booking_id: str, body: RatingIn, response: Response, db: DbDep, actor: ActorDep, now: NowDep,
                 rules: RulesDep) -> RatingOut:
    """Rate a completed service (a second post edits the rating, for 7 days). 2 stars or less opens a
    follow-up case for the store manager."""
    rating, case, created = svc.rate(db, actor, booking_id, body.stars, body.comment, body.dimensions, now, rules)
    if not created:
        response.status_code = status.HTTP_200_OK
    return rating_out(rating, case)


@router.post("/bookings/{booking_id}/measurement", response_model=MeasurementOut,
             status_code=status.HTTP_201_CREATED)
def record_measurement(booking_id: str, body: MeasurementIn, db: DbDep, actor: ActorDep,
                       now: NowDep) -> MeasurementOut:
    """The designer records the measured room; it becomes a new revision the customer must approve."""
    result = booking_measurements.record_measurement(db, actor, booking_id, body.measurement, now, body.base_revision)
    m = result.measurement
    return MeasurementOut(id=m.id, booking_id=m.booking_id, design_id=m.design_id, base_revision=m.base_revision,
                          revision=m.revision, differences=result.differences,
                          approval=ApprovalOut.model_validate(result.approval))


@router.post("/designs/{design_id}/approval", response_model=ApprovalOut)
def decide_approval(design_id: str, body: ApprovalIn, db: DbDep, actor: ActorDep, now: NowDep) -> ApprovalOut:
    """The customer approves the measured revision, or asks for changes (comment required)."""
    row = booking_measurements.decide(db, actor, design_id, body.decision, body.comment, now, body.revision)
    return ApprovalOut.model_validate(row)


@router.get("/designs/{design_id}/approval", response_model=ApprovalOut)
def approval_status(design_id: str, db: DbDep, actor: ActorDep) -> ApprovalOut:
    from backend.services.designs import get_design_row

    row = get_design_row(db, actor, design_id)
    approval = booking_measurements.latest_approval(db, row.id)
    if approval is None:
        raise NotFound("this design has no measured revision", field="design_id")
    return ApprovalOut.model_validate(approval)


@router.get("/follow-ups", response_model=list[FollowUpOut])
def list_follow_ups(db: DbDep, actor: ActorDep, status: str | None = None) -> list[FollowUpOut]:
    return [FollowUpOut.model_validate(c) for c in svc.list_cases(db, actor, status)]


@router.patch("/follow-ups/{case_id}", response_model=FollowUpOut)
def handle_follow_up(case_id: str, body: CaseAction, db: DbDep, actor: ActorDep, now: NowDep) -> FollowUpOut:
    return FollowUpOut.model_validate(svc.handle_case(db, actor, case_id, body.action, body.resolution, now))


@router.post("/orders/{order_id}/service-requests", response_model=ServiceRequestOut,
             status_code=status.HTTP_201_CREATED)
def request_service(order_id: str, body: ServiceRequestIn, db: DbDep, actor: ActorDep) -> ServiceRequestOut:
    """After-sales: repair, maintenance or a replacement part on an installed order."""
    row = svc.request_service(db, actor, order_id, body.kind, body.description, body.part_id, body.photo_ids)
    return ServiceRequestOut.model_validate(row)


@router.get("/service-requests", response_model=list[ServiceRequestOut])
def list_service_requests(db: DbDep, actor: ActorDep) -> list[ServiceRequestOut]:
    return [ServiceRequestOut.model_validate(r) for r in svc.list_service_requests(db, actor)]


@router.post("/outbox/deliver", response_model=DeliveryOut)
def deliver_outbox(db: DbDep, actor: ActorDep, settings: SettingsDep, now: NowDep) -> DeliveryOut:
    """Admin: send the due notifications now, through the configured senders (SMTP when
    ``ROOMWRIGHT_SMTP_HOST`` is set, else ``var/outbox.jsonl``); workers also send them on a schedule."""
    if actor.role != Role.ADMIN:
        raise NotFound("there is nothing at /api/outbox/deliver")
    report = notifications.deliver_due(db, make_sender(settings), now, lock=True)
    return DeliveryOut(sent=report.sent, failed=report.failed, dead=report.dead)


def local_time(moment: datetime, tz_name: str, language: str = "en") -> str:
    """A moment in a store's zone, as people read it (used by the pages)."""
    return format_local(moment, booking_resources.zone(tz_name), language)

