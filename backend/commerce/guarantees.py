"""Service guarantees, as pure rules: the promised times (answer a complaint within 24 h, resolve it
within 72 h, arrive within 15 minutes of the booked start) and which promises a case or a visit missed,
with the compensation the brand's rule gives (``assets/models/commerce/guarantees.json``): points, or money
back from a payment the platform holds for the booking (a share or an amount of its service fee, or of its
order's deposit), with the points as the fallback when that payment is not held (never paid, already
released or refunded).

A complaint is a follow-up case (a low rating opens one, ``backend.booking.ratings``): it is answered when
a manager acknowledges it and resolved when it is closed. A promise still running is not missed until its
time is up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

from backend.commerce.escrow import HoldKind, partial_refund_cents

RULES_FILE = Path(__file__).resolve().parents[2] / "assets" / "models" / "commerce" / "guarantees.json"


class PromiseKind(StrEnum):
    COMPLAINT_RESPONSE = "complaint_response"
    COMPLAINT_RESOLUTION = "complaint_resolution"
    ARRIVAL = "arrival"


PROMISE_KINDS: tuple[str, ...] = tuple(k.value for k in PromiseKind)


REFUND_HOLDS = (HoldKind.SERVICE_FEE, HoldKind.ORDER_DEPOSIT)
"""What a money compensation refunds from: the booking's service fee, or the deposit of the booking's order."""


@dataclass(frozen=True)
class Refund:
    """A compensation in money: ``share`` (0 < share <= 1) of what ``hold`` still holds, or ``amount_cents``."""

    hold: HoldKind
    share: float | None = None
    amount_cents: int | None = None

    def __post_init__(self) -> None:
        if self.hold not in REFUND_HOLDS:
            raise ValueError(f"a compensation refunds a service fee or an order deposit, not {self.hold.value}")
        partial_refund_cents(1, self.share, self.amount_cents)  # one of the two, in range

    def cents_of(self, held_cents: int) -> int:
        """What this refund gives back of a hold holding ``held_cents`` (never more than is held)."""
        return partial_refund_cents(held_cents, self.share, self.amount_cents)


@dataclass(frozen=True)
class Promise:
    kind: PromiseKind
    within: timedelta
    compensation_points: int
    en: str
    zh_Hans: str
    refund: Refund | None = None
    """Money back instead of the points, when the payment is held; the points are the fallback."""

    def text(self, locale: str) -> str:
        return self.zh_Hans if locale == "zh_Hans" else self.en


def _refund(data: dict[str, object] | None) -> Refund | None:
    if data is None:
        return None
    share, amount = data.get("share"), data.get("amount_cents")
    return Refund(HoldKind(str(data["from"])), float(str(share)) if share is not None else None,
                  int(str(amount)) if amount is not None else None)


@cache
def load_promises(path: Path = RULES_FILE) -> dict[PromiseKind, Promise]:
    data = json.loads(path.read_text(encoding="utf-8"))["promises"]
    out = {}
    for kind in PromiseKind:
        p = data[kind.value]
        within = timedelta(hours=p["hours"]) if "hours" in p else timedelta(minutes=p["minutes"])
        out[kind] = Promise(kind, within, int(p["compensation_points"]), p["en"], p["zh_Hans"],
                            _refund(p.get("refund")))
    return out


@dataclass(frozen=True)
class Complaint:
    case_id: str
    opened_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True)
class Visit:
    booking_id: str
    start: datetime
    arrived_at: datetime | None


@dataclass(frozen=True)
class Missed:
    kind: PromiseKind
    reference: str
    due_at: datetime
    kept_at: datetime | None
    """When it was done after all (None: still not done)."""
    compensation_points: int
    refund: Refund | None = None


def _check(kind: PromiseKind, reference: str, start: datetime, done: datetime | None, now: datetime,
           promises: dict[PromiseKind, Promise]) -> Missed | None:
    promise = promises[kind]
    due = start + promise.within
    if (done is not None and done <= due) or (done is None and now <= due):
        return None
    return Missed(kind, reference, due, done, promise.compensation_points, promise.refund)


def missed_for_complaint(c: Complaint, now: datetime, promises: dict[PromiseKind, Promise]) -> list[Missed]:
    found = [_check(PromiseKind.COMPLAINT_RESPONSE, c.case_id, c.opened_at, c.acknowledged_at or c.closed_at, now,
                    promises),
             _check(PromiseKind.COMPLAINT_RESOLUTION, c.case_id, c.opened_at, c.closed_at, now, promises)]
    return [m for m in found if m is not None]


def missed_arrival(v: Visit, promises: dict[PromiseKind, Promise]) -> Missed | None:
    """A recorded arrival later than the promise (a visit without a recorded arrival is judged by its
    booking's own rules: no-show, cancellation)."""
    if v.arrived_at is None:
        return None
    return _check(PromiseKind.ARRIVAL, v.booking_id, v.start, v.arrived_at, v.arrived_at, promises)
