"""Masked contact for a booking: its customer and its performer (the designer, or a member of the
installer team) call and message each other through the contact relay (``backend.commerce.relay``), never
seeing each other's phone number, while the booking is open and for ``CONTACT_DAYS_AFTER`` days after it
ended. Anyone else who may see the booking (the store's manager, an admin) gets no contact line, and
sending as them answers not found. Without a relay configured the sides are told to go through the store.

The real numbers the relay forwards to (``users.phone``, ``stores.phone``, migration 0016): the customer's
is their account's own phone, else the delivery phone of the booking's order (or of their latest order
that has one); the performer side's is the designer's own phone (for a team, the first member's, by
account, who keeps one), else the store's phone. Neither side is ever shown the other's: the view carries
the relay's masked number only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.booking.rules import FINAL_STATUSES, OPEN_STATUSES, BookingStatus
from backend.booking.service_types import Performer
from backend.commerce import relay as core
from backend.commerce.relay import ContactRelay, Party, RelaySession, Routed, Side
from backend.db import booking_tables as bt
from backend.db import tables
from backend.errors import Conflict, NotFound
from backend.services import bookings
from backend.services.actor import Actor


@dataclass(frozen=True)
class ContactView:
    """What a side of the booking sees: the relay's session (None without a relay, or once closed), until
    when contact is open (None while the booking is open), and the store to go through otherwise."""

    side: Side
    session: RelaySession | None
    relay_configured: bool
    open: bool
    until: datetime | None
    store_name: str
    store_address: str


def performer_ids(db: Session, booking: bt.Booking) -> list[str]:
    """The accounts on the performer side: the designer, or the members of the installer team."""
    if booking.performer == Performer.INSTALLER_TEAM:
        return sorted(db.scalars(select(bt.InstallerTeamMember.user_id)
                                 .where(bt.InstallerTeamMember.team_id == booking.resource_id)))
    return [booking.resource_id]


def side_of(db: Session, actor: Actor, booking: bt.Booking) -> Side | None:
    if actor.id == booking.customer_id:
        return Side.CUSTOMER
    if actor.id in performer_ids(db, booking):
        return Side.INSTALLER
    return None


def ended_at(booking: bt.Booking) -> datetime | None:
    """When the booking reached its final state (from its history), None while it is open."""
    if BookingStatus(booking.status) in OPEN_STATUSES:
        return None
    final = {s.value for s in FINAL_STATUSES}
    moments = [datetime.fromisoformat(e["at"]) for e in booking.history or [] if e.get("to") in final]
    return max(moments) if moments else booking.completed_at or booking.end_at


def _customer_phone(db: Session, booking: bt.Booking) -> str:
    customer = db.get(tables.User, booking.customer_id)
    if customer is not None and customer.phone:
        return customer.phone
    orders = select(tables.Order).where(tables.Order.owner_id == booking.customer_id)
    if booking.order_id:
        first = db.get(tables.Order, booking.order_id)
        if first is not None and str((first.delivery or {}).get("phone", "")).strip():
            return str(first.delivery["phone"]).strip()
    for order in db.scalars(orders.order_by(tables.Order.created_at.desc()).limit(20)):
        phone = str((order.delivery or {}).get("phone", "")).strip()
        if phone:
            return phone
    return ""


def _performer_phone(db: Session, booking: bt.Booking, performers: list[str]) -> str:
    phones = {uid: phone for uid, phone in db.execute(
        select(tables.User.id, tables.User.phone).where(tables.User.id.in_(performers)))}
    own = next((phones[p] for p in performers if phones.get(p)), None)
    if own:
        return own
    store = db.get(tables.Store, booking.store_id)
    return store.phone if store is not None else ""


def _parties(db: Session, booking: bt.Booking) -> tuple[Party, Party]:
    performers = performer_ids(db, booking)
    return (Party(booking.customer_id, Side.CUSTOMER, _customer_phone(db, booking)),
            Party(performers[0] if performers else booking.resource_id, Side.INSTALLER,
                  _performer_phone(db, booking, performers)))


def contact_view(db: Session, actor: Actor, booking: bt.Booking, relay: ContactRelay | None,
                 now: datetime) -> ContactView | None:
    """The contact line for one side of the booking; None for anyone else."""
    side = side_of(db, actor, booking)
    if side is None:
        return None
    is_open = BookingStatus(booking.status) in OPEN_STATUSES
    until = core.contact_until(is_open, ended_at(booking))
    window = until is None or now < until
    session = relay.open_session(booking.id, *_parties(db, booking)) if relay is not None and window else None
    store = db.get(tables.Store, booking.store_id)
    return ContactView(side, session, relay is not None, window, until, store.name if store else "",
                       store.address if store else "")


def send(db: Session, actor: Actor, booking_id: str, kind: str, text: str, relay: ContactRelay | None,
         now: datetime) -> Routed:
    """Route a call or a message from one side of the booking to the other through the relay."""
    booking = bookings.get_booking(db, actor, booking_id)
    view = contact_view(db, actor, booking, relay, now)
    if view is None:
        raise NotFound(f"no booking '{booking_id}' of yours to contact through", field="booking_id")
    if relay is None:
        raise Conflict("no contact relay here: contact each other through the store", field="booking_id")
    if view.session is None:
        raise Conflict(f"contact through the platform closed {core.CONTACT_DAYS_AFTER} days after the booking "
                       "ended: contact the store", field="booking_id")
    customer, performer = _parties(db, booking)
    sender = customer.user_id if view.side is Side.CUSTOMER else performer.user_id
    return relay.route(view.session.code, sender, kind, text, now)
