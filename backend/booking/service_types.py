"""Service types a homeowner can book, and the booking rules that parameterise them.

Every duration and buffer is a whole number of slot-grid steps (``BookingRules.slot_minutes``),
so a booking always covers whole grid cells; :func:`backend.booking.availability.occupied_cells`
relies on that (see the grid rule there).

A *travel buffer* is time blocked before and after an on-site visit (home measurement,
installation): the resource is travelling, so nothing else may be booked in it, and it must lie
inside the resource's working hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Literal

from backend.errors import InvalidInput


class ServiceCode(StrEnum):
    ONLINE_CONSULTATION = "online_consultation"
    STORE_CONSULTATION = "store_consultation"
    HOME_MEASUREMENT = "home_measurement"
    INSTALLATION = "installation"


class Performer(StrEnum):
    """Who performs a service: one designer, or one installer team."""

    DESIGNER = "designer"
    INSTALLER_TEAM = "installer_team"


LateCancellation = Literal["fee", "refuse"]


@dataclass(frozen=True)
class ServiceType:
    """What one service is: how long, what it blocks around it, what a booking must carry."""

    code: ServiceCode
    duration: timedelta
    buffer_before: timedelta
    buffer_after: timedelta
    needs_address: bool
    needs_video_link: bool
    needs_order: bool
    performer: Performer

    @property
    def on_site(self) -> bool:
        """True when the performer travels to the customer's home."""
        return self.needs_address


_DEFAULT_MINUTES: dict[ServiceCode, int] = {
    ServiceCode.ONLINE_CONSULTATION: 60,
    ServiceCode.STORE_CONSULTATION: 90,
    ServiceCode.HOME_MEASUREMENT: 120,
    ServiceCode.INSTALLATION: 360,
}
_DEFAULT_BUFFER_MINUTES: dict[ServiceCode, int] = {
    ServiceCode.HOME_MEASUREMENT: 30,
    ServiceCode.INSTALLATION: 30,
}
_DEFAULT_FEE_CENTS: dict[ServiceCode, int] = {
    ServiceCode.HOME_MEASUREMENT: 20_000,
    ServiceCode.INSTALLATION: 30_000,
}


@dataclass(frozen=True)
class BookingRules:
    """Every tunable of the booking core; the edge builds one from settings and passes it in.

    * cancellation by the homeowner is free until ``free_cancellation_hours`` before the start
      (exactly at the boundary it is still free); later it is charged ``late_cancellation_fee_cents``
      (``late_cancellation="fee"``) or refused (``"refuse"``); after the start it is refused.
    * the homeowner may reschedule at most ``max_reschedules`` times, and only while a
      cancellation would still be free.
    * a new booking starts at least ``min_notice_hours`` from now and at most
      ``horizon_days`` ahead.
    * ``durations_minutes`` / ``buffers_minutes`` override the defaults per service code.
    * ``fees_cents`` overrides the service fee per code (a home measurement and an installation take
      one by default, a consultation none): the customer pays it into escrow, where it is held until the
      booking is completed and accepted (``backend.services.escrow.hold_service_fee``).
    """

    free_cancellation_hours: int = 24
    late_cancellation: LateCancellation = "fee"
    late_cancellation_fee_cents: int = 10_000
    max_reschedules: int = 2
    slot_minutes: int = 30
    horizon_days: int = 60
    min_notice_hours: int = 12
    rating_edit_days: int = 7
    low_rating_threshold: int = 2
    durations_minutes: dict[ServiceCode, int] = field(default_factory=dict)
    buffers_minutes: dict[ServiceCode, int] = field(default_factory=dict)
    fees_cents: dict[ServiceCode, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.slot_minutes <= 0 or 1440 % self.slot_minutes:
            raise InvalidInput(f"slot length must divide a day evenly, got {self.slot_minutes} minutes",
                               field="slot_minutes")
        for name in ("free_cancellation_hours", "late_cancellation_fee_cents", "max_reschedules",
                     "horizon_days", "min_notice_hours", "rating_edit_days"):
            if getattr(self, name) < 0:
                raise InvalidInput("must not be negative", field=name)
        for code in ServiceCode:
            self._check_multiple(f"durations_minutes.{code}", self.duration_minutes(code), positive=True)
            self._check_multiple(f"buffers_minutes.{code}", self.buffer_minutes(code), positive=False)
            if self.fee_cents(code) < 0:
                raise InvalidInput("must not be negative", field=f"fees_cents.{code}")

    def _check_multiple(self, name: str, minutes: int, *, positive: bool) -> None:
        if minutes < (1 if positive else 0) or minutes % self.slot_minutes:
            raise InvalidInput(f"must be a {'positive ' if positive else ''}multiple of the "
                               f"{self.slot_minutes}-minute slot grid, got {minutes}", field=name)

    def duration_minutes(self, code: ServiceCode) -> int:
        return self.durations_minutes.get(code, _DEFAULT_MINUTES[code])

    def buffer_minutes(self, code: ServiceCode) -> int:
        return self.buffers_minutes.get(code, _DEFAULT_BUFFER_MINUTES.get(code, 0))

    def fee_cents(self, code: ServiceCode) -> int:
        """The service fee of ``code`` in cents (0: the service takes none)."""
        return self.fees_cents.get(code, _DEFAULT_FEE_CENTS.get(code, 0))

    @property
    def slot(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    @property
    def free_cancellation(self) -> timedelta:
        return timedelta(hours=self.free_cancellation_hours)

    @property
    def min_notice(self) -> timedelta:
        return timedelta(hours=self.min_notice_hours)

    @property
    def horizon(self) -> timedelta:
        return timedelta(days=self.horizon_days)


DEFAULT_RULES = BookingRules()


def parse_service_code(value: str) -> ServiceCode:
    """The service code for ``value``, or :class:`InvalidInput` naming the valid codes."""
    try:
        return ServiceCode(value)
    except ValueError:
        valid = ", ".join(code.value for code in ServiceCode)
        raise InvalidInput(f"unknown service '{value}'; expected one of {valid}", field="service") from None


def service_type(code: ServiceCode | str, rules: BookingRules = DEFAULT_RULES) -> ServiceType:
    """The service type for ``code`` with durations and buffers taken from ``rules``."""
    code = parse_service_code(code) if not isinstance(code, ServiceCode) else code
    buffer = timedelta(minutes=rules.buffer_minutes(code))
    return ServiceType(
        code=code,
        duration=timedelta(minutes=rules.duration_minutes(code)),
        buffer_before=buffer,
        buffer_after=buffer,
        needs_address=code in (ServiceCode.HOME_MEASUREMENT, ServiceCode.INSTALLATION),
        needs_video_link=code is ServiceCode.ONLINE_CONSULTATION,
        needs_order=code is ServiceCode.INSTALLATION,
        performer=Performer.INSTALLER_TEAM if code is ServiceCode.INSTALLATION else Performer.DESIGNER,
    )


def all_service_types(rules: BookingRules = DEFAULT_RULES) -> list[ServiceType]:
    """All service types, in the order of :class:`ServiceCode`."""
    return [service_type(code, rules) for code in ServiceCode]
