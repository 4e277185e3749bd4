"""The pure points rules: earning, levels by points earned in all, the brand's redemption limit."""

from __future__ import annotations

import pytest

from backend.commerce import points as core
from backend.errors import Conflict, InvalidInput

RULES = core.load_rules()


def test_the_brand_file_parses_and_levels_ascend() -> None:
    assert [lv.code for lv in RULES.levels] == ["member", "silver", "gold"]
    assert RULES.levels[0].min_points == 0
    assert all(b.en and b.zh_Hans for lv in RULES.levels for b in lv.benefits)


def test_levels_go_by_points_earned_and_say_what_is_next() -> None:
    assert core.level_for(0, RULES).code == "member"
    assert core.level_for(9_999, RULES).code == "member"
    assert core.level_for(10_000, RULES).code == "silver"
    assert core.level_for(10**9, RULES).code == "gold"
    assert core.next_level(9_000, RULES) == (RULES.levels[1], 1_000)
    assert core.next_level(50_000, RULES) is None


def test_earning() -> None:
    assert core.points_for_rating(5, RULES) == (RULES.earn.rating_given, RULES.earn.rating_received)
    assert core.points_for_rating(3, RULES) == (RULES.earn.rating_given, 0)
    assert core.points_for_order(1_234_599, RULES) == 12_345  # per whole 100 cents
    assert core.points_for_order(-5, RULES) == 0


def test_redemption_limit_and_balance() -> None:
    member, gold = RULES.levels[0], RULES.levels[2]
    assert core.max_redeemable(100_000, member, RULES) == 10_000  # 10 % of 1,000.00 at 1 cent a point
    assert core.max_redeemable(100_000, gold, RULES) == 15_000
    assert core.check_redemption(500, 800, 100_000, member, RULES) == core.Redemption(500, 500)
    with pytest.raises(InvalidInput, match="at most 10000 points"):
        core.check_redemption(10_001, 50_000, 100_000, member, RULES)
    with pytest.raises(Conflict, match="Only 3 points left"):
        core.check_redemption(4, 3, 100_000, member, RULES)
    with pytest.raises(InvalidInput):
        core.check_redemption(0, 3, 100_000, member, RULES)


def test_a_wrong_rules_document_is_refused() -> None:
    good = {"point_value_cents": 1, "earn": {"design_published": 1, "rating_given": 1, "rating_received": 1,
                                             "rating_received_min_stars": 4, "order_completed_per_100_cents": 1,
                                             "referral": 1},
            "levels": [{"code": "a", "min_points": 0, "max_redeem_percent": 10, "benefits": []},
                       {"code": "b", "min_points": 10, "max_redeem_percent": 10, "benefits": []}]}
    assert core.parse_rules(good).levels[1].code == "b"
    with pytest.raises(InvalidInput, match="ascending"):
        core.parse_rules({**good, "levels": [good["levels"][0], good["levels"][0]]})
    with pytest.raises(InvalidInput, match="start at 0"):
        core.parse_rules({**good, "levels": good["levels"][1:]})
    with pytest.raises(InvalidInput, match="percentage"):
        core.parse_rules({**good, "levels": [{**good["levels"][0], "max_redeem_percent": 101}]})
