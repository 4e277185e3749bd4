"""Ratings: who, when, once, 1–5, editable for 7 days; low ratings open a follow-up case."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.booking.ratings import (
    CaseStatus,
    Rating,
    acknowledge_case,
    close_case,
    edit_rating,
    rate,
    summarize,
)
from backend.booking.rules import Actor, Booking, BookingStatus
from backend.enums import Role
from backend.errors import Conflict, Forbidden, InvalidInput

NOW = datetime(2026, 6, 6, tzinfo=UTC)
HOMEOWNER = Actor(Role.HOMEOWNER, "usr-hana")
MANAGER = Actor(Role.STORE_MANAGER, "usr-mia", store_id="store-1")
OTHER_MANAGER = Actor(Role.STORE_MANAGER, "usr-max", store_id="store-2")
ADMIN = Actor(Role.ADMIN, "usr-root")
DAY = timedelta(days=1)


@pytest.fixture
def done(make_booking: Any) -> Booking:
    booking: Booking = make_booking("home_measurement")
    return replace(booking, status=BookingStatus.COMPLETED)


def test_customer_rates_a_completed_service_with_dimensions(done: Booking) -> None:
    outcome = rate(done, HOMEOWNER, 5, " Great! ", now=NOW, dimensions={"punctuality": 4, "tidiness": 5})
    r = outcome.rating
    assert (r.stars, r.comment, r.performer_id, r.store_id) == (5, "Great!", "des-anna", "store-1")
    assert r.dimensions == {"punctuality": 4, "tidiness": 5} and outcome.follow_up is None


@pytest.mark.parametrize("stars", [1, 2])
def test_low_rating_opens_a_follow_up_case(done: Booking, stars: int) -> None:
    case = rate(done, HOMEOWNER, stars, "late and messy", now=NOW).follow_up
    assert case is not None and case.status is CaseStatus.OPEN
    assert (case.booking_id, case.store_id, case.customer_id, case.comment, case.stars) == (
        done.id, "store-1", "usr-hana", "late and messy", stars)
    assert case.service == "home_measurement"


def test_three_stars_open_no_case(done: Booking) -> None:
    assert rate(done, HOMEOWNER, 3, now=NOW).follow_up is None


def test_only_the_customer_of_a_completed_booking_rates_once(done: Booking) -> None:
    with pytest.raises(Forbidden):
        rate(done, Actor(Role.HOMEOWNER, "usr-otto"), 5, now=NOW)
    with pytest.raises(Forbidden):
        rate(done, MANAGER, 5, now=NOW)
    with pytest.raises(Conflict):
        rate(replace(done, status=BookingStatus.CONFIRMED), HOMEOWNER, 5, now=NOW)
    first = rate(done, HOMEOWNER, 4, now=NOW).rating
    with pytest.raises(Conflict):
        rate(done, HOMEOWNER, 5, now=NOW, existing=first)


@given(stars=st.one_of(st.integers(-5, 0), st.integers(6, 50)))
def test_stars_outside_one_to_five_are_refused(stars: int) -> None:
    rating = Rating("bkg-1", "usr-hana", "des-anna", "store-1", "installation", 3, {}, "", NOW, NOW)
    with pytest.raises(InvalidInput) as err:
        edit_rating(rating, HOMEOWNER, stars, now=NOW)
    assert err.value.field == "stars"


def test_bad_dimension_and_long_comment(done: Booking) -> None:
    with pytest.raises(InvalidInput) as err:
        rate(done, HOMEOWNER, 4, now=NOW, dimensions={"speed": 4})
    assert err.value.field == "dimensions.speed"
    with pytest.raises(InvalidInput):
        rate(done, HOMEOWNER, 4, now=NOW, dimensions={"tidiness": 0})
    with pytest.raises(InvalidInput):
        rate(done, HOMEOWNER, 4, "x" * 2001, now=NOW)


def test_edit_within_seven_days_inclusive(done: Booking) -> None:
    rating = rate(done, HOMEOWNER, 4, "ok", now=NOW).rating
    edited = edit_rating(rating, HOMEOWNER, 5, "better than I thought", now=NOW + 7 * DAY)
    assert edited.rating.stars == 5 and edited.rating.created_at == NOW
    assert edited.rating.updated_at == NOW + 7 * DAY
    with pytest.raises(Conflict):
        edit_rating(rating, HOMEOWNER, 5, now=NOW + 7 * DAY + timedelta(seconds=1))
    with pytest.raises(Forbidden):
        edit_rating(rating, Actor(Role.HOMEOWNER, "usr-otto"), 5, now=NOW)


def test_edit_down_to_low_opens_a_case_unless_one_is_open(done: Booking) -> None:
    rating = rate(done, HOMEOWNER, 4, now=NOW).rating
    assert edit_rating(rating, HOMEOWNER, 2, "the doors sag", now=NOW + DAY).follow_up is not None
    assert edit_rating(rating, HOMEOWNER, 1, now=NOW + DAY, open_case_exists=True).follow_up is None


def test_case_is_acknowledged_then_closed_with_a_note(done: Booking) -> None:
    case = rate(done, HOMEOWNER, 1, "no-one came", now=NOW).follow_up
    assert case is not None
    with pytest.raises(Forbidden):
        acknowledge_case(case, OTHER_MANAGER, NOW)
    with pytest.raises(Forbidden):
        acknowledge_case(case, HOMEOWNER, NOW)
    with pytest.raises(Conflict):
        close_case(case, MANAGER, NOW, "called the customer")
    acked = acknowledge_case(case, MANAGER, NOW + DAY)
    assert acked.status is CaseStatus.ACKNOWLEDGED and acked.acknowledged_by == "usr-mia"
    with pytest.raises(InvalidInput):
        close_case(acked, MANAGER, NOW + DAY, "  ")
    closed = close_case(acked, ADMIN, NOW + 2 * DAY, "visit rebooked, fee waived")
    assert closed.status is CaseStatus.CLOSED and closed.resolution == "visit rebooked, fee waived"
    with pytest.raises(Conflict):
        acknowledge_case(closed, MANAGER, NOW)


def test_summary_for_profiles() -> None:
    base = Rating("bkg-1", "usr-hana", "des-anna", "store-1", "installation", 5)
    assert summarize([]).count == 0 and summarize([]).average is None
    s = summarize([base, replace(base, stars=4), replace(base, stars=4)])
    assert (s.average, s.count) == (4.3, 3)
