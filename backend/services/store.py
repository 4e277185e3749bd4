"""Store mode: a designer starts a design with a walk-in customer at the big screen, and hands it to
the customer's phone with a one-time sign-in link (shown as a QR code)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import tables
from backend.errors import InvalidInput, NotFound
from backend.services import accounts, designs
from backend.services.actor import Actor

HANDOFF_HOURS = 48


@dataclass(frozen=True)
class Handoff:
    token: str
    expires_at: object


def _require_store_staff(actor: Actor) -> None:
    if actor.role not in ("designer", "store_manager", "admin"):
        raise NotFound("store mode is for designers")


def start_customer_design(db: Session, actor: Actor, email: str, name: str, design_name: str) -> designs.DesignView:
    """A design owned by the customer (their account is created if they have none), shared with the designer
    who started it, so every change the designer makes is a revision the customer sees later."""
    _require_store_staff(actor)
    email = accounts.normalize_email(email)
    customer = db.scalar(select(tables.User).where(tables.User.email == email))
    if customer is None:
        customer = accounts.create_user(db, email, secrets.token_urlsafe(24), "homeowner", name)
    elif customer.role != "homeowner":
        raise InvalidInput("this email belongs to a staff account; use the customer's own email", field="email")
    view = designs.create_design(db, Actor.of(customer), design_name or f"{customer.display_name}'s kitchen")
    db.add(tables.DesignShare(design_id=view.row.id, user_id=actor.id, reason="store"))
    db.flush()
    return view


def issue_handoff(db: Session, actor: Actor, design_id: str) -> Handoff:
    """A one-time link that signs the design's owner in on their phone and opens the design."""
    _require_store_staff(actor)
    row = designs.get_design_row(db, actor, design_id)
    token = secrets.token_urlsafe(24)
    expires = tables.utcnow() + timedelta(hours=HANDOFF_HOURS)
    db.add(tables.HandoffToken(token_hash=accounts.token_hash(token), user_id=row.owner_id, design_id=row.id,
                               created_by=actor.id, expires_at=expires))
    db.flush()
    return Handoff(token, expires)


def redeem_handoff(db: Session, token: str) -> tuple[tables.User, str]:
    """(customer, design id) for a valid, unused link; the link is used up."""
    row = db.get(tables.HandoffToken, accounts.token_hash(token))
    if row is None or row.used_at is not None or row.expires_at <= tables.utcnow():
        raise NotFound("this link was already used or has expired; ask the designer for a new one", field="token")
    user = db.get(tables.User, row.user_id)
    if user is None or not user.is_active:
        raise NotFound("this link was already used or has expired", field="token")
    row.used_at = tables.utcnow()
    return user, row.design_id


def store_designs(db: Session, actor: Actor) -> list[tables.Design]:
    """The customers' designs this designer works on (shared by booking or started in store), latest first."""
    _require_store_staff(actor)
    return [d for d in designs.list_designs(db, actor) if d.owner_id != actor.id]
