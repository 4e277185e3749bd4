"""Service types and booking rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.booking.service_types import (
    BookingRules,
    Performer,
    ServiceCode,
    all_service_types,
    parse_service_code,
    service_type,
)
from backend.errors import InvalidInput


def test_service_types_say_what_a_booking_needs() -> None:
    by_code = {s.code: s for s in all_service_types()}
    assert [c.value for c in by_code] == ["online_consultation", "store_consultation", "home_measurement",
                                          "installation"]
    online, store, home, install = by_code.values()
    assert online.needs_video_link and not online.needs_address and online.buffer_before == timedelta(0)
    assert not store.needs_address and store.performer is Performer.DESIGNER
    assert home.needs_address and home.on_site and home.buffer_before == home.buffer_after > timedelta(0)
    assert home.duration > online.duration
    assert install.needs_order and install.performer is Performer.INSTALLER_TEAM
    assert install.duration >= timedelta(hours=4)


def test_rules_override_durations_and_buffers() -> None:
    rules = BookingRules(durations_minutes={ServiceCode.HOME_MEASUREMENT: 90},
                         buffers_minutes={ServiceCode.HOME_MEASUREMENT: 60,
                                          ServiceCode.STORE_CONSULTATION: 30})
    home = service_type("home_measurement", rules)
    assert home.duration == timedelta(minutes=90) and home.buffer_after == timedelta(hours=1)
    assert service_type(ServiceCode.STORE_CONSULTATION, rules).buffer_before == timedelta(minutes=30)
    assert BookingRules().free_cancellation == timedelta(hours=24)


def test_unknown_code_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_service_code("massage")
    assert err.value.field == "service" and "home_measurement" in err.value.detail
    with pytest.raises(InvalidInput) as err:
        BookingRules(free_cancellation_hours=-1)
    assert err.value.field == "free_cancellation_hours"


def test_a_measurement_and_an_installation_take_a_fee_a_consultation_none() -> None:
    rules = BookingRules()
    assert rules.fee_cents(ServiceCode.HOME_MEASUREMENT) == 20_000
    assert rules.fee_cents(ServiceCode.INSTALLATION) == 30_000
    assert rules.fee_cents(ServiceCode.STORE_CONSULTATION) == 0
    assert BookingRules(fees_cents={ServiceCode.STORE_CONSULTATION: 5_000}).fee_cents(
        ServiceCode.STORE_CONSULTATION) == 5_000
    with pytest.raises(InvalidInput) as bad:
        BookingRules(fees_cents={ServiceCode.INSTALLATION: -1})
    assert bad.value.field == "fees_cents.installation"
