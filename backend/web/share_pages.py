"""The public, read-only view of a design behind a share link (3D view, plan, quote, proposal)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.errors import NotFound
from backend.services import links
from backend.web import deps
from backend.web.api.links import proposal_response
from backend.web.deps import DbDep, OptionalUserDep
from backend.web.pages import _actor_or_login, redirect, render, render_error_page

router = APIRouter(include_in_schema=False)


@router.get("/s/{token}", response_class=HTMLResponse)
def shared(token: str, request: Request, db: DbDep) -> Response:
    try:
        row, document = links.shared_design(db, token)
    except NotFound:
        return render_error_page(request, 404)
    from backend.bom.pricing import quote
    from backend.services.catalog import catalog

    q = quote(document, catalog()).to_dict() if document.cabinets else None
    return render(request, "shared.html", {"design": document, "row": row, "quote": q, "token": token,
                                           "page_data": {"scene_url": f"/s/{token}/scene.glb"}})


@router.post("/designs/{design_id}/links")
def create_link_form(design_id: str, request: Request, db: DbDep, user: OptionalUserDep,
                     csrf_token: Annotated[str, Form()] = "") -> Response:
    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    try:
        links.create_link(db, actor, design_id)
    except NotFound:
        return render_error_page(request, 404)
    return redirect(f"/designs/{design_id}#share-links")


@router.post("/designs/{design_id}/links/{link_id}/revoke")
def revoke_link_form(design_id: str, link_id: str, request: Request, db: DbDep, user: OptionalUserDep,
                     csrf_token: Annotated[str, Form()] = "") -> Response:
    actor = _actor_or_login(request, user)
    if isinstance(actor, Response):
        return actor
    deps.check_csrf(request, csrf_token)
    try:
        links.revoke_link(db, actor, design_id, link_id)
    except NotFound:
        return render_error_page(request, 404)
    return redirect(f"/designs/{design_id}")


@router.get("/s/{token}/scene.glb")
def shared_scene(token: str, db: DbDep) -> Response:
    from backend.configurator.scene import build_scene_glb
    from backend.services.catalog import catalog

    try:
        row, document = links.shared_design(db, token)
    except NotFound:
        return Response(status_code=404)
    return Response(build_scene_glb(document, catalog()), media_type="model/gltf-binary",
                    headers={"Cache-Control": "no-cache", "ETag": f'"{row.id}-{row.current_revision}"'})


@router.get("/s/{token}/proposal.pdf")
def shared_proposal(token: str, request: Request, db: DbDep) -> Response:
    try:
        _row, document = links.shared_design(db, token)
    except NotFound:
        return render_error_page(request, 404)
    return proposal_response(document, "")
