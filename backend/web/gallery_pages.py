"""The gallery page: browse published designs by style, room, budget and rating; rate one; start your own
design from one; publish one of your own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.enums import Role
from backend.errors import DomainError
from backend.gallery.rules import BUDGET_CODES, STYLES
from backend.i18n.terms import ROOM_TYPES
from backend.services import designs, gallery, portfolios
from backend.services.actor import Actor
from backend.web import deps
from backend.web.deps import DbDep, PageUser
from backend.web.errors import status_of
from backend.web.pages import redirect, render

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: DbDep, actor: Actor, status_code: int = 200, **extra: object) -> Response:
    q = request.query_params
    try:
        min_rating = float(q.get("min_rating") or 0)
    except ValueError:
        min_rating = 0
    entries = gallery.browse(db, actor, q.get("style", ""), q.get("room", ""), q.get("budget", ""), min_rating)
    own = designs.list_designs(db, actor) if actor.role == Role.HOMEOWNER else []
    notes = gallery.comments_on(db, actor, [e.item for e in entries])
    credited = portfolios.credits(db, [e.item for e in entries])
    return render(request, "gallery.html", {
        "entries": entries, "comments": notes, "credits": credited, "me": actor.id, "styles": STYLES,
        "rooms": ROOM_TYPES, "budgets": BUDGET_CODES, "filters": dict(q),
        "own_designs": own, "done": q.get("done", ""), **extra}, status_code=status_code)


def _act(request: Request, db: DbDep, actor: Actor, action: Callable[[], object],
         done: str | Callable[[object], str]) -> Response:
    """Run one gallery change; a refused one re-renders the page with its message, nothing saved. ``done`` is
    where to go next (or makes it from what the change returned)."""
    try:
        result = action()
    except DomainError as exc:
        db.rollback()
        return _page(request, db, actor, status_of(exc), error=exc.detail)
    return redirect(done if isinstance(done, str) else done(result))


@router.get("/gallery", response_class=HTMLResponse)
def gallery_page(request: Request, db: DbDep, actor: PageUser) -> Response:
    return _page(request, db, actor)


@router.post("/gallery/publish", response_class=HTMLResponse)
def gallery_publish(request: Request, db: DbDep, actor: PageUser, design_id: Annotated[str, Form()] = "",
                    title: Annotated[str, Form()] = "", style: Annotated[str, Form()] = "",
                    consent: Annotated[bool, Form()] = False, portfolio_consent: Annotated[bool, Form()] = False,
                    csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    return _act(request, db, actor,
                lambda: gallery.publish(db, actor, design_id, title, style, consent, portfolio_consent),
                "/gallery?done=published")


@router.post("/gallery/{item_id}/portfolio", response_class=HTMLResponse)
def gallery_portfolio_consent(item_id: str, request: Request, db: DbDep, actor: PageUser,
                              consent: Annotated[bool, Form()] = False,
                              csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    return _act(request, db, actor, lambda: portfolios.set_consent(db, actor, item_id, consent),
                f"/gallery?done={'portfolio_on' if consent else 'portfolio_off'}#gallery-{item_id}")


@router.get("/designers/{designer_id}/portfolio", response_class=HTMLResponse)
def portfolio_page(designer_id: str, request: Request, db: DbDep, actor: PageUser) -> Response:
    """A designer's public portfolio of customer projects (only those whose customers consent)."""
    return render(request, "portfolio.html", {"portfolio": portfolios.portfolio(db, designer_id)})


@router.post("/gallery/{item_id}/rate", response_class=HTMLResponse)
def gallery_rate(item_id: str, request: Request, db: DbDep, actor: PageUser, stars: Annotated[int, Form()] = 0,
                 csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    return _act(request, db, actor, lambda: gallery.rate(db, actor, item_id, stars),
                "/gallery?done=rated")


@router.post("/gallery/{item_id}/copy", response_class=HTMLResponse)
def gallery_copy(item_id: str, request: Request, db: DbDep, actor: PageUser,
                 csrf_token: Annotated[str, Form()] = "", onto_design_id: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)

    def where(copy: object) -> str:
        assert isinstance(copy, gallery.LayoutCopy)
        if copy.fit is None:
            return f"/designs/{copy.view.row.id}"
        return f"/designs/{copy.view.row.id}?fitted={copy.fit.placed}&of={copy.fit.units}"
    return _act(request, db, actor, lambda: gallery.use_layout(db, actor, item_id, onto_design_id or None), where)


@router.post("/gallery/{item_id}/comments", response_class=HTMLResponse)
def gallery_comment(item_id: str, request: Request, db: DbDep, actor: PageUser, body: Annotated[str, Form()] = "",
                    csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    return _act(request, db, actor, lambda: gallery.comment(db, actor, item_id, body),
                f"/gallery?done=commented#gallery-{item_id}")


@router.post("/gallery/{item_id}/comments/{comment_id}/delete", response_class=HTMLResponse)
def gallery_comment_delete(item_id: str, comment_id: str, request: Request, db: DbDep, actor: PageUser,
                           csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    return _act(request, db, actor, lambda: gallery.delete_comment(db, actor, item_id, comment_id),
                f"/gallery?done=comment_deleted#gallery-{item_id}")


@router.post("/gallery/{item_id}/comments/{comment_id}/hide", response_class=HTMLResponse)
def gallery_comment_hide(item_id: str, comment_id: str, request: Request, db: DbDep, actor: PageUser,
                         hidden: Annotated[bool, Form()] = True, csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    return _act(request, db, actor, lambda: gallery.hide_comment(db, actor, item_id, comment_id, hidden),
                f"/gallery?done=comment_hidden#gallery-{item_id}")
