"""The design gallery in the database: a homeowner publishes a design (its current revision, without
personal traces; publishing earns points once), anyone signed in browses by style, room type, budget
and rating, rates it (not their own; a good rating earns its owner points once per rater) and starts
their own design from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.bom import pricing
from backend.commerce.points import PointsReason
from backend.configurator.fit_layout import FitResult, fit_layout
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.design.model import Design, PlacedCabinet
from backend.enums import Role
from backend.errors import Forbidden, InvalidInput, NotFound, TooManyRequests
from backend.gallery import rules as core
from backend.services import designs, orders, points
from backend.services.actor import Actor
from backend.services.catalog import catalog


def publish(db: Session, actor: Actor, design_id: str, title: str, style: str, consent: bool,
            portfolio_consent: bool | None = None) -> ct.GalleryItem:
    """Publish (or re-publish, the latest revision) the actor's own design. ``portfolio_consent`` lets the
    designers who worked on it show it in their portfolios (None: as it was, at first no)."""
    if actor.role != Role.HOMEOWNER:
        raise Forbidden("homeowners publish their own designs")
    if not consent:
        raise InvalidInput("confirm that the design may be shown to everyone", field="consent")
    row = designs.get_design_row(db, actor, design_id)
    if row.owner_id != actor.id:
        raise NotFound(f"no design '{design_id}' of yours", field="design_id")
    rev = designs.get_revision(db, row.id, row.current_revision)
    public = core.listing(Design.model_validate(rev.document), title, style)
    band = core.budget_band(int(orders.order_quote(public.document, None)["total_cents"]))
    item = db.scalar(select(ct.GalleryItem).where(ct.GalleryItem.design_id == row.id))
    if item is None:
        item = ct.GalleryItem(design_id=row.id, owner_id=actor.id, portfolio_consent=False)
        db.add(item)
    if portfolio_consent is not None:
        item.portfolio_consent = portfolio_consent
    item.revision_number, item.title, item.style = rev.number, public.title, public.style
    item.room_types, item.budget_band = list(public.room_types), band
    item.document = public.document.model_dump(mode="json")
    item.published_at = tables.utcnow()
    db.flush()
    points.award(db, actor.id, PointsReason.DESIGN_PUBLISHED, row.id, points.rules().earn.design_published,
                 actor.id, f"published '{public.title}'")
    return item


def unpublish(db: Session, actor: Actor, item_id: str) -> None:
    item = db.get(ct.GalleryItem, item_id)
    if item is None or (item.owner_id != actor.id and actor.role != Role.ADMIN):
        raise NotFound(f"no published design '{item_id}' of yours", field="item_id")
    db.delete(item)
    db.flush()


@dataclass(frozen=True)
class Entry:
    item: ct.GalleryItem
    rating: float | None
    ratings: int
    mine: bool


def browse(db: Session, actor: Actor, style: str = "", room: str = "", budget: str = "",
           min_rating: float = 0) -> list[Entry]:
    stats = (select(ct.GalleryRating.item_id, func.avg(ct.GalleryRating.stars).label("avg"),
                    func.count().label("n")).group_by(ct.GalleryRating.item_id).subquery())
    query = (select(ct.GalleryItem, stats.c.avg, stats.c.n).outerjoin(stats, stats.c.item_id == ct.GalleryItem.id)
             .order_by(ct.GalleryItem.published_at.desc(), ct.GalleryItem.id).limit(100))
    if style:
        query = query.where(ct.GalleryItem.style == style)
    if budget:
        query = query.where(ct.GalleryItem.budget_band == budget)
    if min_rating:
        query = query.where(stats.c.avg >= min_rating)
    out = []
    for item, avg, n in db.execute(query):
        if room and room not in (item.room_types or []):
            continue  # room types are a short JSON list: filtered here, the same on both databases
        out.append(Entry(item, round(float(avg), 2) if avg is not None else None, int(n or 0),
                         item.owner_id == actor.id))
    return out


def get_item(db: Session, item_id: str) -> ct.GalleryItem:
    item = db.get(ct.GalleryItem, item_id)
    if item is None:
        raise NotFound(f"no published design '{item_id}'", field="item_id")
    return item


def rate(db: Session, actor: Actor, item_id: str, stars: int, comment: str = "") -> ct.GalleryRating:
    """Rate a published design (again: the stars change); a rating of 4+ earns its owner points once
    per rater."""
    item = get_item(db, item_id)
    if item.owner_id == actor.id:
        raise Forbidden("you cannot rate your own design")
    if not 1 <= stars <= 5:
        raise InvalidInput("stars must be from 1 to 5", field="stars")
    row = db.scalar(select(ct.GalleryRating).where(ct.GalleryRating.item_id == item.id,
                                                   ct.GalleryRating.user_id == actor.id))
    if row is None:
        try:
            with db.begin_nested():
                row = ct.GalleryRating(item_id=item.id, user_id=actor.id, stars=stars, comment=comment.strip()[:1000])
                db.add(row)
                db.flush()
        except IntegrityError:
            row = db.scalar(select(ct.GalleryRating).where(ct.GalleryRating.item_id == item.id,
                                                           ct.GalleryRating.user_id == actor.id))
            assert row is not None
    row.stars, row.comment = stars, comment.strip()[:1000]
    db.flush()
    received = points.rules().earn
    if stars >= received.rating_received_min_stars:
        points.award(db, item.owner_id, PointsReason.RATING_RECEIVED, f"{item.id}:{actor.id}",
                     received.rating_received, actor.id, f"'{item.title}' rated {stars} stars")
    return row


@dataclass
class LayoutCopy:
    """A design started from a gallery one: the new design, and with ``fit`` how the layout came onto the
    person's own plan (room by room: units, how many placed)."""

    view: designs.DesignView
    fit: FitResult | None = None


def use_layout(db: Session, actor: Actor, item_id: str, onto_design_id: str | None = None) -> LayoutCopy:
    """Start the actor's own design from a published one. Without ``onto_design_id``: a copy of it, plan and
    all, that they own and can change. With it (one of the actor's designs, else 404): a new design on that
    design's plan (which is not changed), with the published layout's furniture and finishes fitted room by
    room as far as they fit (:func:`backend.configurator.fit_layout.fit_layout`)."""
    item = get_item(db, item_id)
    if onto_design_id is None:
        view = designs.create_design(db, actor,
                                     document={**item.document, "name": f"From the gallery: {item.title}"[:200]})
        return LayoutCopy(view)
    own = designs.get_design(db, actor, onto_design_id)
    if not own.can_edit:
        raise NotFound(f"no design '{onto_design_id}' of yours", field="onto_design_id")
    if not own.document.plan.rooms:
        raise InvalidInput("that design has no rooms to fit the layout into: trace or draw its plan first",
                           field="onto_design_id")
    source = designs.parse_document(item.document)
    cat = catalog()

    def price(cabinets: Sequence[PlacedCabinet]) -> int:
        return pricing.price_cabinets(cabinets, cat, own.document.settings)

    fit = fit_layout(source, own.document, cat, price)
    name = f"{item.title} in {own.row.name}"[:200]
    view = designs.create_design(db, actor, document={**fit.design.model_dump(mode="json"), "name": name})
    return LayoutCopy(view, fit)


COMMENT_MAX_CHARS = 1000
COMMENTS_PER_HOUR = 10  # per person, over all designs: enough to talk, too few to spam


def comment(db: Session, actor: Actor, item_id: str, body: str) -> ct.GalleryComment:
    """A signed-in person's comment on a published design, stored as typed (pages escape it)."""
    item = get_item(db, item_id)
    text = body.strip()
    if not text or len(text) > COMMENT_MAX_CHARS:
        raise InvalidInput(f"a comment has 1 to {COMMENT_MAX_CHARS} characters", field="body")
    since = tables.utcnow() - timedelta(hours=1)
    recent = db.scalar(select(func.count()).select_from(ct.GalleryComment)
                       .where(ct.GalleryComment.user_id == actor.id, ct.GalleryComment.created_at >= since))
    if int(recent or 0) >= COMMENTS_PER_HOUR:
        raise TooManyRequests(f"at most {COMMENTS_PER_HOUR} comments an hour; try again later")
    row = ct.GalleryComment(item_id=item.id, user_id=actor.id, body=text, hidden=False)
    db.add(row)
    db.flush()
    return row


def comments(db: Session, actor: Actor, item_id: str) -> list[ct.GalleryComment]:
    """The design's comments, oldest first; hidden ones only for the design's owner."""
    item = get_item(db, item_id)
    query = (select(ct.GalleryComment).where(ct.GalleryComment.item_id == item.id)
             .order_by(ct.GalleryComment.created_at, ct.GalleryComment.id))
    if item.owner_id != actor.id:
        query = query.where(ct.GalleryComment.hidden.is_(False))
    return list(db.scalars(query))


def _comment(db: Session, item_id: str, comment_id: str) -> tuple[ct.GalleryItem, ct.GalleryComment]:
    item = get_item(db, item_id)
    row = db.get(ct.GalleryComment, comment_id)
    if row is None or row.item_id != item.id:
        raise NotFound(f"no comment '{comment_id}'", field="comment_id")
    return item, row


def delete_comment(db: Session, actor: Actor, item_id: str, comment_id: str) -> None:
    """Its author (or an admin) deletes a comment; for anyone else it does not exist."""
    _, row = _comment(db, item_id, comment_id)
    if row.user_id != actor.id and actor.role != Role.ADMIN:
        raise NotFound(f"no comment '{comment_id}' of yours", field="comment_id")
    db.delete(row)
    db.flush()


def hide_comment(db: Session, actor: Actor, item_id: str, comment_id: str, hidden: bool = True) -> ct.GalleryComment:
    """The design's owner hides (or shows again) a comment on it."""
    item, row = _comment(db, item_id, comment_id)
    if item.owner_id != actor.id and actor.role != Role.ADMIN:
        raise NotFound(f"no comment '{comment_id}' on a design of yours", field="comment_id")
    row.hidden = hidden
    db.flush()
    return row


def comments_on(db: Session, actor: Actor, items: list[ct.GalleryItem]) -> dict[str, list[ct.GalleryComment]]:
    """The comments on several designs in one query (for the gallery page), keyed by item id."""
    owned = {i.id for i in items if i.owner_id == actor.id}
    out: dict[str, list[ct.GalleryComment]] = {i.id: [] for i in items}
    if not items:
        return out
    query = (select(ct.GalleryComment).where(ct.GalleryComment.item_id.in_(list(out)))
             .order_by(ct.GalleryComment.created_at, ct.GalleryComment.id))
    for row in db.scalars(query):
        if not row.hidden or row.item_id in owned:
            out[row.item_id].append(row)
    return out
