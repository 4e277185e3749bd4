"""Orders: a submitted order freezes one design revision; the factory moves its production status."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import tables
from backend.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.services import policy
from backend.services.actor import Actor
from backend.services.designs import get_design_row, get_revision


def submit_order(db: Session, actor: Actor, design_id: str, revision: int) -> tuple[tables.Order, bool]:
    """Freeze ``revision`` of the design as an order. Idempotent: submitting the same revision again
    returns the existing order (and False for "created")."""
    design = get_design_row(db, actor, design_id)
    if not policy.may_submit_order(actor, design):
        raise NotFound(f"no design '{design_id}' that you can order", field="design_id")
    if revision != design.current_revision:
        raise Conflict(
            f"revision {revision} is not the latest ({design.current_revision}); review the latest version "
            "before ordering it", field="revision", extra={"current_revision": design.current_revision})
    existing = db.scalar(select(tables.Order).where(
        tables.Order.design_id == design.id, tables.Order.revision_number == revision))
    if existing is not None:
        return existing, False
    rev = get_revision(db, design.id, revision)
    if not rev.document.get("cabinets"):
        raise InvalidInput("the design has no cabinets yet; add cabinets before ordering", field="revision")
    order = tables.Order(design_id=design.id, revision_number=revision, owner_id=design.owner_id,
                         document=rev.document)
    db.add(order)
    db.flush()
    return order, True


def list_orders(db: Session, actor: Actor, status: str | None = None) -> list[tables.Order]:
    query = policy.visible_orders(actor)
    if status:
        query = query.where(tables.Order.status == status)
    return list(db.scalars(query.order_by(tables.Order.created_at.desc(), tables.Order.id)))


def get_order(db: Session, actor: Actor, order_id: str) -> tables.Order:
    order = db.scalar(policy.visible_orders(actor).where(tables.Order.id == order_id))
    if order is None:
        raise NotFound(f"no order '{order_id}' that you can see", field="order_id")
    return order


def set_order_status(db: Session, actor: Actor, order_id: str, status: str) -> tables.Order:
    order = get_order(db, actor, order_id)
    if status not in tables.ORDER_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(tables.ORDER_STATUSES)}", field="status")
    if status == order.status:
        return order
    if status not in policy.ORDER_STATUS_SETTERS.get(actor.role, set()):
        raise Forbidden(f"a {actor.role} account cannot set an order to '{status}'", field="status")
    if not policy.may_set_order_status(actor, order.status, status):
        raise Conflict(f"an order that is '{order.status}' cannot be set to '{status}' by a {actor.role}",
                       field="status", extra={"current_status": order.status})
    order.status = status
    order.updated_at = tables.utcnow()
    db.flush()
    return order
