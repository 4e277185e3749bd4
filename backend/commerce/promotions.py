"""Packages and promotions, as pure rules.

A *package* is a store's fixed offer (for example kitchen + wardrobe) at a price per metre of cabinet
run, with what it includes and surcharges per metre for options outside it. Its price is the offer's
own list price, quoted before any design exists; once the customer's design is measured, the order is
priced by the one price rule (``backend.bom.pricing``) like every other order.

A *promotion* sells a limited number of places in a time window; a place is pre-booked with a small
deposit and then becomes a measurement appointment. The count of places is kept by the database (a
conditional UPDATE and a CHECK in ``backend.db.commerce_tables``); here are the checks that need no
count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from backend.errors import Conflict, InvalidInput

MAX_DEPOSIT_CENTS = 100_000
"""A pre-booking deposit is small: at most 1,000.00."""
MAX_PLACES = 100_000
MAX_WINDOW = timedelta(days=90)

FULLY_BOOKED = "This promotion is fully booked"


class PrebookingStatus(StrEnum):
    HELD = "held"
    """A place is taken and its deposit held; no appointment yet."""
    BOOKED = "booked"
    """The place became a measurement appointment."""
    CANCELLED = "cancelled"


PREBOOKING_STATUSES: tuple[str, ...] = tuple(s.value for s in PrebookingStatus)


@dataclass(frozen=True)
class PackageSpec:
    name: str
    price_per_metre_cents: int
    inclusions: tuple[str, ...]
    surcharges_per_metre_cents: Mapping[str, int]


def check_package(spec: PackageSpec) -> PackageSpec:
    name = spec.name.strip()
    if not name:
        raise InvalidInput("give the package a name", field="name")
    if not 0 < spec.price_per_metre_cents <= 100_000_000:
        raise InvalidInput("the price per metre must be positive", field="price_per_metre_cents")
    inclusions = tuple(i.strip()[:200] for i in spec.inclusions if i.strip())
    if not inclusions:
        raise InvalidInput("say what the package includes", field="inclusions")
    surcharges = {k.strip()[:100]: int(v) for k, v in spec.surcharges_per_metre_cents.items() if k.strip()}
    if any(v <= 0 for v in surcharges.values()):
        raise InvalidInput("a surcharge must be positive", field="surcharges")
    return PackageSpec(name[:200], spec.price_per_metre_cents, inclusions[:30], surcharges)


def package_list_price(spec: PackageSpec, run_mm: int, options: Sequence[str] = ()) -> int:
    """The package's offer price for ``run_mm`` of cabinet run with ``options``: per started 10 cm,
    (price per metre + the options' surcharges per metre) × metres, in cents."""
    if run_mm <= 0:
        raise InvalidInput("give the cabinet run in mm", field="run_mm")
    unknown = [o for o in options if o not in spec.surcharges_per_metre_cents]
    if unknown:
        raise InvalidInput(f"the package has no option '{unknown[0]}'", field="options")
    per_metre = spec.price_per_metre_cents + sum(spec.surcharges_per_metre_cents[o] for o in set(options))
    decimetres = -(-run_mm // 100)
    return per_metre * decimetres // 10


@dataclass(frozen=True)
class PromotionSpec:
    title: str
    starts_at: datetime
    ends_at: datetime
    places: int
    deposit_cents: int


def check_promotion(spec: PromotionSpec) -> PromotionSpec:
    if not spec.title.strip():
        raise InvalidInput("give the promotion a title", field="title")
    if spec.starts_at.tzinfo is None or spec.ends_at.tzinfo is None:
        raise InvalidInput("give the times with their time zone", field="starts_at")
    if spec.ends_at <= spec.starts_at:
        raise InvalidInput("the promotion must end after it starts", field="ends_at")
    if spec.ends_at - spec.starts_at > MAX_WINDOW:
        raise InvalidInput(f"a promotion lasts at most {MAX_WINDOW.days} days", field="ends_at")
    if not 0 < spec.places <= MAX_PLACES:
        raise InvalidInput(f"places must be from 1 to {MAX_PLACES}", field="places")
    if not 0 < spec.deposit_cents <= MAX_DEPOSIT_CENTS:
        raise InvalidInput(f"the deposit must be from 0.01 to {MAX_DEPOSIT_CENTS / 100:.2f}", field="deposit_cents")
    return PromotionSpec(spec.title.strip()[:200], spec.starts_at, spec.ends_at, spec.places, spec.deposit_cents)


def check_open(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """Pre-booking is possible only inside the window."""
    if now < starts_at:
        raise Conflict(f"This promotion opens at {starts_at.isoformat(timespec='minutes')}", field="promotion_id",
                       extra={"starts_at": starts_at.isoformat()})
    if now >= ends_at:
        raise Conflict("This promotion has ended", field="promotion_id", extra={"ended_at": ends_at.isoformat()})


def places_left(places: int, taken: int) -> int:
    return max(places - taken, 0)


class DepositOutcome(StrEnum):
    REFUND = "refund"
    """Back to the customer: the store ended the appointment, or the customer cancelled in time."""
    FORFEIT = "forfeit"
    """To the store: the customer cancelled too late for a free cancellation, or was not there."""


@dataclass(frozen=True)
class DepositDecision:
    outcome: DepositOutcome
    why: str
    """Recorded with the escrow move."""


def deposit_after_appointment(ended: str, by_customer: bool, late: bool, free_hours: int) -> DepositDecision | None:
    """What becomes of a promotion's deposit when the home measurement appointment its place became ends
    (``ended``: the booking's final status). Completed: nothing here (the deposit stays held until the
    customer accepts the measurement, or the deadline after it). Cancelled by the store or an admin, or
    declined: refunded. Cancelled by the customer while cancelling was free (``late`` False: at least
    ``free_hours`` before the start, the booking rules' window): refunded. Cancelled by the customer later, or a
    no-show: the deposit goes to the store, as the late-cancellation rule says."""
    if ended == "completed":
        return None
    if ended == "declined":
        return DepositDecision(DepositOutcome.REFUND, "the store declined the measurement appointment")
    if ended == "no_show":
        return DepositDecision(DepositOutcome.FORFEIT, "the customer was not there for the measurement (no-show): "
                                                       "the deposit goes to the store")
    if ended != "cancelled":
        raise ValueError(f"not a final booking status: {ended!r}")
    if not by_customer:
        return DepositDecision(DepositOutcome.REFUND, "the store cancelled the measurement appointment")
    if not late:
        return DepositDecision(DepositOutcome.REFUND, f"the customer cancelled the measurement appointment at "
                                                      f"least {free_hours} h before it")
    return DepositDecision(DepositOutcome.FORFEIT, f"the customer cancelled the measurement appointment less than "
                                                   f"{free_hours} h before it: the deposit goes to the store")
