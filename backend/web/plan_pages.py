"""The floor-plan correction page: upload a photo of a plan, check and correct the recognized walls,
doors, windows and rooms over the photo, then use the plan in the design.

The page is one server-rendered template (``plan.html``) plus the ES modules under
``/static/js/plan/``; all the work goes through the floor-plan JSON API (``/api/floorplans``,
``/api/jobs/{id}``, ``/api/uploads/{id}/vectorize``, ``/api/designs/{id}/floorplan``).
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from backend.design.model import Door, RoomType, Wall, Window
from backend.design.units import TOL
from backend.errors import Conflict, DomainError, InvalidInput, NotFound
from backend.services import designs, floorplans
from backend.web import deps, i18n
from backend.web.deps import DbDep, PageUser, SettingsDep
from backend.web.pages import design_context, locale_of, redirect, render

router = APIRouter(include_in_schema=False)

ROOM_TYPES: tuple[str, ...] = get_args(RoomType)
_BOUNDS = ("default", "exclusiveMinimum", "minimum", "exclusiveMaximum", "maximum")


def _field_rules(model: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """Each field's default and numeric bounds, read from the design format's own JSON schema."""
    out: dict[str, dict[str, Any]] = {}
    for name, prop in model.model_json_schema()["properties"].items():
        entry = {key: prop[key] for key in _BOUNDS if key in prop}
        if entry:
            out[name] = entry
    return out


def plan_rules() -> dict[str, Any]:
    """The rule numbers the plan editor's browser code checks edits against (never copied into JS):
    the tolerances of the design core and the defaults and bounds of walls, doors and windows."""
    return {
        "min_wall_length_mm": TOL.min_wall_length_mm,
        "min_room_area_mm2": TOL.min_room_area_mm2,
        "wall": _field_rules(Wall),
        "door": _field_rules(Door),
        "window": _field_rules(Window),
    }


@router.get("/designs/{design_id}/plan", response_class=HTMLResponse)
def plan_page(design_id: str, request: Request, db: DbDep, actor: PageUser, settings: SettingsDep) -> Response:
    """Upload a floor-plan photo and correct the recognized plan over it (owners and editors only)."""
    view = designs.get_design(db, actor, design_id)
    if not view.can_edit:
        raise NotFound(f"no design '{design_id}' to edit", field="design_id")
    plan = view.document.plan
    page_data: dict[str, Any] = {
        "design_id": view.row.id,
        "design_url": f"/designs/{view.row.id}",
        "revision": view.row.current_revision,
        "max_upload_bytes": settings.max_upload_bytes,
        "has_plan": bool(plan.walls),
        "rules": plan_rules(),
        # room types in the page's language (their msgids are the design format's type names)
        "room_types": {t: i18n.gettext_for(locale_of(request)).gettext(t) for t in ROOM_TYPES},
    }
    return render(request, "plan.html", {"design": view.row, "page_data": page_data,
                                         "existing_walls": len(plan.walls),
                                         "max_upload_mb": str(round(settings.max_upload_bytes / 1_048_576))})


@router.post("/designs/{design_id}/room")
def empty_room_form(design_id: str, request: Request, db: DbDep, actor: PageUser,
                    width_mm: Annotated[str, Form()] = "", depth_mm: Annotated[str, Form()] = "",
                    room_type: Annotated[str, Form()] = "kitchen", base_revision: Annotated[int, Form()] = 0,
                    csrf_token: Annotated[str, Form()] = "") -> Response:
    """Start from an empty rectangular room of the typed size, then on to the editor (no photo)."""
    deps.check_csrf(request, csrf_token)
    _ = i18n.gettext_for(locale_of(request)).gettext
    typed = {"width_mm": width_mm, "depth_mm": depth_mm, "room_type": room_type}
    try:
        try:
            width, depth = float(width_mm), float(depth_mm)
        except ValueError:
            field = "width_mm" if not _is_number(width_mm) else "depth_mm"
            raise InvalidInput("Enter the size in millimetres.", field=field) from None
        floorplans.start_with_room(db, actor, design_id, base_revision, width, depth, room_type,
                                   _(room_type).capitalize() if room_type in ROOM_TYPES else "")
    except NotFound:
        raise
    except DomainError as exc:  # shown next to the field, with what was typed
        db.rollback()
        view = designs.get_design(db, actor, design_id)
        context = design_context(db, actor, view, None, _)
        field = "base_revision" if isinstance(exc, Conflict) else exc.field or ""
        context.update(room_error_field=field or "width_mm", room_typed=typed)
        return render(request, "design.html", context, status_code=422)
    return redirect(f"/designs/{design_id}")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
