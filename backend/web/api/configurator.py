"""The configurator API: catalog, scene GLB, findings, commands (with undo), auto-fill, quote.

Errors are problem documents (``backend.errors`` types): a cabinet the catalog cannot build is a
422 naming the field (``width_mm``), a stale base revision a 409, a design you cannot see a 404.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from backend.configurator.wording import Gettext
from backend.services import configurator as svc
from backend.services import designs, machining_views
from backend.web import i18n
from backend.web.answers import json_answer
from backend.web.deps import ActorDep, ActorLookupDep, DbDep
from backend.web.pages import locale_of
from backend.web.schemas import RevisionNumber

router = APIRouter(prefix="/api", tags=["configurator"])


class FindingsRequest(BaseModel):
    document: dict[str, Any] = Field(description="an unsaved design document to check")


class CommandRequest(BaseModel):
    base_revision: RevisionNumber = Field(description="the revision the command was made on")
    command: dict[str, Any] = Field(description="a configurator command, e.g. {kind: resize_cabinet, ...}")
    message: str | None = Field(default=None, max_length=500)
    step: Literal["edit", "undo", "redo"] = Field(
        default="edit", description="a new edit, or the undo (redo) the previous answer's history offers; "
                                    "kept with the revision so undo and redo survive a reload")


class AutofillRequest(BaseModel):
    wall_ids: list[str] = Field(default_factory=list, max_length=4,
                                description="the walls in order (one: a run, two: an L, three: a U)")
    room_id: str | None = Field(default=None, max_length=200,
                                description="the room to fill (without walls: its longest wall)")
    layout: Literal["single", "galley", "l", "u"] | None = None
    side: Literal["left", "right"] | None = None
    replace: bool = Field(default=False, description="remove what stands against these walls first")
    furniture: Literal["kitchen", "wardrobe"] | None = Field(
        default=None, description="kitchen units or a wardrobe wall (default: wardrobes in a bedroom or closet)")


def _gettext(request: Request) -> Gettext:
    """The request's language for the words of findings (codes and parameters stay as they are)."""
    return i18n.gettext_for(locale_of(request)).gettext


@router.get("/catalog")
def get_catalog(request: Request, response: Response) -> dict[str, Any]:
    """Families with their sizes, options and defaults; materials with colours; handles; rule-pack heights.
    Names are in the request's language (its language cookie, else Accept-Language)."""
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Vary"] = "Accept-Language, Cookie"
    return svc.catalog_summary(gettext=_gettext(request))


@router.get("/designs/{design_id}/scene.glb", response_class=Response,
            responses={200: {"content": {"model/gltf-binary": {}}}, 304: {"description": "not modified"}})
def scene(design_id: str, request: Request, db: DbDep, actor: ActorDep,
          revision: RevisionNumber | None = None) -> Response:
    """The 3D scene of the current (or a given) revision as binary glTF; one node per cabinet named by id."""
    _, document = svc.revision_document(db, actor, design_id, revision)
    etag = svc.scene_etag(document)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(svc.scene_glb(document), media_type="model/gltf-binary", headers=headers)


@router.get("/designs/{design_id}/holes")
def design_holes(design_id: str, db: DbDep, actor: ActorDep,
                 revision: RevisionNumber | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every hole the factory would drill, per cabinet id, in that cabinet's frame of the scene (mm): centre,
    axis (0/1/2), radius, length, purpose (hinge_cup, shelf_pin, cam, dowel…) and the part it is in."""
    return machining_views.design_holes(db, actor, design_id, revision)


@router.get("/designs/{design_id}/cabinets/{cabinet_id}/elevation")
def cabinet_elevation(design_id: str, cabinet_id: str, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """One cabinet's front elevation (zones, inserts, fronts in mm) for the editor's zone view."""
    return svc.cabinet_elevation(db, actor, design_id, cabinet_id)


@router.get("/designs/{design_id}/swings")
def design_swings(design_id: str, db: DbDep, actor: ActorDep,
                  revision: RevisionNumber | None = None) -> dict[str, Any]:
    """Every unit's hinged door leaves (rectangles on its front, hinged edge, front depth; mm, the unit's
    frame) for the plan to draw the arcs they sweep; ``revision`` says which revision they are of."""
    return svc.design_swings(db, actor, design_id, revision)


@router.get("/designs/{design_id}/findings")
def design_findings(design_id: str, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    view, found = svc.design_findings(db, actor, design_id, _gettext(request))
    return {"revision": view.row.current_revision, "findings": found}


@router.post("/findings")
def check_document(body: FindingsRequest, request: Request, actor: ActorDep) -> dict[str, Any]:
    """Validate an unsaved document for live feedback: findings plus the live price (nothing is stored)."""
    del actor  # signed-in users only
    document = designs.parse_document(body.document)
    return {"findings": svc.findings_for(document, gettext=_gettext(request)), "quote": svc.quote(document)}


@router.post("/designs/{design_id}/commands",
             responses={409: {"description": "the base revision is stale"},
                        422: {"description": "the command is not possible (the field is named)"}})
def run_command(design_id: str, body: CommandRequest, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Apply a command and save a new revision. Undo = send the returned ``inverse`` as a new command."""
    result = svc.apply_command(db, actor, design_id, body.base_revision, body.command, body.message,
                               _gettext(request), body.step)
    return {"revision": result.view.row.current_revision, "name": result.view.row.name,
            "document": result.view.document.model_dump(mode="json"), "findings": result.findings,
            "inverse": result.inverse, "message": result.message}


@router.post("/designs/{design_id}/autofill")
def autofill(design_id: str, body: AutofillRequest, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Up to five ranked alternatives to fill a room's walls, with differences and prices; none that
    would add a blocking finding (``reasons`` says why when there is none)."""
    return svc.autofill(db, actor, design_id, body.wall_ids, body.layout, body.side, body.replace,
                        body.room_id, _gettext(request), furniture=body.furniture)


@router.get("/designs/{design_id}/quote")
def design_quote(design_id: str, db: DbDep, who: ActorLookupDep) -> Response:
    """Encoded in this worker thread (the quote is plain JSON already), not on the event loop by
    FastAPI's generic encoder."""
    return json_answer(svc.design_quote(db, who.actor(), design_id), db)
