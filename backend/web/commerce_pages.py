"""The commerce pages: the homeowner's points (balance, level, ledger, paying an order with points)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.enums import Role
from backend.errors import DomainError
from backend.services import points
from backend.services.actor import Actor
from backend.web import deps
from backend.web.deps import DbDep
from backend.web.errors import status_of
from backend.web.pages import locale_of, redirect, render

router = APIRouter(include_in_schema=False)
Homeowner = Annotated[Actor, deps.page_roles(Role.HOMEOWNER)]


def _points_page(request: Request, db: DbDep, actor: Actor, status_code: int = 200, **extra: object) -> Response:
    summary = points.summary(db, actor)
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
