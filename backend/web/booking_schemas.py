"""Request and response bodies of the booking API (designers, slots, bookings, ratings,
measurements, approvals, follow-up cases, after-sales requests)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.booking.availability import Slot
from backend.booking.rules import BookingChoice
from backend.db import booking_tables as bt
from backend.services.booking_resources import DesignerView
from backend.web.schemas import AwareMoment, RevisionNumber


class PortfolioItem(BaseModel):
    design_id: str
    name: str
    cabinet_count: int


class DesignerOut(BaseModel):
    id: str
    name: str
    store_id: str | None
    store_name: str | None
    timezone: str | None
    district: str
    bio: str
    photo_upload_id: str | None
    styles: list[str]
    specialties: list[str]
    services: list[str]
    years_experience: int
    rating_average: float | None
    rating_count: int
    portfolio: list[PortfolioItem]
    free_slots: int | None = None
    score: float | None = None


def designer_out(view: DesignerView, free_slots: int | None = None, score: float | None = None) -> DesignerOut:
    p = view.profile
    return DesignerOut(
        id=view.user.id, name=view.user.display_name, store_id=view.user.store_id,
        store_name=view.store.name if view.store else None, timezone=view.store.timezone if view.store else None,
        district=p.district or (view.store.district if view.store else ""), bio=p.bio,
        photo_upload_id=p.photo_upload_id, styles=list(p.styles), specialties=list(p.specialties),
        services=list(p.services), years_experience=p.years_experience, rating_average=view.rating_average,
        rating_count=view.rating_count,
        portfolio=[PortfolioItem(design_id=d.id, name=d.name, cabinet_count=d.cabinet_count) for d in view.portfolio],
        free_slots=free_slots, score=score)


class SlotOut(BaseModel):
    resource_id: str
    service: str
    start: datetime
    end: datetime
    start_local: str
    blocked_start: datetime
    blocked_end: datetime


class SlotsOut(BaseModel):
    resource_id: str
    service: str
    timezone: str
    slots: list[SlotOut]


def _slot_fields(s: Slot, tz: ZoneInfo) -> dict[str, Any]:
    return {"resource_id": s.resource_id, "service": s.service, "start": s.start, "end": s.end,
            "start_local": s.start.astimezone(tz).isoformat(), "blocked_start": s.blocked.start,
            "blocked_end": s.blocked.end}


SLOT_JSON_CACHE = 20_000
"""Slots whose JSON one app process keeps (about 300 bytes each: a hundred designers' weeks)."""


@lru_cache(maxsize=SLOT_JSON_CACHE)
def _slot_json(s: Slot, tz: ZoneInfo) -> str:
    return SlotOut.model_validate(_slot_fields(s, tz)).model_dump_json()


def slots_json(resource_id: str, service: str, tz: ZoneInfo, slots: Sequence[Slot]) -> str:
    """The answer of the slots endpoints, a ``SlotsOut`` as JSON, the same text as its ``model_dump_json``.

    A week holds a hundred slots and more, and writing each (four moments, one in local time) was a
    fifth of a slots request's CPU in the load benchmark's profiles. A slot's JSON depends on nothing but
    the slot (a frozen value: resource, service, times) and the time zone, and a designer's week is asked
    for again and again while few of its slots change (a booking takes one), so each slot's text is kept
    (``SLOT_JSON_CACHE``, least recently used first out) and the answer is joined from them."""
    head = SlotsOut(resource_id=resource_id, service=service, timezone=tz.key, slots=[]).model_dump_json()
    return head[:-2] + ",".join([_slot_json(s, tz) for s in slots]) + "]}"


class BookingCreate(BaseModel):
    """Book a designer (``designer_id``) or an installer team (``team_id``)."""

    model_config = ConfigDict(extra="forbid")
    designer_id: str | None = None
    team_id: str | None = None
    service: str = Field(examples=["home_measurement"])
    start: AwareMoment = Field(description="a slot start from the slots endpoint, with its offset")
    design_id: str | None = None
    order_id: str | None = None
    address: str | None = Field(default=None, max_length=400)
    video_link: str | None = Field(default=None, max_length=400)
    note: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _one_resource(self) -> BookingCreate:
        if bool(self.designer_id) == bool(self.team_id):
            raise ValueError("give either designer_id or team_id")
        return self

    def choice(self) -> BookingChoice:
        """The core's record of what is booked (the booking service checks and stores it)."""
        return BookingChoice(self.designer_id or self.team_id or "", self.service, self.start, self.design_id,
                             self.order_id, self.address, self.video_link, self.note)


class BookingChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["cancel", "reschedule", "decline", "confirm", "complete", "no_show", "arrive", "report_issue",
                    "add_photos"]
    start: AwareMoment | None = None
    reason: str | None = Field(default=None, max_length=2000)
    video_link: str | None = Field(default=None, max_length=400)
    note: str | None = Field(default=None, max_length=2000)
    description: str | None = Field(default=None, max_length=4000)
    photo_ids: list[str] = Field(default_factory=list, max_length=20)


class BookingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    service: str
    performer: str
    resource_id: str
    customer_id: str
    store_id: str
    start_at: datetime
    end_at: datetime
    blocked_start: datetime
    blocked_end: datetime
    status: str
    address: str | None
    video_link: str | None
    note: str
    design_id: str | None
    order_id: str | None
    reschedule_count: int
    cancellation_fee_cents: int
    late_cancellation: bool
    reason: str | None
    arrived_at: datetime | None
    completed_at: datetime | None
    issues: list[dict[str, Any]]
    history: list[dict[str, Any]]


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stars: int = Field(ge=1, le=5)
    dimensions: dict[str, int] = Field(default_factory=dict)
    comment: str = Field(default="", max_length=2000)


class FollowUpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    booking_id: str
    store_id: str
    customer_id: str
    performer_id: str
    service: str
    stars: int
    comment: str
    status: str
    opened_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None
    resolution: str | None


class RatingOut(BaseModel):
    booking_id: str
    performer_id: str
    stars: int
    dimensions: dict[str, int]
    comment: str
    created_at: datetime
    updated_at: datetime
    follow_up: FollowUpOut | None = None


def rating_out(row: bt.Rating, case: bt.FollowUpCase | None) -> RatingOut:
    return RatingOut(booking_id=row.booking_id, performer_id=row.performer_id, stars=row.stars,
                     dimensions=dict(row.dimensions or {}), comment=row.comment, created_at=row.created_at,
                     updated_at=row.updated_at, follow_up=FollowUpOut.model_validate(case) if case else None)


class CaseAction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["acknowledge", "close"]
    resolution: str = Field(default="", max_length=4000)


class MeasurementIn(BaseModel):
    """The measured room (see ``backend.booking.measurement.MeasuredRoom``) and the design revision
    it was measured against (default: the current one)."""

    model_config = ConfigDict(extra="forbid")
    base_revision: RevisionNumber | None = None
    measurement: dict[str, Any]


class ApprovalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    design_id: str
    revision: int
    customer_id: str
    booking_id: str | None
    status: str
    requested_at: datetime
    decided_at: datetime | None
    comment: str


class MeasurementOut(BaseModel):
    id: str
    booking_id: str | None
    design_id: str
    base_revision: int
    revision: int
    differences: list[dict[str, Any]]
    approval: ApprovalOut


class ApprovalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "request_changes"]
    comment: str = Field(default="", max_length=2000)
    revision: RevisionNumber | None = None


class ServiceRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["repair", "maintenance", "replacement_part"] = "repair"
    part_id: str | None = Field(default=None, max_length=80)
    description: str = Field(min_length=1, max_length=4000)
    photo_ids: list[str] = Field(default_factory=list, max_length=20)


class ServiceRequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    order_id: str
    customer_id: str
    store_id: str | None
    kind: str
    part_id: str | None
    description: str
    photo_upload_ids: list[str]
    status: str
    created_at: datetime


class DeliveryOut(BaseModel):
    sent: int
    failed: int
    dead: int
