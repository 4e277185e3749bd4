"""Server-rendered pages (Jinja2). Forms post back here; each page hands its state to small JS modules."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from backend.configurator.autofill import side_facing_room
from backend.configurator.placement import SNAP_DISTANCE_MM, default_elevation
from backend.design.model import Design
from backend.design.units import TOL
from backend.enums import Role
from backend.errors import Conflict, DomainError, NotFound
from backend.services import accounts, booking_measurements, configurator, designs, links, orders, renders
from backend.services.actor import Actor
from backend.web import deps, i18n
from backend.web.api.auth import set_session_cookie
from backend.web.deps import DbDep, OptionalUserDep, PageUser, SettingsDep
from backend.web.errors import status_of

router = APIRouter(include_in_schema=False)

# Forms that fail validation are shown again with the error next to the field and status 200:
# the browser would report a 4xx document as a console error, and the person sees the message
# either way. The JSON API keeps its 4xx problem documents.


def templates(request: Request) -> Jinja2Templates:
    tmpl: Jinja2Templates = request.app.state.templates
    return tmpl


def locale_of(request: Request) -> str:
    locale: str = getattr(request.state, "locale", "en")
    return locale


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    locale = locale_of(request)
    trans = i18n.gettext_for(locale)
    user = getattr(request.state, "user", None)
    ctx = {
        "request": request,
        "user": user,
        "locale": locale,
        "html_lang": i18n.HTML_LANG.get(locale, "en"),
        "locales": i18n.LABELS,
        "csrf_token": deps.csrf_cookie_value(request),
        "_": trans.gettext,
        "gettext": trans.gettext,
        "ngettext": trans.ngettext,
        "next_url": quote(str(request.url.path)),
        "scoped_design_id": getattr(request.state, "scope_design_id", None),
    }
    ctx.update(context or {})
    response = templates(request).TemplateResponse(request, name, ctx, status_code=status_code)
    return response


def render_error_page(request: Request, status_code: int, detail: str | None = None) -> HTMLResponse:
    return render(request, "error.html", {"status": status_code, "detail": detail}, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _safe_next(value: str | None, default: str = "/designs") -> str:
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return default


def home_for(role: str) -> str:
    homes: dict[str, str] = {Role.FACTORY: "/factory/orders", Role.INSTALLER: "/orders"}
    return homes.get(role, "/designs")


@router.get("/", response_class=HTMLResponse)
def index(request: Request, user: OptionalUserDep) -> Response:
    if user is not None:
        return redirect(home_for(user.role))
    return render(request, "index.html")


@router.get("/lang/{code}")
def switch_language(code: str, request: Request, db: DbDep, user: OptionalUserDep, next: str = "/") -> Response:
    locale = i18n.normalize(code) or "en"
    if user is not None:  # kept with the account: their proposals, order documents and messages follow it
        accounts.set_locale(db, user, locale)
    response = redirect(_safe_next(next, "/"))
    response.set_cookie(deps.LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, user: OptionalUserDep, next: str | None = None) -> Response:
    if user is not None:
        return redirect(home_for(user.role))
    return render(request, "login.html", {"next": _safe_next(next, "")})


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request, db: DbDep, settings: SettingsDep,
    email: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "",
) -> Response:
    deps.check_csrf(request, csrf_token)
    limits = deps.login_limits(settings)
    try:
        user = accounts.authenticate(db, email, password, deps.client_key(request), limits)
    except DomainError as exc:
        request.state.commit_anyway = True  # a failed attempt must still be counted
        return render(request, "login.html", {"error": exc.detail, "email": email, "next": next})
    session = accounts.start_session(db, user, limits)
    response = redirect(_safe_next(next, home_for(user.role)))
    set_session_cookie(request, response, session, settings)
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> Response:
    return render(request, "signup.html")


@router.post("/signup", response_class=HTMLResponse)
def signup_submit(
    request: Request, db: DbDep, settings: SettingsDep,
    email: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
) -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        user = accounts.create_user(db, email, password, Role.HOMEOWNER, display_name, locale=locale_of(request))
    except DomainError as exc:
        ctx = {"error": exc.detail, "error_field": exc.field, "email": email, "display_name": display_name}
        return render(request, "signup.html", ctx)
    session = accounts.start_session(db, user, deps.login_limits(settings))
    response = redirect("/designs")
    set_session_cookie(request, response, session, settings)
    return response


@router.post("/logout")
def logout(request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    token, _ = deps.session_token(request)
    if token:
        accounts.end_session(db, token)
    response = redirect("/login")
    response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response


FactoryUser = Annotated[Actor, deps.page_roles(Role.FACTORY, Role.ADMIN)]


@router.get("/designs", response_class=HTMLResponse)
def designs_page(request: Request, db: DbDep, actor: PageUser) -> Response:
    return render(request, "designs.html", {"designs": designs.list_designs(db, actor),
                                            "awaiting": booking_measurements.designs_awaiting_approval(db, actor.id)})


@router.post("/designs")
def create_design_form(request: Request, db: DbDep, actor: PageUser,
                       name: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        view = designs.create_design(db, actor, name.strip() or None, locale=locale_of(request))
    except DomainError as exc:  # shown next to the name field
        db.rollback()
        rows = designs.list_designs(db, actor)
        return render(request, "designs.html", {"designs": rows, "error": exc.detail})
    return redirect(f"/designs/{view.row.id}")


@router.post("/designs/{design_id}/rename")
def rename_design_form(design_id: str, request: Request, db: DbDep, actor: PageUser,
                       name: Annotated[str, Form()] = "", base_revision: Annotated[int, Form()] = 0,
                       csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        designs.rename_design(db, actor, design_id, base_revision, name.strip())
    except NotFound:
        raise
    except DomainError as exc:  # shown next to the name field
        db.rollback()
        view = designs.get_design(db, actor, design_id)
        return render(request, "design.html", design_context(db, actor, view, exc.detail, _words(request),
                                                                 request.app.state.settings.renderer))
    return redirect(f"/designs/{design_id}")


def _words(request: Request) -> Any:
    return i18n.gettext_for(locale_of(request)).gettext


@router.post("/designs/{design_id}/settings")
def design_settings_form(design_id: str, request: Request, db: DbDep, actor: PageUser,
                         region: Annotated[str, Form()] = "", currency: Annotated[str, Form()] = "",
                         base_revision: Annotated[int, Form()] = 0,
                         csrf_token: Annotated[str, Form()] = "") -> Response:
    """Region (rule pack) and currency of this design, as a new revision."""
    deps.check_csrf(request, csrf_token)
    try:
        designs.update_settings(db, actor, design_id, base_revision, region, currency)
    except NotFound:
        raise
    except DomainError as exc:
        db.rollback()
        view = designs.get_design(db, actor, design_id)
        trans = i18n.gettext_for(locale_of(request)).gettext
        text = trans("The design changed meanwhile; reload the page and try again.") if isinstance(exc, Conflict) \
            else exc.detail
        return render(request, "design.html", design_context(db, actor, view, text, trans), status_code=status_of(exc))
    return redirect(f"/designs/{design_id}")


@router.post("/designs/{design_id}/revisions/{number}/restore")
def restore_revision_form(design_id: str, number: int, request: Request, db: DbDep, actor: PageUser,
                          base_revision: Annotated[int, Form()] = 0,
                          csrf_token: Annotated[str, Form()] = "") -> Response:
    """The history's Restore button: a new revision equal to revision ``number``."""
    deps.check_csrf(request, csrf_token)
    try:
        designs.restore_revision(db, actor, design_id, number, base_revision)
    except Conflict:  # somebody saved meanwhile: say so on the page, nothing was written
        db.rollback()
        view = designs.get_design(db, actor, design_id)
        trans = i18n.gettext_for(locale_of(request)).gettext
        return render(request, "design.html", design_context(
            db, actor, view, trans("The design changed meanwhile; reload the page and try again."), trans),
            status_code=409)
    return redirect(f"/designs/{design_id}")


def design_context(db: DbDep, actor: Actor, view: designs.DesignView, error: str | None = None,
                   gettext: Any = None, renderer: str = "blender") -> dict[str, Any]:
    revisions = designs.list_revisions(db, actor, view.row.id)
    names = designs.author_names(db, {r.author_id for r in revisions})
    share_links = links.list_links(db, actor, view.row.id) if view.row.owner_id == actor.id else []
    pending = booking_measurements.pending_approval(db, view.row.id) if view.row.owner_id == actor.id else None
    return {"design": view.row, "pending_approval": pending, "document": view.document, "can_edit": view.can_edit,
            "share_links": share_links, **renders.page_context(db, actor, view, renderer),
            "family_names": {code: fam.name for code, fam in configurator.get_catalog().families.items()},
            "regions": {code: pack.name for code, pack in configurator.get_catalog().rule_packs.items()},
            "currencies": designs.priced_currencies(),
            "revisions": revisions, "authors": names, "error": error,
            "revision_messages": {r.number: designs.revision_message(r, gettext) for r in revisions},
            "page_data": {"design_id": view.row.id, "revision": view.row.current_revision,
                          "can_edit": view.can_edit, "document": view.document.model_dump(mode="json"),
                          # the editor's undo and redo as of the current revision (kept with it)
                          "history": (revisions[0].history if revisions and revisions[0].number
                                      == view.row.current_revision else None) or {"undo": [], "redo": []},
                          "rules": editor_rules(view.document),
                          "wall_names": configurator.wall_labels(view.document, gettext),
                          "room_stretches": configurator.room_wall_stretches(view.document)}}


def editor_rules(document: Design) -> dict[str, Any]:
    """The rule numbers the editor's browser code works with, from the core (never copied into JS):
    the length tolerance, the snapping distance, each family's default elevation in the design's
    region and the side of each wall that faces the kitchen (else a room). The editor cannot change
    the plan, so the sides hold for the page's life."""
    catalog = configurator.get_catalog()
    region = catalog.rule_packs.get(document.settings.region) or next(iter(catalog.rule_packs.values()))
    return {
        "length_mm": TOL.length_mm,
        "snap_mm": SNAP_DISTANCE_MM,
        "default_elevation_mm": {code: default_elevation(fam, region) for code, fam in catalog.families.items()},
        "room_side": {wall.id: side_facing_room(document, wall) for wall in document.plan.walls},
    }


@router.get("/designs/{design_id}", response_class=HTMLResponse)
def design_page(design_id: str, request: Request, db: DbDep, actor: PageUser) -> Response:
    view = designs.get_design(db, actor, design_id)
    context = design_context(db, actor, view, gettext=_words(request), renderer=request.app.state.settings.renderer)
    q = request.query_params
    if q.get("fitted", "").isdigit() and q.get("of", "").isdigit():  # after "Fit it to my plan" in the gallery
        context["fitted"] = (int(q["fitted"]), int(q["of"]))
    return render(request, "design.html", context)


@router.get("/factory/orders", response_class=HTMLResponse)
def factory_orders(request: Request, db: DbDep, actor: FactoryUser, status: str | None = None) -> Response:
    rows = orders.list_orders(db, actor, status or None)
    return render(request, "factory_orders.html", {"orders": rows, "status": status or "",
                                                   "statuses": orders.ORDER_STATUSES})


@router.get("/orders", response_class=HTMLResponse)
def my_orders(request: Request, db: DbDep, actor: PageUser) -> Response:
    return render(request, "orders.html", {"orders": orders.list_orders(db, actor)})
