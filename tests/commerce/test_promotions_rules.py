"""The pure package and promotion rules: a package's offer price, a promotion's window and limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.commerce import promotions as core
from backend.errors import Conflict, InvalidInput

PKG = core.PackageSpec("Kitchen + wardrobe", 180_000, ("carcasses", "doors", "soft-close hinges"),
                       {"solid oak doors": 40_000, "quartz top": 60_000})
T0 = datetime(2026, 12, 12, 0, 0, tzinfo=UTC)


def test_package_price_per_started_ten_centimetres_with_surcharges() -> None:
    assert core.package_list_price(PKG, 3_000) == 540_000
    assert core.package_list_price(PKG, 3_001) == 558_000  # priced as 3.1 m
    assert core.package_list_price(PKG, 2_000, ["quartz top", "quartz top"]) == 480_000  # an option counts once
    with pytest.raises(InvalidInput, match="no option"):
        core.package_list_price(PKG, 2_000, ["gold handles"])
    with pytest.raises(InvalidInput):
        core.package_list_price(PKG, 0)


def test_package_checks() -> None:
    assert core.check_package(PKG).inclusions == PKG.inclusions
    with pytest.raises(InvalidInput, match="includes"):
        core.check_package(core.PackageSpec("X", 1, (" ",), {}))
    with pytest.raises(InvalidInput, match="surcharge"):
        core.check_package(core.PackageSpec("X", 1, ("a",), {"b": 0}))
    with pytest.raises(InvalidInput, match="per metre"):
        core.check_package(core.PackageSpec("X", 0, ("a",), {}))


def test_promotion_checks_and_window() -> None:
    good = core.PromotionSpec("Double 12", T0, T0 + timedelta(days=1), 10, 9_900)
    assert core.check_promotion(good) == good
    for bad, field in [(core.PromotionSpec("D", T0, T0, 10, 9_900), "end after"),
                       (core.PromotionSpec("D", T0, T0 + timedelta(days=91), 10, 9_900), "at most"),
                       (core.PromotionSpec("D", T0, T0 + timedelta(days=1), 0, 9_900), "places"),
                       (core.PromotionSpec("D", T0, T0 + timedelta(days=1), 10, 100_001), "deposit")]:
        with pytest.raises(InvalidInput, match=field):
            core.check_promotion(bad)
    core.check_open(T0, T0 + timedelta(hours=1), T0)
    with pytest.raises(Conflict, match="opens at"):
        core.check_open(T0, T0 + timedelta(hours=1), T0 - timedelta(seconds=1))
    with pytest.raises(Conflict, match="ended"):
        core.check_open(T0, T0 + timedelta(hours=1), T0 + timedelta(hours=1))
    assert core.places_left(10, 12) == 0


def test_a_deposit_after_the_appointment_ends_by_who_ended_it_and_when() -> None:
    def outcome(ended: str, by_customer: bool, late: bool) -> core.DepositOutcome | None:
        decided = core.deposit_after_appointment(ended, by_customer, late, 24)
        return decided.outcome if decided else None

    assert outcome("completed", False, False) is None  # held until the customer accepts the measurement
    assert outcome("cancelled", False, True) is core.DepositOutcome.REFUND  # the store cancels: always refunded
    assert outcome("declined", False, False) is core.DepositOutcome.REFUND
    assert outcome("cancelled", True, False) is core.DepositOutcome.REFUND
    assert outcome("cancelled", True, True) is core.DepositOutcome.FORFEIT
    assert outcome("no_show", False, False) is core.DepositOutcome.FORFEIT
    late = core.deposit_after_appointment("cancelled", True, True, 24)
    assert late is not None and "less than 24 h" in late.why
    with pytest.raises(ValueError, match="final"):
        core.deposit_after_appointment("confirmed", True, False, 24)
