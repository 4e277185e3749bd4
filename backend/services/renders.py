"""Photoreal renders of a design revision: started as a job, kept in the file store, listed per design.

A render is stored like an uploaded image (an ``uploads`` row owned by the design's owner, the PNG
in the content-addressed file store) whose ``filename`` records what it shows:
``render:DESIGN_ID:rREVISION:CAMERA``.  That keeps renders with the revision they were made from
without a table of their own (a dedicated table can replace it with a migration; the service's
functions stay the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import tables
from backend.design.model import Design
from backend.errors import Forbidden, InvalidInput, NotFound
from backend.jobs import Job, JobContext, JobRunner
from backend.render.cameras import Camera, named_cameras
from backend.render.cycles import DEFAULT_SAMPLES, RenderRequest, availability, render_design
from backend.services import designs
from backend.services.actor import Actor
from backend.services.catalog import catalog
from backend.storage import FileStore

MAX_WEB_PIXELS = 1920 * 1080
MAX_WEB_SAMPLES = 256
PREFIX = "render:"


@dataclass(frozen=True)
class RenderView:
    id: str
    revision: int
    camera: str
    width: int
    height: int
    created_at: str

    def public(self, design_id: str) -> dict[str, Any]:
        return {"id": self.id, "revision": self.revision, "camera": self.camera, "width": self.width,
                "height": self.height, "created_at": self.created_at,
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
        from backend.render.cycles import RenderUnavailable

        raise RenderUnavailable(missing)
    if width * height > MAX_WEB_PIXELS:
        raise InvalidInput("renders from the web are at most 1920×1080 pixels", field="size")
    if samples > MAX_WEB_SAMPLES:
        raise InvalidInput(f"renders from the web take at most {MAX_WEB_SAMPLES} samples", field="samples")
    cam: str | Camera = Camera.parse(camera) if isinstance(camera, dict) else camera
    if isinstance(cam, str) and cam not in named_cameras(view.document, catalog()):
        raise InvalidInput(f"no view '{cam}' in this design", field="camera")
    RenderRequest(width, height, samples, cam).check()
    args = {"design_id": design_id, "revision": view.row.current_revision, "owner_id": view.row.owner_id,
            "camera": cam.as_dict() if isinstance(cam, Camera) else cam, "width": width, "height": height,
            "samples": samples, "command": command}
    return jobs.submit("render", actor.id, args, key=f"render:{design_id}")


def render_task(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
    """The ``render`` job: render one revision with Cycles, keep the PNG in the file store and record it
    with the design (an ``uploads`` row named ``render:DESIGN:rREVISION:CAMERA``)."""
    design_id, revision = str(args["design_id"]), int(args["revision"])
    with ctx.sessions() as db:
        if db.get(tables.Design, design_id) is None:
            raise NotFound(f"the design '{design_id}' was deleted before its render was made", field="design_id")
        document = Design.model_validate(designs.get_revision(db, design_id, revision).document)
    camera = args["camera"]
    cam: str | Camera = Camera.parse(camera) if isinstance(camera, dict) else str(camera)
    cam_name = "view" if isinstance(cam, Camera) else cam
    width, height = int(args["width"]), int(args["height"])
    request = RenderRequest(width, height, int(args["samples"]), cam)
    png = render_design(document, catalog(), request, ctx.progress, command=str(args["command"]))
    key = ctx.store.put(png)
    with ctx.sessions() as session, session.begin():
        row = tables.Upload(owner_id=str(args["owner_id"]), sha256=key, content_type="image/png",
                            size_bytes=len(png), width_px=width, height_px=height, storage_key=key,
                            filename=f"{PREFIX}{design_id}:r{revision}:{cam_name}")
        session.add(row)
        session.flush()
        render_id = row.id
    return {"render_id": render_id, "url": f"/api/designs/{design_id}/renders/{render_id}.png",
            "revision": revision, "camera": cam_name}


def _view(row: tables.Upload) -> RenderView:
    _, _design, rev, camera = row.filename.split(":", 3)
    return RenderView(row.id, int(rev.removeprefix("r")), camera, row.width_px or 0, row.height_px or 0,
                      row.created_at.isoformat())


def _rows(db: Session, design: tables.Design) -> list[tables.Upload]:
    query = (select(tables.Upload)
             .where(tables.Upload.owner_id == design.owner_id,
                    tables.Upload.filename.startswith(f"{PREFIX}{design.id}:", autoescape=True))
             .order_by(tables.Upload.created_at.desc(), tables.Upload.id.desc()))
    return list(db.scalars(query))


def list_renders(db: Session, actor: Actor, design_id: str) -> list[RenderView]:
    """The design's renders, newest first (each names the revision it shows)."""
    return [_view(row) for row in _rows(db, designs.get_design_row(db, actor, design_id))]


def renders_of(db: Session, store: FileStore, design: tables.Design, limit: int = 2) -> list[bytes]:
    """The newest renders' PNG bytes of a design the caller already may see (proposal, share page)."""
    return [store.get(row.storage_key) for row in _rows(db, design)[:limit] if store.exists(row.storage_key)]


def latest_render_ids(db: Session, design: tables.Design, limit: int = 4) -> list[str]:
    return [row.id for row in _rows(db, design)[:limit]]


def render_bytes(db: Session, actor: Actor, store: FileStore, design_id: str, render_id: str) -> bytes:
    design = designs.get_design_row(db, actor, design_id)
    return stored_render(db, store, design, render_id)


def stored_render(db: Session, store: FileStore, design: tables.Design, render_id: str) -> bytes:
    row = next((r for r in _rows(db, design) if r.id == render_id), None)
    if row is None or not store.exists(row.storage_key):
        raise NotFound(f"no render '{render_id}' of this design", field="render_id")
    return store.get(row.storage_key)


def page_context(db: Session, actor: Actor, view: designs.DesignView, command: str) -> dict[str, Any]:
    """What the design page shows of renders: the gallery, the named views, whether rendering works here."""
    return {"renders": [r.public(view.row.id) for r in list_renders(db, actor, view.row.id)],
            "renderer": renderer_status(command),
            "render_cameras": list(named_cameras(view.document, catalog())) if view.document.plan.walls else []}
