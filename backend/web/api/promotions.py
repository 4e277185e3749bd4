"""Packages and promotions: a store manager defines them; a customer pre-books a place with a deposit and
turns it into a home measurement appointment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from backend.commerce.promotions import PackageSpec, PromotionSpec
from backend.services import promotions as svc
from backend.web.api.bookings import clock
from backend.web.deps import ActorDep, DbDep
from backend.web.schemas import AwareMoment, Moment

router = APIRouter(prefix="/api", tags=["promotions"])


class PackageIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    price_per_metre_cents: int = Field(gt=0, le=100_000_000)
    inclusions: list[str] = Field(min_length=1, max_length=30)
    surcharges_per_metre_cents: dict[str, int] = Field(default_factory=dict, max_length=30)


class PromotionIn(BaseModel):
    package_id: str = Field(max_length=32)
    title: str = Field(min_length=1, max_length=200)
    starts_at: AwareMoment
    ends_at: AwareMoment
    places: int = Field(gt=0, le=100_000)
    deposit_cents: int = Field(gt=0, le=100_000)


class AppointmentIn(BaseModel):
    designer_id: str = Field(max_length=32)
    start: Moment
    address: str = Field(min_length=1, max_length=400)
    design_id: str | None = Field(default=None, max_length=32)


def _package_json(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "description": row.description,
            "price_per_metre_cents": row.price_per_metre_cents, "inclusions": list(row.inclusions),
            "surcharges_per_metre_cents": dict(row.surcharges)}


@router.post("/packages", status_code=status.HTTP_201_CREATED)
def create_package(body: PackageIn, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    spec = PackageSpec(body.name, body.price_per_metre_cents, tuple(body.inclusions), body.surcharges_per_metre_cents)
    return _package_json(svc.create_package(db, actor, spec, body.description))


@router.get("/packages")
def list_packages(db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    return [_package_json(p) for p in svc.packages_of_store(db, actor)]


@router.post("/promotions", status_code=status.HTTP_201_CREATED)
def create_promotion(body: PromotionIn, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    spec = PromotionSpec(body.title, body.starts_at, body.ends_at, body.places, body.deposit_cents)
    row = svc.create_promotion(db, actor, body.package_id, spec)
    return svc.promotion_json(svc.get_promotion(db, actor, row.id, clock(request)))


@router.get("/promotions")
def list_promotions(request: Request, db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    return [svc.promotion_json(v) for v in svc.list_promotions(db, actor, clock(request))]


@router.get("/promotions/{promotion_id}")
def get_promotion(promotion_id: str, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    return svc.promotion_json(svc.get_promotion(db, actor, promotion_id, clock(request)))


@router.get("/promotions/{promotion_id}/prebookings")
def promotion_prebookings(promotion_id: str, request: Request, db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The store manager's list of who pre-booked."""
    return [svc.prebooking_json(p) for p in svc.prebookings_of_promotion(db, actor, promotion_id, clock(request))]


@router.post("/promotions/{promotion_id}/prebookings", status_code=status.HTTP_201_CREATED)
def prebook(promotion_id: str, request: Request, response: Response, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Take a place (201) with the promotion's deposit; the same customer again gets their place (200).
    No place left: 409 "This promotion is fully booked"; outside the window: 409."""
    row, created = svc.prebook(db, actor, promotion_id, clock(request))
    if not created:
        response.status_code = status.HTTP_200_OK
    return svc.prebooking_json(row, svc.deposit_of(db, row))


@router.get("/prebookings")
def my_prebookings(db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    return [svc.prebooking_json(p) for p in svc.my_prebookings(db, actor)]


@router.get("/prebookings/{prebooking_id}")
def get_prebooking(prebooking_id: str, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    row = svc.get_prebooking(db, actor, prebooking_id)
    return svc.prebooking_json(row, svc.deposit_of(db, row))


@router.delete("/prebookings/{prebooking_id}")
def cancel_prebooking(prebooking_id: str, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Give the held place back: the place is free again and the deposit refunded (409 once booked)."""
    row = svc.cancel_prebooking(db, actor, prebooking_id, clock(request))
    return svc.prebooking_json(row, svc.deposit_of(db, row))


@router.post("/prebookings/{prebooking_id}/appointment")
def book_measurement(prebooking_id: str, body: AppointmentIn, request: Request, db: DbDep,
                     actor: ActorDep) -> dict[str, Any]:
    """Turn the held place into a home measurement appointment with a designer of the store."""
    row = svc.book_measurement(db, actor, prebooking_id, body.designer_id, body.start, body.address, clock(request),
                               body.design_id)
    return svc.prebooking_json(row)
