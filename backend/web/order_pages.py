"""Order pages: the customer's order (quote, status timeline), the factory's order detail (parts,
nesting, findings, downloads, status buttons), and the part page behind each label's QR code."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.enums import OrderStatus, Role
from backend.errors import DomainError, NotFound
from backend.services import order_views, orders, packages
from backend.services.actor import Actor
from backend.web import deps, i18n
from backend.web.api.bookings import booking_rules, clock
from backend.web.deps import DbDep, JobsDep, OptionalUserDep, PageUser, StoreDep
from backend.web.pages import FactoryUser, locale_of, redirect, render

router = APIRouter(include_in_schema=False)


def _slots(found: list[datetime]) -> list[tuple[str, str]]:
    """(ISO start for the form, label in the store's time zone)."""
    return [(s.astimezone(UTC).isoformat(), s.strftime("%a %d %b %H:%M")) for s in found]


def _installation(request: Request, db: DbDep, order: Any) -> dict[str, Any]:
    offer = order_views.installation_offer(db, order, clock(request), booking_rules(request))
    if offer.booked is not None:
        return {"booked": offer.booked}
    return {"address": offer.address,
            "offers": [{"team": team, "slots": _slots(slots)} for team, slots in offer.offers]}


def _customer_order(request: Request, db: DbDep, actor: Actor, order: Any) -> dict[str, Any]:
    context = order_views.timeline(db, order, actor.role, locale_of(request))
    if order.status == OrderStatus.SHIPPED and actor.id == order.owner_id:
        context["installation"] = _installation(request, db, order)
    if order.status == OrderStatus.INSTALLED and actor.id == order.owner_id:
        found = order_views.service_offers(db, actor, order, clock(request), booking_rules(request))
        context["service_requests"] = [{"row": row, "slots": _slots(slots)} for row, slots in found]
    return context


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: str, request: Request, db: DbDep, actor: PageUser) -> Response:
    order = orders.get_order(db, actor, order_id)
    return render(request, "order.html", _customer_order(request, db, actor, order))


@router.post("/orders/{order_id}/service-requests/{request_id}/schedule")
def schedule_service(order_id: str, request_id: str, request: Request, db: DbDep, actor: PageUser,
                     start: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        row = order_views.schedule_service(db, actor, order_id, request_id, datetime.fromisoformat(start),
                                           clock(request), booking_rules(request))
    except NotFound:
        raise
    except (DomainError, ValueError):  # the time was taken meanwhile: back to the offered ones
        db.rollback()
        return redirect(f"/orders/{order_id}#after-sales")
    return redirect(f"/bookings/{row.id}")


@router.post("/orders/{order_id}/installation")
def book_installation(order_id: str, request: Request, db: DbDep, actor: PageUser,
                      team_id: Annotated[str, Form()] = "", start: Annotated[str, Form()] = "",
                      csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        row = order_views.book_installation(db, actor, order_id, team_id, datetime.fromisoformat(start),
                                            clock(request), booking_rules(request))
    except NotFound:
        raise
    except (DomainError, ValueError) as exc:  # shown above the offered times
        db.rollback()
        order = orders.get_order(db, actor, order_id)
        context = order_views.timeline(db, order, actor.role, locale_of(request)) | {
            "error": exc.detail if isinstance(exc, DomainError) else "pick one of the offered times",
            "installation": _installation(request, db, order)}
        return render(request, "order.html", context)
    return redirect(f"/bookings/{row.id}")


NESTING_WAIT_SECONDS = 15.0
"""How long the factory's order page waits for the sheet nesting (a job) before it shows the page without it."""


@router.get("/factory/orders/{order_id}", response_class=HTMLResponse)
def factory_order_page(order_id: str, request: Request, db: DbDep, actor: FactoryUser, store: StoreDep,
                       jobs: JobsDep) -> Response:
    order = orders.get_order(db, actor, order_id)
    sheet = order_views.production_sheet(order, orders.factory_profile(db))
    words = i18n.gettext_for(locale_of(request)).gettext
    context = order_views.timeline(db, order, actor.role, locale_of(request)) | {
        "parts": sheet.parts, "part_names": order_views.part_names(order, words), "groups": sheet.groups,
        "hardware": sheet.hardware, "findings": sheet.findings,
        "nesting": order_views.sheet_nesting(jobs, order, NESTING_WAIT_SECONDS),
        "package_ready": packages.ready_key(store, order) is not None}
    return render(request, "factory_order.html", context)


@router.post("/factory/orders/{order_id}/package")
def prepare_package(order_id: str, request: Request, db: DbDep, actor: FactoryUser, store: StoreDep,
                    jobs: JobsDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    """Start building the order's package in the background and show its progress."""
    deps.check_csrf(request, csrf_token)
    order = orders.get_order(db, actor, order_id)
    job = packages.start_package(jobs, store, order, deps.public_base(request))
    if job is None:
        return redirect(f"/factory/orders/{order_id}#downloads")
    return redirect(f"/factory/orders/{order_id}/package?job={job.id}")


@router.get("/factory/orders/{order_id}/package", response_class=HTMLResponse)
def package_progress(order_id: str, request: Request, db: DbDep, actor: FactoryUser, jobs: JobsDep,
                     job: str = "") -> Response:
    """The package being built: the page reloads itself until it is ready, then leads to the downloads."""
    order = orders.get_order(db, actor, order_id)
    found = packages.package_job(db, jobs, order, job)
    if found.status == "done":
        return redirect(f"/factory/orders/{order_id}#downloads")
    return render(request, "package_progress.html", {"order": order, "job": found})


@router.post("/orders/{order_id}/status")
def order_status_form(order_id: str, request: Request, db: DbDep, actor: PageUser,
                      status: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
                      csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    factory = actor.role in (Role.FACTORY, Role.ADMIN)
    back = f"/factory/orders/{order_id}" if factory else f"/orders/{order_id}"
    try:
        orders.set_order_status(db, actor, order_id, status, note, clock(request))
    except NotFound:
        raise
    except DomainError as exc:  # shown above the status buttons
        db.rollback()
        if factory:
            return redirect(back + "?error=" + exc.code)
        order = orders.get_order(db, actor, order_id)
        context = order_views.timeline(db, order, actor.role, locale_of(request)) | {"error": exc.detail}
        return render(request, "order.html", context)
    return redirect(back)


def _int_or_none(text: str | None) -> int | None:
    """A number the page carried (the last price seen, its revision); anything else counts as unseen."""
    try:
        value = int(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value < 10**15 else None


def _submit_context(db: DbDep, actor: Actor, design_id: str, request: Request, seen_cents: int | None = None,
                    seen_revision: int | None = None) -> dict[str, Any]:
    words = i18n.gettext_for(locale_of(request)).gettext
    return order_views.submit_review(db, actor, design_id, seen_cents, seen_revision, words) | {
        "idempotency_key": secrets.token_urlsafe(12), "delivery": {},
        "today": orders.local_today(db, actor, None).isoformat()}


@router.get("/designs/{design_id}/order", response_class=HTMLResponse)
def order_submit_page(design_id: str, request: Request, db: DbDep, actor: PageUser,
                      seen_cents: str | None = None, seen_revision: str | None = None) -> Response:
    """Review the quote and findings of the latest revision, give delivery details, submit. The editor's
    order link carries the last price it showed (``seen_cents``, ``seen_revision``) so a change shows."""
    context = _submit_context(db, actor, design_id, request, _int_or_none(seen_cents), _int_or_none(seen_revision))
    return render(request, "order_submit.html", context)


@router.post("/designs/{design_id}/order")
def order_submit_form(
    design_id: str, request: Request, db: DbDep, actor: PageUser,
    revision: Annotated[int, Form()] = 0, idempotency_key: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "", address: Annotated[str, Form()] = "",
    preferred_date: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
    shown_total_cents: Annotated[str, Form()] = "", seen_cents: Annotated[str, Form()] = "",
    seen_revision: Annotated[str, Form()] = "",
) -> Response:
    deps.check_csrf(request, csrf_token)
    delivery = {"name": name, "phone": phone, "address": address, "preferred_date": preferred_date}
    try:
        order, _created = orders.submit_order(db, actor, design_id, revision, delivery, idempotency_key or None,
                                              _int_or_none(shown_total_cents), clock(request))
    except NotFound:
        raise
    except DomainError as exc:  # shown above the form, which keeps what was typed
        db.rollback()
        # a price that moved since this page was shown is compared with the price shown on it
        shown = _int_or_none(shown_total_cents)
        seen = (shown, revision) if exc.field == "expected_total_cents" else (
            _int_or_none(seen_cents), _int_or_none(seen_revision))
        context = _submit_context(db, actor, design_id, request, *seen) | {"error": exc.detail, "delivery": delivery,
                                                                           "error_field": exc.field}
        return render(request, "order_submit.html", context)
    return redirect(f"/orders/{order.id}")


@router.get("/p/{part_id}", response_class=HTMLResponse)
def part_page(part_id: str, request: Request, db: DbDep, user: OptionalUserDep) -> Response:
    """The page behind a part label's QR code: what the part is, its care, and how to report a problem.
    It shows no personal data (no names or addresses), so it opens without signing in."""
    view = packages.find_part(db, part_id)
    if part_id != view.part.ref:  # a label printed before part numbers: its QR code holds the label id
        return redirect(f"/p/{quote(view.part.ref, safe='')}")
    can_report = user is not None and (user.id == view.order.owner_id or user.role == Role.ADMIN)
    return render(request, "part.html", _part_context(request, view) | {"can_report": can_report})


def _part_context(request: Request, view: packages.PartView) -> dict[str, Any]:
    words = i18n.gettext_for(locale_of(request)).gettext
    return {"view": view, "part": view.part, "order": view.order, "part_name": view.name(words),
            "unit_name": view.unit_name(words)}


@router.post("/p/{part_id}/report", response_class=HTMLResponse)
def part_report(part_id: str, request: Request, db: DbDep, actor: PageUser,
                kind: Annotated[str, Form()] = "replacement_part", description: Annotated[str, Form()] = "",
                csrf_token: Annotated[str, Form()] = "") -> Response:
    """The label's "report a problem / order a replacement part" action: a service request on the order."""
    from backend.services import bookings

    deps.check_csrf(request, csrf_token)
    view = packages.find_part(db, part_id)
    context = _part_context(request, view) | {"can_report": True}
    try:
        bookings.request_service(db, actor, view.order.id, kind, description, view.part.label, [])
    except NotFound:
        raise
    except DomainError as exc:  # shown next to the description
        db.rollback()
        return render(request, "part.html", context | {"error": exc.detail, "description": description})
    return render(request, "part.html", context | {"reported": True})
