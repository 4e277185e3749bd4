"""Working hours, exceptions and bookable slots.

Times: working hours and exceptions are *local* wall-clock times in the resource's time zone
(a :class:`zoneinfo.ZoneInfo`); everything this module returns is a timezone-aware UTC datetime.
Local times are turned into instants with Python's rule (``fold=0``): a local time that does not
exist (the spring-forward gap) is read with the offset before the change, i.e. it lands one hour
later on the clock; an ambiguous local time (the autumn fall-back hour) means its first occurrence.
Working hours in the gap are therefore shortened and working hours across the fall-back hour are
one hour longer in real time, as they are for the person working them.

**The grid rule.** A slot may start only at an instant whose UTC POSIX timestamp is a whole
multiple of ``rules.slot_minutes`` minutes (the grid is anchored at 1970-01-01T00:00Z, not at local
midnight). The grid is therefore the same for every time zone and every day, and two customers
asking for "the same slot" always produce the same key ``slot_key(resource_id, start_utc)``. In
every zone whose UTC offset is a multiple of the grid step (Europe/Berlin, Asia/Shanghai with a
30-minute grid) the slots also fall on the local :00 and :30.

**What the database must enforce.** Equal starts give equal keys, but two *overlapping* bookings
can start on different grid points (a 2-hour visit at 10:00 and another at 11:00). Durations and
buffers are whole grid steps, so a booking blocks a whole number of grid cells:
:func:`occupied_cells` lists them. A table with ``UNIQUE (resource_id, cell_start)`` and one row per
occupied cell refuses every double booking, overlapping ones included, on SQLite and PostgreSQL
alike; two bookings conflict in :func:`bookable_slots` exactly when their cells intersect.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from backend.booking.service_types import DEFAULT_RULES, BookingRules, ServiceType
from backend.errors import InvalidInput

ExceptionKind = Literal["closed", "extra"]


@dataclass(frozen=True)
class WorkingHours:
    """One recurring working period: ``weekday`` 0 = Monday … 6 = Sunday, local ``start`` < ``end``."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidInput(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}",
                               field="weekday")
        if self.start >= self.end:
            raise InvalidInput(f"start {self.start} must be before end {self.end}", field="end")


@dataclass(frozen=True)
class AvailabilityException:
    """A one-day change to the weekly hours, in local time.

    ``closed`` without times: the whole day is off (leave, public holiday); ``closed`` with
    ``start``/``end``: that part of the day is off; ``extra`` (needs ``start``/``end``): additional
    working hours that day.
    """

    day: date
    kind: ExceptionKind
    start: time | None = None
    end: time | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise InvalidInput("give both start and end, or neither (whole day)", field="end")
        if self.kind == "extra" and self.start is None:
            raise InvalidInput("extra hours need a start and an end", field="start")
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise InvalidInput(f"start {self.start} must be before end {self.end}", field="end")


@dataclass(frozen=True, order=True)
class TimeRange:
    """A half-open interval ``[start, end)`` of aware datetimes (normalised to UTC)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", as_utc(self.start, "start"))
        object.__setattr__(self, "end", as_utc(self.end, "end"))
        if self.end < self.start:
            raise InvalidInput("end must not be before start", field="end")

    @classmethod
    def of_utc(cls, start: datetime, end: datetime) -> TimeRange:
        """``[start, end)`` from datetimes already in UTC with ``start <= end``, unchecked: the slot loop
        makes hundreds a request, and checking them again was a tenth of a slots request's calls."""
        rng = object.__new__(cls)
        object.__setattr__(rng, "start", start)
        object.__setattr__(rng, "end", end)
        return rng

    def overlaps(self, other: TimeRange) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: TimeRange) -> bool:
        return self.start <= other.start and other.end <= self.end


class SlotKey(NamedTuple):
    """What the database's unique constraint is built on: a resource and a grid instant in UTC."""

    resource_id: str
    start: datetime

    def __str__(self) -> str:
        return f"{self.resource_id}@{self.start.strftime('%Y-%m-%dT%H:%MZ')}"


@dataclass(frozen=True)
class Slot:
    """A bookable start: the appointment ``[start, end)`` and the time it blocks including buffers."""

    resource_id: str
    service: str
    start: datetime
    end: datetime
    blocked: TimeRange

    @property
    def key(self) -> SlotKey:
        return SlotKey(self.resource_id, self.start)


def as_utc(value: datetime, field: str = "time") -> datetime:
    """``value`` converted to UTC; a naive datetime is refused because its zone would be a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("must be timezone-aware (e.g. 2026-03-29T09:00:00+02:00)", field=field)
    return value.astimezone(UTC)


def on_grid(start: datetime, rules: BookingRules = DEFAULT_RULES) -> bool:
    """True when ``start`` is a grid instant (see the grid rule in the module docstring)."""
    utc = as_utc(start, "start")
    return utc.microsecond == 0 and int(utc.timestamp()) % (rules.slot_minutes * 60) == 0


def _ceil_to_grid(value: datetime, rules: BookingRules) -> datetime:
    step = rules.slot_minutes * 60
    seconds = value.timestamp()
    whole = int(seconds // step) * step
    if whole < seconds:
        whole += step
    return datetime.fromtimestamp(whole, UTC)


def slot_key(resource_id: str, start_utc: datetime, rules: BookingRules = DEFAULT_RULES) -> SlotKey:
    """The key of a slot; :class:`InvalidInput` if ``start_utc`` is not on the grid."""
    if not resource_id:
        raise InvalidInput("resource id is empty", field="resource_id")
    if not on_grid(start_utc, rules):
        raise InvalidInput(f"start must be on the {rules.slot_minutes}-minute grid", field="start")
    return SlotKey(resource_id, as_utc(start_utc))


def blocked_range(service: ServiceType, start: datetime) -> TimeRange:
    """The time a booking of ``service`` starting at ``start`` blocks: buffers included."""
    start = as_utc(start, "start")
    return TimeRange(start - service.buffer_before, start + service.duration + service.buffer_after)


def occupied_cells(resource_id: str, service: ServiceType, start: datetime,
                   rules: BookingRules = DEFAULT_RULES) -> list[SlotKey]:
    """Every grid cell a booking blocks (buffers included): one unique row each in the database."""
    slot_key(resource_id, start, rules)
    blocked = blocked_range(service, start)
    cells: list[SlotKey] = []
    cell = blocked.start
    while cell < blocked.end:
        cells.append(SlotKey(resource_id, cell))
        cell += rules.slot
    return cells


def _local(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _merge(ranges: Iterable[TimeRange]) -> list[TimeRange]:
    merged: list[TimeRange] = []
    for rng in sorted(ranges):
        if merged and rng.start <= merged[-1].end:
            if rng.end > merged[-1].end:
                merged[-1] = TimeRange(merged[-1].start, rng.end)
        else:
            merged.append(rng)
    return merged


def _subtract(ranges: list[TimeRange], cut: TimeRange) -> list[TimeRange]:
    result: list[TimeRange] = []
    for rng in ranges:
        if not rng.overlaps(cut):
            result.append(rng)
            continue
        if rng.start < cut.start:
            result.append(TimeRange(rng.start, cut.start))
        if cut.end < rng.end:
            result.append(TimeRange(cut.end, rng.end))
    return result


def _day_windows(day: date, hours: Sequence[WorkingHours], exceptions: Sequence[AvailabilityException],
                 tz: ZoneInfo) -> list[TimeRange]:
    todays = [e for e in exceptions if e.day == day]
    ranges = [TimeRange(_local(day, h.start, tz), _local(day, h.end, tz))
              for h in hours if h.weekday == day.weekday()]
    ranges += [TimeRange(_local(day, e.start, tz), _local(day, e.end, tz))
               for e in todays if e.kind == "extra" and e.start is not None and e.end is not None]
    windows = _merge(ranges)
    for exc in todays:
        if exc.kind != "closed":
            continue
        if exc.start is None or exc.end is None:
            cut = TimeRange(_local(day, time(0), tz), _local(day + timedelta(days=1), time(0), tz))
        else:
            cut = TimeRange(_local(day, exc.start, tz), _local(day, exc.end, tz))
        windows = _subtract(windows, cut)
    return windows


def working_windows(hours: Sequence[WorkingHours], exceptions: Sequence[AvailabilityException],
                    tz: ZoneInfo, start: datetime, end: datetime) -> list[TimeRange]:
    """The resource's working time overlapping ``[start, end)``, merged, in UTC (not clipped)."""
    start, end = as_utc(start, "start"), as_utc(end, "end")
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    ranges: list[TimeRange] = []
    while day <= last:
        ranges += _day_windows(day, hours, exceptions, tz)
        day += timedelta(days=1)
    query = TimeRange(start, end)
    return [w for w in _merge(ranges) if w.overlaps(query)]


def bookable_slots(hours: Sequence[WorkingHours], exceptions: Sequence[AvailabilityException], tz: ZoneInfo,
                   existing_bookings: Iterable[TimeRange], service: ServiceType, start: datetime,
                   end: datetime, rules: BookingRules = DEFAULT_RULES, now: datetime | None = None, *,
                   resource_id: str = "") -> list[Slot]:
    """Every grid start in ``[start, end)`` at which ``service`` can be booked, sorted, in UTC.

    A start ``t`` is offered when: ``t`` is on the grid; ``t >= now + min_notice`` and
    ``t <= now + horizon``; the blocked range ``[t - buffer_before, t + duration + buffer_after)``
    lies inside one working window (weekly hours plus extra hours minus closed times); and that
    range does not overlap any of ``existing_bookings`` (pass each active booking's *blocked* range,
    e.g. ``booking.blocked``).
    """
    start, end = as_utc(start, "start"), as_utc(end, "end")
    if end <= start:
        raise InvalidInput("the end of the range must be after its start", field="end")
    now = as_utc(now if now is not None else datetime.now(UTC), "now")
    earliest = max(start, now + rules.min_notice)
    latest = now + rules.horizon
    busy = _merge(existing_bookings)  # sorted and disjoint: their ends are sorted too
    busy_starts, busy_ends = [b.start for b in busy], [b.end for b in busy]
    margin = service.buffer_before + service.duration + service.buffer_after
    # the loop runs for every grid start of the range (hundreds a week): what it uses is taken out once,
    # and each t is already UTC (the blocked range is blocked_range(service, t))
    step, code, duration, before = rules.slot, service.code.value, service.duration, service.buffer_before
    after = service.duration + service.buffer_after
    slots: list[Slot] = []
    for window in working_windows(hours, exceptions, tz, start - margin, end + margin):
        t = _ceil_to_grid(max(window.start + before, earliest), rules)
        while t < end and t <= latest:
            blocked_start, blocked_end = t - before, t + after
            if blocked_end > window.end:
                break
            # the only busy range that can overlap is the first one ending after the blocked start
            first = bisect_right(busy_ends, blocked_start)
            if first == len(busy) or busy_starts[first] >= blocked_end:
                slots.append(Slot(resource_id, code, t, t + duration, TimeRange.of_utc(blocked_start, blocked_end)))
            t += step
    return slots


def is_bookable(slots: Sequence[Slot], start: datetime) -> bool:
    """True when ``start`` is the start of one of ``slots`` (as returned by :func:`bookable_slots`)."""
    start = as_utc(start, "start")
    return any(slot.start == start for slot in slots)
