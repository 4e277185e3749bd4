"""Pages of the service loop: find and book a designer, my bookings, the designer's agenda and
measurement form, approval of a measured revision, the store's agenda, follow-up cases and
after-sales requests, the installer's jobs. Every page answers 404 to roles it is not for and
sends anonymous visitors to the login page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from backend.booking.availability import as_utc
from backend.booking.outbox import format_local
from backend.booking.rules import BookingChoice, BookingStatus, allowed_transitions
from backend.booking.service_types import BookingRules, ServiceCode, service_type
from backend.commerce.relay import CONTACT_DAYS_AFTER
from backend.enums import Role
from backend.errors import DomainError, InvalidInput, NotFound
from backend.services import (
    booking_measurements,
    booking_resources,
    booking_views,
    configurator,
    contact,
    designs,
    guarantees,
    order_views,
    portfolios,
)
from backend.services import bookings as svc
from backend.services import uploads as upload_svc
from backend.services.actor import Actor
from backend.web import deps, i18n
from backend.web.api.bookings import booking_rules, clock
from backend.web.api.uploads import read_limited
from backend.web.deps import DbDep, SettingsDep, StoreDep
from backend.web.errors import status_of
from backend.web.pages import locale_of, redirect, render

router = APIRouter(include_in_schema=False)
CUSTOMER = (Role.HOMEOWNER, Role.ADMIN)
PERFORMERS = (Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN)
STYLES = ("modern", "Nordic", "Chinese", "Mediterranean", "industrial", "minimalist", "classic")
Customer = Annotated[Actor, deps.page_roles(*CUSTOMER)]
Party = Annotated[Actor, deps.page_roles(*CUSTOMER, *PERFORMERS)]
Homeowner = Annotated[Actor, deps.page_roles(Role.HOMEOWNER)]
Designer = Annotated[Actor, deps.page_roles(Role.DESIGNER)]
Measurer = Annotated[Actor, deps.page_roles(Role.DESIGNER, Role.ADMIN)]
StoreStaff = Annotated[Actor, deps.page_roles(Role.STORE_MANAGER, Role.ADMIN)]
Installer = Annotated[Actor, deps.page_roles(Role.INSTALLER)]


def _lang(request: Request) -> str:
    return "zh-Hans" if getattr(request.state, "locale", "en") == "zh_Hans" else "en"


def _local(request: Request, moment: datetime, tz_name: str) -> str:
    return format_local(moment, booking_resources.zone(tz_name), _lang(request))


def _booking_rows(request: Request, db: DbDep, rows: Sequence[Any]) -> list[dict[str, Any]]:
    zones = booking_views.store_zones(db, rows)
    who = svc.names(db, {r.resource_id for r in rows} | {r.customer_id for r in rows})
    tz = booking_resources.DEFAULT_TZ
    return [{"b": r, "when": _local(request, r.start_at, zones.get(r.store_id, tz)),
             "tz": zones.get(r.store_id, tz), "performer": who.get(r.resource_id, r.resource_id),
             "customer": who.get(r.customer_id, r.customer_id)} for r in rows]


# --- homeowner: find and book a designer ---------------------------------------------------------------


@router.get("/designers", response_class=HTMLResponse)
def designers_page(request: Request, db: DbDep, actor: Customer, service: str = "store_consultation",
                   style: str = "", district: str = "", min_rating: str = "", design: str = "") -> Response:
    """Search designers; ``design`` (booking from a design page) is carried on to the booking form."""
    error = None
    hits: list[booking_resources.DesignerHit] = []
    try:
        rating = float(min_rating) if min_rating else None
        hits = booking_resources.search(db, service=service or None, styles=[style] if style else [],
                                district=district or None, min_rating=rating, now=clock(request),
                                rules=booking_rules(request))
    except (DomainError, ValueError) as exc:
        error = exc.detail if isinstance(exc, DomainError) else str(exc)
    services = [c.value for c in ServiceCode if c is not ServiceCode.INSTALLATION]
    projects = portfolios.project_counts(db, [h.view.user.id for h in hits])
    return render(request, "booking/designers.html", {
        "hits": hits, "projects": projects, "service": service, "style": style, "district": district,
        "min_rating": min_rating,
        "services": services, "styles": STYLES, "error": error, "design": design}, 422 if error else 200)


def _designer_context(request: Request, db: DbDep, actor: Actor, designer_id: str, service: str,
                      week: int) -> dict[str, Any]:
    view = booking_resources.get_designer(db, designer_id)
    now = clock(request)
    offered = [s for s in view.profile.services if s != ServiceCode.INSTALLATION.value]
    if service not in offered:
        service = offered[0] if offered else ServiceCode.STORE_CONSULTATION.value
    week = max(0, min(week, 8))
    start = now + timedelta(days=7 * week)
    slots = booking_resources.slots(db, designer_id, service, start, start + timedelta(days=7), now,
                            booking_rules(request)) if offered else []
    tz = view.store.timezone if view.store else booking_resources.DEFAULT_TZ
    days: dict[str, list[dict[str, str]]] = {}
    zone = booking_resources.zone(tz)
    for s in slots:
        local = s.start.astimezone(zone)
        days.setdefault(local.strftime("%Y-%m-%d"), []).append(
            {"value": s.start.isoformat(), "label": local.strftime("%H:%M")})
    own_designs = designs.list_designs(db, actor) if actor.role == Role.HOMEOWNER else []
    return {"view": view, "service": service, "offered": offered, "days": days, "week": week, "tz": tz,
            "projects": portfolios.project_counts(db, [designer_id]).get(designer_id, 0),
            "designs": [d for d in own_designs if d.owner_id == actor.id],
            "needs_address": service_type(service).needs_address,
            "needs_video": service_type(service).needs_video_link, "form": {}}


@router.get("/designers/{designer_id}", response_class=HTMLResponse)
def designer_page(designer_id: str, request: Request, db: DbDep, actor: Customer,
                  service: str = "", week: int = 0, design: str = "") -> Response:
    """Free times and the booking form; ``design`` (from a design page) is selected in the form."""
    ctx = _designer_context(request, db, actor, designer_id, service, week)
    ctx["form"] = {"design_id": design}
    return render(request, "booking/designer.html", ctx)


@router.post("/designers/{designer_id}/book", response_class=HTMLResponse)
def book_form(designer_id: str, request: Request, db: DbDep, actor: Customer,
              service: Annotated[str, Form()] = "", start: Annotated[str, Form()] = "",
              design_id: Annotated[str, Form()] = "", address: Annotated[str, Form()] = "",
              video_link: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
              csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        when = datetime.fromisoformat(start) if start else None
        if when is None:
            raise ValueError("pick a time")
        row = svc.book(db, actor, BookingChoice(designer_id, service, when, design_id or None, None,
                                              address or None, video_link or None, note),
                       clock(request), booking_rules(request))
    except (DomainError, ValueError) as exc:  # shown above the times, the form keeps what was typed
        db.rollback()
        status = status_of(exc) if isinstance(exc, DomainError) else 422
        ctx = _designer_context(request, db, actor, designer_id, service, 0)
        ctx["error"] = exc.detail if isinstance(exc, DomainError) else str(exc)
        ctx["form"] = {"design_id": design_id, "address": address, "video_link": video_link, "note": note}
        if isinstance(exc, DomainError):
            ctx["error_field"], ctx["districts"] = exc.field, exc.extra.get("districts", [])
        return render(request, "booking/designer.html", ctx, status)
    return redirect(f"/bookings/{row.id}")


# --- bookings: list and detail with actions --------------------------------------------------------------


@router.get("/bookings", response_class=HTMLResponse)
def my_bookings(request: Request, db: DbDep, actor: Customer) -> Response:
    rows = svc.list_bookings(db, actor)
    return render(request, "booking/bookings.html", {"rows": _booking_rows(request, db, rows)})


def _detail_context(request: Request, db: DbDep, actor: Actor, row: Any,
                    error: str | None = None) -> dict[str, Any]:
    rules: BookingRules = booking_rules(request)
    now = clock(request)
    who = svc.party(db, actor)
    can = {s.value for s in allowed_transitions(BookingStatus(row.status), who.role)}
    design, rating = booking_views.booking_extras(db, actor, row)
    reschedule: list[dict[str, str]] = []
    zone_name = booking_views.store_zones(db, [row]).get(row.store_id, booking_resources.DEFAULT_TZ)
    open_ = row.status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
    if who.role in (Role.HOMEOWNER, Role.STORE_MANAGER, Role.ADMIN) and open_:
        try:
            found = booking_resources.slots(db, row.resource_id, row.service, now, now + timedelta(days=14), now, rules,
                                    exclude_booking_id=row.id)
        except DomainError:
            found = []
        reschedule = [{"value": s.start.isoformat(), "label": _local(request, s.start, zone_name)}
                      for s in found if s.start != row.start_at][:60]
    return {"row": _booking_rows(request, db, [row])[0], "b": row, "can": can, "role": actor.role,
            "design": design, "reschedule": reschedule, "rating": rating, "error": error,
            "on_site": service_type(row.service).on_site, "tz": zone_name,
            "is_performer": who.role in (Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN),
            "is_customer": actor.id == row.customer_id, "started": now >= row.start_at,
            # the designer's measurement form is offered only when it can be saved; otherwise why not
            "measure_blocker": booking_measurements.measurement_blocker(actor, row, now)
            if row.service == ServiceCode.HOME_MEASUREMENT.value and actor.role in (Role.DESIGNER, Role.ADMIN)
            and row.status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED) else "hidden",
            "visit_from": _local(request, row.blocked_start, zone_name),
            "contact": contact.contact_view(db, actor, row, request.app.state.contact_relay, now),
            "contact_days": CONTACT_DAYS_AFTER, "locale_code": locale_of(request),
            "cases": guarantees.case_views(db, actor, row.id),
            "contact_sent": request.query_params.get("contact") == "sent"}


@router.get("/bookings/{booking_id}", response_class=HTMLResponse)
def booking_page(booking_id: str, request: Request, db: DbDep, actor: Party) -> Response:
    row = svc.get_booking(db, actor, booking_id)
    return render(request, "booking/booking.html", _detail_context(request, db, actor, row))


@router.post("/bookings/{booking_id}/action", response_class=HTMLResponse)
def booking_action(booking_id: str, request: Request, db: DbDep, actor: Party,
                   action: Annotated[str, Form()] = "", start: Annotated[str, Form()] = "",
                   reason: Annotated[str, Form()] = "", video_link: Annotated[str, Form()] = "",
                   description: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "",
                   csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        when = datetime.fromisoformat(start) if start else None
        svc.change(db, actor, booking_id, svc.Change(action, when, reason or None, video_link or None, None,
                                                     description or None), clock(request), booking_rules(request))
    except NotFound:
        raise
    except (DomainError, ValueError) as exc:  # shown above the actions
        if isinstance(exc, DomainError):
            return _refused(request, db, actor, booking_id, exc.detail, status_of(exc))
        return _refused(request, db, actor, booking_id, str(exc), 422)
    return redirect(_next_or_booking(next, booking_id))


def _refused(request: Request, db: DbDep, actor: Actor, booking_id: str, message: str, status: int) -> Response:
    """A refused change to a booking: nothing of it kept, the booking's page with the reason above its actions."""
    db.rollback()
    row = svc.get_booking(db, actor, booking_id)
    return render(request, "booking/booking.html", _detail_context(request, db, actor, row, message), status)


def _next_or_booking(next: str, booking_id: str) -> str:
    """Where a form goes next: its own ``next`` if it is a path on this site, else the booking's page."""
    return next if next.startswith("/") and not next.startswith("//") else f"/bookings/{booking_id}"


@router.post("/bookings/{booking_id}/contact", response_class=HTMLResponse)
def booking_contact(booking_id: str, request: Request, db: DbDep, actor: Party,
                    kind: Annotated[str, Form()] = "message", text: Annotated[str, Form()] = "",
                    csrf_token: Annotated[str, Form()] = "") -> Response:
    """A call or a message to the other side of the booking, through the contact relay (404 for anyone who
    is not one of the booking's two sides)."""
    deps.check_csrf(request, csrf_token)
    try:
        contact.send(db, actor, booking_id, kind, text, request.app.state.contact_relay, clock(request))
    except NotFound:
        raise
    except DomainError as exc:
        return _refused(request, db, actor, booking_id, exc.detail, status_of(exc))
    return redirect(f"/bookings/{booking_id}?contact=sent#contact")


MAX_PHOTOS_PER_POST = 10
"""A phone sends a handful of photos at a time (each up to the upload limit)."""


@router.post("/bookings/{booking_id}/photos", response_class=HTMLResponse)
def booking_photos_form(booking_id: str, request: Request, db: DbDep, actor: Party, settings: SettingsDep,
                        store: StoreDep, files: Annotated[list[UploadFile], File()],
                        caption: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "work",
                        next: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    """Photos taken on site from the performer's phone: of the work done, or of a problem (then ``caption``
    says what it is). Each photo is checked as an upload; a refused one (not an image, too large) is shown
    with the booking and nothing of the post is kept. A plain def: decoding runs off the event loop."""
    deps.check_csrf(request, csrf_token)
    try:
        sent = [f for f in files if f.filename]
        if not sent:
            raise InvalidInput("choose at least one photo", field="files")
        if len(sent) > MAX_PHOTOS_PER_POST:
            raise InvalidInput(f"send at most {MAX_PHOTOS_PER_POST} photos at a time", field="files")
        svc.get_booking(db, actor, booking_id)  # a booking they cannot see is a 404 before anything is stored
        limits = upload_svc.UploadLimits(settings.max_upload_bytes, settings.max_upload_pixels)
        ids = [upload_svc.store_upload(db, store, actor, read_limited(f, settings.max_upload_bytes),
                                       f.filename or "", limits).id for f in sent]
        action = "report_issue" if kind == "issue" else "add_photos"
        svc.change(db, actor, booking_id, svc.Change(action, description=caption or None, photo_ids=ids),
                   clock(request), booking_rules(request))
    except NotFound:
        raise
    except DomainError as exc:
        return _refused(request, db, actor, booking_id, exc.detail, status_of(exc))
    return redirect(_next_or_booking(next, booking_id))


@router.post("/bookings/{booking_id}/rate", response_class=HTMLResponse)
def rate_form(booking_id: str, request: Request, db: DbDep, actor: Customer,
              stars: Annotated[int, Form()] = 0, comment: Annotated[str, Form()] = "",
              punctuality: Annotated[int, Form()] = 0, professionalism: Annotated[int, Form()] = 0,
              communication: Annotated[int, Form()] = 0, tidiness: Annotated[int, Form()] = 0,
              csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    dims = {k: v for k, v in (("punctuality", punctuality), ("professionalism", professionalism),
                              ("communication", communication), ("tidiness", tidiness)) if v}
    try:
        svc.rate(db, actor, booking_id, stars, comment, dims, clock(request), booking_rules(request))
    except NotFound:
        raise
    except DomainError as exc:  # shown next to the rating form
        db.rollback()
        row = svc.get_booking(db, actor, booking_id)
        return render(request, "booking/booking.html", _detail_context(request, db, actor, row, exc.detail),
                      status_of(exc))
    return redirect(f"/bookings/{booking_id}")


# --- designer: agenda and measurement --------------------------------------------------------------------


def _agenda(request: Request, db: DbDep, actor: Actor, view: str, day: str, tz_name: str,
            template: str) -> Response:
    zone = booking_resources.zone(tz_name)
    try:
        first = date.fromisoformat(day) if day else clock(request).astimezone(zone).date()
    except ValueError:
        first = clock(request).astimezone(zone).date()
    view = "week" if view == "week" else "day"
    if view == "week":
        first -= timedelta(days=first.weekday())
    length = 7 if view == "week" else 1
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(first + timedelta(days=length), time(0), tzinfo=zone)
    rows = svc.list_bookings(db, actor, start=as_utc(start), end=as_utc(end))
    step = timedelta(days=length)
    return render(request, template, {
        "rows": _booking_rows(request, db, rows), "view": view, "day": first.isoformat(), "tz": tz_name,
        "prev": (first - step).isoformat(), "next": (first + step).isoformat(),
        "last": first + step - timedelta(days=1)})


@router.get("/agenda", response_class=HTMLResponse)
def designer_agenda(request: Request, db: DbDep, actor: Designer, view: str = "week",
                    day: str = "") -> Response:
    return _agenda(request, db, actor, view, day, booking_views.own_timezone(db, actor), "booking/agenda.html")


def _measure_context(request: Request, db: DbDep, actor: Actor, row: Any, error: str | None = None,
                     typed: dict[str, str] | None = None, error_field: str | None = None,
                     field_message: str | None = None) -> dict[str, Any]:
    view = designs.get_design(db, actor, row.design_id or "")
    plan = view.document.plan
    zone_name = booking_views.store_zones(db, [row]).get(row.store_id, booking_resources.DEFAULT_TZ)
    return {"b": row, "design": view.row, "walls": plan.walls,
            "wall_names": configurator.wall_labels(view.document, i18n.gettext_for(locale_of(request)).gettext)[""],
            "plan_data": {"walls": [w.model_dump(mode="json", include={"id", "start", "end", "thickness_mm"})
                                    for w in plan.walls],
                          "rooms": [r.model_dump(mode="json", include={"id", "polygon"}) for r in plan.rooms]},
            "blocker": booking_measurements.measurement_blocker(actor, row, clock(request)),
            "visit_from": _local(request, row.blocked_start, zone_name),
            "ceiling": view.document.settings.ceiling_height_mm, "error": error, "typed": typed or {},
            "error_field": error_field, "field_message": field_message}


@router.get("/bookings/{booking_id}/measurement", response_class=HTMLResponse)
def measurement_page(booking_id: str, request: Request, db: DbDep, actor: Measurer) -> Response:
    row = svc.get_booking(db, actor, booking_id)
    if row.service != ServiceCode.HOME_MEASUREMENT.value or row.design_id is None:
        raise NotFound(f"booking '{booking_id}' has no measurement to record", field="booking_id")
    context = _measure_context(request, db, actor, row)
    # a form that cannot be saved is not offered: the page says why (and when it can be)
    return render(request, "booking/measurement.html", context, 409 if context["blocker"] else 200)


@router.post("/bookings/{booking_id}/measurement", response_class=HTMLResponse)
async def measurement_form(booking_id: str, request: Request, db: DbDep, actor: Measurer) -> Response:
    form = await request.form()
    # the database work runs in a worker thread, never on the event loop
    return await run_in_threadpool(_measurement_submit, booking_id, request, db, actor, form)


def _form_field(field: str | None) -> str | None:
    """The form input a service error names: ``measurement.wall_lengths_mm.<wall>`` is ``wall:<wall>``,
    ``measurement.ceiling_height_mm`` is ``ceiling_height_mm``."""
    if not field:
        return None
    parts = field.removeprefix("measurement.").split(".")
    if parts[0] == "wall_lengths_mm" and len(parts) > 1:
        return f"wall:{parts[1]}"
    return parts[0]


def _measurement_submit(booking_id: str, request: Request, db: DbDep, actor: Actor, form: FormData) -> Response:
    deps.check_csrf(request, str(form.get("csrf_token") or ""))
    svc.get_booking(db, actor, booking_id)
    typed = {key: str(value) for key, value in form.items()
             if key.startswith("wall:") or key in ("ceiling_height_mm", "out_of_square_mm", "note")}
    data: dict[str, Any] = {"wall_lengths_mm": {}, "note": typed.get("note", "")}
    error = field = message = None
    status = 422

    def number(key: str, default: str) -> float:
        nonlocal field
        text = typed.get(key, "").strip() or default
        try:
            return float(text)
        except ValueError:
            field = key
            raise

    try:
        for key in typed:
            if key.startswith("wall:") and typed[key].strip():
                data["wall_lengths_mm"][key[5:]] = number(key, "")
        data["ceiling_height_mm"] = number("ceiling_height_mm", "0")
        data["out_of_square_mm"] = number("out_of_square_mm", "0")
        booking_measurements.record_measurement(db, actor, booking_id, data, clock(request))
    except ValueError:  # shown above the lengths and next to the one, which keep what was typed
        error = "enter lengths as numbers of millimetres"
        message = None  # the page says it in the person's language
    except DomainError as exc:
        error, status, field = exc.detail, status_of(exc), _form_field(exc.field)
        errors = exc.extra.get("errors") or [{"message": exc.detail}]
        message = str(errors[0].get("message") or exc.detail)
    if error is not None:
        db.rollback()
        row = svc.get_booking(db, actor, booking_id)
        return render(request, "booking/measurement.html",
                      _measure_context(request, db, actor, row, error, typed, field, message), status)
    return redirect(f"/bookings/{booking_id}")


# --- homeowner: approve a measured revision ---------------------------------------------------------------


def _approval_context(db: DbDep, actor: Actor, design_id: str, error: str | None = None) -> dict[str, Any]:
    return booking_views.approval_view(db, actor, design_id) | {"error": error}


@router.get("/designs/{design_id}/approval", response_class=HTMLResponse)
def approval_page(design_id: str, request: Request, db: DbDep, actor: Homeowner) -> Response:
    return render(request, "booking/approval.html", _approval_context(db, actor, design_id))


@router.post("/designs/{design_id}/approval", response_class=HTMLResponse)
def approval_form(design_id: str, request: Request, db: DbDep, actor: Homeowner,
                  decision: Annotated[str, Form()] = "", comment: Annotated[str, Form()] = "",
                  csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        choice: Literal["approve", "request_changes"] = "approve" if decision == "approve" else "request_changes"
        booking_measurements.decide(db, actor, design_id, choice, comment, clock(request))
    except NotFound:
        raise
    except DomainError as exc:  # shown above the decision
        db.rollback()
        return render(request, "booking/approval.html", _approval_context(db, actor, design_id, exc.detail),
                      status_of(exc))
    return redirect(f"/designs/{design_id}/approval")


# --- store manager: agenda, follow-up cases, after-sales requests -----------------------------------------


@router.get("/store/agenda", response_class=HTMLResponse)
def store_agenda(request: Request, db: DbDep, actor: StoreStaff, view: str = "week", day: str = "") -> Response:
    return _agenda(request, db, actor, view, day, booking_views.own_timezone(db, actor),
                   "booking/store_agenda.html")


@router.get("/store/follow-ups", response_class=HTMLResponse)
def follow_ups_page(request: Request, db: DbDep, actor: StoreStaff) -> Response:
    cases = svc.list_cases(db, actor)
    who = svc.names(db, {c.customer_id for c in cases} | {c.performer_id for c in cases})
    return render(request, "booking/follow_ups.html", {"cases": cases, "names": who})


@router.post("/store/follow-ups/{case_id}", response_class=HTMLResponse)
def follow_up_form(case_id: str, request: Request, db: DbDep, actor: StoreStaff,
                   action: Annotated[str, Form()] = "", resolution: Annotated[str, Form()] = "",
                   csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        svc.handle_case(db, actor, case_id, action, resolution, clock(request))
    except NotFound:
        raise
    except DomainError as exc:  # shown above the cases
        db.rollback()
        cases = svc.list_cases(db, actor)
        who = svc.names(db, {c.customer_id for c in cases} | {c.performer_id for c in cases})
        return render(request, "booking/follow_ups.html", {"cases": cases, "names": who, "error": exc.detail},
                      status_of(exc))
    return redirect("/store/follow-ups")


@router.get("/store/service-requests", response_class=HTMLResponse)
def service_requests_page(request: Request, db: DbDep, actor: StoreStaff) -> Response:
    rows = svc.list_service_requests(db, actor)
    teams = booking_views.installer_teams(db)
    parts = order_views.service_request_parts(db, rows, i18n.gettext_for(locale_of(request)).gettext)
    return render(request, "booking/service_requests.html",
                  {"requests": rows, "names": svc.names(db, {r.customer_id for r in rows} | {t.id for t in teams}),
                   "teams": teams, "parts": parts})


@router.post("/store/service-requests/{request_id}/assign")
def assign_service_request_form(request_id: str, request: Request, db: DbDep, actor: StoreStaff,
                                team_id: Annotated[str, Form()] = "",
                                csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        svc.assign_service_request(db, actor, request_id, team_id)
    except NotFound:
        raise
    except DomainError:  # the list shows the request unchanged
        db.rollback()
    return redirect("/store/service-requests")


# --- installer: my jobs ----------------------------------------------------------------------------------


@router.get("/jobs", response_class=HTMLResponse)
def installer_jobs(request: Request, db: DbDep, actor: Installer) -> Response:
    team = booking_resources.team_of(db, actor.id)
    rows = svc.list_bookings(db, actor)
    now = clock(request)
    started = {r.id for r in rows if now >= r.blocked_start}
    return render(request, "booking/jobs.html", {"rows": _booking_rows(request, db, rows), "team": team,
                                                 "started_ids": started})
