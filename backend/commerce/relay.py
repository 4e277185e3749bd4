"""Masked contact between a customer and an installer, as an interface and a test relay.

Neither side sees the other's phone number: a relay opens a session for a booking and hands each side a
masked number and a session code; calls and messages go to the relay with that code, and the relay
forwards them to the real number it alone knows. A real relay (a telephony provider's number masking)
implements ``ContactRelay``; ``RecordingRelay`` here forwards nothing and records what it routed, for tests
and demos. Pure: no web framework or database.

Who and when: only the booking's two sides (its customer, and its designer or a member of its installer
team on the performer side, ``Side.INSTALLER``) contact each other, while the booking is open (requested
or confirmed) and until ``CONTACT_DAYS_AFTER`` days after it ended (completed, cancelled, declined, a
no-show): time for a question about the work, not a standing line to a customer's phone.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from backend.errors import InvalidInput, NotFound


class Side(StrEnum):
    CUSTOMER = "customer"
    INSTALLER = "installer"


@dataclass(frozen=True)
class Party:
    """One side of a booking, with the real phone number only the relay keeps."""

    user_id: str
    side: Side
    phone: str


@dataclass(frozen=True)
class RelaySession:
    """What the relay hands out for one booking: the code and the masked number each side dials. The
    real numbers are not in it, so showing a session never shows a phone number."""

    booking_id: str
    code: str
    masked_number: str


@dataclass(frozen=True)
class Routed:
    """One call or message routed through the relay: from whom to which side, never the numbers."""

    code: str
    sender_id: str
    to_side: Side
    kind: str
    text: str
    at: datetime


class ContactRelay(Protocol):
    name: str

    def open_session(self, booking_id: str, customer: Party, installer: Party) -> RelaySession:
        """A session for the booking (the same one again if it is open)."""
        ...

    def route(self, code: str, sender_id: str, kind: str, text: str, at: datetime) -> Routed:
        """Forward a call or a message from one side of the session to the other."""
        ...


CONTACT_DAYS_AFTER = 7
"""Days after a booking ended that its two sides may still contact each other through the relay."""


def contact_until(is_open: bool, ended_at: datetime | None, days: int = CONTACT_DAYS_AFTER) -> datetime | None:
    """When contact through the relay closes: None while the booking is open (no end yet)."""
    if is_open:
        return None
    if ended_at is None:
        raise ValueError("a booking that is no longer open has ended at some moment")
    return ended_at + timedelta(days=days)


def contact_open(is_open: bool, ended_at: datetime | None, now: datetime, days: int = CONTACT_DAYS_AFTER) -> bool:
    """Whether the two sides may contact each other now."""
    until = contact_until(is_open, ended_at, days)
    return until is None or now < until


MAX_MESSAGE = 1000
KINDS = ("message", "call")


def session_code(booking_id: str, secret: bytes) -> str:
    """A short code for the booking's session, not guessable without the relay's secret."""
    return hmac.new(secret, booking_id.encode(), hashlib.sha256).hexdigest()[:10].upper()


def masked_number(code: str, prefix: str = "+86 400 ") -> str:
    """The relay's number with the session's extension: the same for both sides, nobody's own phone."""
    digits = str(int(code, 16) % 10_000)
    return f"{prefix}800 6000 ext. {digits.zfill(4)}"


MAX_DIGITS = 15
"""E.164: at most 15 digits after the "+", the country code first (never starting with 0)."""
MIN_DIGITS = 8
SEPARATORS = " -().\u00a0"


def normalize_phone(text: str) -> str:
    """A phone number in E.164 form ("+8613812345678") from what someone typed ("+86 138-1234-5678"):
    a "+" (or "00"), then 8 to 15 digits, the first not 0; spaces, dashes, dots and brackets between them
    are dropped. "" for nothing typed (no phone). Anything else is refused on the ``phone`` field."""
    raw = text.strip()
    if not raw:
        return ""
    compact = "".join(c for c in raw if c not in SEPARATORS)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    digits = compact[1:]
    if not (compact.startswith("+") and digits.isascii() and digits.isdigit()
            and MIN_DIGITS <= len(digits) <= MAX_DIGITS and digits[0] != "0"):
        raise InvalidInput("give the phone number with its country code, e.g. +86 138 1234 5678", field="phone")
    return compact


def mask_phone(phone: str) -> str:
    """A phone as the other side may see it: the last two digits only (e.g. "*** **** **42")."""
    digits = [c for c in phone if c.isdigit()]
    return "*** **** **" + "".join(digits[-2:]) if len(digits) >= 2 else "***"


@dataclass
class RecordingRelay:
    """The test relay: opens sessions, routes nothing anywhere, records every routed call and message."""

    secret: bytes = b"roomwright-test-relay"
    name: str = "test"
    sessions: dict[str, tuple[RelaySession, Party, Party]] = field(default_factory=dict)
    routed: list[Routed] = field(default_factory=list)

    def open_session(self, booking_id: str, customer: Party, installer: Party) -> RelaySession:
        code = session_code(booking_id, self.secret)
        session = self.sessions[code][0] if code in self.sessions else RelaySession(booking_id, code,
                                                                                     masked_number(code))
        self.sessions[code] = (session, customer, installer)  # the same session, the numbers as they are now
        return session

    def route(self, code: str, sender_id: str, kind: str, text: str, at: datetime) -> Routed:
        found = self.sessions.get(code)
        if found is None:
            raise NotFound("no open contact session with that code", field="code")
        _, customer, installer = found
        if sender_id == customer.user_id:
            to = Side.INSTALLER
        elif sender_id == installer.user_id:
            to = Side.CUSTOMER
        else:  # not a side of this booking: as if there were no such session
            raise NotFound("no open contact session with that code", field="code")
        if kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
        if kind == "message" and not 0 < len(text.strip()) <= MAX_MESSAGE:
            raise InvalidInput(f"a message has 1 to {MAX_MESSAGE} characters", field="text")
        routed = Routed(code, sender_id, to, kind, text.strip(), at)
        self.routed.append(routed)
        return routed
