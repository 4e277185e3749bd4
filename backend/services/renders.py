"""Photoreal renders of a design revision: started as a job, kept in the file store, listed per design.

Each render is a ``renders`` row (design, revision, view, size, samples, status, the PNG's file-store
key): written ``running`` when the job starts, ``done`` with its file once the image is kept, ``failed``
when the renderer gave up. The gallery lists the finished ones of every revision; the proposal PDF and
the share page use only those of the design's current revision (an older revision's render shows
furniture that may have changed since).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.db import tables
from backend.design.model import Design
from backend.enums import RenderStatus
from backend.errors import Forbidden, InvalidInput, NotFound
from backend.jobs import Job, JobContext, JobRunner
from backend.render.cameras import Camera, named_cameras
from backend.render.cycles import DEFAULT_SAMPLES, RenderRequest, RenderUnavailable, availability, render_design
from backend.services import designs
from backend.services.actor import Actor
from backend.services.catalog import catalog
from backend.storage import FileStore

MAX_WEB_PIXELS = 1920 * 1080
MAX_WEB_SAMPLES = 256


@dataclass(frozen=True)
class RenderView:
    id: str
    revision: int
    camera: str
    width: int
    height: int
    samples: int | None
    """None for renders made before the renders table, which did not record it."""
    created_at: str

    def public(self, design_id: str) -> dict[str, Any]:
        return {"id": self.id, "revision": self.revision, "camera": self.camera, "width": self.width,
                "height": self.height, "samples": self.samples, "created_at": self.created_at,
                "url": f"/api/designs/{design_id}/renders/{self.id}.png"}


def renderer_status(command: str) -> dict[str, Any]:
    """For pages: whether the Render button works here and, if not, what is missing."""
    missing = availability(command)
    reason = None if missing is None else ("off" if "switched off" in missing else "not_installed")
    return {"available": missing is None, "missing": missing, "reason": reason}


def cameras(db: Session, actor: Actor, design_id: str) -> dict[str, dict[str, object]]:
    view = designs.get_design(db, actor, design_id)
    return {name: cam.as_dict() for name, cam in named_cameras(view.document, catalog()).items()}


def start_render(db: Session, actor: Actor, jobs: JobRunner, design_id: str, *,
                 camera: str | dict[str, Any] = "room", width: int = 1280, height: int = 720,
                 samples: int = DEFAULT_SAMPLES, command: str = "blender") -> Job:
    """Render the design's current revision in the background (the ``render`` job, on a worker when a
    queue is configured); the job's result names the stored render.

    One render per design at a time: while one is queued or running, asking again answers that job."""
    view = designs.get_design(db, actor, design_id)
    if not view.can_edit:
        raise Forbidden("only the people who may change a design start its renders", field="design_id")
    missing = availability(command)
    if missing is not None:
        raise RenderUnavailable(missing)
    if width * height > MAX_WEB_PIXELS:
        raise InvalidInput("renders from the web are at most 1920×1080 pixels", field="size")
    if samples > MAX_WEB_SAMPLES:
        raise InvalidInput(f"renders from the web take at most {MAX_WEB_SAMPLES} samples", field="samples")
    cam: str | Camera = Camera.parse(camera) if isinstance(camera, dict) else camera
    if isinstance(cam, str) and cam not in named_cameras(view.document, catalog()):
        raise InvalidInput(f"no view '{cam}' in this design", field="camera")
    RenderRequest(width, height, samples, cam).check()
    args = {"design_id": design_id, "revision": view.row.current_revision, "requested_by": actor.id,
            "camera": cam.as_dict() if isinstance(cam, Camera) else cam, "width": width, "height": height,
            "samples": samples, "command": command}
    return jobs.submit("render", actor.id, args, key=f"render:{design_id}")


def render_task(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
    """The ``render`` job: record the render (``running``), render the revision with Cycles, keep the PNG
    in the file store and mark the row ``done`` with its key (``failed`` when the renderer gave up)."""
    design_id, revision = str(args["design_id"]), int(args["revision"])
    camera = args["camera"]
    cam: str | Camera = Camera.parse(camera) if isinstance(camera, dict) else str(camera)
    cam_name = "view" if isinstance(cam, Camera) else cam
    request = RenderRequest(int(args["width"]), int(args["height"]), int(args["samples"]), cam)
    with ctx.sessions() as db, db.begin():
        if db.get(tables.Design, design_id) is None:
            raise NotFound(f"the design '{design_id}' was deleted before its render was made", field="design_id")
        document = Design.model_validate(designs.get_revision(db, design_id, revision).document)
        # one render of a design runs at a time (the job's key), so a row still ``running`` is one whose
        # worker died (this job's earlier attempt, or an older job's): it will never finish
        db.execute(update(tables.Render).where(tables.Render.design_id == design_id,
                                               tables.Render.status == RenderStatus.RUNNING)
                   .values(status=RenderStatus.FAILED))
        requested_by = args.get("requested_by")
        row = tables.Render(design_id=design_id, revision=revision, camera=cam_name, width_px=request.width,
                            height_px=request.height, samples=request.samples, status=RenderStatus.RUNNING,
                            created_by=str(requested_by) if requested_by and db.get(tables.User, requested_by)
                            else None)
        db.add(row)
        db.flush()
        render_id = row.id
    try:
        png = render_design(document, catalog(), request, ctx.progress, command=str(args["command"]))
        key = ctx.store.put(png)
    except BaseException:
        _finish(ctx, render_id, RenderStatus.FAILED)
        raise
    _finish(ctx, render_id, RenderStatus.DONE, key, len(png))
    return {"render_id": render_id, "url": f"/api/designs/{design_id}/renders/{render_id}.png",
            "revision": revision, "camera": cam_name}


def _finish(ctx: JobContext, render_id: str, status: RenderStatus, key: str | None = None,
            size_bytes: int | None = None) -> None:
    with ctx.sessions() as db, db.begin():
        row = db.get(tables.Render, render_id)
        if row is not None:
            row.status, row.file_key, row.size_bytes = status, key, size_bytes


def _view(row: tables.Render) -> RenderView:
    return RenderView(row.id, row.revision, row.camera, row.width_px, row.height_px, row.samples,
                      row.created_at.isoformat())


def _done(db: Session, design: tables.Design, revision: int | None = None) -> list[tables.Render]:
    """The design's finished renders (of one revision when given), newest first."""
    query = select(tables.Render).where(tables.Render.design_id == design.id,
                                        tables.Render.status == RenderStatus.DONE)
    if revision is not None:
        query = query.where(tables.Render.revision == revision)
    return list(db.scalars(query.order_by(tables.Render.created_at.desc(), tables.Render.id.desc())))


def list_renders(db: Session, actor: Actor, design_id: str) -> list[RenderView]:
    """The design's finished renders, newest first (each names the revision it shows)."""
    return [_view(row) for row in _done(db, designs.get_design_row(db, actor, design_id))]


def current_render_ids(db: Session, design: tables.Design, limit: int = 1) -> list[str]:
    """The newest render of each view of the design's current revision, newest first, at most ``limit``
    (the proposal takes the newest one, the share page a few): for a design the caller may already see."""
    seen: dict[str, str] = {}
    for row in _done(db, design, design.current_revision):
        seen.setdefault(row.camera, row.id)
    return list(seen.values())[:limit]


def render_bytes(db: Session, actor: Actor, store: FileStore, design_id: str, render_id: str) -> bytes:
    design = designs.get_design_row(db, actor, design_id)
    return stored_render(db, store, design, render_id)


def stored_render(db: Session, store: FileStore, design: tables.Design, render_id: str) -> bytes:
    """A finished render's PNG, if it is one of ``design``'s (else NotFound, whoever's it is)."""
    row = db.get(tables.Render, render_id)
    if (row is None or row.design_id != design.id or row.status != RenderStatus.DONE or row.file_key is None
            or not store.exists(row.file_key)):
        raise NotFound(f"no render '{render_id}' of this design", field="render_id")
    return store.get(row.file_key)


def page_context(db: Session, actor: Actor, view: designs.DesignView, command: str) -> dict[str, Any]:
    """What the design page shows of renders: the gallery (newest first, each marked whether it shows the
    current revision), the named views, whether rendering works here."""
    gallery = [{**r.public(view.row.id), "current": r.revision == view.row.current_revision}
               for r in list_renders(db, actor, view.row.id)]
    return {"renders": gallery, "renderer": renderer_status(command),
            "render_cameras": list(named_cameras(view.document, catalog())) if view.document.plan.walls else []}
