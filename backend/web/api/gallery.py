"""The design gallery: publish a design, browse, rate, start your own design from one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from backend.db import commerce_tables as ct
from backend.services import gallery as svc
from backend.web.deps import ActorDep, DbDep

router = APIRouter(prefix="/api", tags=["gallery"])


class PublishIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    style: str = Field(max_length=40)
    consent: bool = False


class RatingIn(BaseModel):
    stars: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)


def _out(entry: svc.Entry | ct.GalleryItem) -> dict[str, Any]:
    item = entry.item if isinstance(entry, svc.Entry) else entry
    out = {"id": item.id, "title": item.title, "style": item.style, "room_types": list(item.room_types),
           "budget_band": item.budget_band, "published_at": item.published_at.isoformat(),
           "revision": item.revision_number}
    if isinstance(entry, svc.Entry):
        out |= {"rating": entry.rating, "ratings": entry.ratings, "mine": entry.mine}
    return out


@router.post("/designs/{design_id}/publish", status_code=status.HTTP_201_CREATED)
def publish(design_id: str, body: PublishIn, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Publish the design's latest revision (title, style; no personal data); publishing earns points once."""
    return _out(svc.publish(db, actor, design_id, body.title, body.style, body.consent))


@router.get("/gallery")
def browse(db: DbDep, actor: ActorDep, style: str = "", room: str = "", budget: str = "",
           min_rating: float = 0) -> list[dict[str, Any]]:
    return [_out(e) for e in svc.browse(db, actor, style, room, budget, min_rating)]


@router.get("/gallery/{item_id}")
def get_item(item_id: str, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """The published design with its document (the copy shown to everyone)."""
    item = svc.get_item(db, item_id)
    return _out(item) | {"document": item.document}


@router.delete("/gallery/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
def unpublish(item_id: str, db: DbDep, actor: ActorDep) -> Response:
    svc.unpublish(db, actor, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/gallery/{item_id}/rating")
def rate(item_id: str, body: RatingIn, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    row = svc.rate(db, actor, item_id, body.stars, body.comment)
    return {"item_id": row.item_id, "stars": row.stars, "comment": row.comment}


@router.post("/gallery/{item_id}/copy", status_code=status.HTTP_201_CREATED)
def use_layout(item_id: str, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Start your own design from this one: a copy you own."""
    view = svc.use_layout(db, actor, item_id)
    return {"id": view.row.id, "name": view.row.name}
