"""What the factory's order page shows of an order's machining: every hole as a small cylinder in
its cabinet's frame, for the 3D view (``frontend/static/js/machining-overlay.js``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from backend.bom.machining import frame_from
from backend.bom.machining.export import drill_cylinders
from backend.bom.parts import parts_list
from backend.design.model import Design
from backend.enums import Role
from backend.errors import NotFound
from backend.services import configurator, orders
from backend.services.actor import Actor
from backend.services.catalog import catalog


def cabinet_holes(document: Design, order_number: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Cabinet id → its holes (centre, axis, radius, length in mm, purpose, part id) in the cabinet's frame:
    the machining the factory would drill, derived from the same parts as the order (pure over the document)."""
    plist = parts_list(document, catalog(), order_number)
    out: dict[str, list[dict[str, Any]]] = {}
    for p in plist.parts:
        frame = frame_from(p.box.origin, p.box.size, p.length_axis, p.width_axis)
        out.setdefault(p.cabinet_id, []).extend(drill_cylinders(p.machining, frame, p.id))
    return out


def design_holes(db: Session, actor: Actor, design_id: str,
                 revision: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The holes of a design's current (or given) revision, for whoever may see the design (the editor's
    "Show machining")."""
    _, document = configurator.revision_document(db, actor, design_id, revision)
    return cabinet_holes(document)


def order_holes(db: Session, actor: Actor, order_id: str) -> dict[str, list[dict[str, Any]]]:
    """Cabinet id → its holes (centre, axis, radius, length in mm, purpose, part id); factory only."""
    order = orders.get_order(db, actor, order_id)
    if actor.role not in (Role.FACTORY, Role.ADMIN):
        raise NotFound(f"no machining for order '{order_id}'", field="order_id")
    return cabinet_holes(Design.model_validate(order.document), order.number)
