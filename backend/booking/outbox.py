"""Notification messages: rendering (English and Simplified Chinese), the outbox record, the retry
schedule and the senders.

Templates are data in ``messages.json`` beside this module (``{name}`` placeholders, ``str.format``
syntax): per message kind and language a ``subject`` and ``body`` (email) and an ``sms`` text.

Nothing is lost when sending fails: :func:`deliver` records the failure and when to retry
(:func:`next_attempt`); after ``max_attempts`` failures the message is ``dead`` and stays in the
outbox for a person to look at.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol, cast
from zoneinfo import ZoneInfo

from backend.booking.availability import as_utc
from backend.booking.rules import Booking
from backend.booking.service_types import DEFAULT_RULES, BookingRules
from backend.errors import InvalidInput

Language = Literal["en", "zh-Hans"]
LANGUAGES: tuple[Language, ...] = ("en", "zh-Hans")
Channel = Literal["email", "sms"]


class MessageKind(StrEnum):
    CONFIRMATION = "confirmation"
    REMINDER = "reminder"
    CHANGE = "change"
    CANCELLATION = "cancellation"
    RATING_REQUEST = "rating_request"


class AccountMessageKind(StrEnum):
    """Messages about an account rather than a booking (templates under ``account`` in messages.json)."""

    STORE_CODE = "store_code"
    PASSWORD_SET = "password_set"
    MEASURED_REVISION = "measured_revision"  # a measured revision of a design waits for its owner's approval


def message_kind(value: str) -> MessageKind | AccountMessageKind:
    """The kind of a stored message, booking or account."""
    try:
        return MessageKind(value)
    except ValueError:
        return AccountMessageKind(value)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@dataclass(frozen=True)
class OutboxMessage:
    """One message to one recipient; ``due_at`` is the earliest send time (reminders wait)."""

    id: str
    kind: MessageKind | AccountMessageKind
    recipient: str
    channel: Channel
    language: Language
    subject: str
    body: str
    due_at: datetime
    booking_id: str | None = None
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: the n-th failure waits ``base · factor^(n-1)``, capped at ``max_delay``."""

    base_delay: timedelta = timedelta(minutes=1)
    factor: float = 2.0
    max_delay: timedelta = timedelta(hours=6)
    max_attempts: int = 8


DEFAULT_RETRY = RetryPolicy()


@cache
def _catalog() -> dict[str, Any]:
    text = resources.files("backend.booking").joinpath("messages.json").read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


def _language(language: str) -> Language:
    if language not in LANGUAGES:
        raise InvalidInput(f"unsupported language '{language}'; expected one of {', '.join(LANGUAGES)}",
                           field="language")
    return language


def _kind(kind: MessageKind | str) -> MessageKind:
    try:
        return MessageKind(kind)
    except ValueError:
        valid = ", ".join(k.value for k in MessageKind)
        raise InvalidInput(f"unknown message kind '{kind}'; expected one of {valid}", field="kind") from None


def _fill(template: str, context: dict[str, str], name: str) -> str:
    try:
        return template.format_map(context)
    except KeyError as exc:
        missing = exc.args[0]
        raise InvalidInput(f"template '{name}' needs '{missing}'", field=f"context.{missing}") from None


def render(kind: MessageKind | str, language: str, context: dict[str, str],
           channel: Channel = "email") -> Rendered:
    """Subject and text of a message. For SMS the subject is empty and the body is the short text."""
    kind = _kind(kind)
    lang = _language(language)
    template = _catalog()["messages"][kind.value][lang]
    name = f"{kind.value}/{lang}"
    if channel == "sms":
        return Rendered("", _fill(template["sms"], context, name))
    return Rendered(_fill(template["subject"], context, name), _fill(template["body"], context, name))


def render_account(kind: AccountMessageKind, language: str, context: dict[str, str]) -> Rendered:
    """Subject and text of an account email (a store's confirmation code, a password chosen)."""
    lang = _language(language)
    template = _catalog()["account"][kind.value][lang]
    name = f"account/{kind.value}/{lang}"
    return Rendered(_fill(template["subject"], context, name), _fill(template["body"], context, name))


def account_message(kind: AccountMessageKind, recipient: str, language: str, context: dict[str, str], *,
                    now: datetime) -> OutboxMessage:
    """A pending email about an account, rendered now and due at once."""
    if not recipient.strip():
        raise InvalidInput("a recipient is required", field="recipient")
    text = render_account(kind, language, context)
    return OutboxMessage(f"msg-{uuid.uuid4().hex[:16]}", kind, recipient, "email", _language(language),
                         text.subject, text.body, as_utc(now, "now"))


def service_name(code: str, language: str) -> str:
    return str(_catalog()["services"][_language(language)][code])


def format_local(moment: datetime, tz: ZoneInfo, language: str) -> str:
    """A moment as local date and time with its zone, e.g. ``Sunday 29 March 2026, 09:00 (Europe/Berlin)``."""
    parts = _catalog()["fragments"][_language(language)]
    local = as_utc(moment).astimezone(tz)
    return str(parts["datetime"]).format(
        weekday=parts["weekdays"][local.weekday()], day=local.day, month=parts["months"][local.month - 1],
        year=local.year, hour=local.hour, minute=local.minute, tz=tz.key)


def booking_context(booking: Booking, tz: ZoneInfo, language: str, *, customer_name: str,
                    performer_name: str, store_name: str = "", rating_link: str = "",
                    previous_start: datetime | None = None,
                    rules: BookingRules = DEFAULT_RULES) -> dict[str, str]:
    """Every placeholder the templates use, filled from a booking (times in the store's zone)."""
    lang = _language(language)
    parts = _catalog()["fragments"][lang]
    if booking.address:
        where = parts["where_address"].format(address=booking.address)
    elif booking.video_link:
        where = parts["where_video"].format(video_link=booking.video_link)
    else:
        where = parts["where_store"].format(store_name=store_name)
    reason = parts["reason"].format(reason=booking.reason) if booking.reason else parts["no_reason"]
    return {
        "customer_name": customer_name, "performer_name": performer_name, "store_name": store_name,
        "service": service_name(booking.service.value, lang),
        "start_local": format_local(booking.start, tz, lang),
        "previous_start_local": format_local(previous_start or booking.start, tz, lang),
        "free_until_local": format_local(booking.start - rules.free_cancellation, tz, lang),
        "address": booking.address or "", "video_link": booking.video_link or "",
        "where": where, "reason_line": reason, "rating_link": rating_link,
    }


def reminder_due_at(start: datetime, hours_before: int = 24) -> datetime:
    return as_utc(start, "start") - timedelta(hours=hours_before)


def new_message(kind: MessageKind | str, recipient: str, channel: Channel, language: str,
                context: dict[str, str], *, now: datetime, booking_id: str | None = None,
                due_at: datetime | None = None) -> OutboxMessage:
    """A pending outbox message, rendered now; reminders pass ``due_at=reminder_due_at(start)``."""
    if not recipient.strip():
        raise InvalidInput("a recipient is required", field="recipient")
    text = render(kind, language, context, channel)
    now = as_utc(now, "now")
    due = max(now, as_utc(due_at, "due_at")) if due_at is not None else now
    return OutboxMessage(f"msg-{uuid.uuid4().hex[:16]}", _kind(kind), recipient, channel,
                         _language(language), text.subject, text.body, due, booking_id)


def next_attempt(attempts: int, last_error_at: datetime,
                 policy: RetryPolicy = DEFAULT_RETRY) -> datetime | None:
    """When to try again after ``attempts`` failed attempts, the last at ``last_error_at``.

    ``None`` once ``attempts >= policy.max_attempts``: give up (the message is dead). With the
    default policy the waits are 1, 2, 4, 8, 16, 32, 64 minutes, then no eighth retry.
    """
    if attempts < 1:
        raise InvalidInput("attempts counts failures so far and starts at 1", field="attempts")
    if attempts >= policy.max_attempts:
        return None
    delay = policy.base_delay * (policy.factor ** (attempts - 1))
    return as_utc(last_error_at, "last_error_at") + min(delay, policy.max_delay)


def is_due(message: OutboxMessage, now: datetime) -> bool:
    """A pending message whose time has come and whose retry wait (if any) is over."""
    now = as_utc(now, "now")
    if message.status is not DeliveryStatus.PENDING or message.due_at > now:
        return False
    return message.next_attempt_at is None or message.next_attempt_at <= now


class Sender(Protocol):
    """Delivers one message; raises any exception when it could not."""

    def send(self, message: OutboxMessage) -> None: ...


class FileSender:
    """Appends each message as one JSON line to ``path`` (the default sender in development)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def send(self, message: OutboxMessage) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(message).items()}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def deliver(message: OutboxMessage, sender: Sender, now: datetime,
            policy: RetryPolicy = DEFAULT_RETRY) -> OutboxMessage:
    """Try once: the message comes back ``sent``, or ``pending`` with its next attempt, or ``dead``."""
    now = as_utc(now, "now")
    try:
        sender.send(message)
    except Exception as exc:
        attempts = message.attempts + 1
        retry = next_attempt(attempts, now, policy)
        return replace(message, attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:500],
                       last_error_at=now, next_attempt_at=retry,
                       status=DeliveryStatus.PENDING if retry else DeliveryStatus.DEAD)
    return replace(message, status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None)
