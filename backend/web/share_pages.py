"""The public, read-only view of a design behind a share link (3D view, plan, quote, proposal)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.errors import NotFound
from backend.services import links, proposals, renders
from backend.web import deps
from backend.web.api.links import proposal_response
from backend.web.deps import DbDep, PageUser, StoreDep
from backend.web.pages import locale_of, redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/s/{token}", response_class=HTMLResponse)
def shared(token: str, request: Request, db: DbDep) -> Response:
    row, document = links.shared_design(db, token)
    q = links.shared_estimate(document)
    images = [f"/s/{token}/renders/{rid}.png" for rid in renders.latest_render_ids(db, row)]
    return render(request, "shared.html", {"design": document, "row": row, "quote": q, "token": token,
                                           "renders": images, "page_data": {"scene_url": f"/s/{token}/scene.glb"}})


@router.post("/designs/{design_id}/links")
def create_link_form(design_id: str, request: Request, db: DbDep, actor: PageUser,
                     csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    links.create_link(db, actor, design_id)
    return redirect(f"/designs/{design_id}#share-links")


@router.post("/designs/{design_id}/links/{link_id}/revoke")
def revoke_link_form(design_id: str, link_id: str, request: Request, db: DbDep, actor: PageUser,
                     csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    links.revoke_link(db, actor, design_id, link_id)
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
def shared_proposal(token: str, request: Request, db: DbDep, jobs: deps.JobsDep, store: deps.StoreDep) -> Response:
    row, _document = links.shared_design(db, token)
    locale = proposals.customer_locale(db, row.id, locale_of(request))
    return proposal_response(jobs, store, row.owner_id, row.id, row.current_revision, "",
                             poll_url=f"/s/{token}/proposal.pdf", render_ids=renders.latest_render_ids(db, row, 2),
                             locale=locale)


@router.get("/s/{token}/renders/{render_id}.png")
def shared_render(token: str, render_id: str, db: DbDep, store: StoreDep) -> Response:
    row, _document = links.shared_design(db, token)
    return Response(renders.stored_render(db, store, row, render_id), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=31536000, immutable"})
