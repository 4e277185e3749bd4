"""Packages and promotions in the database: a store manager defines a package and a promotion of it; a
customer pre-books a place with a small deposit inside the window; the pre-booking becomes a home
measurement appointment through the booking service.

A place is taken by one conditional UPDATE (``places_taken = places_taken + 1 WHERE places_taken <
places``) in the same savepoint as the pre-booking row, with a CHECK behind it: under any burst no more
places are sold than exist, and a customer holds at most one place per promotion (a unique key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.booking import rules as booking_core
from backend.booking.service_types import ServiceCode
from backend.commerce import promotions as core
from backend.commerce.escrow import HoldKind
from backend.commerce.promotions import PrebookingStatus
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.enums import Role
from backend.errors import Conflict, Forbidden, NotFound
from backend.services import booking_resources, bookings, escrow
from backend.services.actor import Actor


def _manager_store(actor: Actor) -> str:
    if actor.role != Role.STORE_MANAGER or not actor.store_id:
        raise Forbidden("only a store manager defines packages and promotions")
    return actor.store_id


def create_package(db: Session, actor: Actor, spec: core.PackageSpec, description: str = "") -> ct.Package:
    store_id = _manager_store(actor)
    good = core.check_package(spec)
    row = ct.Package(store_id=store_id, name=good.name, description=description.strip()[:2000],
                     price_per_metre_cents=good.price_per_metre_cents, inclusions=list(good.inclusions),
                     surcharges=dict(good.surcharges_per_metre_cents), created_by=actor.id)
    db.add(row)
    db.flush()
    return row


def packages_of_store(db: Session, actor: Actor) -> list[ct.Package]:
    store_id = _manager_store(actor)
    return list(db.scalars(select(ct.Package).where(ct.Package.store_id == store_id).order_by(ct.Package.created_at)))


def spec_of(package: ct.Package) -> core.PackageSpec:
    return core.PackageSpec(package.name, package.price_per_metre_cents, tuple(package.inclusions),
                            dict(package.surcharges))


def create_promotion(db: Session, actor: Actor, package_id: str, spec: core.PromotionSpec) -> ct.Promotion:
    store_id = _manager_store(actor)
    package = db.get(ct.Package, package_id)
    if package is None or package.store_id != store_id:
        raise NotFound(f"no package '{package_id}' of your store", field="package_id")
    good = core.check_promotion(spec)
    row = ct.Promotion(package_id=package.id, store_id=store_id, title=good.title, starts_at=good.starts_at,
                       ends_at=good.ends_at, places=good.places, places_taken=0, deposit_cents=good.deposit_cents,
                       created_by=actor.id)
    db.add(row)
    db.flush()
    return row


@dataclass(frozen=True)
class PromotionView:
    promotion: ct.Promotion
    package: ct.Package
    places_left: int
    open_now: bool
    mine: ct.Prebooking | None


def _view(db: Session, promo: ct.Promotion, actor: Actor, now: datetime) -> PromotionView:
    package = db.get(ct.Package, promo.package_id)
    assert package is not None  # the foreign key
    mine = db.scalar(select(ct.Prebooking).where(ct.Prebooking.promotion_id == promo.id,
                                                 ct.Prebooking.customer_id == actor.id))
    return PromotionView(promo, package, core.places_left(promo.places, promo.places_taken),
                         promo.starts_at <= now < promo.ends_at, mine)


def list_promotions(db: Session, actor: Actor, now: datetime) -> list[PromotionView]:
    """For a store manager: their store's promotions. For everyone else: the ones not yet ended."""
    query = select(ct.Promotion).order_by(ct.Promotion.starts_at, ct.Promotion.id)
    if actor.role == Role.STORE_MANAGER:
        query = query.where(ct.Promotion.store_id == (actor.store_id or ""))
    else:
        query = query.where(ct.Promotion.ends_at > now)
    return [_view(db, p, actor, now) for p in db.scalars(query)]


def get_promotion(db: Session, actor: Actor, promotion_id: str, now: datetime) -> PromotionView:
    promo = db.get(ct.Promotion, promotion_id)
    if promo is None or (actor.role == Role.STORE_MANAGER and promo.store_id != actor.store_id):
        raise NotFound(f"no promotion '{promotion_id}'", field="promotion_id")
    return _view(db, promo, actor, now)


class _FullyBooked(Exception):
    pass


def prebook(db: Session, actor: Actor, promotion_id: str, now: datetime) -> tuple[ct.Prebooking, bool]:
    """Take one place of the promotion for the customer, with its deposit (True), or give back their
    place if they already hold one (False). Refused: outside the window, or no place left
    ("This promotion is fully booked")."""
    if actor.role != Role.HOMEOWNER:
        raise Forbidden("only a customer account can pre-book a promotion")
    promo = db.get(ct.Promotion, promotion_id)
    if promo is None:
        raise NotFound(f"no promotion '{promotion_id}'", field="promotion_id")
    existing = _prebooking_of(db, promo.id, actor.id)
    if existing is not None and existing.status == PrebookingStatus.CANCELLED:
        raise Conflict("you gave your place in this promotion back", field="promotion_id")
    if existing is not None:
        return existing, False
    core.check_open(promo.starts_at, promo.ends_at, now)
    try:
        with db.begin_nested():
            row = ct.Prebooking(promotion_id=promo.id, customer_id=actor.id, status=PrebookingStatus.HELD.value,
                                deposit_cents=promo.deposit_cents, created_at=now)
            db.add(row)
            db.flush()
            taken = db.execute(update(ct.Promotion)
                               .where(ct.Promotion.id == promo.id, ct.Promotion.places_taken < ct.Promotion.places)
                               .values(places_taken=ct.Promotion.places_taken + 1)
                               .returning(ct.Promotion.places_taken)).scalar_one_or_none()
            if taken is None:
                raise _FullyBooked()
    except _FullyBooked:
        raise Conflict(core.FULLY_BOOKED, field="promotion_id", extra={"places": promo.places}) from None
    except IntegrityError:  # the same customer's second click at the same moment
        again = _prebooking_of(db, promo.id, actor.id)
        if again is None:
            raise
        return again, False
    db.expire(promo)
    escrow.open_hold(db, actor.id, HoldKind.PREBOOKING_DEPOSIT, row.id, row.deposit_cents, promo.store_id, now)
    return row, True


def cancel_prebooking(db: Session, actor: Actor, prebooking_id: str, now: datetime) -> ct.Prebooking:
    """The customer gives their held place back (before it became an appointment): the place is free
    again and the deposit refunded."""
    row = get_prebooking(db, actor, prebooking_id)
    if row.customer_id != actor.id:
        raise NotFound(f"no pre-booking '{prebooking_id}' of yours", field="prebooking_id")
    done = db.execute(update(ct.Prebooking).where(ct.Prebooking.id == row.id,
                                                  ct.Prebooking.status == PrebookingStatus.HELD.value)
                      .values(status=PrebookingStatus.CANCELLED.value).returning(ct.Prebooking.id)).scalar_one_or_none()
    if done is None:
        raise Conflict(f"a pre-booking that is {row.status} cannot be cancelled here", field="prebooking_id",
                       extra={"prebooking_status": row.status})
    db.execute(update(ct.Promotion).where(ct.Promotion.id == row.promotion_id, ct.Promotion.places_taken > 0)
               .values(places_taken=ct.Promotion.places_taken - 1))
    hold = escrow.hold_for(db, HoldKind.PREBOOKING_DEPOSIT, row.id)
    if hold is not None:
        escrow.refund(db, actor, hold, "pre-booking cancelled by the customer", now)
    db.expire(row)
    return row


def _prebooking_of(db: Session, promotion_id: str, customer_id: str) -> ct.Prebooking | None:
    return db.scalar(select(ct.Prebooking).where(ct.Prebooking.promotion_id == promotion_id,
                                                 ct.Prebooking.customer_id == customer_id))


def get_prebooking(db: Session, actor: Actor, prebooking_id: str) -> ct.Prebooking:
    """The customer's own pre-booking, or one of the manager's store; anyone else: not found."""
    row = db.get(ct.Prebooking, prebooking_id)
    if row is not None:
        if row.customer_id == actor.id or actor.role == Role.ADMIN:
            return row
        promo = db.get(ct.Promotion, row.promotion_id)
        if actor.role == Role.STORE_MANAGER and promo is not None and promo.store_id == actor.store_id:
            return row
    raise NotFound(f"no pre-booking '{prebooking_id}' that you can see", field="prebooking_id")


def my_prebookings(db: Session, actor: Actor) -> list[ct.Prebooking]:
    return list(db.scalars(select(ct.Prebooking).where(ct.Prebooking.customer_id == actor.id)
                           .order_by(ct.Prebooking.created_at.desc())))


def prebookings_of_promotion(db: Session, actor: Actor, promotion_id: str, now: datetime) -> list[ct.Prebooking]:
    view = get_promotion(db, actor, promotion_id, now)
    if actor.role not in (Role.STORE_MANAGER, Role.ADMIN):
        raise NotFound(f"no promotion '{promotion_id}' of your store", field="promotion_id")
    return list(db.scalars(select(ct.Prebooking).where(ct.Prebooking.promotion_id == view.promotion.id)
                           .order_by(ct.Prebooking.created_at)))


def book_measurement(db: Session, actor: Actor, prebooking_id: str, designer_id: str, start: datetime,
                     address: str, now: datetime, design_id: str | None = None) -> ct.Prebooking:
    """Turn the customer's held place into a home measurement appointment (the booking service checks the
    designer's slots and area). Once: a place already booked is a Conflict."""
    row = get_prebooking(db, actor, prebooking_id)
    if row.customer_id != actor.id:
        raise NotFound(f"no pre-booking '{prebooking_id}' of yours", field="prebooking_id")
    if row.status != PrebookingStatus.HELD:
        raise Conflict(f"this pre-booking is already {row.status}", field="prebooking_id",
                       extra={"prebooking_status": row.status, "booking_id": row.booking_id})
    promo = db.get(ct.Promotion, row.promotion_id)
    assert promo is not None
    if booking_resources.resource(db, designer_id).store.id != promo.store_id:
        raise Conflict("book a designer of the store that runs the promotion", field="designer_id",
                       extra={"store_id": promo.store_id})
    booking = bookings.book(db, actor, booking_core.BookingChoice(
        resource_id=designer_id, service=ServiceCode.HOME_MEASUREMENT.value, start=start, address=address,
        design_id=design_id, note=f"promotion: {promo.title}"), now)
    done = db.execute(update(ct.Prebooking).where(ct.Prebooking.id == row.id,
                                                  ct.Prebooking.status == PrebookingStatus.HELD.value)
                      .values(status=PrebookingStatus.BOOKED.value, booking_id=booking.id)
                      .returning(ct.Prebooking.id)).scalar_one_or_none()
    if done is None:
        raise Conflict("this pre-booking was just booked from elsewhere", field="prebooking_id")
    db.expire(row)
    return row


def promotion_json(view: PromotionView) -> dict[str, Any]:
    p, pkg = view.promotion, view.package
    return {"id": p.id, "title": p.title, "store_id": p.store_id, "starts_at": p.starts_at.isoformat(),
            "ends_at": p.ends_at.isoformat(), "places": p.places, "places_left": view.places_left,
            "deposit_cents": p.deposit_cents, "open": view.open_now,
            "package": {"id": pkg.id, "name": pkg.name, "description": pkg.description,
                        "price_per_metre_cents": pkg.price_per_metre_cents, "inclusions": list(pkg.inclusions),
                        "surcharges_per_metre_cents": dict(pkg.surcharges)},
            "my_prebooking": prebooking_json(view.mine) if view.mine else None}


def prebooking_json(row: ct.Prebooking, deposit: ct.EscrowHold | None = None) -> dict[str, Any]:
    return {"id": row.id, "promotion_id": row.promotion_id, "status": row.status,
            "deposit_cents": row.deposit_cents, "booking_id": row.booking_id, "created_at": row.created_at.isoformat(),
            "deposit": {"id": deposit.id, "state": deposit.state} if deposit is not None else None}


def deposit_of(db: Session, row: ct.Prebooking) -> ct.EscrowHold | None:
    return escrow.hold_for(db, HoldKind.PREBOOKING_DEPOSIT, row.id)


def store_moment(db: Session, actor: Actor, naive: datetime) -> datetime:
    """A wall-clock time of the manager's store, in UTC."""
    store = db.get(tables.Store, actor.store_id) if actor.store_id else None
    return naive.replace(tzinfo=booking_resources.zone(store.timezone if store else None)).astimezone(UTC)
