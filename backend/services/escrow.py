"""Escrow in the database: an order's deposit or balance is authorized and captured by the payment
provider (held), then released to the store after the customer accepted the installation or the
deadline after it passed, or refunded when the order is cancelled. A booking's service fee (a home
measurement's, an installation's) is held the same way until that booking is completed and the customer
accepts it, and refunded when the booking ends without the work (cancelled, declined, no-show: see
:func:`on_booking_ended`, called by ``backend.services.bookings``). Every change is an event with who
and why.

Each move is one conditional UPDATE (``state = :to WHERE id = :id AND state = :from``): of two
concurrent releases only one finds the hold still held, so the provider pays out once.

A partial refund (:func:`refund_part`, a guarantee's compensation in money) splits the refunded part off
the hold as its own ``refunded`` row keyed by the guarantee case (``UNIQUE (kind, reference)``: a case
refunds once, even from two sweeps at once) and takes it off the held amount with one conditional UPDATE
(``amount_cents = amount_cents - :x WHERE state = 'held' AND amount_cents > :x``), so concurrent refunds
never give back more than is held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.booking.rules import OPEN_STATUSES, BookingStatus
from backend.booking.service_types import DEFAULT_RULES, BookingRules, service_type
from backend.commerce import escrow as core
from backend.commerce import promotions as promotion_rules
from backend.commerce.escrow import HoldKind, HoldState, PaymentProvider, TestProvider
from backend.commerce.promotions import DepositOutcome, PrebookingStatus
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.enums import OrderStatus, Role
from backend.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.services import points, policy
from backend.services.actor import Actor

TEST_PROVIDER = TestProvider()
"""The provider here: no real payments (a real one implements ``backend.commerce.escrow.PaymentProvider``)."""
ORDER_KINDS = (HoldKind.ORDER_DEPOSIT, HoldKind.ORDER_BALANCE)


def _move(db: Session, hold: ct.EscrowHold, frm: HoldState, to: HoldState, actor_id: str | None, reason: str,
          now: datetime) -> bool:
    moved = db.execute(update(ct.EscrowHold).where(ct.EscrowHold.id == hold.id, ct.EscrowHold.state == frm.value)
                       .values(state=to.value).returning(ct.EscrowHold.id)).scalar_one_or_none()
    if moved is None:
        return False
    db.add(ct.EscrowEvent(hold_id=hold.id, from_state=frm.value, to_state=to.value, actor_id=actor_id,
                          reason=reason[:300], at=now))
    db.flush()
    db.expire(hold)
    return True


def hold_order_payment(db: Session, actor: Actor, order_id: str, kind: str, amount_cents: int, now: datetime,
                       provider: PaymentProvider = TEST_PROVIDER) -> tuple[ct.EscrowHold, bool]:
    """The customer pays the order's deposit or balance into escrow (authorized, then captured: held).
    One hold per order and kind; the same again gives back the first (False)."""
    try:
        hold_kind = HoldKind(kind)
    except ValueError:
        raise InvalidInput(f"kind must be one of {', '.join(k.value for k in ORDER_KINDS)}", field="kind") from None
    if hold_kind not in ORDER_KINDS:
        raise InvalidInput("an order holds a deposit or a balance", field="kind")
    order = db.scalar(policy.visible_orders(actor).where(tables.Order.id == order_id))
    if order is None or order.owner_id != actor.id:
        raise NotFound(f"no order '{order_id}' of yours", field="order_id")
    existing = _hold_of(db, hold_kind, order.id)
    if existing is not None:
        return existing, False
    if order.status in (OrderStatus.CANCELLED, OrderStatus.INSTALLED):
        raise Conflict(f"an order that is '{order.status}' takes no payment", field="order_id")
    due = still_due_cents(db, order)
    if not 0 < amount_cents <= due:
        raise InvalidInput(f"the amount must be from 0.01 to what is still due ({due / 100:.2f})",
                           field="amount_cents", extra={"due_cents": due})
    submitter = db.get(tables.User, order.submitted_by) if order.submitted_by else None
    return open_hold(db, actor.id, hold_kind, order.id, amount_cents, submitter.store_id if submitter else None,
                     now, provider)


def hold_service_fee(db: Session, actor: Actor, booking_id: str, now: datetime,
                     rules: BookingRules = DEFAULT_RULES,
                     provider: PaymentProvider = TEST_PROVIDER) -> tuple[ct.EscrowHold, bool]:
    """The customer pays the booking's service fee (the rules' fee for its service) into escrow, held for
    the booking's store until the booking is completed and accepted. One per booking; again gives back
    the first (False). Only an open booking (requested or confirmed) takes it, and not one pre-booked in a
    promotion (its deposit is held already)."""
    booking = db.scalar(policy.visible_bookings(actor).where(bt.Booking.id == booking_id))
    if booking is None or booking.customer_id != actor.id:
        raise NotFound(f"no booking '{booking_id}' of yours", field="booking_id")
    existing = _hold_of(db, HoldKind.SERVICE_FEE, booking.id)
    if existing is not None:
        return existing, False
    if BookingStatus(booking.status) not in OPEN_STATUSES:
        raise Conflict(f"a booking that is '{booking.status}' takes no payment", field="booking_id",
                       extra={"booking_status": booking.status})
    fee = rules.fee_cents(service_type(booking.service, rules).code)
    if fee <= 0:
        raise Conflict("this service takes no fee", field="booking_id")
    if db.scalar(select(ct.Prebooking.id).where(ct.Prebooking.booking_id == booking.id)) is not None:
        raise Conflict("this visit was pre-booked in a promotion: its deposit is held already", field="booking_id")
    return open_hold(db, actor.id, HoldKind.SERVICE_FEE, booking.id, fee, booking.store_id, now, provider)


class _Stale(Exception):
    """The hold changed under a partial refund (another refund took part of it, or it was released)."""


def refund_part(db: Session, hold: ct.EscrowHold, amount_cents: int, key: str, actor_id: str | None, why: str,
                now: datetime, provider: PaymentProvider = TEST_PROVIDER) -> ct.EscrowHold | None:
    """Give ``amount_cents`` of a held payment back (capped at what it still holds), once per ``key`` (a
    guarantee case's id): the refunded part, a ``refunded`` row split off the hold, or None when nothing
    could be refunded (the payment is not held). The same key again gives back the first refund."""
    for _attempt in range(5):
        done = split_refund_of(db, HoldKind(hold.kind), key)
        if done is not None:
            return done
        db.refresh(hold)
        part = min(amount_cents, hold.amount_cents)
        try:
            core.check_partial_refund(HoldState(hold.state), hold.amount_cents, part)
        except Conflict:
            return None
        try:
            with db.begin_nested():
                split = _split_off(db, hold, part, key, actor_id, why, now)
        except IntegrityError:
            continue  # the same case refunded at the same moment: give back that refund
        except _Stale:
            continue
        provider.refund_part(hold.provider_ref, part)
        return split
    return None


def _split_off(db: Session, hold: ct.EscrowHold, part: int, key: str, actor_id: str | None, why: str,
               now: datetime) -> ct.EscrowHold:
    split = ct.EscrowHold(kind=hold.kind, reference=key, payer_id=hold.payer_id, store_id=hold.store_id,
                          amount_cents=part, state=HoldState.REFUNDED.value, provider=hold.provider,
                          provider_ref=hold.provider_ref, created_at=now)
    db.add(split)
    db.flush()
    db.add(ct.EscrowEvent(hold_id=split.id, from_state=None, to_state=HoldState.REFUNDED.value, actor_id=actor_id,
                          reason=why[:300], at=now))
    reason = f"{part / 100:.2f} refunded to the customer: {why}"
    if part == hold.amount_cents:  # all that is held: the hold itself is refunded
        if not _move(db, hold, HoldState.HELD, HoldState.REFUNDED, actor_id, reason, now):
            raise _Stale
        return split
    left = db.execute(update(ct.EscrowHold).where(ct.EscrowHold.id == hold.id,
                                                  ct.EscrowHold.state == HoldState.HELD.value,
                                                  ct.EscrowHold.amount_cents > part)
                      .values(amount_cents=ct.EscrowHold.amount_cents - part)
                      .returning(ct.EscrowHold.amount_cents)).scalar_one_or_none()
    if left is None:
        raise _Stale
    db.add(ct.EscrowEvent(hold_id=hold.id, from_state=HoldState.HELD.value, to_state=HoldState.HELD.value,
                          actor_id=actor_id, reason=reason[:300], at=now))
    db.flush()
    db.expire(hold)
    return split


def split_refund_of(db: Session, kind: HoldKind, key: str) -> ct.EscrowHold | None:
    """The part refunded for ``key`` (a guarantee case), if any."""
    return _hold_of(db, kind, key)


def split_refunds(db: Session, hold: ct.EscrowHold) -> list[ct.EscrowHold]:
    """The parts refunded off this hold (compensations), oldest first."""
    return list(db.scalars(select(ct.EscrowHold).where(ct.EscrowHold.provider_ref == hold.provider_ref,
                                                       ct.EscrowHold.kind == hold.kind,
                                                       ct.EscrowHold.id != hold.id,
                                                       ct.EscrowHold.reference.in_(_case_ids()))
                           .order_by(ct.EscrowHold.created_at, ct.EscrowHold.id)))


def _case_ids() -> Select[tuple[str]]:
    return select(ct.GuaranteeCase.id)


def on_booking_ended(db: Session, booking: bt.Booking, status: BookingStatus, actor_id: str | None,
                     by_customer: bool, now: datetime, provider: PaymentProvider = TEST_PROVIDER,
                     rules: BookingRules = DEFAULT_RULES) -> None:
    """A booking reached a final state: a completed one keeps its fee held (the customer accepts it, or
    the deadline after the completion releases it); one that ended without the work refunds it by rule.
    A measurement appointment pre-booked in a promotion settles its deposit by the promotion's rule
    (:func:`on_appointment_ended`)."""
    on_appointment_ended(db, booking, status, actor_id, by_customer, now, provider, rules)
    hold = _hold_of(db, HoldKind.SERVICE_FEE, booking.id)
    if hold is None or status is BookingStatus.COMPLETED:
        return
    if status is BookingStatus.NO_SHOW:
        why = "the visit did not take place (no-show)"
    elif status is BookingStatus.DECLINED:
        why = "the booking was declined by the store"
    else:
        why = f"the booking was cancelled by {'the customer' if by_customer else 'the store'}"
    _refund(db, actor_id, hold, why, now, provider)


def on_appointment_ended(db: Session, booking: bt.Booking, status: BookingStatus, actor_id: str | None,
                         by_customer: bool, now: datetime, provider: PaymentProvider = TEST_PROVIDER,
                         rules: BookingRules = DEFAULT_RULES) -> None:
    """The appointment a promotion's place became ended without the measurement: its deposit is refunded
    (the store cancelled or declined it, or the customer cancelled within the free-cancellation window; the
    pre-booking is then cancelled and its place free again) or goes to the store (a late cancellation by
    the customer, a no-show), each as one escrow move with who and why (``promotions.deposit_after_appointment``).
    A late cancellation's kept deposit stands in for the booking rules' late-cancellation fee, which is then
    not charged as well (no double penalty)."""
    pre = db.scalar(select(ct.Prebooking).where(ct.Prebooking.booking_id == booking.id))
    if pre is None:
        return
    decided = promotion_rules.deposit_after_appointment(status.value, by_customer, booking.late_cancellation,
                                                        rules.free_cancellation_hours)
    hold = _hold_of(db, HoldKind.PREBOOKING_DEPOSIT, pre.id)
    if decided is None or hold is None:
        return
    if decided.outcome is DepositOutcome.FORFEIT:
        kept = forfeit(db, actor_id, hold, decided.why, now, provider)
        if kept and status is BookingStatus.CANCELLED and booking.late_cancellation:
            booking.cancellation_fee_cents = 0  # the kept deposit stands in for the late fee: one penalty
        return
    if not _refund(db, actor_id, hold, decided.why, now, provider):
        return
    freed = db.execute(update(ct.Prebooking).where(ct.Prebooking.id == pre.id,
                                                   ct.Prebooking.status == PrebookingStatus.BOOKED.value)
                       .values(status=PrebookingStatus.CANCELLED.value).returning(ct.Prebooking.id)).scalar_one_or_none()
    if freed is not None:
        db.execute(update(ct.Promotion).where(ct.Promotion.id == pre.promotion_id, ct.Promotion.places_taken > 0)
                   .values(places_taken=ct.Promotion.places_taken - 1))
    db.expire(pre)


def forfeit(db: Session, actor_id: str | None, hold: ct.EscrowHold, why: str, now: datetime,
            provider: PaymentProvider = TEST_PROVIDER) -> bool:
    """A held deposit goes to the store by rule (a late cancellation, a no-show); False when it is not held
    (once: the conditional move finds nothing the second time)."""
    try:
        core.check_forfeit(HoldState(hold.state))
    except Conflict:
        return False
    if not _move(db, hold, HoldState.HELD, HoldState.RELEASED, actor_id, why, now):
        return False
    provider.pay_out(hold.provider_ref, hold.store_id or "platform")
    return True


def open_hold(db: Session, payer_id: str, kind: HoldKind, reference: str, amount_cents: int, store_id: str | None,
              now: datetime, provider: PaymentProvider = TEST_PROVIDER) -> tuple[ct.EscrowHold, bool]:
    """Authorize the payment with the provider, capture it and hold it for ``store_id``; one hold per
    (kind, reference): the same again gives back the first (False)."""
    ref = provider.authorize(amount_cents, reference)
    try:
        with db.begin_nested():
            hold = ct.EscrowHold(kind=kind.value, reference=reference, payer_id=payer_id, store_id=store_id,
                                 amount_cents=amount_cents, state=HoldState.AUTHORIZED.value, provider=provider.name,
                                 provider_ref=ref, created_at=now)
            db.add(hold)
            db.flush()
            db.add(ct.EscrowEvent(hold_id=hold.id, from_state=None, to_state=HoldState.AUTHORIZED.value,
                                  actor_id=payer_id, reason="payment authorized", at=now))
            db.flush()
    except IntegrityError:  # the same payment submitted at the same moment: give the second one back
        provider.refund(ref)
        again = _hold_of(db, kind, reference)
        if again is None:
            raise
        return again, False
    provider.capture(ref)
    _move(db, hold, HoldState.AUTHORIZED, HoldState.HELD, payer_id, "payment captured; held until the work is "
          "accepted", now)
    return hold, True


def _hold_of(db: Session, kind: HoldKind, reference: str) -> ct.EscrowHold | None:
    return db.scalar(select(ct.EscrowHold).where(ct.EscrowHold.kind == kind.value,
                                                 ct.EscrowHold.reference == reference))


def _holds_of_order(db: Session, order_id: str) -> list[ct.EscrowHold]:
    return list(db.scalars(select(ct.EscrowHold).where(ct.EscrowHold.reference == order_id,
                                                       ct.EscrowHold.state != HoldState.REFUNDED.value)))


def still_due_cents(db: Session, order: tables.Order) -> int:
    """What the order still takes: its total less points, the payments not refunded and the parts of them
    refunded as a guarantee's compensation (money the brand gave back, not money the customer owes again)."""
    holds = order_holds(db, order.id)
    paid = sum(h.amount_cents for h in holds if h.state != HoldState.REFUNDED)
    return points.amount_due_cents(db, order) - paid - compensated_cents(db, holds)


def compensated_cents(db: Session, holds: list[ct.EscrowHold]) -> int:
    """The parts of these holds refunded as compensations."""
    return sum(part.amount_cents for hold in holds for part in split_refunds(db, hold))


def get_hold(db: Session, actor: Actor, hold_id: str) -> ct.EscrowHold:
    """The payer's hold, one for the manager's store, or any for an admin; else not found."""
    hold = db.get(ct.EscrowHold, hold_id)
    if hold is not None and (hold.payer_id == actor.id or actor.role == Role.ADMIN or (
            actor.role == Role.STORE_MANAGER and hold.store_id is not None and hold.store_id == actor.store_id)):
        return hold
    raise NotFound(f"no payment '{hold_id}' that you can see", field="hold_id")


def events(db: Session, hold: ct.EscrowHold) -> list[ct.EscrowEvent]:
    return list(db.scalars(select(ct.EscrowEvent).where(ct.EscrowEvent.hold_id == hold.id)
                           .order_by(ct.EscrowEvent.id)))


def _work_done_at(db: Session, hold: ct.EscrowHold) -> datetime | None:
    """When the work the money pays for was done: the order's installation, the booking a service fee
    pays for, or the measurement appointment a pre-booking became (None: not done yet)."""
    if hold.kind == HoldKind.SERVICE_FEE:
        return _completed_at(db.get(bt.Booking, hold.reference))
    if hold.kind == HoldKind.PREBOOKING_DEPOSIT:
        pre = db.get(ct.Prebooking, hold.reference)
        return _completed_at(db.get(bt.Booking, pre.booking_id) if pre is not None and pre.booking_id else None)
    return db.scalar(select(tables.OrderEvent.at).where(tables.OrderEvent.order_id == hold.reference,
                                                        tables.OrderEvent.status == OrderStatus.INSTALLED.value))


def _completed_at(booking: bt.Booking | None) -> datetime | None:
    return booking.completed_at if booking is not None and booking.status == BookingStatus.COMPLETED else None


def hold_for(db: Session, kind: HoldKind, reference: str) -> ct.EscrowHold | None:
    return _hold_of(db, kind, reference)


@dataclass(frozen=True)
class HoldSubject:
    """What a hold pays for, as a person reads it: the order's number, or the promotion and package
    a pre-booking took a place in, with the store and the date (never the row's internal reference)."""

    title: str
    store: str = ""
    on: datetime | None = None
    service: str = ""
    """A service fee's service code (the page translates it)."""


def subject_of(db: Session, hold: ct.EscrowHold) -> HoldSubject:
    store = db.get(tables.Store, hold.store_id) if hold.store_id else None
    store_name = store.name if store is not None else ""
    if hold.kind == HoldKind.PREBOOKING_DEPOSIT:
        pre = db.get(ct.Prebooking, hold.reference)
        promo = db.get(ct.Promotion, pre.promotion_id) if pre is not None else None
        package = db.get(ct.Package, promo.package_id) if promo is not None else None
        if promo is None:
            return HoldSubject("", store_name, hold.created_at)
        title = f"{promo.title} · {package.name}" if package is not None else promo.title
        return HoldSubject(title, store_name, pre.created_at if pre is not None else hold.created_at)
    if hold.kind == HoldKind.SERVICE_FEE:
        booking = db.get(bt.Booking, hold.reference)
        if booking is None:
            return HoldSubject("", store_name, hold.created_at)
        return HoldSubject("", store_name, booking.start_at, service=booking.service)
    if hold.kind in ORDER_KINDS:
        order = db.get(tables.Order, hold.reference)
        return HoldSubject((order.number or "") if order is not None else "", store_name, hold.created_at)
    return HoldSubject("", store_name, hold.created_at)


def my_holds(db: Session, actor: Actor) -> list[ct.EscrowHold]:
    """The customer's payments (a part refunded as a compensation is shown with the payment it came off)."""
    return list(db.scalars(select(ct.EscrowHold).where(ct.EscrowHold.payer_id == actor.id,
                                                       ct.EscrowHold.reference.not_in(_case_ids()))
                           .order_by(ct.EscrowHold.created_at.desc(), ct.EscrowHold.id)))


def accept(db: Session, actor: Actor, hold_id: str, now: datetime,
           provider: PaymentProvider = TEST_PROVIDER) -> ct.EscrowHold:
    """The customer accepts the installation: the held money is released to the store."""
    hold = get_hold(db, actor, hold_id)
    if hold.payer_id != actor.id:
        raise Forbidden("only the customer who paid accepts the work")
    if _work_done_at(db, hold) is None:
        raise Conflict("the work can be accepted once it is done", field="hold_id")
    db.execute(update(ct.EscrowHold).where(ct.EscrowHold.id == hold.id, ct.EscrowHold.accepted_at.is_(None))
               .values(accepted_at=now))
    db.expire(hold)
    return release(db, actor, hold.id, now, provider)


def release(db: Session, actor: Actor, hold_id: str, now: datetime,
            provider: PaymentProvider = TEST_PROVIDER) -> ct.EscrowHold:
    """Release held money to the store: after the customer's acceptance, or once the deadline after the
    installation passed. Once: a second release (even at the same moment) is a Conflict."""
    hold = get_hold(db, actor, hold_id)
    if hold.payer_id != actor.id and actor.role not in (Role.STORE_MANAGER, Role.ADMIN):
        raise Forbidden("this account cannot release payments")
    reason = core.check_release(HoldState(hold.state), hold.accepted_at, _work_done_at(db, hold), now)
    if not _move(db, hold, HoldState.HELD, HoldState.RELEASED, actor.id, reason, now):
        raise Conflict("this payment was already released", field="hold_id")
    provider.pay_out(hold.provider_ref, hold.store_id or "platform")
    return hold


def refund(db: Session, actor: Actor | None, hold: ct.EscrowHold, why: str, now: datetime,
           provider: PaymentProvider = TEST_PROVIDER) -> bool:
    """Give an authorized or held payment back (by rule: the order was cancelled); False if it is final."""
    return _refund(db, actor.id if actor else None, hold, why, now, provider)


def _refund(db: Session, actor_id: str | None, hold: ct.EscrowHold, why: str, now: datetime,
            provider: PaymentProvider) -> bool:
    for frm in (HoldState.HELD, HoldState.AUTHORIZED):
        if _move(db, hold, frm, HoldState.REFUNDED, actor_id, why, now):
            provider.refund(hold.provider_ref)
            return True
    return False


def on_order_cancelled(db: Session, order: tables.Order, actor: Actor, now: datetime) -> None:
    for hold in _holds_of_order(db, order.id):
        refund(db, actor, hold, f"order {order.number or order.id} cancelled", now)


def payable_orders(db: Session, actor: Actor) -> list[tuple[tables.Order, int]]:
    """The customer's orders that still take a payment, with what is still due on each."""
    orders = db.scalars(select(tables.Order).where(tables.Order.owner_id == actor.id,
                                                   tables.Order.status.not_in((OrderStatus.CANCELLED,
                                                                               OrderStatus.INSTALLED)))
                        .order_by(tables.Order.created_at.desc()).limit(50))
    out = []
    for order in orders:
        due = still_due_cents(db, order)
        if due > 0:
            out.append((order, due))
    return out


@dataclass(frozen=True)
class PayableBooking:
    """An open booking of the customer whose service fee is not paid yet, as the payments page shows it."""

    booking_id: str
    service: str
    start: datetime
    store: str
    fee_cents: int


def payable_bookings(db: Session, actor: Actor, rules: BookingRules = DEFAULT_RULES) -> list[PayableBooking]:
    """The customer's requested or confirmed bookings that take a fee and have none held yet, soonest first
    (not a visit pre-booked in a promotion: the promotion's deposit is its money held)."""
    paid = select(ct.EscrowHold.reference).where(ct.EscrowHold.kind == HoldKind.SERVICE_FEE.value,
                                                 ct.EscrowHold.payer_id == actor.id)
    prebooked = select(ct.Prebooking.booking_id).where(ct.Prebooking.customer_id == actor.id,
                                                       ct.Prebooking.booking_id.is_not(None))
    rows = db.scalars(select(bt.Booking).where(bt.Booking.customer_id == actor.id,
                                               bt.Booking.status.in_([s.value for s in OPEN_STATUSES]),
                                               bt.Booking.id.not_in(paid), bt.Booking.id.not_in(prebooked))
                      .order_by(bt.Booking.start_at, bt.Booking.id).limit(50))
    out = []
    for row in rows:
        fee = rules.fee_cents(service_type(row.service, rules).code)
        if fee > 0:
            store = db.get(tables.Store, row.store_id)
            out.append(PayableBooking(row.id, row.service, row.start_at, store.name if store else "", fee))
    return out


def may_accept(db: Session, hold: ct.EscrowHold) -> bool:
    return hold.state == HoldState.HELD and _work_done_at(db, hold) is not None


def order_holds(db: Session, order_id: str) -> list[ct.EscrowHold]:
    """Every payment of the order (refunded ones too), oldest first."""
    return list(db.scalars(select(ct.EscrowHold).where(ct.EscrowHold.reference == order_id,
                                                       ct.EscrowHold.kind.in_([k.value for k in ORDER_KINDS]))
                           .order_by(ct.EscrowHold.created_at, ct.EscrowHold.id)))
