"""Ratings of finished services and the follow-up cases that low ratings open.

Rules:

* only the customer of a *completed* booking rates it, once (a second rating is a
  :class:`Conflict`; change the first one with :func:`edit_rating`);
* overall 1–5 whole stars; optional dimensions (punctuality, professionalism, communication,
  tidiness), each 1–5; optional comment up to 2000 characters;
* editable by its author for ``rules.rating_edit_days`` (7) days after it was first given;
* a rating of ``rules.low_rating_threshold`` (2) stars or less opens a :class:`FollowUpCase` for the
  store manager; an edit that brings a rating down to that level opens one too, unless a case
  is already open for the booking (the caller says so with ``open_case_exists``);
* a case goes ``open → acknowledged → closed``; only a manager of the store or an admin moves it,
  and closing needs a resolution note.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from backend.booking.availability import as_utc
from backend.booking.rules import Actor, Booking, BookingStatus
from backend.booking.service_types import DEFAULT_RULES, BookingRules
from backend.enums import Role
from backend.errors import Conflict, Forbidden, InvalidInput

DIMENSIONS = ("punctuality", "professionalism", "communication", "tidiness")
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Rating:
    booking_id: str
    customer_id: str
    performer_id: str
    store_id: str
    service: str
    stars: int
    dimensions: Mapping[str, int] = field(default_factory=dict)
    comment: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CaseStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


@dataclass(frozen=True)
class FollowUpCase:
    """A low rating for the store manager to handle."""

    id: str
    booking_id: str
    store_id: str
    customer_id: str
    performer_id: str
    service: str
    stars: int
    comment: str
    opened_at: datetime
    status: CaseStatus = CaseStatus.OPEN
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    resolution: str | None = None


@dataclass(frozen=True)
class RatingOutcome:
    rating: Rating
    follow_up: FollowUpCase | None


@dataclass(frozen=True)
class RatingSummary:
    average: float | None
    count: int


def _check_values(stars: int, dimensions: Mapping[str, int], comment: str) -> None:
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidInput("give 1 to 5 whole stars", field="stars")
    for name, value in dimensions.items():
        if name not in DIMENSIONS:
            raise InvalidInput(f"unknown dimension '{name}'; expected one of {', '.join(DIMENSIONS)}",
                               field=f"dimensions.{name}")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidInput("give 1 to 5 whole stars", field=f"dimensions.{name}")
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"the comment is longer than {MAX_COMMENT} characters", field="comment")


def _open_case(rating: Rating, now: datetime) -> FollowUpCase:
    return FollowUpCase(
        id=f"case-{uuid.uuid4().hex[:16]}", booking_id=rating.booking_id, store_id=rating.store_id,
        customer_id=rating.customer_id, performer_id=rating.performer_id, service=rating.service,
        stars=rating.stars, comment=rating.comment, opened_at=now,
    )


def rate(booking: Booking, actor: Actor, stars: int, comment: str = "", *, now: datetime,
         existing: Rating | None = None, dimensions: Mapping[str, int] | None = None,
         rules: BookingRules = DEFAULT_RULES) -> RatingOutcome:
    """Rate ``booking``; ``existing`` is the rating already stored for it, if any."""
    now = as_utc(now, "now")
    if actor.role is not Role.HOMEOWNER or actor.id != booking.customer_id:
        raise Forbidden("only the customer of this booking can rate it")
    if booking.status is not BookingStatus.COMPLETED:
        raise Conflict("only a completed service can be rated", field="status")
    if existing is not None:
        raise Conflict("this service has already been rated; edit the rating instead", field="booking_id")
    dims = dict(dimensions or {})
    comment = comment.strip()
    _check_values(stars, dims, comment)
    rating = Rating(booking.id, booking.customer_id, booking.resource_id, booking.store_id,
                    booking.service.value, stars, dims, comment, now, now)
    case = _open_case(rating, now) if stars <= rules.low_rating_threshold else None
    return RatingOutcome(rating, case)


def edit_deadline(rating: Rating, rules: BookingRules = DEFAULT_RULES) -> datetime | None:
    if rating.created_at is None:
        return None
    return rating.created_at + timedelta(days=rules.rating_edit_days)


def edit_rating(rating: Rating, actor: Actor, stars: int, comment: str = "", *, now: datetime,
                dimensions: Mapping[str, int] | None = None, open_case_exists: bool = False,
                rules: BookingRules = DEFAULT_RULES) -> RatingOutcome:
    """Change a rating within the edit window (the deadline itself is still allowed)."""
    now = as_utc(now, "now")
    if actor.role is not Role.HOMEOWNER or actor.id != rating.customer_id:
        raise Forbidden("only the author of a rating can edit it")
    deadline = edit_deadline(rating, rules)
    if deadline is not None and now > deadline:
        raise Conflict(f"a rating can only be edited for {rules.rating_edit_days} days", field="stars")
    dims = dict(dimensions if dimensions is not None else rating.dimensions)
    comment = comment.strip()
    _check_values(stars, dims, comment)
    new = replace(rating, stars=stars, dimensions=dims, comment=comment, updated_at=now)
    low = stars <= rules.low_rating_threshold
    case = _open_case(new, now) if low and not open_case_exists else None
    return RatingOutcome(new, case)


def summarize(ratings: Sequence[Rating]) -> RatingSummary:
    """Average stars (rounded to 0.1) and count, as shown on a designer's or team's profile."""
    if not ratings:
        return RatingSummary(None, 0)
    return RatingSummary(round(sum(r.stars for r in ratings) / len(ratings), 1), len(ratings))


def _check_manager(case: FollowUpCase, actor: Actor) -> None:
    manager = actor.role is Role.STORE_MANAGER and actor.store_id == case.store_id
    if not (manager or actor.role is Role.ADMIN):
        raise Forbidden("only a manager of the store or an admin handles follow-up cases")


def acknowledge_case(case: FollowUpCase, actor: Actor, now: datetime) -> FollowUpCase:
    _check_manager(case, actor)
    if case.status is not CaseStatus.OPEN:
        raise Conflict(f"the case is already {case.status.value}", field="status")
    return replace(case, status=CaseStatus.ACKNOWLEDGED, acknowledged_by=actor.id,
                   acknowledged_at=as_utc(now, "now"))


def close_case(case: FollowUpCase, actor: Actor, now: datetime, resolution: str) -> FollowUpCase:
    _check_manager(case, actor)
    note = (resolution or "").strip()
    if not note:
        raise InvalidInput("a resolution note is required to close a case", field="resolution")
    if case.status is not CaseStatus.ACKNOWLEDGED:
        raise Conflict("acknowledge the case before closing it" if case.status is CaseStatus.OPEN
                       else "the case is already closed", field="status")
    return replace(case, status=CaseStatus.CLOSED, closed_by=actor.id, closed_at=as_utc(now, "now"),
                   resolution=note)
