"""Order pages: the customer's order (quote, status timeline), the factory's order detail (parts,
nesting, findings, downloads, status buttons), and the part page behind each label's QR code."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from backend.db import tables
from backend.design.model import Design
from backend.errors import DomainError, NotFound
from backend.services import designs, orders, packages, policy
from backend.web import deps, i18n
from backend.web.deps import DbDep, OptionalUserDep
from backend.web.pages import _actor_or_login, locale_of, redirect, render, render_error_page

router = APIRouter(include_in_schema=False)


def _order_context(db: DbDep, order: tables.Order, actor_role: str) -> dict[str, Any]:
    design = Design.model_validate(order.document)
    events = orders.order_events(db, order)
    quote = order.quote or {}
    settable = sorted(s for s in policy.ORDER_STATUS_SETTERS.get(actor_role, set())
                      if s in policy.ORDER_TRANSITIONS.get(order.status, set()))
    return {"order": order, "design": design, "events": events, "quote": quote,
            "statuses": tables.ORDER_STATUSES, "next_statuses": settable,
            "reached": {e.status for e in events}}


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: str, request: Request, db: DbDep, user: OptionalUserDep) -> Response:
    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    try:
        order = orders.get_order(db, actor, order_id)
    except NotFound:
        return render_error_page(request, 404)
    context = _order_context(db, order, actor.role)
    if order.status == "shipped" and actor.id == order.owner_id:
        context["installation"] = _installation_offer(request, db, order)
    if order.status == "installed" and actor.id == order.owner_id:
        context["service_requests"] = _service_offers(request, db, actor, order)
    return render(request, "order.html", context)


def _service_offers(request: Request, db: DbDep, actor: Any, order: tables.Order) -> list[dict[str, Any]]:
    """The customer's after-sales requests; assigned ones come with the team's free times."""
    from backend.services import bookings

    out = []
    for row in bookings.service_requests_of_order(db, actor, order.id):
        slots = []
        if row.status == "assigned" and row.assigned_to:
            slots = _team_slots(request, db, row.assigned_to, 6)
        out.append({"row": row, "slots": slots})
    return out


@router.post("/orders/{order_id}/service-requests/{request_id}/schedule")
def schedule_service(order_id: str, request_id: str, request: Request, db: DbDep, user: OptionalUserDep,
                     start: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    from backend.services import bookings
    from backend.web.api.bookings import booking_rules, clock

    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    try:
        orders.get_order(db, actor, order_id)
        row = bookings.schedule_service_request(db, actor, request_id, datetime.fromisoformat(start),
                                                clock(request), booking_rules(request))
    except NotFound:
        return render_error_page(request, 404)
    except (DomainError, ValueError):
        db.rollback()
        return redirect(f"/orders/{order_id}#after-sales")
    return redirect(f"/bookings/{row.id}")


def _installation_offer(request: Request, db: DbDep, order: tables.Order) -> dict[str, Any]:
    """Installation slots of the teams that cover the delivery address (the next two weeks), unless
    an installation is already booked for this order."""
    from backend.db import booking_tables as bt

    booked = db.scalar(select(bt.Booking).where(bt.Booking.order_id == order.id,
                                                bt.Booking.status.in_(("requested", "confirmed", "completed"))))
    if booked is not None:
        return {"booked": booked}
    address = str((order.delivery or {}).get("address", ""))
    all_teams = list(db.scalars(select(bt.InstallerTeam).order_by(bt.InstallerTeam.name, bt.InstallerTeam.id)))
    teams = [t for t in all_teams if any(d and d.lower() in address.lower() for d in t.districts)] or all_teams
    offers = []
    for team in teams[:3]:
        offers.append({"team": team, "slots": _team_slots(request, db, team.id, 8)})
    return {"offers": offers, "address": address}


def _team_slots(request: Request, db: DbDep, team_id: str, limit: int) -> list[tuple[str, str]]:
    """A team's next free visit times (two weeks ahead): (ISO start for the form, label in the store's
    time zone)."""
    from backend.services import designers
    from backend.web.api.bookings import booking_rules, clock

    now = clock(request)
    found = designers.slots(db, team_id, "installation", now, now + timedelta(days=14), now, booking_rules(request))
    tz = designers.zone(None)
    return [(slot.start.isoformat(), slot.start.astimezone(tz).strftime("%a %d %b %H:%M")) for slot in found[:limit]]


@router.post("/orders/{order_id}/installation")
def book_installation(order_id: str, request: Request, db: DbDep, user: OptionalUserDep,
                      team_id: Annotated[str, Form()] = "", start: Annotated[str, Form()] = "",
                      csrf_token: Annotated[str, Form()] = "") -> Response:
    from backend.services import bookings
    from backend.web.api.bookings import booking_rules, clock

    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    try:
        order = orders.get_order(db, actor, order_id)
        when = datetime.fromisoformat(start)
        address = str((order.delivery or {}).get("address", "")) or None
        row = bookings.book(db, actor, bookings.NewBooking(team_id, "installation", when, order.design_id, order.id,
                                                           address), clock(request), booking_rules(request))
    except NotFound:
        return render_error_page(request, 404)
    except (DomainError, ValueError) as exc:
        db.rollback()
        order = orders.get_order(db, actor, order_id)
        context = _order_context(db, order, actor.role) | {
            "error": exc.detail if isinstance(exc, DomainError) else "pick one of the offered times"}
        context["installation"] = _installation_offer(request, db, order)
        return render(request, "order.html", context)
    return redirect(f"/bookings/{row.id}")


@router.get("/factory/orders/{order_id}", response_class=HTMLResponse)
def factory_order_page(order_id: str, request: Request, db: DbDep, user: OptionalUserDep) -> Response:
    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    if actor.role not in ("factory", "admin"):
        return render_error_page(request, 404)
    try:
        order = orders.get_order(db, actor, order_id)
    except NotFound:
        return render_error_page(request, 404)
    from backend.bom.parts import nest_parts, parts_list
    from backend.services.catalog import catalog

    context = _order_context(db, order, actor.role)
    design: Design = context["design"]
    plist = parts_list(design, catalog(), order.number)
    context.update({"parts": plist.parts, "groups": plist.groups, "hardware": plist.hardware,
                    "findings": orders.order_checks(design), "nesting": nest_parts(plist, catalog())})
    return render(request, "factory_order.html", context)


@router.post("/orders/{order_id}/status")
def order_status_form(order_id: str, request: Request, db: DbDep, user: OptionalUserDep,
                      status: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
                      csrf_token: Annotated[str, Form()] = "") -> Response:
    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    back = f"/factory/orders/{order_id}" if actor.role in ("factory", "admin") else f"/orders/{order_id}"
    try:
        orders.set_order_status(db, actor, order_id, status, note)
    except NotFound:
        return render_error_page(request, 404)
    except DomainError as exc:
        if actor.role in ("factory", "admin"):
            return redirect(back + "?error=" + exc.code)
        order = orders.get_order(db, actor, order_id)
        return render(request, "order.html", _order_context(db, order, actor.role) | {"error": exc.detail})
    return redirect(back)


def _submit_context(db: DbDep, actor: Any, design_id: str, request: Request) -> dict[str, Any]:
    view = designs.get_design(db, actor, design_id)
    words = i18n.gettext_for(locale_of(request)).gettext
    findings = orders.order_checks(view.document, words) if view.document.cabinets else []
    quote = orders.order_quote(view.document, None) if view.document.cabinets else None
    return {"design": view.document, "design_id": design_id, "revision": view.row.current_revision,
            "blocking": [f for f in findings if f["severity"] == "error"],
            "warnings": [f for f in findings if f["severity"] != "error"], "quote": quote,
            "idempotency_key": secrets.token_urlsafe(12), "delivery": {}}


@router.get("/designs/{design_id}/order", response_class=HTMLResponse)
def order_submit_page(design_id: str, request: Request, db: DbDep, user: OptionalUserDep) -> Response:
    """Review the quote and findings of the latest revision, give delivery details, submit."""
    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    try:
        context = _submit_context(db, actor, design_id, request)
    except NotFound:
        return render_error_page(request, 404)
    return render(request, "order_submit.html", context)


@router.post("/designs/{design_id}/order")
def order_submit_form(
    design_id: str, request: Request, db: DbDep, user: OptionalUserDep,
    revision: Annotated[int, Form()] = 0, idempotency_key: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "", address: Annotated[str, Form()] = "",
    preferred_date: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
) -> Response:
    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    delivery = {"name": name, "phone": phone, "address": address, "preferred_date": preferred_date}
    try:
        order, _created = orders.submit_order(db, actor, design_id, revision, delivery, idempotency_key or None)
    except NotFound:
        return render_error_page(request, 404)
    except DomainError as exc:
        db.rollback()
        context = _submit_context(db, actor, design_id, request) | {"error": exc.detail, "delivery": delivery}
        return render(request, "order_submit.html", context)
    return redirect(f"/orders/{order.id}")


@router.get("/p/{part_id}", response_class=HTMLResponse)
def part_page(part_id: str, request: Request, db: DbDep, user: OptionalUserDep) -> Response:
    """The page behind a part label's QR code: what the part is, its care, and how to report a problem.
    It shows no personal data (no names or addresses), so it opens without signing in."""
    number = "-".join(part_id.split("-")[:2])
    order = orders.find_order_by_number(db, number)
    if order is None:
        return render_error_page(request, 404)
    try:
        view = packages.part_view(order, part_id)
    except NotFound:
        return render_error_page(request, 404)
    can_report = user is not None and (user.id == order.owner_id or user.role == "admin")
    return render(request, "part.html", {"view": view, "part": view.part, "order": order, "can_report": can_report})


@router.post("/p/{part_id}/report", response_class=HTMLResponse)
def part_report(part_id: str, request: Request, db: DbDep, user: OptionalUserDep,
                kind: Annotated[str, Form()] = "replacement_part", description: Annotated[str, Form()] = "",
                csrf_token: Annotated[str, Form()] = "") -> Response:
    """The label's "report a problem / order a replacement part" action: a service request on the order."""
    from backend.services import bookings

    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    order = orders.find_order_by_number(db, "-".join(part_id.split("-")[:2]))
    if order is None:
        return render_error_page(request, 404)
    try:
        view = packages.part_view(order, part_id)
        bookings.request_service(db, actor, order.id, kind, description, part_id, [])
    except NotFound:
        return render_error_page(request, 404)
    except DomainError as exc:
        db.rollback()
        return render(request, "part.html", {"view": view, "part": view.part, "order": order, "can_report": True,
                                             "error": exc.detail, "description": description})
    return render(request, "part.html", {"view": view, "part": view.part, "order": order, "can_report": True,
                                         "reported": True})
