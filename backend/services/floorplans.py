"""Floor plans from photos: vectorize an upload (as a background job) and accept a corrected plan
into a design as a new revision."""

from __future__ import annotations

from typing import Any, cast, get_args

from pydantic import ValidationError
from sqlalchemy.orm import Session

from backend.db import tables
from backend.design import starter
from backend.design.model import FloorPlan, PlacedCabinet, PlacedItem, PlanSource, RoomType, WallPlacement
from backend.errors import InvalidInput, NotFound
from backend.jobs import JobContext
from backend.services import designs
from backend.services.actor import Actor


def vectorize_args(upload: tables.Upload, scale_line: dict[str, Any] | None) -> dict[str, Any]:
    """The arguments of a ``vectorize`` job: the upload's id and the scale line (JSON)."""
    return {"upload_id": upload.id, "scale_line": scale_line}


def vectorize_task(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
    """The ``vectorize`` job: read the stored photo and vectorize it. Returns the result as JSON-ready data."""
    from backend.floorplan import ScaleLine, vectorize

    with ctx.sessions() as db:
        upload = db.get(tables.Upload, args["upload_id"])
        if upload is None:
            raise NotFound(f"the photo '{args['upload_id']}' no longer exists", field="upload_id")
        db.expunge(upload)
    data = ctx.store.get(upload.storage_key)
    line = ScaleLine.model_validate(args["scale_line"]) if args.get("scale_line") else None
    ctx.progress(10, "reading the photo")
    result = vectorize(data, scale_line=line)
    ctx.progress(95, "done")
    payload: dict[str, Any] = result.model_dump(mode="json")
    payload["upload_id"] = upload.id
    source = result.plan.source or PlanSource()
    payload["image_width_px"] = source.image_width_px or upload.width_px
    payload["image_height_px"] = source.image_height_px or upload.height_px
    payload["plan"] = result.to_floor_plan(upload.id).model_dump(mode="json")
    return payload


def parse_scale_line(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if not data:
        return None
    from backend.floorplan import ScaleLine

    try:
        return ScaleLine.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        raise designs.invalid_from_validation(exc, prefix="scale_line") from exc


def accept_plan(db: Session, actor: Actor, design_id: str, base_revision: int, plan: Any) -> designs.DesignView:
    """Put a (corrected) plan into the design as a new revision. Cabinets standing on walls that the
    new plan no longer has are not dropped silently: the request is refused, naming them."""
    try:
        new_plan = FloorPlan.model_validate(plan)
    except ValidationError as exc:
        raise designs.invalid_from_validation(exc, prefix="plan") from exc
    view = designs.get_design(db, actor, design_id)
    wall_ids = {w.id for w in new_plan.walls}
    placed: list[PlacedCabinet | PlacedItem] = [*view.document.cabinets, *view.document.items]
    orphans = [c.id for c in placed if isinstance(c.placement, WallPlacement) and c.placement.wall_id not in wall_ids]
    if orphans:
        raise InvalidInput(
            f"{len(orphans)} {'unit stands' if len(orphans) == 1 else 'units stand'} on walls that this plan "
            "removes; move or delete them first",  # which ones: extra.objects (ids are not for reading)
            field="plan.walls", extra={"objects": orphans})
    data = view.document.model_dump(mode="json")
    data["plan"] = new_plan.model_dump(mode="json")
    return designs.save_design(db, actor, design_id, base_revision, data, message=designs.Message("plan_updated"))


def start_with_room(db: Session, actor: Actor, design_id: str, base_revision: int, width_mm: float,
                    depth_mm: float, room_type: str = "kitchen", name: str = "") -> designs.DesignView:
    """Start the design from an empty rectangular room of the typed size (no photo): its plan, saved as a
    new revision like an accepted photo plan (409 if the base is stale; refused while cabinets stand on
    the walls it replaces)."""
    for field, value in (("width_mm", width_mm), ("depth_mm", depth_mm)):
        if not starter.MIN_SIDE_MM <= value <= starter.MAX_SIDE_MM:
            raise InvalidInput(f"The room's {'width' if field == 'width_mm' else 'depth'} must be between "
                               f"{starter.MIN_SIDE_MM:.0f} and {starter.MAX_SIDE_MM:.0f} mm.", field=field)
    if room_type not in get_args(RoomType):
        raise InvalidInput(f"'{room_type}' is not a room type", field="room_type")
    plan = starter.rectangular_room(width_mm, depth_mm, room_type=cast(RoomType, room_type), name=name[:120])
    return accept_plan(db, actor, design_id, base_revision, plan.model_dump(mode="json"))
