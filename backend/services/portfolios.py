"""Designers' portfolios of real customer projects: the published designs (gallery items) a designer worked
on, shown only while the customer who published it consents (``gallery_items.portfolio_consent``, set when
publishing or later, revocable).

A designer worked on a customer's design when they saved a revision of it (in store mode, or on a shared
design) or completed a booking for it (a home measurement, a consultation). A portfolio shows what the
gallery shows (title, style, room types, budget band, rating): never the customer's name, address or
photos.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from backend.booking.rules import BookingStatus
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.enums import Role
from backend.errors import NotFound
from backend.services import booking_resources
from backend.services.actor import Actor


def _worked_on(designer_ids: Sequence[str]) -> tuple[Select[str, str], Select[str | None, str]]:
    """(design id, designer id) pairs: revisions the designers saved, and bookings they completed."""
    saved = (select(tables.DesignRevision.design_id, tables.DesignRevision.author_id)
             .where(tables.DesignRevision.author_id.in_(list(designer_ids))).distinct())
    visited = (select(bt.Booking.design_id, bt.Booking.resource_id)
               .where(bt.Booking.resource_id.in_(list(designer_ids)), bt.Booking.design_id.is_not(None),
                      bt.Booking.status == BookingStatus.COMPLETED.value).distinct())
    return saved, visited


def _consented(designer_id: str) -> Select[ct.GalleryItem]:
    """The published customer designs the designer worked on whose customers consent."""
    saved = select(tables.DesignRevision.design_id).where(tables.DesignRevision.author_id == designer_id)
    visited = select(bt.Booking.design_id).where(bt.Booking.resource_id == designer_id,
                                                 bt.Booking.status == BookingStatus.COMPLETED.value,
                                                 bt.Booking.design_id.is_not(None))
    return (select(ct.GalleryItem)
            .join(tables.User, tables.User.id == ct.GalleryItem.owner_id)
            .where(ct.GalleryItem.portfolio_consent.is_(True), ct.GalleryItem.owner_id != designer_id,
                   tables.User.role == Role.HOMEOWNER,
                   or_(ct.GalleryItem.design_id.in_(saved), ct.GalleryItem.design_id.in_(visited))))


@dataclass(frozen=True)
class Project:
    """One customer project in a portfolio, as everyone may see it."""

    item: ct.GalleryItem
    rating: float | None
    ratings: int


@dataclass(frozen=True)
class Portfolio:
    designer: booking_resources.DesignerView
    projects: list[Project]


def portfolio(db: Session, designer_id: str) -> Portfolio:
    """The designer's public portfolio: the consented customer projects they worked on, newest first. A
    designer without a public profile (or no designer) is not found."""
    view = booking_resources.get_designer(db, designer_id)
    items = list(db.scalars(_consented(view.user.id)
                            .order_by(ct.GalleryItem.published_at.desc(), ct.GalleryItem.id).limit(100)))
    stats = _ratings(db, [i.id for i in items])
    return Portfolio(view, [Project(i, *stats.get(i.id, (None, 0))) for i in items])


def _ratings(db: Session, item_ids: list[str]) -> dict[str, tuple[float | None, int]]:
    if not item_ids:
        return {}
    rows = db.execute(select(ct.GalleryRating.item_id, func.avg(ct.GalleryRating.stars), func.count())
                      .where(ct.GalleryRating.item_id.in_(item_ids)).group_by(ct.GalleryRating.item_id))
    return {i: (round(float(avg), 2) if avg is not None else None, int(n)) for i, avg, n in rows}


def project_counts(db: Session, designer_ids: Sequence[str]) -> dict[str, int]:
    """designer id → how many consented customer projects their portfolio shows (for the designer cards)."""
    if not designer_ids:
        return {}
    saved, visited = _worked_on(designer_ids)
    pairs = saved.union(visited).subquery()
    rows = db.execute(select(pairs.c[1], func.count(func.distinct(ct.GalleryItem.id)))
                      .join(ct.GalleryItem, ct.GalleryItem.design_id == pairs.c[0])
                      .join(tables.User, tables.User.id == ct.GalleryItem.owner_id)
                      .where(ct.GalleryItem.portfolio_consent.is_(True), tables.User.role == Role.HOMEOWNER,
                             ct.GalleryItem.owner_id != pairs.c[1])
                      .group_by(pairs.c[1]))
    found = {str(d): int(n) for d, n in rows}
    return {d: found.get(d, 0) for d in designer_ids}


@dataclass(frozen=True)
class Credit:
    """A designer credited on a gallery item (their name links to their portfolio)."""

    designer_id: str
    name: str


def credits(db: Session, items: Sequence[ct.GalleryItem]) -> dict[str, list[Credit]]:
    """gallery item id → the designers (with a public profile) who worked on it, for items whose customer
    consents; others get none."""
    shown = {i.design_id: i.id for i in items if i.portfolio_consent}
    out: dict[str, list[Credit]] = {i.id: [] for i in items}
    if not shown:
        return out
    saved = (select(tables.DesignRevision.design_id, tables.DesignRevision.author_id)
             .where(tables.DesignRevision.design_id.in_(list(shown))))
    visited = (select(bt.Booking.design_id, bt.Booking.resource_id)
               .where(bt.Booking.design_id.in_(list(shown)), bt.Booking.status == BookingStatus.COMPLETED.value))
    pairs = saved.union(visited).subquery()
    rows = db.execute(select(pairs.c[0], tables.User.id, tables.User.display_name)
                      .join(tables.User, tables.User.id == pairs.c[1])
                      .join(bt.DesignerProfile, bt.DesignerProfile.user_id == tables.User.id)
                      .where(tables.User.role == Role.DESIGNER, tables.User.is_active.is_(True))
                      .order_by(tables.User.display_name, tables.User.id))
    for design_id, user_id, name in rows:
        out[shown[str(design_id)]].append(Credit(str(user_id), str(name)))
    return out


def set_consent(db: Session, actor: Actor, item_id: str, consent: bool) -> ct.GalleryItem:
    """The customer who published the design lets its designers show it in their portfolios, or takes
    that back; for anyone else the item is not theirs (404)."""
    item = db.get(ct.GalleryItem, item_id)
    if item is None or item.owner_id != actor.id:
        raise NotFound(f"no published design '{item_id}' of yours", field="item_id")
    item.portfolio_consent = bool(consent)
    db.flush()
    return item
