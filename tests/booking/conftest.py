"""Builders for booking tests: a designer (``des-anna``) and an installer team (``team-1``) of
store ``store-1`` working every day 09:00–17:00 in Shanghai; customer ``usr-hana``; the clock
reads ``NOW`` (2026-06-01T00:00Z) and the default booking starts Friday 2026-06-05 10:00 local.

Test modules cannot import this file (importlib mode), so they get the builder as a fixture."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.booking.availability import Slot, WorkingHours, bookable_slots
from backend.booking.rules import Booking, BookingRequest, create_booking
from backend.booking.service_types import DEFAULT_RULES, BookingRules, service_type

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
START = datetime(2026, 6, 5, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
HOURS = [WorkingHours(d, time(9), time(17)) for d in range(7)]


MakeBooking = Callable[..., Booking]


def request_for(service: str = "online_consultation", start: datetime = START, **overrides: object
                ) -> BookingRequest:
    resource = "team-1" if service == "installation" else "des-anna"
    fields: dict[str, object] = {
        "customer_id": "usr-hana", "resource_id": resource, "store_id": "store-1", "service": service,
        "start": start, "design_id": "dsg-1", "address": "88 Century Ave, Pudong",
        "video_link": "https://meet.example/abc", "order_id": "ord-1",
    }
    fields.update(overrides)
    return BookingRequest(**fields)  # type: ignore[arg-type]


def free_slots(service: str, rules: BookingRules = DEFAULT_RULES, now: datetime = NOW,
               resource_id: str = "des-anna") -> list[Slot]:
    return bookable_slots(HOURS, [], SHANGHAI, [], service_type(service, rules), now,
                          now + timedelta(days=30), rules, now, resource_id=resource_id)


@pytest.fixture
def make_booking() -> MakeBooking:
    def make(service: str = "online_consultation", start: datetime = START,
             rules: BookingRules = DEFAULT_RULES, **overrides: object) -> Booking:
        request = request_for(service, start, **overrides)
        slots = free_slots(service, rules, resource_id=request.resource_id)
        return create_booking(request, slots, rules, now=NOW, booking_id="bkg-1")

    return make
