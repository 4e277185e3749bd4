"""The commerce pages: the homeowner's points (balance, level, ledger, paying an order with points), the
promotions a customer pre-books, and the store manager's packages and promotions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.commerce.promotions import PackageSpec, PromotionSpec
from backend.enums import Role
from backend.errors import DomainError, InvalidInput
from backend.services import escrow, guarantees, points, promotions
from backend.services.actor import Actor
from backend.web import deps
from backend.web.api.bookings import booking_rules, clock
from backend.web.deps import DbDep
from backend.web.errors import status_of
from backend.web.pages import locale_of, redirect, render

router = APIRouter(include_in_schema=False)
Homeowner = Annotated[Actor, deps.page_roles(Role.HOMEOWNER)]


def _points_page(request: Request, db: DbDep, actor: Actor, status_code: int = 200, **extra: object) -> Response:
    summary = points.summary(db, actor, locale_of(request))
    return render(request, "points.html", {"s": summary, "locale_code": locale_of(request), **extra},
                  status_code=status_code)


@router.get("/points", response_class=HTMLResponse)
def points_page(request: Request, db: DbDep, actor: Homeowner) -> Response:
    return _points_page(request, db, actor, done=request.query_params.get("done", ""))


@router.post("/points/redeem", response_class=HTMLResponse)
def points_redeem(request: Request, db: DbDep, actor: Homeowner, order_id: Annotated[str, Form()] = "",
                  points_wanted: Annotated[int, Form(alias="points")] = 0,
                  csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        points.redeem(db, actor, order_id, points_wanted)
    except DomainError as exc:  # shown beside the order's form
        db.rollback()
        return _points_page(request, db, actor, status_of(exc), error=exc.detail,
                            error_order=order_id)
    return redirect("/points?done=redeemed")


@router.post("/points/accessory", response_class=HTMLResponse)
def points_accessory(request: Request, db: DbDep, actor: Homeowner, order_id: Annotated[str, Form()] = "",
                     code: Annotated[str, Form()] = "", quantity: Annotated[int, Form()] = 1,
                     csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        points.redeem_accessory(db, actor, order_id, code, quantity)
    except DomainError as exc:
        db.rollback()
        return _points_page(request, db, actor, status_of(exc), error=exc.detail, error_order=order_id)
    return redirect("/points?done=accessory")


@router.post("/points/referral", response_class=HTMLResponse)
def points_referral(request: Request, db: DbDep, actor: Homeowner, code: Annotated[str, Form()] = "",
                    csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        points.use_referral(db, actor, code)
    except DomainError as exc:
        db.rollback()
        return _points_page(request, db, actor, status_of(exc), error=exc.detail,
                            error_order="referral")
    return redirect("/points?done=referral")


# --- packages and promotions ------------------------------------------------------------------------

Manager = Annotated[Actor, deps.page_roles(Role.STORE_MANAGER)]


def _promotions_page(request: Request, db: DbDep, actor: Actor, status_code: int = 200, **extra: object) -> Response:
    views = promotions.list_promotions(db, actor, clock(request))
    return render(request, "promotions.html", {"views": views, **extra}, status_code=status_code)


@router.get("/promotions", response_class=HTMLResponse)
def promotions_page(request: Request, db: DbDep, actor: Homeowner) -> Response:
    return _promotions_page(request, db, actor, done=request.query_params.get("done", ""))


@router.post("/promotions/{promotion_id}/prebook", response_class=HTMLResponse)
def promotions_prebook(promotion_id: str, request: Request, db: DbDep, actor: Homeowner,
                       csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        promotions.prebook(db, actor, promotion_id, clock(request))
    except DomainError as exc:
        db.rollback()
        return _promotions_page(request, db, actor, status_of(exc), error=exc.detail, error_promotion=promotion_id)
    return redirect("/promotions?done=prebooked")


def _manager_page(request: Request, db: DbDep, actor: Actor, status_code: int = 200, **extra: object) -> Response:
    return render(request, "store/promotions.html", {
        "views": promotions.list_promotions(db, actor, clock(request)),
        "packages": promotions.packages_of_store(db, actor), **extra}, status_code=status_code)


@router.get("/store/promotions", response_class=HTMLResponse)
def store_promotions(request: Request, db: DbDep, actor: Manager) -> Response:
    return _manager_page(request, db, actor, done=request.query_params.get("done", ""))


@router.post("/store/packages", response_class=HTMLResponse)
def store_package_create(request: Request, db: DbDep, actor: Manager, name: Annotated[str, Form()] = "",
                         price_per_metre: Annotated[float, Form()] = 0, inclusions: Annotated[str, Form()] = "",
                         surcharges: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    """``surcharges``: one "option: price per metre" a line."""
    deps.check_csrf(request, csrf_token)
    try:
        extra = dict(parse_surcharges(surcharges))
        promotions.create_package(db, actor, PackageSpec(name, round(price_per_metre * 100),
                                                         tuple(inclusions.split("\n")), extra))
    except DomainError as exc:
        db.rollback()
        return _manager_page(request, db, actor, status_of(exc), error=exc.detail)
    return redirect("/store/promotions?done=package")


@router.post("/store/promotions", response_class=HTMLResponse)
def store_promotion_create(request: Request, db: DbDep, actor: Manager, package_id: Annotated[str, Form()] = "",
                           title: Annotated[str, Form()] = "", starts_at: Annotated[str, Form()] = "",
                           ends_at: Annotated[str, Form()] = "", places: Annotated[int, Form()] = 0,
                           deposit: Annotated[float, Form()] = 0,
                           csrf_token: Annotated[str, Form()] = "") -> Response:
    """The times are the store's local time (``datetime-local`` fields)."""
    deps.check_csrf(request, csrf_token)
    try:
        spec = PromotionSpec(title, local_moment(db, actor, starts_at, "starts_at"),
                             local_moment(db, actor, ends_at, "ends_at"), places, round(deposit * 100))
        promotions.create_promotion(db, actor, package_id, spec)
    except DomainError as exc:
        db.rollback()
        return _manager_page(request, db, actor, status_of(exc), error=exc.detail)
    return redirect("/store/promotions?done=promotion")


def parse_surcharges(text: str) -> list[tuple[str, int]]:
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        option, _, price = line.rpartition(":")
        try:
            out.append((option.strip(), round(float(price) * 100)))
        except ValueError:
            raise InvalidInput(f"write each surcharge as 'option: price per metre', not '{line[:60]}'",
                               field="surcharges") from None
    return out


def local_moment(db: DbDep, actor: Actor, value: str, field: str) -> datetime:
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"'{value[:30]}' is not a date and time", field=field) from None
    return promotions.store_moment(db, actor, naive)


# --- payments held in escrow -------------------------------------------------------------------------


def _payments_page(request: Request, db: DbDep, actor: Actor, status_code: int = 200, **extra: object) -> Response:
    holds = escrow.my_holds(db, actor)
    return render(request, "payments.html", {
        "holds": [(h, escrow.events(db, h), escrow.may_accept(db, h), escrow.subject_of(db, h)) for h in holds],
        "refunded_parts": {h.id: escrow.split_refunds(db, h) for h in holds},
        "cases": guarantees.case_views(db, actor), "locale_code": locale_of(request),
        "payable": escrow.payable_orders(db, actor),
        "payable_bookings": escrow.payable_bookings(db, actor, booking_rules(request)), **extra},
        status_code=status_code)


@router.get("/payments", response_class=HTMLResponse)
def payments_page(request: Request, db: DbDep, actor: Homeowner) -> Response:
    return _payments_page(request, db, actor, done=request.query_params.get("done", ""))


@router.post("/payments/orders/{order_id}", response_class=HTMLResponse)
def payments_pay(order_id: str, request: Request, db: DbDep, actor: Homeowner, kind: Annotated[str, Form()] = "",
                 amount: Annotated[float, Form()] = 0, csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        escrow.hold_order_payment(db, actor, order_id, kind, round(amount * 100), clock(request))
    except DomainError as exc:
        db.rollback()
        return _payments_page(request, db, actor, status_of(exc), error=exc.detail)
    return redirect("/payments?done=paid")


@router.post("/payments/bookings/{booking_id}", response_class=HTMLResponse)
def payments_pay_fee(booking_id: str, request: Request, db: DbDep, actor: Homeowner,
                     csrf_token: Annotated[str, Form()] = "") -> Response:
    """Pay a booking's service fee into escrow (held until the booking is completed and accepted)."""
    deps.check_csrf(request, csrf_token)
    try:
        escrow.hold_service_fee(db, actor, booking_id, clock(request), booking_rules(request))
    except DomainError as exc:
        db.rollback()
        return _payments_page(request, db, actor, status_of(exc), error=exc.detail)
    return redirect("/payments?done=paid")


@router.post("/payments/{hold_id}/accept", response_class=HTMLResponse)
def payments_accept(hold_id: str, request: Request, db: DbDep, actor: Homeowner,
                    csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        escrow.accept(db, actor, hold_id, clock(request))
    except DomainError as exc:
        db.rollback()
        return _payments_page(request, db, actor, status_of(exc), error=exc.detail)
    return redirect("/payments?done=accepted")
