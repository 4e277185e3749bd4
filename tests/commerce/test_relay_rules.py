"""The masked contact relay: sessions hand out a masked number, never a side's own phone, and only the
booking's two sides route through it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from backend.commerce.relay import Party, RecordingRelay, Side, mask_phone, masked_number, session_code
from backend.errors import InvalidInput, NotFound

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CUSTOMER = Party("usr_customer", Side.CUSTOMER, "+86 138 0013 8042")
INSTALLER = Party("usr_installer", Side.INSTALLER, "+86 139 0013 9077")


def test_a_session_shows_neither_real_number() -> None:
    relay = RecordingRelay()
    session = relay.open_session("bkg_1", CUSTOMER, INSTALLER)
    shown = repr(asdict(session))
    for phone in (CUSTOMER.phone, INSTALLER.phone):
        assert phone not in shown
        assert phone.replace(" ", "")[-8:] not in shown.replace(" ", "")
    assert session.masked_number == masked_number(session.code)


def test_the_same_booking_gets_the_same_session_and_another_booking_another() -> None:
    relay = RecordingRelay()
    first = relay.open_session("bkg_1", CUSTOMER, INSTALLER)
    assert relay.open_session("bkg_1", CUSTOMER, INSTALLER) == first
    assert relay.open_session("bkg_2", CUSTOMER, INSTALLER).code != first.code
    assert session_code("bkg_1", b"other secret") != first.code


def test_messages_go_to_the_other_side_and_are_recorded() -> None:
    relay = RecordingRelay()
    code = relay.open_session("bkg_1", CUSTOMER, INSTALLER).code
    to_installer = relay.route(code, CUSTOMER.user_id, "message", "  The gate code is at the door ", NOW)
    to_customer = relay.route(code, INSTALLER.user_id, "call", "", NOW)
    assert (to_installer.to_side, to_installer.text) == (Side.INSTALLER, "The gate code is at the door")
    assert to_customer.to_side == Side.CUSTOMER
    assert relay.routed == [to_installer, to_customer]


def test_only_the_bookings_sides_route_and_bad_input_is_refused() -> None:
    relay = RecordingRelay()
    code = relay.open_session("bkg_1", CUSTOMER, INSTALLER).code
    with pytest.raises(NotFound):
        relay.route(code, "usr_stranger", "message", "hello", NOW)
    with pytest.raises(NotFound):
        relay.route("NOSUCHCODE", CUSTOMER.user_id, "message", "hello", NOW)
    with pytest.raises(InvalidInput):
        relay.route(code, CUSTOMER.user_id, "fax", "hello", NOW)
    with pytest.raises(InvalidInput):
        relay.route(code, CUSTOMER.user_id, "message", "   ", NOW)
    with pytest.raises(InvalidInput):
        relay.route(code, CUSTOMER.user_id, "message", "x" * 1001, NOW)
    assert relay.routed == []


def test_a_phone_is_shown_masked_to_the_last_two_digits() -> None:
    assert mask_phone(CUSTOMER.phone) == "*** **** **42"
    assert mask_phone("7") == "***"


def test_contact_is_open_while_the_booking_is_and_for_some_days_after_it_ended() -> None:
    from datetime import timedelta

    from backend.commerce.relay import CONTACT_DAYS_AFTER, contact_open, contact_until

    assert contact_open(True, None, NOW) and contact_until(True, None) is None
    ended = NOW - timedelta(days=CONTACT_DAYS_AFTER) + timedelta(minutes=1)
    assert contact_open(False, ended, NOW)
    assert not contact_open(False, ended - timedelta(minutes=2), NOW)
    assert contact_until(False, NOW) == NOW + timedelta(days=CONTACT_DAYS_AFTER)
    with pytest.raises(ValueError):
        contact_until(False, None)


def test_the_setting_selects_the_relay() -> None:
    from backend.contact_relay import make_relay

    assert make_relay("none") is None
    assert isinstance(make_relay("test"), RecordingRelay)
    assert isinstance(make_relay("backend.commerce.relay:RecordingRelay"), RecordingRelay)
    with pytest.raises(ValueError):
        make_relay("twilio")


@pytest.mark.parametrize(("typed", "stored"), [
    ("+86 138-0013-8042", "+8613800138042"), ("0086 (21) 6123.4567", "+862161234567"),
    ("+1 415 555 0100", "+14155550100"), ("  ", ""), ("", "")])
def test_a_phone_is_kept_in_e164_form(typed: str, stored: str) -> None:
    from backend.commerce.relay import normalize_phone

    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["13800138042", "+0 138 0013 8042", "+86 138 abcd 8042", "+1234567",
                                   "+1234567890123456", "+86 ١٣٨ 0013 8042", "+86+13800138042", "tel:+8613800138042"])
def test_a_phone_without_its_country_code_or_with_other_signs_is_refused(typed: str) -> None:
    from backend.commerce.relay import normalize_phone

    with pytest.raises(InvalidInput) as refused:
        normalize_phone(typed)
    assert refused.value.field == "phone"


def test_a_reopened_session_keeps_its_code_and_takes_the_numbers_as_they_are_now() -> None:
    relay = RecordingRelay()
    first = relay.open_session("bkg_1", CUSTOMER, INSTALLER)
    moved = Party(INSTALLER.user_id, Side.INSTALLER, "+86 139 0000 0000")
    assert relay.open_session("bkg_1", CUSTOMER, moved) == first
    assert relay.sessions[first.code][2].phone == "+86 139 0000 0000"
