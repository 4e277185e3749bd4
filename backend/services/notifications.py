"""The notification outbox in the database: messages are written in the same transaction as the
change they announce, rendered in the recipient's language (``backend.booking.outbox``), and
``deliver_due`` sends the due ones through a sender, recording failures for a later retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from backend.booking import outbox as core
from backend.booking.rules import Booking
from backend.booking.service_types import DEFAULT_RULES, BookingRules
from backend.db import booking_tables as bt
from backend.db import tables
from backend.services.booking_resources import zone


def language_of(user: tables.User) -> core.Language:
    return "zh-Hans" if (user.locale or "").startswith("zh") else "en"


def write(db: Session, booking: Booking, kind: core.MessageKind, now: datetime, *,
          previous_start: datetime | None = None, due_at: datetime | None = None,
          rules: BookingRules = DEFAULT_RULES) -> bt.OutboxMessage | None:
    """Queue one message about ``booking`` for its customer (email, in the customer's language)."""
    customer = db.get(tables.User, booking.customer_id)
    store = db.get(tables.Store, booking.store_id)
    if customer is None or store is None:
        return None
    performer_name = _performer_name(db, booking.resource_id)
    language = language_of(customer)
    context = core.booking_context(booking, zone(store.timezone), language, customer_name=customer.display_name,
                                   performer_name=performer_name, store_name=store.name,
                                   rating_link=f"/bookings/{booking.id}", previous_start=previous_start,
                                   rules=rules)
    message = core.new_message(kind, customer.email, "email", language, context, now=now, booking_id=booking.id,
                               due_at=due_at)
    row = bt.OutboxMessage(id=message.id[:32], kind=message.kind.value, recipient=message.recipient,
                           channel=message.channel, language=message.language, subject=message.subject[:400],
                           body=message.body, booking_id=booking.id, status=message.status.value,
                           attempts=0, due_at=message.due_at)
    db.add(row)
    return row


def account_email(db: Session, user: tables.User, kind: core.AccountMessageKind, context: dict[str, str],
                  now: datetime) -> bt.OutboxMessage:
    """Queue an email about ``user``'s account (in their language); ``customer_name`` is filled in."""
    language = language_of(user)
    message = core.account_message(kind, user.email, language, {"customer_name": user.display_name, **context},
                                   now=now)
    row = bt.OutboxMessage(id=message.id[:32], kind=message.kind.value, recipient=message.recipient,
                           channel=message.channel, language=message.language, subject=message.subject[:400],
                           body=message.body, booking_id=None, status=message.status.value, attempts=0,
                           due_at=message.due_at)
    db.add(row)
    return row


def _performer_name(db: Session, resource_id: str) -> str:
    team = db.get(bt.InstallerTeam, resource_id)
    if team is not None:
        return team.name
    user = db.get(tables.User, resource_id)
    return user.display_name if user is not None else resource_id


def cancel_reminders(db: Session, booking_id: str) -> None:
    """Pending reminders of a booking that was cancelled or moved are withdrawn (kept, not sent)."""
    db.execute(update(bt.OutboxMessage)
               .where(bt.OutboxMessage.booking_id == booking_id,
                      bt.OutboxMessage.status == core.DeliveryStatus.PENDING.value,
                      bt.OutboxMessage.kind == core.MessageKind.REMINDER.value)
               .values(status="cancelled").execution_options(synchronize_session=False))


def confirmed(db: Session, booking: Booking, now: datetime, rules: BookingRules = DEFAULT_RULES) -> None:
    write(db, booking, core.MessageKind.CONFIRMATION, now, rules=rules)
    write(db, booking, core.MessageKind.REMINDER, now, due_at=core.reminder_due_at(booking.start), rules=rules)


def _domain(row: bt.OutboxMessage) -> core.OutboxMessage:
    return core.OutboxMessage(
        id=row.id, kind=core.message_kind(row.kind), recipient=row.recipient,
        channel="sms" if row.channel == "sms" else "email", language="zh-Hans" if row.language == "zh-Hans" else "en",
        subject=row.subject, body=row.body, due_at=row.due_at, booking_id=row.booking_id,
        status=core.DeliveryStatus(row.status), attempts=row.attempts, last_error=row.last_error,
        last_error_at=row.last_error_at, next_attempt_at=row.next_attempt_at, sent_at=row.sent_at)


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    dead: int


def deliver_due(db: Session, sender: core.Sender, now: datetime, *, limit: int = 200,
                policy: core.RetryPolicy = core.DEFAULT_RETRY, lock: bool = False) -> DeliveryReport:
    """Send every due pending message once; failures get their next attempt (or die after the last).

    With ``lock`` (several workers), the rows are locked until the caller commits and rows another
    sender holds are skipped (PostgreSQL's ``FOR UPDATE SKIP LOCKED``; SQLite has one writer anyway), so
    no message is sent twice."""
    query = (select(bt.OutboxMessage)
             .where(bt.OutboxMessage.status == core.DeliveryStatus.PENDING.value, bt.OutboxMessage.due_at <= now,
                    or_(bt.OutboxMessage.next_attempt_at.is_(None), bt.OutboxMessage.next_attempt_at <= now))
             .order_by(bt.OutboxMessage.due_at, bt.OutboxMessage.id).limit(limit))
    if lock:
        query = query.with_for_update(skip_locked=True)
    rows = list(db.scalars(query))
    sent = failed = dead = 0
    for row in rows:
        result = core.deliver(_domain(row), sender, now, policy)
        row.status = result.status.value
        row.attempts = result.attempts
        row.last_error = result.last_error
        row.last_error_at = result.last_error_at
        row.next_attempt_at = result.next_attempt_at
        row.sent_at = result.sent_at
        if result.status is core.DeliveryStatus.SENT:
            sent += 1
        elif result.status is core.DeliveryStatus.DEAD:
            dead += 1
        else:
            failed += 1
    db.flush()
    return DeliveryReport(sent, failed, dead)
