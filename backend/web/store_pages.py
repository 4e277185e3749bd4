"""Store mode for the big touch screen: today's customers, a new design with a walk-in customer (an
existing account confirms with a code from its email or its own password first), the customer's
confirmation and hand-off to the factory, and a QR code that opens that one design on their phone.
Who may get what is explained in ``backend.services.store``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from backend.enums import Role
from backend.errors import DomainError, InvalidInput, NotFound
from backend.i18n.terms import ANALYTICS_COLUMNS
from backend.services import accounts, analytics, orders, store, store_views
from backend.services.actor import Actor
from backend.web import deps
from backend.web.api.auth import set_session_cookie
from backend.web.api.bookings import clock
from backend.web.deps import DbDep, OptionalUserDep, SettingsDep
from backend.web.i18n import gettext_for
from backend.web.pages import locale_of, redirect, render

router = APIRouter(include_in_schema=False)
# anonymous visitors log in first; other roles get the "not found" page, as for a missing design
StaffUser = Annotated[Actor, deps.page_roles(*store.STAFF)]
# the analytics are the manager's (their own store) and the admin's (every store); designers get "not found"
AnalyticsViewer = Annotated[Actor, deps.page_roles(*analytics.VIEWERS)]
Day = Annotated[str, Query(max_length=10)]
# the store's settings are its manager's; other roles get "not found"
StoreManager = Annotated[Actor, deps.page_roles(Role.STORE_MANAGER)]


@router.get("/store", response_class=HTMLResponse)
def store_home(request: Request, db: DbDep, actor: StaffUser) -> Response:
    return render(request, "store/home.html", _home_context(request, db, actor))


def _home_context(request: Request, db: DbDep, actor: Actor) -> dict[str, Any]:
    return {"designs": store.store_designs(db, actor), "agenda": store_views.agenda(db, actor, clock(request)),
            "pending": store.pending_claims(db, actor)}


@router.post("/store/designs")
def store_new_design(request: Request, db: DbDep, actor: StaffUser,
                     email: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                     design_name: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        started = store.start_customer_design(db, actor, email, name, design_name.strip())
    except DomainError as exc:  # shown above the form, which keeps what was typed
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
def claim_page(claim_id: str, request: Request, db: DbDep, actor: StaffUser) -> Response:
    """The design waits for the customer: a code went to their email, or they type their password."""
    pending = store.get_claim(db, actor, claim_id)
    if pending.claim.confirmed_at is not None:
        return redirect(f"/designs/{pending.design.id}?store=1")
    return _claim_page(request, pending, sent=True)


@router.post("/store/claims/{claim_id}", response_class=HTMLResponse)
def claim_submit(
    claim_id: str, request: Request, db: DbDep, actor: StaffUser, settings: SettingsDep,
    action: Annotated[str, Form()] = "code", code: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """``action`` is ``code`` (the code from the customer's email), ``password`` (the customer's own
    password) or ``resend`` (a new code). Wrong codes and passwords are counted, so they are kept."""
    deps.check_csrf(request, csrf_token)
    pending = store.get_claim(db, actor, claim_id)
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
    except DomainError as exc:  # shown on the claim page; a wrong code or password still counts
        request.state.commit_anyway = True
        return _claim_page(request, pending, exc)
    return redirect(f"/designs/{view.row.id}?store=1")


def _qr_svg(url: str) -> Markup:
    return Markup(segno.make(url, error="m").svg_inline(scale=7, dark="#1d2327", light="#ffffff"))


@router.get("/store/designs/{design_id}/handoff", response_class=HTMLResponse)
def handoff_page(design_id: str, request: Request, db: DbDep, actor: StaffUser) -> Response:
    context = store_views.handoff_view(db, actor, design_id)
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
    design_id: str, request: Request, db: DbDep, actor: StaffUser,
    action: Annotated[str, Form()] = "phone", revision: Annotated[int, Form()] = 0,
    confirmed: Annotated[str, Form()] = "", address: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """``action=order``: the customer confirmed on the screen and hands the design to the factory;
    either way the page then shows a QR code that opens the design on the customer's phone."""
    deps.check_csrf(request, csrf_token)
    context = store_views.handoff_view(db, actor, design_id)
    waiting = _waiting_claim(db, actor, design_id)
    if waiting is not None:
        return waiting
    order = None
    if action == "order":
        if confirmed != "yes":
            return render(request, "store/handoff.html", context | {
                "error": "The customer needs to tick the box to confirm the design and the price.",
                "error_field": "confirmed"})
        delivery = {"name": context["customer_name"], "phone": phone, "address": address}
        try:
            order, _created = orders.submit_order(db, actor, design_id, revision, delivery, None, now=clock(request))
        except DomainError as exc:  # shown above the confirmation, with the design as it is now
            db.rollback()
            return render(request, "store/handoff.html", store_views.handoff_view(db, actor, design_id) | {
                "error": exc.detail, "error_field": exc.field})
    try:
        handoff = store.issue_handoff(db, actor, design_id)
    except DomainError as exc:  # shown above the confirmation, with the design as it is now
        db.rollback()
        return render(request, "store/handoff.html", store_views.handoff_view(db, actor, design_id) | {
            "error": exc.detail, "error_field": exc.field})
    url = f"{deps.public_base(request)}/go/{handoff.token}"
    return render(request, "store/qr.html", context | {"order": order, "handoff_url": url, "qr": _qr_svg(url),
                                                       "minutes": store.HANDOFF_MINUTES})


@router.get("/go/password", response_class=HTMLResponse)
def first_password_page(request: Request, user: OptionalUserDep) -> Response:
    """From the design a store handed over: an account the store created chooses its first password.
    Only in the hand-off session (``request.state.scope_design_id``); anyone else: "not found"."""
    design_id = getattr(request.state, "scope_design_id", None)
    if user is None or design_id is None or not store.may_choose_password(user):
        raise NotFound("there is no such page for this account")
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
        raise NotFound("there is no such page for this account")
    deps.check_csrf(request, csrf_token)
    try:
        store.choose_first_password(db, user, password, password_again)
    except NotFound:
        raise
    except DomainError as exc:  # shown next to the password fields
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
    except NotFound:  # the phone says the link is used up or expired and what to do, not a bare 404
        return render(request, "store/link_gone.html", status_code=404)
    if user is not None and user.id == customer.id:
        return redirect(f"/designs/{design_id}")
    session = store.start_scoped_session(db, customer, design_id, deps.login_limits(settings))
    response = redirect(f"/designs/{design_id}")
    set_session_cookie(request, response, session, settings)
    return response


# --- store and staff analytics ---------------------------------------------------------------------


def _day(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("give a day as YYYY-MM-DD", field=field) from None


def _report(request: Request, db: DbDep, actor: Actor, first_day: str, last_day: str) -> analytics.Report:
    return analytics.report(db, actor, _day(first_day, "first_day"), _day(last_day, "last_day"), clock(request))


@router.get("/store/analytics", response_class=HTMLResponse)
def analytics_page(request: Request, db: DbDep, actor: AnalyticsViewer, first_day: Day = "",
                   last_day: Day = "") -> Response:
    """Per store and per designer and installer team over the chosen days: tables, charts, a CSV link."""
    rep = _report(request, db, actor, first_day, last_day)
    return render(request, "store/analytics.html", {
        "report": rep, "columns": ANALYTICS_COLUMNS, "cell": analytics.cell,
        "query": f"first_day={rep.first_day.isoformat()}&last_day={rep.last_day.isoformat()}"})


@router.get("/store/analytics.csv")
def analytics_csv(request: Request, db: DbDep, actor: AnalyticsViewer, first_day: Day = "",
                  last_day: Day = "") -> Response:
    """The same figures as the page, as CSV in the reader's language."""
    rep = _report(request, db, actor, first_day, last_day)
    label = gettext_for(locale_of(request)).gettext
    text = analytics.to_csv(rep, {k: label(v) for k, v in ANALYTICS_COLUMNS.items()}, label)
    name = f"analytics-{rep.first_day.isoformat()}-{rep.last_day.isoformat()}.csv"
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- the store's settings (its manager) --------------------------------------------------------------


@router.get("/store/settings", response_class=HTMLResponse)
def store_settings(request: Request, db: DbDep, actor: StoreManager) -> Response:
    """The store's phone: the contact line's number for staff who keep none; customers never see it."""
    shop = store.managed_store(db, actor)
    return render(request, "store/settings.html", {"store": shop, "phone": shop.phone,
                                                   "saved": request.query_params.get("saved") == "1"})


@router.post("/store/settings", response_class=HTMLResponse)
def store_settings_save(request: Request, db: DbDep, actor: StoreManager,
                        phone: Annotated[str, Form(max_length=40)] = "",
                        csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        store.set_store_phone(db, actor, phone)
    except DomainError as exc:  # shown next to the field, with what was typed
        db.rollback()
        return render(request, "store/settings.html", {"store": store.managed_store(db, actor), "phone": phone,
                                                       "error_field": exc.field}, status_code=422)
    return redirect("/store/settings?saved=1")
