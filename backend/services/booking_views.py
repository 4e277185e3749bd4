"""What the booking pages show beyond the bookings themselves: the stores' time zones, the design and
rating next to a booking, the installer teams, and the measured revision a homeowner approves with its
quote and findings against the revision before it. The pages only render these."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import booking_tables as bt
from backend.db import tables
from backend.design.model import Design
from backend.errors import NotFound
from backend.services import booking_measurements, booking_resources, designs, orders, policy
from backend.services.actor import Actor


def store_zones(db: Session, rows: Sequence[bt.Booking]) -> dict[str, str]:
    """The time zone of each store the bookings are at."""
    ids = {r.store_id for r in rows}
    if not ids:
        return {}
    found = db.execute(select(tables.Store.id, tables.Store.timezone).where(tables.Store.id.in_(ids)))
    return {store_id: tz for store_id, tz in found}


def own_timezone(db: Session, actor: Actor) -> str:
    """The time zone of the person's store (the default one without a store)."""
    store = db.get(tables.Store, actor.store_id) if actor.store_id else None
    return store.timezone if store else booking_resources.DEFAULT_TZ


def booking_extras(db: Session, actor: Actor, row: bt.Booking) -> tuple[tables.Design | None, bt.Rating | None]:
    """The booking's design if this person may see it, and its rating if there is one."""
    design = None
    if row.design_id:
        design = db.scalar(policy.visible_designs(actor).where(tables.Design.id == row.design_id))
    return design, db.get(bt.Rating, row.id)


def installer_teams(db: Session) -> list[bt.InstallerTeam]:
    return list(db.scalars(select(bt.InstallerTeam).order_by(bt.InstallerTeam.name)))


def approval_view(db: Session, actor: Actor, design_id: str) -> dict[str, Any]:
    """The measured revision of the homeowner's design awaiting (or past) approval, with its measurement
    and what it changes."""
    design = designs.get_design_row(db, actor, design_id)
    approval = booking_measurements.latest_approval(db, design.id)
    if approval is None or design.owner_id != actor.id:
        raise NotFound("no measured revision", field="design_id")
    measured = db.scalar(select(bt.Measurement).where(bt.Measurement.design_id == design.id,
                                                      bt.Measurement.revision == approval.revision))
    return {"design": design, "approval": approval, "measurement": measured,
            "effects": measured_effects(db, design.id, approval.revision)}


def measured_effects(db: Session, design_id: str, revision: int) -> dict[str, Any] | None:
    """The measured revision against the one before it: the quote of both and the findings of the new one."""
    if revision < 2:
        return None
    docs = [Design.model_validate(designs.get_revision(db, design_id, n).document) for n in (revision - 1, revision)]
    if not docs[1].cabinets:
        return None
    quotes = [orders.order_quote(doc, None) for doc in docs]
    findings = orders.order_checks(docs[1], factory=orders.factory_profile(db))
    return {"before_cents": quotes[0]["total_cents"], "after_cents": quotes[1]["total_cents"],
            "currency": quotes[1]["currency"], "errors": [f for f in findings if f["severity"] == "error"],
            "warnings": [f for f in findings if f["severity"] != "error"]}
