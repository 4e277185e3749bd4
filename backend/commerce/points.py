"""Points and membership, as pure rules: how many points an event earns, which level a member is at and
what it gives, and how many points may pay for an order.

The brand's numbers live in ``assets/models/commerce/loyalty.json`` (no settings): the value of a point
in cents, the points per event, and the levels with their benefits and redemption limit. A level goes by
the points *earned* in all, so redeeming never lowers it. The balance itself is kept by the ledger in the
database (``backend.services.points``); here it is only an argument.

Redemption pays for part of an order whose total comes from the one price rule
(``backend.bom.pricing.quote``): points never change a price, they are a payment line against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from backend.errors import Conflict, InvalidInput

RULES_FILE = Path(__file__).resolve().parents[2] / "assets" / "models" / "commerce" / "loyalty.json"


class PointsReason(StrEnum):
    """Why a ledger row changed a balance (the reference names the object it came from)."""

    DESIGN_PUBLISHED = "design_published"
    RATING_GIVEN = "rating_given"
    RATING_RECEIVED = "rating_received"
    ORDER_COMPLETED = "order_completed"
    REFERRAL = "referral"
    REDEMPTION = "redemption"
    REDEMPTION_REFUND = "redemption_refund"
    COMPENSATION = "compensation"
    TIP_GIVEN = "tip_given"
    TIP_RECEIVED = "tip_received"


POINTS_REASONS: tuple[str, ...] = tuple(r.value for r in PointsReason)


@dataclass(frozen=True)
class Benefit:
    en: str
    zh_Hans: str

    def text(self, locale: str) -> str:
        return self.zh_Hans if locale == "zh_Hans" else self.en


@dataclass(frozen=True)
class Level:
    code: str
    min_points: int
    max_redeem_percent: int
    benefits: tuple[Benefit, ...]


@dataclass(frozen=True)
class EarnRules:
    design_published: int
    rating_given: int
    rating_received: int
    rating_received_min_stars: int
    order_completed_per_100_cents: int
    referral: int


@dataclass(frozen=True)
class Accessory:
    """A catalog accessory (a fitting's code) the brand lets points buy at checkout, with its name in English
    and Chinese; its price is the catalog's."""

    code: str
    en: str
    zh_Hans: str

    def text(self, locale: str) -> str:
        return self.zh_Hans if locale == "zh_Hans" else self.en


@dataclass(frozen=True)
class LoyaltyRules:
    point_value_cents: int
    earn: EarnRules
    levels: tuple[Level, ...]
    """Ascending by ``min_points``; the first starts at 0."""
    accessories: tuple[Accessory, ...] = ()
    max_accessory_quantity: int = 10


def parse_rules(data: dict[str, Any]) -> LoyaltyRules:
    """Validate the brand's rules document; a wrong document fails here, with the field named."""
    value = int(data["point_value_cents"])
    if value < 1:
        raise InvalidInput("a point must be worth at least one cent", field="point_value_cents")
    earn = EarnRules(**{k: int(v) for k, v in data["earn"].items()})
    levels = tuple(Level(str(lv["code"]), int(lv["min_points"]), int(lv["max_redeem_percent"]),
                         tuple(Benefit(b["en"], b["zh_Hans"]) for b in lv["benefits"])) for lv in data["levels"])
    if not levels or levels[0].min_points != 0:
        raise InvalidInput("the first level must start at 0 points", field="levels")
    if any(b.min_points <= a.min_points for a, b in pairwise(levels)):
        raise InvalidInput("levels must be in ascending order of points", field="levels")
    if any(not 0 <= lv.max_redeem_percent <= 100 for lv in levels):
        raise InvalidInput("a redemption limit is a percentage from 0 to 100", field="levels")
    extras = data.get("accessories") or {}
    accessories = tuple(Accessory(str(a["code"]), str(a["en"]), str(a["zh_Hans"])) for a in extras.get("items", []))
    most = int(extras.get("max_quantity", 10))
    if most < 1:
        raise InvalidInput("at least one of an accessory may be redeemed", field="accessories.max_quantity")
    return LoyaltyRules(value, earn, levels, accessories, most)


@cache
def load_rules(path: Path = RULES_FILE) -> LoyaltyRules:
    return parse_rules(json.loads(path.read_text(encoding="utf-8")))


def level_for(earned: int, rules: LoyaltyRules) -> Level:
    """The highest level whose threshold ``earned`` (points earned in all) reaches."""
    return [lv for lv in rules.levels if lv.min_points <= max(earned, 0)][-1]


def next_level(earned: int, rules: LoyaltyRules) -> tuple[Level, int] | None:
    """The next level and the points still to earn for it; None at the top."""
    above = [lv for lv in rules.levels if lv.min_points > earned]
    return (above[0], above[0].min_points - earned) if above else None


def points_for_rating(stars: int, rules: LoyaltyRules) -> tuple[int, int]:
    """(points for the customer who rated, points for the performer rated) for a new rating."""
    received = rules.earn.rating_received if stars >= rules.earn.rating_received_min_stars else 0
    return rules.earn.rating_given, received


def points_for_order(total_cents: int, rules: LoyaltyRules) -> int:
    """Points a completed (installed) order earns its customer: per whole 100 cents of its total."""
    return max(total_cents, 0) // 100 * rules.earn.order_completed_per_100_cents


def max_redeemable(order_total_cents: int, level: Level, rules: LoyaltyRules) -> int:
    """The most points that may pay for an order of ``order_total_cents`` at ``level``."""
    limit_cents = max(order_total_cents, 0) * level.max_redeem_percent // 100
    return limit_cents // rules.point_value_cents


MAX_TIP_POINTS = 10_000


def check_tip(points: int, balance: int) -> None:
    """A tip to the designer of a completed service: positive, at most ``MAX_TIP_POINTS``, at most the balance."""
    if not 0 < points <= MAX_TIP_POINTS:
        raise InvalidInput(f"a tip is from 1 to {MAX_TIP_POINTS} points", field="points")
    if points > balance:
        raise Conflict(f"Only {max(balance, 0)} points left", field="points", extra={"balance": max(balance, 0)})


@dataclass(frozen=True)
class Redemption:
    points: int
    cents: int


def check_redemption(points: int, balance: int, order_total_cents: int, level: Level,
                     rules: LoyaltyRules, already_on_order: int = 0) -> Redemption:
    """Whether ``points`` may pay for an order of ``order_total_cents`` with ``balance`` points at hand;
    the amount they pay. Refused: not a positive number (InvalidInput), above the brand's limit for the
    level (InvalidInput; ``already_on_order`` points that bought accessories with the order count in it),
    more than the balance (Conflict: the balance may change, so may the answer)."""
    if points <= 0:
        raise InvalidInput("give a positive number of points to redeem", field="points")
    limit = max(max_redeemable(order_total_cents, level, rules) - already_on_order, 0)
    if points > limit:
        raise InvalidInput(f"at most {limit} points can pay for this order ({level.max_redeem_percent} % of its "
                           "total)", field="points", extra={"max_points": limit})
    if points > balance:
        raise Conflict(f"Only {max(balance, 0)} points left", field="points", extra={"balance": max(balance, 0)})
    return Redemption(points, points * rules.point_value_cents)


def accessory(code: str, rules: LoyaltyRules) -> Accessory:
    """The accessory points may buy, by its catalog code (else InvalidInput naming ``code``)."""
    for item in rules.accessories:
        if item.code == code:
            return item
    raise InvalidInput(f"points do not buy '{code[:60]}'", field="code")


def accessory_points(price_cents: int, quantity: int, rules: LoyaltyRules) -> int:
    """Points that buy ``quantity`` of an accessory at the catalog's ``price_cents`` (a started point counts)."""
    return -(-max(price_cents, 0) * quantity // rules.point_value_cents)


def check_accessory_redemption(code: str, quantity: int, price_cents: int, balance: int, order_total_cents: int,
                               already_on_order: int, level: Level, rules: LoyaltyRules) -> Redemption:
    """Whether points may buy ``quantity`` of the accessory ``code`` with an order at checkout: one the brand
    lists, 1 to ``max_accessory_quantity`` of it, within the level's share of the order's quoted total
    together with the ``already_on_order`` points paying for the order and its other accessories
    (InvalidInput), within the balance (Conflict). The points and the catalog price they pay."""
    accessory(code, rules)
    if not 1 <= quantity <= rules.max_accessory_quantity:
        raise InvalidInput(f"redeem 1 to {rules.max_accessory_quantity} of an accessory", field="quantity")
    points = accessory_points(price_cents, quantity, rules)
    limit = max(max_redeemable(order_total_cents, level, rules) - already_on_order, 0)
    if points > limit:
        raise InvalidInput(f"at most {limit} more points can be redeemed with this order ({level.max_redeem_percent} "
                           "% of its total)", field="quantity", extra={"max_points": limit, "points": points})
    if points > balance:
        raise Conflict(f"Only {max(balance, 0)} points left", field="points", extra={"balance": max(balance, 0)})
    return Redemption(points, price_cents * quantity)
