"""The design gallery: publish a design, browse, rate, start your own design from one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from backend.db import commerce_tables as ct
from backend.services import gallery as svc
from backend.services import portfolios
from backend.web.deps import ActorDep, DbDep

router = APIRouter(prefix="/api", tags=["gallery"])


class PublishIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    style: str = Field(max_length=40)
    consent: bool = False
    portfolio_consent: bool | None = None
    """The designers who worked on the design may show it in their portfolios (None: unchanged)."""


class ConsentIn(BaseModel):
    consent: bool


class RatingIn(BaseModel):
    stars: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)


def _out(entry: svc.Entry | ct.GalleryItem) -> dict[str, Any]:
    item = entry.item if isinstance(entry, svc.Entry) else entry
    out = {"id": item.id, "title": item.title, "style": item.style, "room_types": list(item.room_types),
           "budget_band": item.budget_band, "published_at": item.published_at.isoformat(),
           "revision": item.revision_number, "portfolio_consent": item.portfolio_consent}
    if isinstance(entry, svc.Entry):
        out |= {"rating": entry.rating, "ratings": entry.ratings, "mine": entry.mine}
    return out


@router.post("/designs/{design_id}/publish", status_code=status.HTTP_201_CREATED)
def publish(design_id: str, body: PublishIn, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Publish the design's latest revision (title, style; no personal data); publishing earns points once."""
    return _out(svc.publish(db, actor, design_id, body.title, body.style, body.consent, body.portfolio_consent))


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


class CopyIn(BaseModel):
    onto_design_id: str | None = Field(default=None, max_length=64)


@router.post("/gallery/{item_id}/copy", status_code=status.HTTP_201_CREATED)
def use_layout(item_id: str, db: DbDep, actor: ActorDep, body: CopyIn | None = None) -> dict[str, Any]:
    """Start your own design from this one: a copy you own, or (``onto_design_id``, one of your designs) its
    furniture and finishes fitted onto that design's plan, in a new design; ``rooms`` says how each room came
    over."""
    copy = svc.use_layout(db, actor, item_id, body.onto_design_id if body is not None else None)
    out: dict[str, Any] = {"id": copy.view.row.id, "name": copy.view.row.name}
    if copy.fit is not None:
        out["fit"] = {"units": copy.fit.units, "placed": copy.fit.placed, "free_standing": copy.fit.free_standing,
                      "rooms": [{"room_type": r.room_type, "target_room_id": r.target_room, "units": r.units,
                                 "placed": r.placed, "autofilled": r.autofilled} for r in copy.fit.rooms]}
    return out


class CommentIn(BaseModel):
    body: str = Field(min_length=1, max_length=svc.COMMENT_MAX_CHARS)


class HideIn(BaseModel):
    hidden: bool = True


def _comment_out(row: ct.GalleryComment, actor_id: str) -> dict[str, Any]:
    return {"id": row.id, "body": row.body, "hidden": row.hidden, "mine": row.user_id == actor_id,
            "created_at": row.created_at.isoformat()}


@router.get("/gallery/{item_id}/comments")
def list_comments(item_id: str, db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The design's comments, oldest first (hidden ones only for the design's owner)."""
    return [_comment_out(c, actor.id) for c in svc.comments(db, actor, item_id)]


@router.post("/gallery/{item_id}/comments", status_code=status.HTTP_201_CREATED)
def add_comment(item_id: str, body: CommentIn, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Comment on a published design (1 to 1000 characters, a few an hour)."""
    return _comment_out(svc.comment(db, actor, item_id, body.body), actor.id)


@router.delete("/gallery/{item_id}/comments/{comment_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_comment(item_id: str, comment_id: str, db: DbDep, actor: ActorDep) -> Response:
    """Delete your own comment."""
    svc.delete_comment(db, actor, item_id, comment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/gallery/{item_id}/comments/{comment_id}/hidden")
def hide_comment(item_id: str, comment_id: str, body: HideIn, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """The design's owner hides (or shows again) a comment."""
    return _comment_out(svc.hide_comment(db, actor, item_id, comment_id, body.hidden), actor.id)


@router.put("/gallery/{item_id}/portfolio")
def portfolio_consent(item_id: str, body: ConsentIn, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """The customer who published the design lets its designers show it in their portfolios, or takes it back."""
    return _out(portfolios.set_consent(db, actor, item_id, body.consent))


@router.get("/designers/{designer_id}/portfolio")
def designer_portfolio(designer_id: str, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """A designer's customer projects: the published designs they worked on whose customers consent (what
    the gallery shows of them; no customer's name, address or photos)."""
    found = portfolios.portfolio(db, designer_id)
    view = found.designer
    return {"designer": {"id": view.user.id, "name": view.user.display_name,
                         "store": view.store.name if view.store else None},
            "projects": [_out(p.item) | {"rating": p.rating, "ratings": p.ratings} for p in found.projects]}
