"""The pure analytics rules: shares with nothing to divide are None (not 0), the arrival promise's
boundary is on time, cancelled orders earn nothing and convert nothing, the period bounds cases and orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.commerce.analytics import BookingFact, CaseFact, Facts, OrderFact, figures
from backend.commerce.guarantees import PromiseKind, load_promises

T = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
PROMISES = load_promises()


def facts(bookings: list[BookingFact], orders: list[OrderFact] | None = None,
          cases: list[CaseFact] | None = None) -> Facts:
    return Facts(T - timedelta(days=9), T + timedelta(days=20), bookings, {}, cases or [], orders or [],
                 frozenset(), {})


def test_nothing_to_divide_is_none() -> None:
    f = facts([])
    got = figures(f, [], [], [], PROMISES)
    assert (got.conversion, got.average_rating, got.on_time_rate, got.hours_to_close) == (None, None, None, None)
    assert got.bookings == got.revenue_cents == 0


def test_arriving_exactly_at_the_promise_is_on_time() -> None:
    within = PROMISES[PromiseKind.ARRIVAL].within
    visits = [BookingFact("a", "s", "t", "c", "installation", "completed", T, T + within),
              BookingFact("b", "s", "t", "c", "installation", "completed", T, T + within + timedelta(seconds=1)),
              BookingFact("c", "s", "t", "c", "installation", "confirmed", T, None)]
    got = figures(facts(visits), visits, [], [], PROMISES)
    assert (got.installations_timed, got.installations_on_time, got.on_time_rate) == (2, 1, 0.5)


def test_a_cancelled_order_neither_converts_nor_earns_and_the_period_bounds_orders_and_cases() -> None:
    measured = [BookingFact("m", "s", "d", "c", "home_measurement", "completed", T)]
    orders = [OrderFact("o1", "s", "d", "c", T + timedelta(days=1), 5_000, "cancelled"),
              OrderFact("o2", "other", "d", "c", T + timedelta(days=1), 7_000, "submitted"),
              OrderFact("o3", "s", "d", "c", T + timedelta(days=40), 9_000, "submitted")]
    cases = [CaseFact("s", "d", T, T, T + timedelta(hours=3)),
             CaseFact("s", "d", T - timedelta(days=30), None, T)]
    f = facts(measured, orders, cases)
    got = figures(f, measured, cases, [o for o in orders if o.store_id == "s"], PROMISES)
    assert got.measurements == 1 and got.measurements_ordered == 1  # o3: later than the period, still a conversion
    assert (got.orders, got.revenue_cents) == (0, 0)  # o1 cancelled, o3 after the period
    assert (got.cases_opened, got.cases_closed, got.hours_to_close) == (1, 1, 3.0)
    only_cancelled = facts(measured, orders[:2])
    assert figures(only_cancelled, measured, [], orders[:1], PROMISES).conversion == 0.0  # o2 is another store's


def test_the_period_is_cut_at_the_stores_midnight() -> None:
    from datetime import date

    from backend.commerce.analytics import period_bounds, store_zone

    shanghai = store_zone("Asia/Shanghai")
    start, end = period_bounds(date(2026, 11, 1), date(2026, 11, 30), shanghai)
    assert (start, end) == (datetime(2026, 10, 31, 16, 0, tzinfo=UTC), datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    late = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 07:30 on 1 November in Shanghai
    assert start <= late < end
    utc_start, _ = period_bounds(date(2026, 11, 1), date(2026, 11, 30), store_zone("UTC"))
    assert late < utc_start
    # a day with a clock change is 25 hours long in Berlin (summer time ends on 25 October 2026)
    b_start, b_end = period_bounds(date(2026, 10, 25), date(2026, 10, 25), store_zone("Europe/Berlin"))
    assert b_end - b_start == timedelta(hours=25)
    assert store_zone("Nowhere/Atlantis") is UTC and store_zone("") is UTC
