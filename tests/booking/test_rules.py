"""Booking creation checks, cancel/reschedule at the 24 h boundary, the state machine per role,
decline, and the performer's arrival, completion and issue reports."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import product
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from backend.booking.availability import Slot, TimeRange, WorkingHours, bookable_slots
from backend.booking.rules import (
    TRANSITIONS,
    Actor,
    Booking,
    BookingRequest,
    BookingStatus,
    add_work_photos,
    allowed_transitions,
    busy_ranges,
    can_transition,
    cancel,
    complete,
    confirm,
    create_booking,
    decline,
    mark_no_show,
    record_arrival,
    report_issue,
    reschedule,
    shares_design,
)
from backend.booking.service_types import BookingRules, ServiceCode, service_type
from backend.enums import Role
from backend.errors import Conflict, Forbidden, InvalidInput

S = BookingStatus
NOW = datetime(2026, 6, 1, tzinfo=UTC)
START = datetime(2026, 6, 5, 2, tzinfo=UTC)
HOMEOWNER = Actor(Role.HOMEOWNER, "usr-hana")
OTHER_HOMEOWNER = Actor(Role.HOMEOWNER, "usr-otto")
DESIGNER = Actor(Role.DESIGNER, "des-anna")
OTHER_DESIGNER = Actor(Role.DESIGNER, "des-bo")
INSTALLER = Actor(Role.INSTALLER, "usr-ivan", team_id="team-1")
MANAGER = Actor(Role.STORE_MANAGER, "usr-mia", store_id="store-1")
OTHER_MANAGER = Actor(Role.STORE_MANAGER, "usr-max", store_id="store-2")
ADMIN = Actor(Role.ADMIN, "usr-root")
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)

MakeBooking = Any


def slots_for(booking_or_request: Booking | BookingRequest,
              busy: list[TimeRange] | None = None) -> list[Slot]:
    """Free slots of the booked resource (every day 09:00–17:00 in Shanghai) for its service."""
    hours = [WorkingHours(d, time(9), time(17)) for d in range(7)]
    return bookable_slots(hours, [], ZoneInfo("Asia/Shanghai"), busy or [],
                          service_type(booking_or_request.service), NOW, NOW + timedelta(days=30),
                          now=NOW, resource_id=booking_or_request.resource_id)


# --- creation -------------------------------------------------------------------------------


def test_new_booking_is_requested_with_blocked_time_and_history(make_booking: MakeBooking) -> None:
    booking = make_booking("home_measurement")
    assert booking.status is S.REQUESTED and booking.start == START
    assert booking.end - booking.start == timedelta(hours=2)
    assert booking.blocked.start == START - timedelta(minutes=30)
    assert booking.blocked.end == booking.end + timedelta(minutes=30)
    assert [e.action for e in booking.history] == ["requested"]
    assert busy_ranges([booking]) == [booking.blocked]


@pytest.mark.parametrize(("service", "missing", "field"), [
    ("home_measurement", {"address": None}, "address"),
    ("home_measurement", {"address": "   "}, "address"),
    ("home_measurement", {"design_id": None}, "design_id"),
    ("installation", {"order_id": None}, "order_id"),
    ("installation", {"address": ""}, "address"),
])
def test_required_fields_per_service(make_booking: MakeBooking, service: str, missing: dict[str, Any],
                                     field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        make_booking(service, **missing)
    assert err.value.field == field


def test_online_consultation_needs_no_address_or_order(make_booking: MakeBooking) -> None:
    booking = make_booking("online_consultation", address=None, order_id=None, design_id=None)
    assert booking.service is ServiceCode.ONLINE_CONSULTATION


@pytest.mark.parametrize(("start", "error"), [
    (START + timedelta(minutes=10), InvalidInput),  # off the grid
    (NOW + timedelta(hours=3), InvalidInput),  # inside the minimum notice
    (NOW + timedelta(days=61), InvalidInput),  # beyond the horizon
    (datetime(2026, 6, 5, 14, tzinfo=UTC), Conflict),  # 22:00 local: outside working hours
])
def test_start_time_rules(make_booking: MakeBooking, start: datetime, error: type[Exception]) -> None:
    with pytest.raises(error) as err:
        make_booking("online_consultation", start=start)
    assert getattr(err.value, "field", None) == "start"


def test_second_customer_gets_conflict_for_a_taken_slot(make_booking: MakeBooking) -> None:
    first = make_booking("online_consultation")
    request = BookingRequest("des-anna", "online_consultation", START, video_link="https://meet.example/x",
                             customer_id="usr-otto", store_id="store-1")
    with pytest.raises(Conflict):
        create_booking(request, slots_for(request, busy_ranges([first])), now=NOW)


def test_naive_times_are_refused(make_booking: MakeBooking) -> None:
    with pytest.raises(InvalidInput):
        make_booking("online_consultation", start=datetime(2026, 6, 5, 2))


# --- cancel ---------------------------------------------------------------------------------


def test_cancel_exactly_24_hours_before_is_free(make_booking: MakeBooking) -> None:
    outcome = cancel(make_booking(), HOMEOWNER, START - 24 * HOUR)
    assert outcome.booking.status is S.CANCELLED and not outcome.late and outcome.fee_cents == 0


def test_cancel_one_second_later_costs_the_fee(make_booking: MakeBooking) -> None:
    rules = BookingRules(late_cancellation_fee_cents=5000)
    outcome = cancel(make_booking(), HOMEOWNER, START - 24 * HOUR + SECOND, rules, reason="ill")
    assert outcome.late and outcome.fee_cents == 5000
    assert outcome.booking.late_cancellation and outcome.booking.cancellation_fee_cents == 5000
    assert outcome.booking.history[-1].detail["reason"] == "ill"


def test_late_cancel_is_refused_when_the_rule_says_so(make_booking: MakeBooking) -> None:
    rules = BookingRules(late_cancellation="refuse")
    assert cancel(make_booking(), HOMEOWNER, START - 24 * HOUR, rules).fee_cents == 0
    with pytest.raises(Conflict):
        cancel(make_booking(), HOMEOWNER, START - 24 * HOUR + SECOND, rules)


def test_homeowner_cannot_cancel_after_start_but_the_store_can_free(make_booking: MakeBooking) -> None:
    booking = make_booking()
    with pytest.raises(Conflict):
        cancel(booking, HOMEOWNER, START)
    outcome = cancel(booking, MANAGER, START - HOUR, BookingRules(late_cancellation="refuse"))
    assert outcome.booking.status is S.CANCELLED and outcome.fee_cents == 0


@pytest.mark.parametrize("actor", [OTHER_HOMEOWNER, OTHER_MANAGER, DESIGNER])
def test_strangers_and_performers_cannot_cancel(make_booking: MakeBooking, actor: Actor) -> None:
    with pytest.raises(Forbidden):
        cancel(make_booking(), actor, NOW)


# --- reschedule -----------------------------------------------------------------------------


def test_reschedule_keeps_id_and_history_and_needs_reconfirmation(make_booking: MakeBooking) -> None:
    booking = confirm(make_booking(), DESIGNER, NOW)
    new_start = START + timedelta(days=1)
    moved = reschedule(booking, HOMEOWNER, new_start, slots_for(booking), now=NOW)
    assert moved.id == booking.id and moved.start == new_start and moved.status is S.REQUESTED
    assert moved.blocked.start == new_start and moved.reschedule_count == 1
    last = moved.history[-1]
    assert last.action == "rescheduled" and last.detail["previous_start"] == START.isoformat()
    assert [e.action for e in moved.history] == ["requested", "confirmed", "rescheduled"]


def test_reschedule_by_one_slot_works_when_own_time_is_excluded(make_booking: MakeBooking) -> None:
    booking = make_booking()
    later = START + timedelta(minutes=30)
    moved = reschedule(booking, HOMEOWNER, later, slots_for(booking, busy=[]), now=NOW)
    assert moved.start == later
    with pytest.raises(Conflict):  # its own blocked time still counted: not available
        reschedule(booking, HOMEOWNER, later, slots_for(booking, busy=[booking.blocked]), now=NOW)


def test_reschedule_boundary_and_limit(make_booking: MakeBooking) -> None:
    booking = make_booking()
    target = START + timedelta(days=1)
    slots = slots_for(booking)
    assert reschedule(booking, HOMEOWNER, target, slots, now=START - 24 * HOUR).start == target
    with pytest.raises(Conflict):
        reschedule(booking, HOMEOWNER, target, slots, now=START - 24 * HOUR + SECOND)
    moved = reschedule(booking, HOMEOWNER, target, slots, now=NOW)
    moved = reschedule(moved, HOMEOWNER, target + timedelta(days=1), slots, now=NOW)
    with pytest.raises(Conflict) as err:
        reschedule(moved, HOMEOWNER, target + timedelta(days=2), slots, now=NOW)
    assert "at most 2" in err.value.detail
    by_store = reschedule(moved, MANAGER, target + timedelta(days=2), slots, now=NOW)
    assert by_store.reschedule_count == 2


def test_store_reschedule_keeps_confirmation_and_designer_cannot(make_booking: MakeBooking) -> None:
    booking = confirm(make_booking(), DESIGNER, NOW)
    slots = slots_for(booking)
    moved = reschedule(booking, MANAGER, START + timedelta(days=1), slots, now=NOW)
    assert moved.status is S.CONFIRMED
    with pytest.raises(Forbidden):
        reschedule(booking, DESIGNER, START + timedelta(days=1), slots, now=NOW)
    with pytest.raises(InvalidInput):
        reschedule(booking, HOMEOWNER, START, slots, now=NOW)


def test_closed_bookings_cannot_be_rescheduled(make_booking: MakeBooking) -> None:
    cancelled = cancel(make_booking(), HOMEOWNER, NOW).booking
    with pytest.raises(Conflict):
        reschedule(cancelled, HOMEOWNER, START + timedelta(days=1), slots_for(cancelled), now=NOW)


# --- state machine --------------------------------------------------------------------------

EXPECTED = {
    (S.REQUESTED, S.CONFIRMED): {Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN},
    (S.REQUESTED, S.DECLINED): {Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN},
    (S.CONFIRMED, S.DECLINED): {Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN},
    (S.REQUESTED, S.CANCELLED): {Role.HOMEOWNER, Role.STORE_MANAGER, Role.ADMIN},
    (S.CONFIRMED, S.CANCELLED): {Role.HOMEOWNER, Role.STORE_MANAGER, Role.ADMIN},
    (S.CONFIRMED, S.COMPLETED): {Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN},
    (S.CONFIRMED, S.NO_SHOW): {Role.DESIGNER, Role.INSTALLER, Role.STORE_MANAGER, Role.ADMIN},
}


@pytest.mark.parametrize(("frm", "to", "role"), list(product(S, S, Role)))
def test_transition_table(frm: BookingStatus, to: BookingStatus, role: Role) -> None:
    assert can_transition(frm, to, role) == (role in EXPECTED.get((frm, to), set()))


def test_final_states_have_no_way_out() -> None:
    for status in (S.COMPLETED, S.CANCELLED, S.DECLINED, S.NO_SHOW):
        assert all(not allowed_transitions(status, role) for role in Role)
    assert set(TRANSITIONS) == set(EXPECTED)


def test_confirm_by_performer_side_only(make_booking: MakeBooking) -> None:
    booking = make_booking()
    for actor in (DESIGNER, MANAGER, ADMIN):
        assert confirm(booking, actor, NOW).status is S.CONFIRMED
    for actor in (HOMEOWNER, OTHER_DESIGNER, OTHER_MANAGER, INSTALLER):
        with pytest.raises(Forbidden):
            confirm(booking, actor, NOW)


def test_installer_team_acts_on_its_own_jobs_only(make_booking: MakeBooking) -> None:
    job = make_booking("installation")
    assert job.resource_id == "team-1"
    assert confirm(job, INSTALLER, NOW).status is S.CONFIRMED
    with pytest.raises(Forbidden):
        confirm(job, DESIGNER, NOW)
    with pytest.raises(Forbidden):
        confirm(job, Actor(Role.INSTALLER, "usr-ivan", team_id="team-2"), NOW)


def test_online_consultation_needs_a_video_link_to_confirm(make_booking: MakeBooking) -> None:
    booking = make_booking(video_link=None)
    with pytest.raises(InvalidInput) as err:
        confirm(booking, DESIGNER, NOW)
    assert err.value.field == "video_link"
    assert confirm(booking, DESIGNER, NOW, video_link="https://meet.example/z").video_link


def test_decline_needs_a_reason_and_happens_before_start(make_booking: MakeBooking) -> None:
    booking = make_booking()
    with pytest.raises(InvalidInput):
        decline(booking, DESIGNER, NOW, "  ")
    declined = decline(booking, DESIGNER, NOW, "on leave that week")
    assert declined.status is S.DECLINED and declined.reason == "on leave that week"
    with pytest.raises(Conflict):
        decline(booking, DESIGNER, START, "too late")
    with pytest.raises(Forbidden):
        decline(booking, HOMEOWNER, NOW, "homeowners cancel instead")


def test_complete_and_no_show_only_from_the_start(make_booking: MakeBooking) -> None:
    booking = confirm(make_booking(), DESIGNER, NOW)
    with pytest.raises(Conflict):
        complete(booking, DESIGNER, START - SECOND)
    done = complete(booking, DESIGNER, START + HOUR)
    assert done.status is S.COMPLETED and done.completed_at == START + HOUR
    assert mark_no_show(booking, DESIGNER, START + HOUR).status is S.NO_SHOW
    with pytest.raises(Forbidden):
        complete(booking, HOMEOWNER, START + HOUR)
    with pytest.raises(Forbidden):  # requested, never confirmed
        complete(make_booking(), DESIGNER, START + HOUR)
    with pytest.raises(Forbidden):  # final
        cancel(done, ADMIN, START + HOUR)


# --- arrival, issues ------------------------------------------------------------------------


def test_installer_arrival_issue_and_completion(make_booking: MakeBooking) -> None:
    job = confirm(make_booking("installation"), INSTALLER, NOW)
    with pytest.raises(Conflict):
        record_arrival(job, INSTALLER, job.blocked.start - SECOND)
    arrived = record_arrival(job, INSTALLER, START - timedelta(minutes=5))
    assert arrived.arrived_at == START - timedelta(minutes=5)
    with pytest.raises(Conflict):
        record_arrival(arrived, INSTALLER, START)
    issue = report_issue(arrived, INSTALLER, START + HOUR, "worktop chipped at the sink cut-out",
                         ["upl-1", "upl-2"])
    assert issue.issues[0].photo_ids == ("upl-1", "upl-2")
    done = complete(issue, INSTALLER, START + 8 * HOUR, note="all fitted")
    assert done.status is S.COMPLETED
    assert [e.action for e in done.history] == ["requested", "confirmed", "arrived", "issue_reported",
                                                 "completed"]
    assert report_issue(done, MANAGER, START + 9 * HOUR, "handle loose").issues[-1].reporter_id == "usr-mia"


def test_arrival_and_issue_refusals(make_booking: MakeBooking) -> None:
    online = confirm(make_booking(), DESIGNER, NOW)
    with pytest.raises(InvalidInput):
        record_arrival(online, DESIGNER, START)
    job = confirm(make_booking("installation"), INSTALLER, NOW)
    with pytest.raises(Forbidden):
        report_issue(job, HOMEOWNER, START, "the homeowner uses after-sales instead")
    with pytest.raises(InvalidInput):
        report_issue(job, INSTALLER, START, "")
    with pytest.raises(Conflict):
        record_arrival(make_booking("installation"), INSTALLER, START)  # not confirmed yet


def test_work_photos_from_the_performer_side_only(make_booking: MakeBooking) -> None:
    job = confirm(make_booking("installation"), INSTALLER, NOW)
    with pytest.raises(Conflict):
        add_work_photos(make_booking("installation"), INSTALLER, START, "", ["upl-1"])  # not confirmed yet
    with pytest.raises(Forbidden):
        add_work_photos(job, HOMEOWNER, START, "my own photos", ["upl-1"])
    with pytest.raises(InvalidInput):
        add_work_photos(job, INSTALLER, START, "nothing attached", [])
    done = complete(add_work_photos(job, INSTALLER, START + HOUR, " wardrobe fitted ", ["upl-1", "upl-2"]),
                    INSTALLER, START + 2 * HOUR)
    after = add_work_photos(done, MANAGER, START + 3 * HOUR, "", ["upl-3"])
    assert [(i.kind, i.description, i.photo_ids) for i in after.issues] == [
        ("work", "wardrobe fitted", ("upl-1", "upl-2")), ("work", "", ("upl-3",))]
    assert [e.action for e in after.history][-3:] == ["work_photos", "completed", "work_photos"]
    assert report_issue(after, INSTALLER, START + 4 * HOUR, "door rubs").issues[-1].kind == "issue"


def test_design_is_shared_with_the_booked_designer_until_the_service_ends(make_booking: MakeBooking) -> None:
    booking = make_booking("home_measurement")
    assert shares_design(booking, "des-anna") and not shares_design(booking, "des-bo")
    confirmed = confirm(booking, DESIGNER, NOW)
    assert shares_design(confirmed, "des-anna")
    assert not shares_design(complete(confirmed, DESIGNER, START + HOUR), "des-anna")
    assert not shares_design(cancel(confirmed, HOMEOWNER, NOW).booking, "des-anna")
    assert not shares_design(make_booking(design_id=None), "des-anna")
