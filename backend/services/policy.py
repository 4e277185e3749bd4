"""Authorization rules, in one place.

* A homeowner sees only their own designs, uploads and orders.
* A designer or store manager sees designs shared with them (by a booking or an explicit share,
  while the share has not ended) and edits them with revision control; a store manager also sees
  the designs shared with any designer of their store.
* Factory staff see submitted orders (never drafts) and may only move their production status.
* Admins see everything.
Everything else answers "not found", so nobody learns that somebody else's object exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Exists, Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from backend.db import tables
from backend.enums import OrderStatus, Role
from backend.services.actor import Actor

# Order statuses each role may set, and the transitions allowed (from → to).
ORDER_TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.SUBMITTED: {OrderStatus.ACCEPTED, OrderStatus.CANCELLED},
    OrderStatus.ACCEPTED: {OrderStatus.IN_PRODUCTION, OrderStatus.CANCELLED},
    OrderStatus.IN_PRODUCTION: {OrderStatus.SHIPPED},
    OrderStatus.SHIPPED: {OrderStatus.INSTALLED},
    OrderStatus.INSTALLED: set(),
    OrderStatus.CANCELLED: set(),
}
ORDER_STATUS_SETTERS: dict[str, set[str]] = {
    Role.FACTORY: {OrderStatus.ACCEPTED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED},
    Role.INSTALLER: {OrderStatus.INSTALLED},
    Role.ADMIN: {OrderStatus.ACCEPTED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.INSTALLED,
                 OrderStatus.CANCELLED},
    Role.HOMEOWNER: {OrderStatus.CANCELLED},
}


def _active_share_exists(actor: Actor) -> Exists:
    share = tables.DesignShare
    now = tables.utcnow()
    condition = share.user_id == actor.id
    if actor.role == Role.STORE_MANAGER and actor.store_id:
        store_staff = select(tables.User.id).where(tables.User.store_id == actor.store_id)
        condition = or_(condition, share.user_id.in_(store_staff))
    return exists().where(
        and_(share.design_id == tables.Design.id, condition, or_(share.ends_at.is_(None), share.ends_at > now))
    )


def visible_designs(actor: Actor) -> Select[tables.Design]:
    query = select(tables.Design)
    if actor.role == Role.ADMIN:
        return query
    if actor.role in (Role.DESIGNER, Role.STORE_MANAGER):
        return query.where(or_(tables.Design.owner_id == actor.id, _active_share_exists(actor)))
    if actor.role == Role.HOMEOWNER:
        return query.where(tables.Design.owner_id == actor.id)
    return query.where(false())


def can_edit_design(db: Session, actor: Actor, design: tables.Design) -> bool:
    """Visible means editable (with revision control) for owners, shared designers and admins."""
    if actor.role in (Role.ADMIN,) or design.owner_id == actor.id:
        return True
    if actor.role in (Role.DESIGNER, Role.STORE_MANAGER):
        found = db.execute(visible_designs(actor).where(tables.Design.id == design.id)).first()
        return found is not None
    return False


def visible_orders(actor: Actor) -> Select[tables.Order]:
    query = select(tables.Order)
    if actor.role in (Role.ADMIN, Role.FACTORY):
        # Orders only exist once submitted; drafts are designs, which the factory never sees.
        return query
    if actor.role == Role.INSTALLER:
        return query.where(tables.Order.status.in_((OrderStatus.SHIPPED.value, OrderStatus.INSTALLED.value)))
    if actor.role == Role.HOMEOWNER:
        return query.where(tables.Order.owner_id == actor.id)
    if actor.role in (Role.DESIGNER, Role.STORE_MANAGER):
        return query.where(tables.Order.design_id.in_(visible_designs(actor).with_only_columns(tables.Design.id)))
    return query.where(false())


def may_set_order_status(actor: Actor, current: str, new: str) -> bool:
    return new in ORDER_STATUS_SETTERS.get(actor.role, set()) and new in ORDER_TRANSITIONS.get(current, set())


def may_submit_order(actor: Actor, design: tables.Design) -> bool:
    """The customer submits; in store, the customer confirms on the designer's screen (designer session)."""
    return actor.role in (Role.HOMEOWNER, Role.DESIGNER, Role.STORE_MANAGER, Role.ADMIN)


def may_upload(actor: Actor) -> bool:
    return actor.role in (Role.HOMEOWNER, Role.DESIGNER, Role.STORE_MANAGER, Role.ADMIN, Role.INSTALLER)


def may_manage_users(actor: Actor) -> bool:
    return actor.role == Role.ADMIN


# --- Bookings (issue 6) -------------------------------------------------------------------------
# A booking is visible to its customer, its designer or installer team, the store manager of the
# booking's store (the designer's or team's store) and admins; to everybody else it does not exist.


def visible_bookings(actor: Actor) -> Select[Any]:
    from backend.db import booking_tables as bt

    query = select(bt.Booking)
    if actor.role == Role.ADMIN:
        return query
    if actor.role == Role.HOMEOWNER:
        return query.where(bt.Booking.customer_id == actor.id)
    if actor.role == Role.DESIGNER:
        return query.where(bt.Booking.performer == Role.DESIGNER, bt.Booking.resource_id == actor.id)
    if actor.role == Role.INSTALLER:
        teams = select(bt.InstallerTeamMember.team_id).where(bt.InstallerTeamMember.user_id == actor.id)
        return query.where(bt.Booking.performer == "installer_team", bt.Booking.resource_id.in_(teams))
    if actor.role == Role.STORE_MANAGER and actor.store_id:
        return query.where(bt.Booking.store_id == actor.store_id)
    return query.where(false())


def may_book(actor: Actor) -> bool:
    """Homeowners book for themselves (admins may act for them)."""
    return actor.role in (Role.HOMEOWNER, Role.ADMIN)


def visible_follow_up_cases(actor: Actor) -> Select[Any]:
    from backend.db import booking_tables as bt

    query = select(bt.FollowUpCase)
    if actor.role == Role.ADMIN:
        return query
    if actor.role == Role.STORE_MANAGER and actor.store_id:
        return query.where(bt.FollowUpCase.store_id == actor.store_id)
    return query.where(false())


def visible_service_requests(actor: Actor) -> Select[Any]:
    """Customers see their own after-sales requests; store managers those of their store (and the
    ones not yet assigned to a store); admins all."""
    from backend.db import booking_tables as bt

    query = select(bt.ServiceRequest)
    if actor.role == Role.ADMIN:
        return query
    if actor.role == Role.HOMEOWNER:
        return query.where(bt.ServiceRequest.customer_id == actor.id)
    if actor.role == Role.STORE_MANAGER and actor.store_id:
        return query.where(or_(bt.ServiceRequest.store_id == actor.store_id, bt.ServiceRequest.store_id.is_(None)))
    return query.where(false())


def may_record_measurement(actor: Actor) -> bool:
    return actor.role in (Role.DESIGNER, Role.ADMIN)
