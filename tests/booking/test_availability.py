"""Slots from working hours: time zones, daylight saving, exceptions, buffers, booked time, grid keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.booking.availability import (
    AvailabilityException,
    Slot,
    TimeRange,
    WorkingHours,
    blocked_range,
    bookable_slots,
    occupied_cells,
    on_grid,
    slot_key,
    working_windows,
)
from backend.booking.service_types import BookingRules, ServiceCode, service_type
from backend.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")
RULES = BookingRules()
ONLINE = service_type(ServiceCode.ONLINE_CONSULTATION, RULES)  # 60 min, no buffer
MEASURE = service_type(ServiceCode.HOME_MEASUREMENT, RULES)  # 120 min, 30 min buffers
EVERY_DAY_9_TO_17 = [WorkingHours(d, time(9), time(17)) for d in range(7)]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local_day(slots: list[Slot], day: date, tz: ZoneInfo) -> list[Slot]:
    return [s for s in slots if s.start.astimezone(tz).date() == day]


def slots(hours: list[WorkingHours], tz: ZoneInfo, start: datetime, end: datetime, *,
          exceptions: list[AvailabilityException] | None = None, busy: list[TimeRange] | None = None,
          service: ServiceCode = ServiceCode.ONLINE_CONSULTATION, now: datetime | None = None,
          rules: BookingRules = RULES) -> list[Slot]:
    return bookable_slots(hours, exceptions or [], tz, busy or [], service_type(service, rules), start, end,
                          rules, now or start - timedelta(days=1), resource_id="des-anna")


def test_shanghai_slots_are_local_working_hours_in_utc() -> None:
    found = slots(EVERY_DAY_9_TO_17, SHANGHAI, utc(2026, 6, 1), utc(2026, 6, 2))
    day = local_day(found, date(2026, 6, 1), SHANGHAI)
    assert day[0].start == utc(2026, 6, 1, 1)  # 09:00 +08:00
    assert day[-1].end == utc(2026, 6, 1, 9)  # 17:00 +08:00
    assert len(day) == 15  # 09:00 … 16:00 every 30 minutes
    assert all(s.start.tzinfo is UTC for s in found)


def test_berlin_spring_forward_moves_utc_times_one_hour_earlier() -> None:
    found = slots(EVERY_DAY_9_TO_17, BERLIN, utc(2026, 3, 27), utc(2026, 3, 31))
    saturday = local_day(found, date(2026, 3, 28), BERLIN)
    sunday = local_day(found, date(2026, 3, 29), BERLIN)  # last Sunday of March: 02:00 → 03:00
    assert saturday[0].start == utc(2026, 3, 28, 8)
    assert sunday[0].start == utc(2026, 3, 29, 7)
    assert len(saturday) == len(sunday) == 15
    for s in found:
        local = s.start.astimezone(BERLIN)
        assert local.minute in (0, 30) and time(9) <= local.time() <= time(16)


def test_berlin_fall_back_day_keeps_local_hours() -> None:
    found = slots(EVERY_DAY_9_TO_17, BERLIN, utc(2026, 10, 24), utc(2026, 10, 27))
    saturday = local_day(found, date(2026, 10, 24), BERLIN)
    sunday = local_day(found, date(2026, 10, 25), BERLIN)  # last Sunday of October: 03:00 → 02:00
    assert saturday[0].start == utc(2026, 10, 24, 7)
    assert sunday[0].start == utc(2026, 10, 25, 8)
    assert len(sunday) == 15


def test_night_shift_across_the_changes_lasts_its_real_length() -> None:
    spring = AvailabilityException(date(2026, 3, 29), "extra", time(1), time(4))
    autumn = AvailabilityException(date(2026, 10, 25), "extra", time(1), time(4))
    short = slots([], BERLIN, utc(2026, 3, 28), utc(2026, 3, 30), exceptions=[spring])
    long = slots([], BERLIN, utc(2026, 10, 24), utc(2026, 10, 26), exceptions=[autumn])
    assert [s.start for s in short] == [utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1)]
    assert len(long) == 7  # 01:00 CEST (23:00Z) to 04:00 CET (03:00Z) is four real hours
    assert long[0].start == utc(2026, 10, 24, 23) and long[-1].end == utc(2026, 10, 25, 3)
    twice = [s.start.astimezone(BERLIN).strftime("%H:%M") for s in long].count("02:00")
    assert twice == 2  # the repeated hour is offered twice, as two different instants


def test_closed_day_partial_leave_and_extra_hours() -> None:
    exceptions = [
        AvailabilityException(date(2026, 6, 2), "closed", reason="public holiday"),
        AvailabilityException(date(2026, 6, 3), "closed", time(12), time(14), reason="dentist"),
        AvailabilityException(date(2026, 6, 6), "extra", time(10), time(12)),
    ]
    weekdays = [WorkingHours(d, time(9), time(17)) for d in range(5)]
    found = slots(weekdays, SHANGHAI, utc(2026, 6, 1), utc(2026, 6, 8), exceptions=exceptions)
    assert local_day(found, date(2026, 6, 2), SHANGHAI) == []
    wednesday = local_day(found, date(2026, 6, 3), SHANGHAI)
    lunch = TimeRange(datetime(2026, 6, 3, 12, tzinfo=SHANGHAI), datetime(2026, 6, 3, 14, tzinfo=SHANGHAI))
    assert wednesday and not any(s.blocked.overlaps(lunch) for s in wednesday)
    assert len(wednesday) == 15 - 5  # 11:30, 12:00, 12:30, 13:00, 13:30 are gone
    saturday = local_day(found, date(2026, 6, 6), SHANGHAI)
    assert [s.start.astimezone(SHANGHAI).time() for s in saturday] == [time(10), time(10, 30), time(11)]
    assert local_day(found, date(2026, 6, 7), SHANGHAI) == []


def test_travel_buffers_stay_inside_working_hours_and_block_neighbours() -> None:
    day = [WorkingHours(0, time(9), time(17))]
    start, end = datetime(2026, 6, 1, tzinfo=SHANGHAI), datetime(2026, 6, 2, tzinfo=SHANGHAI)
    free = slots(day, SHANGHAI, start, end, service=ServiceCode.HOME_MEASUREMENT)
    times = [s.start.astimezone(SHANGHAI).time() for s in free]
    assert times[0] == time(9, 30) and times[-1] == time(14, 30)
    noon = TimeRange(datetime(2026, 6, 1, 12, tzinfo=SHANGHAI), datetime(2026, 6, 1, 13, tzinfo=SHANGHAI))
    left = slots(day, SHANGHAI, start, end, service=ServiceCode.HOME_MEASUREMENT, busy=[noon])
    assert [s.start.astimezone(SHANGHAI).time() for s in left] == [time(9, 30), time(13, 30), time(14),
                                                                   time(14, 30)]


def test_slot_blocked_ranges_are_the_checked_ranges_in_utc() -> None:
    """The slot loop builds its blocked ranges unchecked (TimeRange.of_utc): they must equal the checked
    ones, in UTC, with the buffers, whatever zone the asked range was given in."""
    day = [WorkingHours(0, time(9), time(17))]
    start, end = datetime(2026, 6, 1, tzinfo=SHANGHAI), datetime(2026, 6, 2, tzinfo=SHANGHAI)
    free = slots(day, SHANGHAI, start, end, service=ServiceCode.HOME_MEASUREMENT)
    assert free
    for s in free:
        assert s.blocked == TimeRange(s.start - MEASURE.buffer_before, s.end + MEASURE.buffer_after)
        assert s.blocked == blocked_range(MEASURE, s.start)
        assert s.blocked.start.tzinfo is UTC and s.blocked.end.tzinfo is UTC


def test_booked_slot_disappears_for_everyone() -> None:
    start, end = utc(2026, 6, 1), utc(2026, 6, 2)
    before = slots(EVERY_DAY_9_TO_17, SHANGHAI, start, end)
    taken = before[3]
    after = slots(EVERY_DAY_9_TO_17, SHANGHAI, start, end, busy=[taken.blocked])
    assert taken.start not in {s.start for s in after}
    assert {s.start for s in before} - {s.start for s in after} == {
        taken.start - timedelta(minutes=30), taken.start, taken.start + timedelta(minutes=30)}


def test_minimum_notice_and_horizon() -> None:
    now = utc(2026, 6, 1, 2, 10)  # 10:10 in Shanghai
    rules = BookingRules(min_notice_hours=2, horizon_days=3)
    found = slots(EVERY_DAY_9_TO_17, SHANGHAI, utc(2026, 5, 30), utc(2026, 6, 10), now=now, rules=rules)
    assert found[0].start == utc(2026, 6, 1, 4, 30)  # first grid point after 12:10 local
    assert found[-1].start <= now + timedelta(days=3)


def test_grid_keys_are_equal_for_equal_slots() -> None:
    a = slots(EVERY_DAY_9_TO_17, BERLIN, utc(2026, 3, 28), utc(2026, 3, 30))
    b = slots(EVERY_DAY_9_TO_17, BERLIN, utc(2026, 3, 29, 5, 17), utc(2026, 3, 30))
    shared = {s.key for s in a} & {s.key for s in b}
    assert shared == {s.key for s in b}
    instant = datetime(2026, 3, 29, 9, 30, tzinfo=BERLIN)
    assert slot_key("des-anna", instant) == slot_key("des-anna", instant.astimezone(UTC))
    assert str(slot_key("des-anna", instant)) == "des-anna@2026-03-29T07:30Z"
    with pytest.raises(InvalidInput):
        slot_key("des-anna", utc(2026, 3, 29, 7, 45))
    with pytest.raises(InvalidInput):
        slot_key("des-anna", datetime(2026, 3, 29, 7, 30))  # naive


def test_occupied_cells_cover_buffers() -> None:
    cells = occupied_cells("des-anna", MEASURE, utc(2026, 6, 1, 2))
    assert len(cells) == 6  # 30 + 120 + 30 minutes
    assert cells[0].start == utc(2026, 6, 1, 1, 30) and cells[-1].start == utc(2026, 6, 1, 4)


@settings(max_examples=80, deadline=None)
@given(a=st.integers(0, 40), b=st.integers(0, 40),
       sa=st.sampled_from(list(ServiceCode)), sb=st.sampled_from(list(ServiceCode)))
def test_cells_intersect_exactly_when_blocked_ranges_overlap(a: int, b: int, sa: ServiceCode,
                                                             sb: ServiceCode) -> None:
    base = utc(2026, 6, 1)
    ta, tb = base + a * RULES.slot, base + b * RULES.slot
    svc_a, svc_b = service_type(sa), service_type(sb)
    cells_a = set(occupied_cells("r", svc_a, ta))
    cells_b = set(occupied_cells("r", svc_b, tb))
    assert bool(cells_a & cells_b) == blocked_range(svc_a, ta).overlaps(blocked_range(svc_b, tb))


def test_rules_reject_durations_off_the_grid() -> None:
    with pytest.raises(InvalidInput) as err:
        BookingRules(durations_minutes={ServiceCode.ONLINE_CONSULTATION: 45})
    assert err.value.field == "durations_minutes.online_consultation"
    with pytest.raises(InvalidInput):
        BookingRules(slot_minutes=7)
    with pytest.raises(InvalidInput):
        WorkingHours(2, time(17), time(9))


ZONES = [ZoneInfo(z) for z in ("Europe/Berlin", "Asia/Shanghai", "America/New_York", "Asia/Kolkata")]


@st.composite
def weekly(draw: st.DrawFn) -> list[WorkingHours]:
    hours = []
    for day in range(7):
        if draw(st.booleans()):
            first = draw(st.integers(12, 30))  # half hours from 06:00
            last = draw(st.integers(first + 1, 44))  # until 22:00 at the latest
            opens, closes = time(first // 2, 30 * (first % 2)), time(last // 2, 30 * (last % 2))
            hours.append(WorkingHours(day, opens, closes))
    return hours


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours=weekly(), tz=st.sampled_from(ZONES), day=st.integers(0, 365),
       code=st.sampled_from(list(ServiceCode)),
       booked=st.lists(st.tuples(st.integers(0, 14 * 48), st.integers(1, 8)), max_size=6))
def test_slots_are_exactly_the_free_grid_points(hours: list[WorkingHours], tz: ZoneInfo, day: int,
                                                code: ServiceCode, booked: list[tuple[int, int]]) -> None:
    start = utc(2026, 1, 1) + timedelta(days=day)
    end = start + timedelta(days=7)
    now = start - timedelta(days=2)
    busy = [TimeRange(start + i * RULES.slot, start + (i + n) * RULES.slot) for i, n in booked]
    service = service_type(code)
    found = bookable_slots(hours, [], tz, busy, service, start, end, RULES, now)
    windows = working_windows(hours, [], tz, start - timedelta(days=1), end + timedelta(days=1))

    def fits(t: datetime) -> bool:
        blocked = blocked_range(service, t)
        inside = any(w.contains(blocked) for w in windows)
        return inside and not any(blocked.overlaps(b) for b in busy)

    grid = [start + i * RULES.slot for i in range(7 * 48)]
    assert [s.start for s in found] == [t for t in grid if fits(t)]
    for s in found:
        assert on_grid(s.start) and s.end - s.start == service.duration
        local_start = s.blocked.start.astimezone(tz)
        local_end = s.blocked.end.astimezone(tz)
        assert any(h.weekday == local_start.weekday() and h.start <= local_start.time()
                   and local_end.time() <= h.end and local_end.date() == local_start.date() for h in hours)
