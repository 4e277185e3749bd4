"""Service guarantees, as pure rules: the promised times (answer a complaint within 24 h, resolve it
within 72 h, arrive within 15 minutes of the booked start) and which promises a case or a visit missed,
with the compensation the brand's rule gives (``assets/models/commerce/guarantees.json``).

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

RULES_FILE = Path(__file__).resolve().parents[2] / "assets" / "models" / "commerce" / "guarantees.json"


class PromiseKind(StrEnum):
    COMPLAINT_RESPONSE = "complaint_response"
    COMPLAINT_RESOLUTION = "complaint_resolution"
    ARRIVAL = "arrival"


PROMISE_KINDS: tuple[str, ...] = tuple(k.value for k in PromiseKind)


@dataclass(frozen=True)
class Promise:
    kind: PromiseKind
    within: timedelta
    compensation_points: int
    en: str
    zh_Hans: str


@cache
def load_promises(path: Path = RULES_FILE) -> dict[PromiseKind, Promise]:
    data = json.loads(path.read_text(encoding="utf-8"))["promises"]
    out = {}
    for kind in PromiseKind:
        p = data[kind.value]
        within = timedelta(hours=p["hours"]) if "hours" in p else timedelta(minutes=p["minutes"])
        out[kind] = Promise(kind, within, int(p["compensation_points"]), p["en"], p["zh_Hans"])
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


def _check(kind: PromiseKind, reference: str, start: datetime, done: datetime | None, now: datetime,
           promises: dict[PromiseKind, Promise]) -> Missed | None:
    promise = promises[kind]
    due = start + promise.within
    if (done is not None and done <= due) or (done is None and now <= due):
        return None
    return Missed(kind, reference, due, done, promise.compensation_points)


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
