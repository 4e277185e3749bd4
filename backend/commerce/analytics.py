"""Store and staff figures over a period, as pure rules: what the bookings, ratings, follow-up cases, orders
and referral points of a period add up to, for one store or one performer (a designer, an installer team).

The service (``backend.services.analytics``) loads the period's facts and attributes each order to a
store and a designer; everything here is arithmetic on those facts:

* **bookings** are the bookings that start in the period; *completed*, *cancelled* (cancelled or declined)
  and *no-shows* count their outcomes.
* **measurement → order**: of the completed home measurements, those after whose start the same customer
  placed an order with the same store that is not cancelled (at any time up to now), as a share.
* **rating**: the stars of the ratings given to the period's bookings (one rating per booking), averaged.
* **follow-up cases** opened in the period: how many were acknowledged and closed, and the mean hours from
  opening to closing of the closed ones.
* **on time**: of the installations with a recorded arrival, the share that arrived within the promised
  time after the booked start (``backend.commerce.guarantees``, the arrival promise); None without data.
* **repeat customers** booked the store two or more times in the period (cancelled bookings not counted).
* **referrals**: the store's customers of the period (who booked or ordered) that came through a
  referral, and the referral points the brand awarded in the period for them.
* **orders** placed in the period (not cancelled), their quoted **revenue**, and how many are installed.

A share is None when there is nothing to divide (no measurement, no timed installation), never 0.

Days are the store's own: a period of calendar days runs from midnight of its first day to midnight after
its last day in the store's time zone (``period_bounds``), so an event at 23:30 UTC on 31 October is in
November for a store in Asia/Shanghai.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.commerce.guarantees import Promise, PromiseKind, Visit, missed_arrival

CANCELLED = frozenset({"cancelled", "declined"})


def store_zone(name: str | None) -> tzinfo:
    """The store's time zone by its IANA name; UTC when it has none or an unknown one."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def period_bounds(first_day: date, last_day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The UTC instants the calendar days ``first_day``…``last_day`` (both included) of ``zone`` span:
    from local midnight of the first day to local midnight after the last one."""
    start = datetime.combine(first_day, time(), zone)
    end = datetime.combine(last_day + timedelta(days=1), time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class BookingFact:
    id: str
    store_id: str
    performer_id: str
    customer_id: str
    service: str
    status: str
    start: datetime
    arrived_at: datetime | None = None


@dataclass(frozen=True)
class CaseFact:
    store_id: str
    performer_id: str
    opened_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True)
class OrderFact:
    id: str
    store_id: str | None
    designer_id: str | None
    customer_id: str
    created_at: datetime
    total_cents: int
    status: str


@dataclass(frozen=True)
class Facts:
    """Everything the period's figures are computed from (orders: every order of the customers
    concerned, the period's and later ones, so a measurement's conversion can be seen)."""

    start: datetime
    end: datetime
    bookings: Sequence[BookingFact]
    ratings: dict[str, int]
    """booking id → stars"""
    cases: Sequence[CaseFact]
    orders: Sequence[OrderFact]
    referred: frozenset[str]
    """the customers whose account came through a referral"""
    referral_points: dict[str, int]
    """referred customer → the referral points awarded for them in the period"""


@dataclass(frozen=True)
class Figures:
    bookings: int
    completed: int
    cancelled: int
    no_shows: int
    measurements: int
    measurements_ordered: int
    conversion: float | None
    ratings: int
    average_rating: float | None
    cases_opened: int
    cases_acknowledged: int
    cases_closed: int
    hours_to_close: float | None
    installations_timed: int
    installations_on_time: int
    on_time_rate: float | None
    repeat_customers: int
    referred_customers: int
    referral_points: int
    orders: int
    revenue_cents: int
    installed: int


FIELDS: tuple[str, ...] = tuple(Figures.__dataclass_fields__)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _in_period(at: datetime, facts: Facts) -> bool:
    return facts.start <= at < facts.end


def _converted(booking: BookingFact, orders: Iterable[OrderFact]) -> bool:
    """The same customer ordered from the same store after the measurement began."""
    return any(o.customer_id == booking.customer_id and o.store_id == booking.store_id
               and o.created_at >= booking.start and o.status != "cancelled" for o in orders)


def _on_time(bookings: Sequence[BookingFact], promises: dict[PromiseKind, Promise]) -> tuple[int, int]:
    timed = [b for b in bookings if b.service == "installation" and b.arrived_at is not None]
    late = sum(1 for b in timed if missed_arrival(Visit(b.id, b.start, b.arrived_at), promises) is not None)
    return len(timed), len(timed) - late


def figures(facts: Facts, bookings: Sequence[BookingFact], cases: Sequence[CaseFact], orders: Sequence[OrderFact],
            promises: dict[PromiseKind, Promise], *, customers: bool = True) -> Figures:
    """The figures of one store or performer: ``bookings``, ``cases`` and ``orders`` are already theirs
    (the period's bookings and cases; ``orders`` every order attributed to them); ``customers`` False
    leaves the customer figures (repeat customers, referrals) at 0, as for a performer."""
    measured = [b for b in bookings if b.service == "home_measurement" and b.status == "completed"]
    ordered = sum(1 for b in measured if _converted(b, facts.orders))
    stars = [facts.ratings[b.id] for b in bookings if b.id in facts.ratings]
    period_cases = [c for c in cases if _in_period(c.opened_at, facts)]
    closed = [c for c in period_cases if c.closed_at is not None]
    timed, on_time = _on_time(bookings, promises)
    sold = [o for o in orders if _in_period(o.created_at, facts) and o.status != "cancelled"]
    visits: dict[str, int] = {}
    for b in bookings:
        if b.status not in CANCELLED:
            visits[b.customer_id] = visits.get(b.customer_id, 0) + 1
    who = {b.customer_id for b in bookings} | {o.customer_id for o in sold}
    referred = who & facts.referred if customers else set()
    return Figures(
        bookings=len(bookings), completed=sum(1 for b in bookings if b.status == "completed"),
        cancelled=sum(1 for b in bookings if b.status in CANCELLED),
        no_shows=sum(1 for b in bookings if b.status == "no_show"),
        measurements=len(measured), measurements_ordered=ordered, conversion=_share(ordered, len(measured)),
        ratings=len(stars), average_rating=_mean([float(s) for s in stars]),
        cases_opened=len(period_cases), cases_acknowledged=sum(1 for c in period_cases if c.acknowledged_at),
        cases_closed=len(closed),
        hours_to_close=_mean([(c.closed_at - c.opened_at).total_seconds() / 3600 for c in closed if c.closed_at]),
        installations_timed=timed, installations_on_time=on_time, on_time_rate=_share(on_time, timed),
        repeat_customers=sum(1 for n in visits.values() if n >= 2) if customers else 0,
        referred_customers=len(referred), referral_points=sum(facts.referral_points.get(c, 0) for c in referred),
        orders=len(sold), revenue_cents=sum(o.total_cents for o in sold),
        installed=sum(1 for o in sold if o.status == "installed"))
