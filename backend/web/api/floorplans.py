"""Floor-plan photos: upload and vectorize (answers at once for quick images, else a job to poll),
re-run with a scale line, and accept a corrected plan into a design."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status
from pydantic import BaseModel, Field

from backend.errors import InvalidInput, NotFound
from backend.jobs import JobRunner
from backend.services import floorplans as svc
from backend.services import policy
from backend.services import uploads as upload_svc
from backend.web.api.uploads import read_limited
from backend.web.deps import ActorDep, DbDep, SettingsDep, StoreDep
from backend.web.schemas import DesignOut, RevisionNumber, design_out

router = APIRouter(prefix="/api", tags=["floor plans"])

QUICK_WAIT_SECONDS = 3.0


class ScaleLineIn(BaseModel):
    x1: float
    y1: float
    x2: float
    y2: float
    length_mm: float = Field(gt=0)


class VectorizeRequest(BaseModel):
    scale_line: ScaleLineIn | None = None


class PlanAccept(BaseModel):
    base_revision: RevisionNumber
    plan: dict[str, Any]


class EmptyRoom(BaseModel):
    base_revision: RevisionNumber
    width_mm: float = Field(description="the room's inside width, left to right (1000–30000 mm)")
    depth_mm: float = Field(description="the room's inside depth, top to bottom on the plan (1000–30000 mm)")
    room_type: str = Field(default="kitchen", description="a room type of the design format")
    name: str = Field(default="", max_length=120)


def runner(request: Request) -> JobRunner:
    jobs: JobRunner = request.app.state.jobs
    return jobs


def _scale_line_dict(line: ScaleLineIn | None) -> dict[str, Any] | None:
    if line is None:
        return None
    return svc.parse_scale_line(line.model_dump())


def _start(request: Request, response: Response, actor_id: str, args: dict[str, Any]) -> dict[str, Any]:
    jobs = runner(request)
    job = jobs.submit("vectorize", actor_id, args)
    job = jobs.wait(job.id, QUICK_WAIT_SECONDS)
    if job.status == "failed" and job.error:
        response.status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    elif job.status != "done":
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/api/jobs/{job.id}"
    return job.public()


@router.post("/floorplans", responses={202: {"description": "still working: poll the job"}})
def upload_floorplan(
    request: Request, response: Response, file: Annotated[UploadFile, File()], db: DbDep, actor: ActorDep,
    settings: SettingsDep, store: StoreDep,
    scale_x1: Annotated[float | None, Form()] = None, scale_y1: Annotated[float | None, Form()] = None,
    scale_x2: Annotated[float | None, Form()] = None, scale_y2: Annotated[float | None, Form()] = None,
    scale_mm: Annotated[float | None, Form()] = None,
) -> dict[str, Any]:
    """Upload a photo or scan of a floor plan and vectorize it. Quick images answer 200 with the job
    done and its result; slow ones answer 202 with a job to poll at ``/api/jobs/{id}``."""
    if not policy.may_upload(actor):
        raise NotFound("uploads are not available for this account")
    data = read_limited(file, settings.max_upload_bytes)
    limits = upload_svc.UploadLimits(settings.max_upload_bytes, settings.max_upload_pixels)
    upload = upload_svc.store_upload(db, store, actor, data, file.filename or "", limits)
    db.commit()  # the photo is kept even if vectorizing fails
    given = [scale_x1, scale_y1, scale_x2, scale_y2, scale_mm]
    line = None
    if any(v is not None for v in given):
        if any(v is None for v in given):
            raise InvalidInput("a scale line needs two points and a length", field="scale_mm")
        line = ScaleLineIn(x1=scale_x1 or 0, y1=scale_y1 or 0, x2=scale_x2 or 0, y2=scale_y2 or 0,
                           length_mm=scale_mm or 0)
    return _start(request, response, actor.id, svc.vectorize_args(upload, _scale_line_dict(line)))


@router.post("/uploads/{upload_id}/vectorize")
def revectorize(upload_id: str, body: VectorizeRequest, request: Request, response: Response, db: DbDep,
                actor: ActorDep) -> dict[str, Any]:
    """Vectorize an uploaded photo again, e.g. with a scale line drawn over a known length."""
    upload = upload_svc.get_upload(db, actor, upload_id)
    return _start(request, response, actor.id, svc.vectorize_args(upload, _scale_line_dict(body.scale_line)))


@router.get("/jobs/{job_id}")
def job_status(job_id: str, request: Request, actor: ActorDep) -> dict[str, Any]:
    return runner(request).get(job_id, actor.id).public()


@router.post("/designs/{design_id}/floorplan", response_model=DesignOut)
def accept_floorplan(design_id: str, body: PlanAccept, db: DbDep, actor: ActorDep) -> DesignOut:
    """Use a (corrected) plan in the design: saved as a new revision (409 if the base is stale)."""
    view = svc.accept_plan(db, actor, design_id, body.base_revision, body.plan)
    return design_out(view.row, view.document, view.can_edit)


@router.post("/designs/{design_id}/room", response_model=DesignOut)
def start_with_room(design_id: str, body: EmptyRoom, db: DbDep, actor: ActorDep) -> DesignOut:
    """Start the design from an empty rectangular room (no photo): four walls around the typed inside
    size and one room, saved as a new revision (409 if the base is stale, 422 naming the field)."""
    view = svc.start_with_room(db, actor, design_id, body.base_revision, body.width_mm, body.depth_mm,
                               body.room_type, body.name)
    return design_out(view.row, view.document, view.can_edit)
