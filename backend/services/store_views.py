"""What the store screen shows beyond the store's use cases (``backend.services.store``): today's
agenda of the designer (a store manager: of the whole store) in the store's time zone, and the hand-off
review of a design with its customer, price and findings. The pages only render these."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from backend.booking.rules import BookingStatus
from backend.db import tables
from backend.services import booking_resources, booking_views, bookings, designs, orders
from backend.services.actor import Actor

OPEN = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


def agenda(db: Session, actor: Actor, now: datetime) -> list[dict[str, Any]]:
    """Today's open bookings this person sees (their own; a store manager's: the store's), with the
    customer's name and the start time in the store's time zone."""
    tz = booking_resources.zone(booking_views.own_timezone(db, actor))
    start = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = [b for b in bookings.list_bookings(db, actor, start=start, end=start + timedelta(days=1))
            if b.status in OPEN]
    customers = bookings.names(db, {b.customer_id for b in rows})
    return [{"start_local": b.start_at.astimezone(tz).strftime("%H:%M"), "service": b.service,
             "customer_name": customers.get(b.customer_id, ""), "design_id": b.design_id, "id": b.id} for b in rows]


def handoff_view(db: Session, actor: Actor, design_id: str) -> dict[str, Any]:
    """The design the customer confirms on the screen: its price, what blocks the order and what only
    warns, and its owner (the customer). Someone else's design: ``NotFound``."""
    view = designs.get_design(db, actor, design_id)
    findings = (orders.order_checks(view.document, factory=orders.factory_profile(db))
                if view.document.cabinets else [])
    quote = orders.order_quote(view.document, None) if view.document.cabinets else None
    owner = db.get(tables.User, view.row.owner_id)
    return {"design": view.document, "row": view.row, "quote": quote, "customer": owner,
            "customer_name": owner.display_name if owner is not None else "",
            "blocking": [f for f in findings if f["severity"] == "error"],
            "warnings": [f for f in findings if f["severity"] != "error"]}
