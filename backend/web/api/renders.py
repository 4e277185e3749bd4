"""Photoreal renders of a design: start one (a job with progress), list them, fetch one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from backend.render.cycles import DEFAULT_SAMPLES
from backend.services import renders as svc
from backend.web.deps import ActorDep, DbDep, JobsDep, SettingsDep, StoreDep

router = APIRouter(prefix="/api", tags=["renders"])


class RenderStart(BaseModel):
    camera: str | dict[str, Any] = Field(
        default="room", description="a named view (room, door, a wall id) or the editor's current view "
                                    "{position: [x, y, z], target: [x, y, z], fov_deg} in the scene's frame")
    width: int = Field(default=1280, ge=16, le=1920)
    height: int = Field(default=720, ge=16, le=1080)
    samples: int = Field(default=DEFAULT_SAMPLES, ge=1, le=svc.MAX_WEB_SAMPLES)


@router.get("/designs/{design_id}/renders")
def list_renders(design_id: str, db: DbDep, actor: ActorDep, settings: SettingsDep) -> dict[str, Any]:
    """The design's renders (newest first), its named views, and whether this server can render."""
    return {"renderer": svc.renderer_status(settings.renderer),
            "renders": [r.public(design_id) for r in svc.list_renders(db, actor, design_id)],
            "cameras": svc.cameras(db, actor, design_id)}


@router.post("/designs/{design_id}/renders", status_code=status.HTTP_202_ACCEPTED,
             responses={202: {"description": "the render job: poll /api/jobs/{id}"},
                        503: {"description": "the renderer (Blender) is not installed"}})
def start_render(design_id: str, body: RenderStart, response: Response, db: DbDep,
                 actor: ActorDep, jobs: JobsDep, settings: SettingsDep) -> dict[str, Any]:
    """Render the current revision with Cycles in the background; poll the job for progress and result.
    While a render of the design is under way, this answers that job."""
    job = svc.start_render(db, actor, jobs, design_id, camera=body.camera, width=body.width, height=body.height,
                           samples=body.samples, command=settings.renderer)
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return job.public()


@router.get("/designs/{design_id}/renders/{render_id}.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def render_image(design_id: str, render_id: str, db: DbDep, actor: ActorDep, store: StoreDep) -> Response:
    data = svc.render_bytes(db, actor, store, design_id, render_id)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=31536000, immutable"})
