"""Points in the database: the ledger (every change a row; the balance a running sum that the database
keeps at or above zero), earning on the events where they happen (ratings, installed orders,
referrals) and redeeming points against an order's quoted total.

Debits are one conditional UPDATE (``balance = balance - n WHERE balance >= n``): on PostgreSQL the row
lock makes a concurrent debit wait and re-check the condition; SQLite serializes writers. Either way two
redemptions can never spend the same points, and the CHECK constraint is the last guard.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.booking.rules import BookingStatus
from backend.commerce import points as core
from backend.commerce.points import PointsReason
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.enums import OrderStatus, Role
from backend.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.services import policy
from backend.services.actor import Actor
from backend.services.catalog import catalog

REDEEMABLE_STATUSES = (OrderStatus.SUBMITTED, OrderStatus.ACCEPTED)
"""An order is paid at checkout, before production: points may pay for it while it is in these."""


def rules() -> core.LoyaltyRules:
    return core.load_rules()


def account(db: Session, user_id: str) -> ct.PointsAccount:
    """The member's account, opened (with a referral code) on first use."""
    found = db.get(ct.PointsAccount, user_id)
    if found is not None:
        return found
    try:
        with db.begin_nested():
            row = ct.PointsAccount(user_id=user_id, balance=0, earned=0, referral_code=secrets.token_hex(4).upper())
            db.add(row)
            db.flush()
        return row
    except IntegrityError:  # opened at the same moment by another request
        again = db.get(ct.PointsAccount, user_id, populate_existing=True)
        if again is None:
            raise
        return again


def award(db: Session, user_id: str, reason: PointsReason, reference: str, points: int,
          actor_id: str | None = None, note: str = "") -> ct.PointsEntry | None:
    """Credit ``points`` for one event, once: the same (user, reason, reference) again adds nothing
    (None). Zero points add no row."""
    if points <= 0:
        return None
    held = account(db, user_id)
    try:
        with db.begin_nested():
            balance = db.execute(update(ct.PointsAccount).where(ct.PointsAccount.user_id == user_id)
                                 .values(balance=ct.PointsAccount.balance + points,
                                         earned=ct.PointsAccount.earned + points)
                                 .returning(ct.PointsAccount.balance)).scalar_one()
            entry = ct.PointsEntry(user_id=user_id, delta=points, balance_after=balance, reason=reason.value,
                                   reference=reference, actor_id=actor_id, note=note[:300])
            db.add(entry)
            db.flush()
    except IntegrityError:
        return None
    finally:
        db.expire(held)
    return entry


def _debit(db: Session, user_id: str, points: int) -> int | None:
    """Take ``points`` off the balance if it has them; the new balance, or None when it has not."""
    return db.execute(update(ct.PointsAccount)
                      .where(ct.PointsAccount.user_id == user_id, ct.PointsAccount.balance >= points)
                      .values(balance=ct.PointsAccount.balance - points)
                      .returning(ct.PointsAccount.balance)).scalar_one_or_none()


def _own_order(db: Session, actor: Actor, order_id: str) -> tables.Order:
    order = db.scalar(policy.visible_orders(actor).where(tables.Order.id == order_id))
    if order is None or order.owner_id != actor.id:
        raise NotFound(f"no order '{order_id}' of yours", field="order_id")
    return order


def redemption_of(db: Session, order_id: str) -> ct.PointRedemption | None:
    return db.scalar(select(ct.PointRedemption).where(ct.PointRedemption.order_id == order_id,
                                                      ct.PointRedemption.refunded_at.is_(None)))


def redeem(db: Session, actor: Actor, order_id: str, points: int) -> tuple[ct.PointRedemption, bool]:
    """Pay part of the customer's order with points (at most the brand's share of its quoted total, at
    most the balance). Idempotent: a second submit for the same order gives back the first redemption
    (False for "created"); a different number of points for an order already paid with points is a
    Conflict."""
    if actor.role != Role.HOMEOWNER:
        raise Forbidden("only the customer of an order can pay it with points")
    order = _own_order(db, actor, order_id)
    _lock_order(db, order.id)
    existing = db.scalar(select(ct.PointRedemption).where(ct.PointRedemption.order_id == order.id))
    if existing is not None:
        return _same_or_conflict(existing, points)
    if order.status not in REDEEMABLE_STATUSES:
        raise Conflict(f"points pay for an order at checkout; this order is '{order.status}'", field="order_id",
                       extra={"order_status": order.status})
    mine = account(db, actor.id)
    brand = rules()
    level = core.level_for(mine.earned, brand)
    decided = core.check_redemption(points, mine.balance, int(order.quote["total_cents"]), level, brand,
                                    accessory_points_on(db, order.id))
    row = ct.PointRedemption(order_id=order.id, user_id=actor.id, points=decided.points, cents=decided.cents)
    try:
        _spend(db, actor.id, row, decided.points, order.id, f"order {order.number or order.id}")
    except IntegrityError:  # the same order redeemed at the same moment by a second submit
        again = db.scalar(select(ct.PointRedemption).where(ct.PointRedemption.order_id == order.id))
        if again is None:
            raise
        return _same_or_conflict(again, points)
    db.expire(mine)
    return row, True


class _Short(Exception):
    """The balance no longer covers the redemption (another one spent it first)."""


def _spend(db: Session, user_id: str, row: ct.PointRedemption | ct.AccessoryRedemption, points: int,
           reference: str | None, note: str) -> None:
    """In one savepoint: save the redemption ``row``, take ``points`` off the balance with a conditional
    debit and write the ledger row (its reference: ``reference``, else the redemption's id). A balance that
    no longer covers it (another redemption spent it first) rolls the savepoint back and answers 409 "Only
    N points left"; an ``IntegrityError`` (the same redemption saved at the same moment) is the caller's."""
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
            balance = _debit(db, user_id, points)
            if balance is None:
                raise _Short()
            db.add(ct.PointsEntry(user_id=user_id, delta=-points, balance_after=balance,
                                  reason=PointsReason.REDEMPTION.value, reference=reference or row.id,
                                  actor_id=user_id, note=note))
            db.flush()
    except _Short:
        left = db.scalar(select(ct.PointsAccount.balance).where(ct.PointsAccount.user_id == user_id)
                         .execution_options(populate_existing=True)) or 0
        raise Conflict(f"Only {left} points left", field="points", extra={"balance": left}) from None


def _same_or_conflict(existing: ct.PointRedemption, points: int) -> tuple[ct.PointRedemption, bool]:
    if existing.points == points and existing.refunded_at is None:
        return existing, False
    raise Conflict(f"this order was already paid with {existing.points} points", field="points",
                   extra={"redeemed_points": existing.points})


def refund_redemption(db: Session, order: tables.Order, actor_id: str | None, why: str) -> None:
    """Give back the points that paid for a cancelled order and bought accessories with it (once each)."""
    row = redemption_of(db, order.id)
    if row is not None and award_back(db, row, actor_id, why) is not None:
        row.refunded_at = tables.utcnow()
        db.flush()
    for extra in accessories_of(db, order.id):
        if _credit_back(db, extra.user_id, extra.points, extra.id, actor_id, why) is not None:
            extra.refunded_at = tables.utcnow()
            db.flush()


def award_back(db: Session, row: ct.PointRedemption, actor_id: str | None, why: str) -> ct.PointsEntry | None:
    """Credit the redeemed points back (not counted as earned: a refund does not raise the level)."""
    return _credit_back(db, row.user_id, row.points, row.order_id, actor_id, why)


def _credit_back(db: Session, user_id: str, points: int, reference: str, actor_id: str | None,
                 why: str) -> ct.PointsEntry | None:
    try:
        with db.begin_nested():
            balance = db.execute(update(ct.PointsAccount).where(ct.PointsAccount.user_id == user_id)
                                 .values(balance=ct.PointsAccount.balance + points)
                                 .returning(ct.PointsAccount.balance)).scalar_one()
            entry = ct.PointsEntry(user_id=user_id, delta=points, balance_after=balance,
                                   reason=PointsReason.REDEMPTION_REFUND.value, reference=reference,
                                   actor_id=actor_id, note=why[:300])
            db.add(entry)
            db.flush()
    except IntegrityError:
        return None
    return entry


# --- catalog accessories bought with points at checkout --------------------------------------------


def accessories_of(db: Session, order_id: str) -> list[ct.AccessoryRedemption]:
    """The accessories points bought with the order (not refunded), oldest first."""
    return list(db.scalars(select(ct.AccessoryRedemption).where(ct.AccessoryRedemption.order_id == order_id,
                                                                ct.AccessoryRedemption.refunded_at.is_(None))
                           .order_by(ct.AccessoryRedemption.created_at, ct.AccessoryRedemption.id)))


def accessory_points_on(db: Session, order_id: str) -> int:
    return sum(a.points for a in accessories_of(db, order_id))


def _points_on_order(db: Session, order_id: str) -> int:
    """Points paying for the order and buying accessories with it: together within the level's share."""
    paid = redemption_of(db, order_id)
    return (paid.points if paid else 0) + accessory_points_on(db, order_id)


def accessory_price_cents(code: str) -> int:
    """The catalog's price of the accessory (the one price list; a code it does not have is refused)."""
    fitting = catalog().fittings.get(code)
    if fitting is None or fitting.price_cents <= 0:
        raise InvalidInput(f"the catalog has no accessory '{code[:60]}'", field="code")
    return fitting.price_cents


def redeem_accessory(db: Session, actor: Actor, order_id: str, code: str,
                     quantity: int) -> tuple[ct.AccessoryRedemption, bool]:
    """Buy ``quantity`` of a catalog accessory the brand lists with the customer's order at checkout, paid in
    points at its catalog price, within the level's share of the order's total (with the points already paying
    for it) and the balance. Idempotent per order and accessory: the same again gives back the first (False);
    another quantity of an accessory already bought is a Conflict."""
    if actor.role != Role.HOMEOWNER:
        raise Forbidden("only the customer of an order can redeem points with it")
    order = _own_order(db, actor, order_id)
    brand = rules()
    core.accessory(code, brand)
    _lock_order(db, order.id)
    existing = _accessory_row(db, order.id, code)
    if existing is not None:
        return _same_accessory_or_conflict(existing, quantity)
    if order.status not in REDEEMABLE_STATUSES:
        raise Conflict(f"points buy accessories with an order at checkout; this order is '{order.status}'",
                       field="order_id", extra={"order_status": order.status})
    mine = account(db, actor.id)
    decided = core.check_accessory_redemption(code, quantity, accessory_price_cents(code), mine.balance,
                                              int(order.quote["total_cents"]), _points_on_order(db, order.id),
                                              core.level_for(mine.earned, brand), brand)
    row = ct.AccessoryRedemption(order_id=order.id, user_id=actor.id, code=code, quantity=quantity,
                                 points=decided.points, cents=decided.cents)
    try:
        _spend(db, actor.id, row, decided.points, None, f"{quantity} × {code} with order {order.number or order.id}")
    except IntegrityError:  # the same accessory redeemed at the same moment by a second submit
        again = _accessory_row(db, order.id, code)
        if again is None:
            raise
        return _same_accessory_or_conflict(again, quantity)
    order.package_key = None  # the factory's package lists the accessory: a package built before is rebuilt
    db.flush()
    db.expire(mine)
    return row, True


def _lock_order(db: Session, order_id: str) -> None:
    """Serialize the redemptions on one order: a no-op write to its row takes the row lock on PostgreSQL
    and the write lock on SQLite, so the points already on the order (which share its limit) are read after
    any concurrent redemption on it has committed, and two at once cannot both fit in what is left."""
    db.execute(update(tables.Order).where(tables.Order.id == order_id).values(updated_at=tables.Order.updated_at))


def _accessory_row(db: Session, order_id: str, code: str) -> ct.AccessoryRedemption | None:
    return db.scalar(select(ct.AccessoryRedemption).where(ct.AccessoryRedemption.order_id == order_id,
                                                          ct.AccessoryRedemption.code == code))


def _same_accessory_or_conflict(existing: ct.AccessoryRedemption,
                                quantity: int) -> tuple[ct.AccessoryRedemption, bool]:
    if existing.quantity == quantity and existing.refunded_at is None:
        return existing, False
    raise Conflict(f"points already bought {existing.quantity} of this accessory with this order", field="code",
                   extra={"redeemed_quantity": existing.quantity})


def amount_due_cents(db: Session, order: tables.Order) -> int:
    """The order's quoted total (the one price rule's output) less what points paid."""
    paid = redemption_of(db, order.id)
    return int(order.quote.get("total_cents", 0)) - (paid.cents if paid else 0)


# --- earning where the events happen ---------------------------------------------------------------


def on_rating(db: Session, rating: bt.Rating) -> None:
    """A new rating of a completed service: points for the customer who wrote it and, for a good one,
    for the designer rated (an installer team is no member account)."""
    given, received = core.points_for_rating(rating.stars, rules())
    award(db, rating.customer_id, PointsReason.RATING_GIVEN, rating.booking_id, given, rating.customer_id,
          "a rating of a completed service")
    if received and db.get(tables.User, rating.performer_id) is not None:
        award(db, rating.performer_id, PointsReason.RATING_RECEIVED, rating.booking_id, received,
              rating.customer_id, f"rated {rating.stars} stars")


def on_order_installed(db: Session, order: tables.Order, actor_id: str | None) -> None:
    """An installed order earns its customer points on what they paid; the customer's first installed
    order earns their referrer the referral points."""
    brand = rules()
    award(db, order.owner_id, PointsReason.ORDER_COMPLETED, order.id,
          core.points_for_order(amount_due_cents(db, order), brand), actor_id, f"order {order.number or order.id}")
    mine = account(db, order.owner_id)
    if mine.referred_by:
        award(db, mine.referred_by, PointsReason.REFERRAL, order.owner_id, brand.earn.referral, actor_id,
              "a customer you referred had their first order installed")


def on_order_cancelled(db: Session, order: tables.Order, actor_id: str | None) -> None:
    refund_redemption(db, order, actor_id, f"order {order.number or order.id} cancelled")


def use_referral(db: Session, actor: Actor, code: str) -> ct.PointsAccount:
    """Record who referred this new customer (once, before their first order)."""
    if actor.role != Role.HOMEOWNER:
        raise Forbidden("referral codes are for customer accounts")
    referrer = db.scalar(select(ct.PointsAccount).where(ct.PointsAccount.referral_code == code.strip().upper()))
    if referrer is None:
        raise InvalidInput(f"there is no referral code '{code.strip()[:20]}'", field="code")
    if referrer.user_id == actor.id:
        raise InvalidInput("you cannot refer yourself", field="code")
    if db.scalar(select(func.count()).select_from(tables.Order).where(tables.Order.owner_id == actor.id)):
        raise Conflict("a referral code is used before your first order", field="code")
    mine = account(db, actor.id)
    done = db.execute(update(ct.PointsAccount).where(ct.PointsAccount.user_id == actor.id,
                                                     ct.PointsAccount.referred_by.is_(None))
                      .values(referred_by=referrer.user_id).returning(ct.PointsAccount.user_id)).scalar_one_or_none()
    db.expire(mine)
    if not done and mine.referred_by != referrer.user_id:
        raise Conflict("you already used a referral code", field="code")
    return mine


# --- what the points page shows --------------------------------------------------------------------


@dataclass(frozen=True)
class AccessoryLine:
    code: str
    name: str
    quantity: int
    points: int


def accessory_lines(db: Session, order_id: str, locale: str = "en") -> list[AccessoryLine]:
    """The accessories points bought with the order (not refunded), named in ``locale``, oldest first."""
    names = {a.code: a.text(locale) for a in rules().accessories}
    return [AccessoryLine(a.code, names.get(a.code, a.code), a.quantity, a.points)
            for a in accessories_of(db, order_id)]


@dataclass(frozen=True)
class AccessoryOffer:
    code: str
    name: str
    price_cents: int
    points: int
    """Points for one."""


@dataclass(frozen=True)
class OrderChoice:
    order_id: str
    number: str
    total_cents: int
    max_points: int
    """The most points that may still pay for it or buy accessories with it (the level's share, less what is
    redeemed on it already)."""
    redeemed_points: int | None
    due_cents: int
    accessories: list[AccessoryLine]
    open: bool
    """At checkout still: points may be redeemed with it."""


@dataclass(frozen=True)
class Summary:
    balance: int
    earned: int
    level: core.Level
    next_level: tuple[core.Level, int] | None
    referral_code: str
    referred: bool
    entries: list[ct.PointsEntry]
    orders: list[OrderChoice]
    point_value_cents: int
    currency: str
    accessories: list[AccessoryOffer]
    max_accessory_quantity: int


def summary(db: Session, actor: Actor, locale: str = "en") -> Summary:
    mine = account(db, actor.id)
    brand = rules()
    level = core.level_for(mine.earned, brand)
    entries = list(db.scalars(select(ct.PointsEntry).where(ct.PointsEntry.user_id == actor.id)
                              .order_by(ct.PointsEntry.id.desc()).limit(100)))
    orders = list(db.scalars(select(tables.Order).where(tables.Order.owner_id == actor.id)
                             .order_by(tables.Order.created_at.desc()).limit(50)))
    choices = []
    currency = "CNY"
    for order in orders:
        paid = redemption_of(db, order.id)
        extras = accessories_of(db, order.id)
        total = int(order.quote.get("total_cents", 0))
        currency = str(order.quote.get("currency", currency))
        is_open = order.status in REDEEMABLE_STATUSES
        if paid is None and not extras and not is_open:
            continue
        used = (paid.points if paid else 0) + sum(a.points for a in extras)
        choices.append(OrderChoice(order.id, order.number or order.id, total,
                                   max(core.max_redeemable(total, level, brand) - used, 0),
                                   paid.points if paid else None, total - (paid.cents if paid else 0),
                                   accessory_lines(db, order.id, locale), is_open))
    offers = [AccessoryOffer(a.code, a.text(locale), price, core.accessory_points(price, 1, brand))
              for a in brand.accessories if (price := _catalog_price(a.code)) > 0]
    return Summary(mine.balance, mine.earned, level, core.next_level(mine.earned, brand), mine.referral_code,
                   mine.referred_by is not None, entries, choices, brand.point_value_cents, currency, offers,
                   brand.max_accessory_quantity)


def _catalog_price(code: str) -> int:
    fitting = catalog().fittings.get(code)
    return fitting.price_cents if fitting is not None else 0


def summary_json(s: Summary, locale: str = "en") -> dict[str, Any]:
    return {
        "balance": s.balance, "earned": s.earned, "point_value_cents": s.point_value_cents,
        "level": {"code": s.level.code, "max_redeem_percent": s.level.max_redeem_percent,
                  "benefits": [b.text(locale) for b in s.level.benefits]},
        "next_level": ({"code": s.next_level[0].code, "points_to_go": s.next_level[1]} if s.next_level else None),
        "referral_code": s.referral_code, "referred": s.referred,
        "entries": [{"delta": e.delta, "balance_after": e.balance_after, "reason": e.reason,
                     "reference": e.reference, "at": e.created_at.isoformat(), "note": e.note} for e in s.entries],
        "orders": [vars(o) | {"accessories": [vars(a) for a in o.accessories]} for o in s.orders],
        "accessories": [vars(a) for a in s.accessories], "max_accessory_quantity": s.max_accessory_quantity,
    }


def redeemed_order(db: Session, row: ct.PointRedemption) -> tables.Order:
    order = db.get(tables.Order, row.order_id)
    assert order is not None  # the foreign key
    return order


def tip(db: Session, actor: Actor, booking: bt.Booking, points: int) -> ct.PointsEntry:
    """Give the designer of the customer's completed service a tip in points, once per booking."""
    if booking.customer_id != actor.id:
        raise NotFound(f"no booking '{booking.id}' of yours", field="booking_id")
    if booking.status != BookingStatus.COMPLETED:
        raise Conflict("a tip is given after the service is completed", field="booking_id")
    if db.get(tables.User, booking.resource_id) is None:
        raise Conflict("an installer team takes no tips in points", field="booking_id")
    mine = account(db, actor.id)
    core.check_tip(points, mine.balance)
    try:
        with db.begin_nested():
            balance = _debit(db, actor.id, points)
            if balance is None:
                raise _Short()
            given = ct.PointsEntry(user_id=actor.id, delta=-points, balance_after=balance,
                                   reason=PointsReason.TIP_GIVEN.value, reference=booking.id, actor_id=actor.id,
                                   note="a tip to the designer")
            db.add(given)
            db.flush()
    except _Short:
        db.expire(mine)
        raise Conflict(f"Only {account(db, actor.id).balance} points left", field="points") from None
    except IntegrityError:
        raise Conflict("you already tipped for this service", field="booking_id") from None
    db.expire(mine)
    award(db, booking.resource_id, PointsReason.TIP_RECEIVED, booking.id, points, actor.id, "a tip from a customer")
    return given
