"""Store mode for the big touch screen: today's customers, a new design with a walk-in customer (an
existing account confirms with a code from its email or its own password first), the customer's
confirmation and hand-off to the factory, and a QR code that opens that one design on their phone.
Who may get what is explained in ``backend.services.store``."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from backend.db import tables
from backend.errors import DomainError, InvalidInput, NotFound
from backend.services import accounts, designs, orders, store
from backend.services.actor import Actor
from backend.web import deps
from backend.web.api.auth import set_session_cookie
from backend.web.deps import DbDep, OptionalUserDep, SettingsDep
from backend.web.pages import _actor_or_login, redirect, render, render_error_page

router = APIRouter(include_in_schema=False)
STAFF = ("designer", "store_manager", "admin")


def _staff(request: Request, user: Any) -> Actor | Response:
    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    if actor.role not in STAFF:
        return render_error_page(request, 404)
    return actor


def _agenda(request: Request, db: DbDep, actor: Actor) -> list[dict[str, Any]]:
    """Today's open bookings of this designer (a store manager: of the store), in the store's time zone."""
    from backend.services import bookings, designers
    from backend.web.api.bookings import clock

    store_row = db.get(tables.Store, actor.store_id) if actor.store_id else None
    tz = designers.zone(store_row.timezone if store_row else None)
    now = clock(request).astimezone(tz)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = [b for b in bookings.list_bookings(db, actor, start=start, end=start + timedelta(days=1))
            if b.status in ("requested", "confirmed", "completed")]
    customers = bookings.names(db, {b.customer_id for b in rows})
    return [{"start_local": b.start_at.astimezone(tz).strftime("%H:%M"), "service": b.service,
             "customer_name": customers.get(b.customer_id, ""), "design_id": b.design_id, "id": b.id} for b in rows]


@router.get("/store", response_class=HTMLResponse)
def store_home(request: Request, db: DbDep, user: OptionalUserDep) -> Response:
    actor = _staff(request, user)
    if isinstance(actor, Response):
        return actor
    return render(request, "store/home.html", _home_context(request, db, actor))


def _home_context(request: Request, db: DbDep, actor: Actor) -> dict[str, Any]:
    return {"designs": store.store_designs(db, actor), "agenda": _agenda(request, db, actor),
            "pending": store.pending_claims(db, actor)}


@router.post("/store/designs")
def store_new_design(request: Request, db: DbDep, user: OptionalUserDep,
                     email: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                     design_name: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    actor = _staff(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    try:
        started = store.start_customer_design(db, actor, email, name, design_name.strip())
    except DomainError as exc:
        db.rollback()
        context = _home_context(request, db, actor) | {
            "error": exc.detail, "error_field": exc.field,
            "form": {"email": email, "name": name, "design_name": design_name}}
        return render(request, "store/home.html", context)
    if started.claim is not None:
        return redirect(f"/store/claims/{started.claim.id}")
    return redirect(f"/designs/{started.view.row.id}?store=1")


def _claim_page(request: Request, pending: store.PendingClaim, error: DomainError | None = None,
                sent: bool = False) -> Response:
    context: dict[str, Any] = {"claim": pending.claim, "design": pending.design, "sent": sent,
                               "minutes": store.CLAIM_MINUTES, "attempts": store.CODE_ATTEMPTS}
    if error is not None:
        context |= {"error": error.detail, "error_field": error.field,
                    "error_reason": error.extra.get("reason") or error.code,
                    "tries_left": error.extra.get("tries_left")}
    return render(request, "store/claim.html", context)


@router.get("/store/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(claim_id: str, request: Request, db: DbDep, user: OptionalUserDep) -> Response:
    """The design waits for the customer: a code went to their email, or they type their password."""
    actor = _staff(request, user)
    if isinstance(actor, Response):
        return actor
    try:
        pending = store.get_claim(db, actor, claim_id)
    except NotFound:
        return render_error_page(request, 404)
    if pending.claim.confirmed_at is not None:
        return redirect(f"/designs/{pending.design.id}?store=1")
    return _claim_page(request, pending, sent=True)


@router.post("/store/claims/{claim_id}", response_class=HTMLResponse)
def claim_submit(
    claim_id: str, request: Request, db: DbDep, user: OptionalUserDep, settings: SettingsDep,
    action: Annotated[str, Form()] = "code", code: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """``action`` is ``code`` (the code from the customer's email), ``password`` (the customer's own
    password) or ``resend`` (a new code). Wrong codes and passwords are counted, so they are kept."""
    actor = _staff(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    try:
        pending = store.get_claim(db, actor, claim_id)
    except NotFound:
        return render_error_page(request, 404)
    try:
        if action == "resend":
            return _claim_page(request, store.resend_code(db, actor, claim_id), sent=True)
        if action == "password":
            view = store.confirm_with_password(db, actor, claim_id, password, deps.client_key(request),
                                               deps.login_limits(settings))
        elif action == "code":
            view = store.confirm_with_code(db, actor, claim_id, code)
        else:
            raise InvalidInput("unknown action", field="action")
    except DomainError as exc:
        request.state.commit_anyway = True  # a wrong code or password still counts
        return _claim_page(request, pending, exc)
    return redirect(f"/designs/{view.row.id}?store=1")


def _qr_svg(url: str) -> Markup:
    return Markup(segno.make(url, error="m").svg_inline(scale=7, dark="#1d2327", light="#ffffff"))


def _handoff_context(db: DbDep, actor: Actor, design_id: str) -> dict[str, Any]:
    view = designs.get_design(db, actor, design_id)
    findings = orders.order_checks(view.document) if view.document.cabinets else []
    quote = orders.order_quote(view.document, None) if view.document.cabinets else None
    owner = db.get(tables.User, view.row.owner_id)
    return {"design": view.document, "row": view.row, "quote": quote, "customer": owner,
            "blocking": [f for f in findings if f["severity"] == "error"],
            "warnings": [f for f in findings if f["severity"] != "error"]}


@router.get("/store/designs/{design_id}/handoff", response_class=HTMLResponse)
def handoff_page(design_id: str, request: Request, db: DbDep, user: OptionalUserDep) -> Response:
    actor = _staff(request, user)
    if isinstance(actor, Response):
        return actor
    try:
        context = _handoff_context(db, actor, design_id)
    except NotFound:
        return render_error_page(request, 404)
    waiting = _waiting_claim(db, actor, design_id)
    if waiting is not None:
        return waiting
    return render(request, "store/handoff.html", context)


def _waiting_claim(db: DbDep, actor: Actor, design_id: str) -> Response | None:
    """A design still waiting for the customer's confirmation goes nowhere else first."""
    claim = store.pending_claim_of_design(db, design_id)
    if claim is not None and claim.created_by == actor.id:
        return redirect(f"/store/claims/{claim.id}")
    return None


@router.post("/store/designs/{design_id}/handoff", response_class=HTMLResponse)
def handoff_submit(
    design_id: str, request: Request, db: DbDep, user: OptionalUserDep, settings: SettingsDep,
    action: Annotated[str, Form()] = "phone", revision: Annotated[int, Form()] = 0,
    confirmed: Annotated[str, Form()] = "", address: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """``action=order``: the customer confirmed on the screen and hands the design to the factory;
    either way the page then shows a QR code that opens the design on the customer's phone."""
    actor = _staff(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    try:
        context = _handoff_context(db, actor, design_id)
    except NotFound:
        return render_error_page(request, 404)
    waiting = _waiting_claim(db, actor, design_id)
    if waiting is not None:
        return waiting
    order = None
    if action == "order":
        if confirmed != "yes":
            return render(request, "store/handoff.html", context | {
                "error": "The customer needs to tick the box to confirm the design and the price.",
                "error_field": "confirmed"})
        customer = context["customer"]
        delivery = {"name": customer.display_name if customer else "", "phone": phone, "address": address}
        try:
            order, _created = orders.submit_order(db, actor, design_id, revision, delivery, None)
        except DomainError as exc:
            db.rollback()
            return render(request, "store/handoff.html", _handoff_context(db, actor, design_id) | {
                "error": exc.detail, "error_field": exc.field})
    try:
        handoff = store.issue_handoff(db, actor, design_id)
    except DomainError as exc:
        db.rollback()
        return render(request, "store/handoff.html", _handoff_context(db, actor, design_id) | {
            "error": exc.detail, "error_field": exc.field})
    url = f"{str(request.base_url).rstrip('/')}/go/{handoff.token}"
    return render(request, "store/qr.html", context | {"order": order, "handoff_url": url, "qr": _qr_svg(url),
                                                       "minutes": store.HANDOFF_MINUTES})


@router.get("/go/password", response_class=HTMLResponse)
def first_password_page(request: Request, user: OptionalUserDep) -> Response:
    """From the design a store handed over: an account the store created chooses its first password."""
    design_id = getattr(request.state, "scope_design_id", None)
    if user is None or design_id is None or not store.may_choose_password(user):
        return render_error_page(request, 404)
    return render(request, "store/first_password.html", {"design_id": design_id})


@router.post("/go/password", response_class=HTMLResponse)
def first_password_submit(
    request: Request, db: DbDep, user: OptionalUserDep, settings: SettingsDep,
    password: Annotated[str, Form()] = "", password_again: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """The first password turns the design-only session into a normal one."""
    design_id = getattr(request.state, "scope_design_id", None)
    if user is None or design_id is None:
        return render_error_page(request, 404)
    deps.check_csrf(request, csrf_token)
    try:
        store.choose_first_password(db, user, password, password_again)
    except NotFound:
        return render_error_page(request, 404)
    except DomainError as exc:
        return render(request, "store/first_password.html", {"design_id": design_id, "error": exc.detail,
                                                             "error_field": exc.field})
    token, _ = deps.session_token(request)
    if token:
        accounts.end_session(db, token)
    session = accounts.start_session(db, user, deps.login_limits(settings))
    response = redirect(f"/designs/{design_id}")
    set_session_cookie(request, response, session, settings)
    return response


@router.get("/go/{token}")
def redeem(token: str, request: Request, db: DbDep, settings: SettingsDep, user: OptionalUserDep) -> Response:
    """Opened on the customer's phone from the QR code: a session for this one design, nothing else
    (a phone already signed in as the customer just opens the design)."""
    try:
        customer, design_id = store.redeem_handoff(db, token)
    except NotFound:
        return render(request, "store/link_gone.html", status_code=404)
    if user is not None and user.id == customer.id:
        return redirect(f"/designs/{design_id}")
    session = store.start_scoped_session(db, customer, design_id, deps.login_limits(settings))
    response = redirect(f"/designs/{design_id}")
    set_session_cookie(request, response, session, settings)
    return response
