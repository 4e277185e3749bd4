"""Store mode: a designer starts a design with a walk-in customer at the big screen, and hands it to
the customer's phone with a link (shown as a QR code).

Who may get what. The person at the screen is store staff; they type the customer's email, so
nothing they do may give them (or anyone who sees the screen or the QR code) more than they already
have: the design they are working on.

- A new email: the store creates the homeowner account on the spot, the design is the customer's from
  the start and the designer gets a share of it. The account has no password yet
  (``users.password_set`` is false); it holds only what the store just made.
- An email that already has a homeowner account: the design is created owned by the staff member, and
  a ``StoreClaim`` waits for the customer to confirm it is theirs: a 6-digit code sent to the
  account's email through the outbox (stored as an argon2 hash, valid ``CLAIM_MINUTES``, at most
  ``CODE_ATTEMPTS`` wrong tries per code and ``CODE_SENDS`` codes per design), or the customer typing
  their own password on the store's screen (the login limits apply). Only then does the design become
  theirs, with a share for the designer. The staff member learns only that the email has an account
  (which they must, to know a code was sent), never its name or anything in it. Staff emails are
  refused.
- The hand-off link (``/go/<token>``) is a bearer secret the staff member sees too, so it is worth no
  more than that design: it works once, for ``HANDOFF_MINUTES``, only for a design that is the
  customer's, and opens a *design-scoped* session (``sessions.design_id``, ``SCOPED_SESSION_HOURS``):
  the design's page, the design and what the editor needs; for everything else (other designs,
  orders, addresses, uploads, bookings, profile, sharing) the request counts as signed out and asks
  the customer to log in with their own password, which gives them a normal session.
- From a scoped session an account the store created and whose password was never set may choose its
  first password, which turns it into a full session. That account holds only what the store made for
  this person, so this yields nothing its holder did not already have; the account's email is told
  (outbox) so a wrong address or a staff member doing it shows up. An account that ever had a
  password can never be entered this way.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.booking.outbox import AccountMessageKind
from backend.commerce.relay import normalize_phone
from backend.db import tables
from backend.enums import Role
from backend.errors import Conflict, InvalidInput, NotFound
from backend.services import accounts, designs, notifications
from backend.services.actor import Actor
from backend.services.passwords import hash_password, verify_password

HANDOFF_MINUTES = 20
SCOPED_SESSION_HOURS = 12
CLAIM_MINUTES = 15
CODE_ATTEMPTS = 5
CODE_SENDS = 3
STAFF = (Role.DESIGNER, Role.STORE_MANAGER, Role.ADMIN)


@dataclass(frozen=True)
class Handoff:
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Started:
    """A new design; ``claim`` is set when the customer already has an account and confirms first."""

    view: designs.DesignView
    claim: tables.StoreClaim | None


@dataclass(frozen=True)
class PendingClaim:
    claim: tables.StoreClaim
    design: tables.Design


def _require_store_staff(actor: Actor) -> None:
    if actor.role not in STAFF:
        raise NotFound("store mode is for designers")


def _store_name(db: Session, actor: Actor) -> str:
    store = db.get(tables.Store, actor.store_id) if actor.store_id else None
    return store.name if store is not None else "Roomwright"


def start_customer_design(db: Session, actor: Actor, email: str, name: str, design_name: str) -> Started:
    """A design for the customer with this email: theirs at once if the store creates their account now,
    else held by the staff member until the customer confirms (a code goes to their email)."""
    _require_store_staff(actor)
    email = accounts.normalize_email(email)
    name = name.strip()
    title = design_name or (f"{name}'s kitchen" if name else "Kitchen")
    customer = db.scalar(select(tables.User).where(tables.User.email == email))
    if customer is None:
        customer = accounts.create_user(db, email, secrets.token_urlsafe(24), Role.HOMEOWNER, name)
        customer.password_set = False
        view = designs.create_design(db, Actor.of(customer), title)
        db.add(tables.DesignShare(design_id=view.row.id, user_id=actor.id, reason="store"))
        db.flush()
        return Started(view, None)
    if customer.role != Role.HOMEOWNER:
        raise InvalidInput("this email belongs to a staff account; use the customer's own email", field="email")
    if not customer.is_active:
        raise InvalidInput("this email cannot be used; use another email of the customer", field="email")
    view = designs.create_design(db, actor, title)
    claim = tables.StoreClaim(design_id=view.row.id, customer_id=customer.id, created_by=actor.id, code_hash="",
                              expires_at=tables.utcnow())
    db.add(claim)
    _send_code(db, actor, claim, customer)
    db.flush()
    return Started(view, claim)


def _send_code(db: Session, actor: Actor, claim: tables.StoreClaim, customer: tables.User) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    now = tables.utcnow()
    claim.code_hash = hash_password(code)
    claim.attempts = 0
    claim.expires_at = now + timedelta(minutes=CLAIM_MINUTES)
    notifications.account_email(db, customer, AccountMessageKind.STORE_CODE,
                                {"code": code, "staff_name": actor.display_name,
                                 "store_name": _store_name(db, actor), "minutes": str(CLAIM_MINUTES)}, now)


def get_claim(db: Session, actor: Actor, claim_id: str) -> PendingClaim:
    """A claim the staff member started (an admin: any); others' answer 404."""
    _require_store_staff(actor)
    claim = db.get(tables.StoreClaim, claim_id)
    if claim is None or (claim.created_by != actor.id and actor.role != Role.ADMIN):
        raise NotFound("no such design waiting for a customer")
    design = db.get(tables.Design, claim.design_id)
    if design is None:
        raise NotFound("no such design waiting for a customer")
    return PendingClaim(claim, design)


def pending_claim_of_design(db: Session, design_id: str) -> tables.StoreClaim | None:
    return db.scalar(select(tables.StoreClaim).where(tables.StoreClaim.design_id == design_id,
                                                     tables.StoreClaim.confirmed_at.is_(None)))


def pending_claims(db: Session, actor: Actor) -> list[PendingClaim]:
    """This staff member's designs still waiting for the customer's confirmation, latest first."""
    _require_store_staff(actor)
    rows = db.execute(select(tables.StoreClaim, tables.Design)
                      .join(tables.Design, tables.Design.id == tables.StoreClaim.design_id)
                      .where(tables.StoreClaim.created_by == actor.id, tables.StoreClaim.confirmed_at.is_(None),
                             tables.Design.owner_id == actor.id)
                      .order_by(tables.StoreClaim.created_at.desc())).all()
    return [PendingClaim(claim, design) for claim, design in rows]


def _open(pending: PendingClaim, actor: Actor) -> None:
    if pending.claim.confirmed_at is not None or pending.design.owner_id != actor.id:
        raise Conflict("the customer has already confirmed this design", field="code", extra={"reason": "confirmed"})


def _transfer(db: Session, pending: PendingClaim, actor: Actor) -> designs.DesignView:
    """The design becomes the customer's; the staff member keeps working on it through a share."""
    pending.design.owner_id = pending.claim.customer_id
    pending.claim.confirmed_at = tables.utcnow()
    already = db.scalar(select(tables.DesignShare).where(tables.DesignShare.design_id == pending.design.id,
                                                         tables.DesignShare.user_id == actor.id))
    if already is None:
        db.add(tables.DesignShare(design_id=pending.design.id, user_id=actor.id, reason="store"))
    db.flush()
    return designs.get_design(db, actor, pending.design.id)


class WrongCode(InvalidInput):
    code = "wrong-code"
    title = "The code is not right"


def confirm_with_code(db: Session, actor: Actor, claim_id: str, code: str) -> designs.DesignView:
    """The customer read the code from their email: the design becomes theirs. A wrong code is counted
    (flushed before raising, so the caller must keep it) and after ``CODE_ATTEMPTS`` the code is void."""
    pending = get_claim(db, actor, claim_id)
    _open(pending, actor)
    claim = pending.claim
    if claim.attempts >= CODE_ATTEMPTS:
        raise WrongCode("too many wrong codes; send a new code to the customer", field="code",
                        extra={"reason": "too_many"})
    if claim.expires_at <= tables.utcnow():
        raise WrongCode(f"this code has expired (codes work for {CLAIM_MINUTES} minutes); send a new one",
                        field="code", extra={"reason": "expired"})
    typed = "".join(code.split())
    if not (typed.isdigit() and len(typed) == 6 and verify_password(claim.code_hash, typed)):
        claim.attempts += 1
        db.flush()
        left = CODE_ATTEMPTS - claim.attempts
        if left <= 0:
            raise WrongCode("too many wrong codes; send a new code to the customer", field="code",
                            extra={"reason": "too_many"})
        raise WrongCode(f"that code is not right; {left} tries left", field="code",
                        extra={"reason": "wrong", "tries_left": left})
    return _transfer(db, pending, actor)


def confirm_with_password(db: Session, actor: Actor, claim_id: str, password: str, client: str,
                          limits: accounts.LoginLimits) -> designs.DesignView:
    """The customer typed their own password on the store's screen (failures count as failed logins)."""
    pending = get_claim(db, actor, claim_id)
    _open(pending, actor)
    customer = db.get(tables.User, pending.claim.customer_id)
    if customer is None:
        raise NotFound("no such design waiting for a customer")
    accounts.authenticate(db, customer.email, password, client, limits)
    return _transfer(db, pending, actor)


def resend_code(db: Session, actor: Actor, claim_id: str) -> PendingClaim:
    """A new code (the old one stops working), at most ``CODE_SENDS`` per design."""
    pending = get_claim(db, actor, claim_id)
    _open(pending, actor)
    if pending.claim.sends >= CODE_SENDS:
        raise InvalidInput(f"{CODE_SENDS} codes have been sent for this design, which is the limit; the customer "
                           "can type their password instead", field="code",
                           extra={"reason": "send_limit"})
    customer = db.get(tables.User, pending.claim.customer_id)
    if customer is None:
        raise NotFound("no such design waiting for a customer")
    pending.claim.sends += 1
    _send_code(db, actor, pending.claim, customer)
    db.flush()
    return pending


def issue_handoff(db: Session, actor: Actor, design_id: str) -> Handoff:
    """A one-time, short-lived link that opens this design, and only it, on the customer's phone."""
    _require_store_staff(actor)
    row = designs.get_design_row(db, actor, design_id)
    owner = db.get(tables.User, row.owner_id)
    if owner is None or owner.role != Role.HOMEOWNER or owner.id == actor.id:
        raise Conflict("the customer confirms that the design is theirs before it goes to their phone",
                       field="design")
    token = secrets.token_urlsafe(24)
    expires = tables.utcnow() + timedelta(minutes=HANDOFF_MINUTES)
    db.add(tables.HandoffToken(token_hash=accounts.token_hash(token), user_id=row.owner_id, design_id=row.id,
                               created_by=actor.id, expires_at=expires))
    db.flush()
    return Handoff(token, expires)


def redeem_handoff(db: Session, token: str) -> tuple[tables.User, str]:
    """(customer, design id) for a valid, unused link whose design is still the customer's; the link is
    used up. The caller opens a session scoped to that design."""
    row = db.get(tables.HandoffToken, accounts.token_hash(token))
    if row is None or row.used_at is not None or row.expires_at <= tables.utcnow():
        raise NotFound("this link was already used or has expired; ask the designer for a new one", field="token")
    user = db.get(tables.User, row.user_id)
    design = db.get(tables.Design, row.design_id)
    if user is None or not user.is_active or design is None or design.owner_id != user.id:
        raise NotFound("this link was already used or has expired", field="token")
    row.used_at = tables.utcnow()
    return user, row.design_id


def start_scoped_session(db: Session, user: tables.User, design_id: str,
                         limits: accounts.LoginLimits) -> accounts.NewSession:
    return accounts.start_session(db, user, limits, design_id=design_id,
                                  lifetime=timedelta(hours=SCOPED_SESSION_HOURS))


def may_choose_password(user: tables.User) -> bool:
    """Only an account the store created and whose owner never chose a password."""
    return not user.password_set


def choose_first_password(db: Session, user: tables.User, password: str, password_again: str) -> None:
    """The first password of an account a store created; its email is told. Any other account: 404."""
    if not may_choose_password(user):
        raise NotFound("this account already has a password; log in with it")
    if password != password_again:
        raise InvalidInput("the two passwords are not the same", field="password_again")
    accounts.check_password_strength(password)
    user.password_hash = hash_password(password)
    user.password_set = True
    notifications.account_email(db, user, AccountMessageKind.PASSWORD_SET, {"store_name": _store_name_of(db, user)},
                                tables.utcnow())
    db.flush()


def _store_name_of(db: Session, user: tables.User) -> str:
    """The store whose staff started this customer's first design (the share it kept), else Roomwright."""
    staff_store = db.scalar(select(tables.Store.name)
                            .join(tables.User, tables.User.store_id == tables.Store.id)
                            .join(tables.DesignShare, tables.DesignShare.user_id == tables.User.id)
                            .join(tables.Design, tables.Design.id == tables.DesignShare.design_id)
                            .where(tables.Design.owner_id == user.id, tables.DesignShare.reason == "store")
                            .limit(1))
    return staff_store or "Roomwright"


def store_designs(db: Session, actor: Actor) -> list[tables.Design]:
    """The customers' designs this designer works on (shared by booking or started in store), latest first."""
    _require_store_staff(actor)
    return [d for d in designs.list_designs(db, actor) if d.owner_id != actor.id]


# --- the store's settings (its manager) -------------------------------------------------------------


def managed_store(db: Session, actor: Actor) -> tables.Store:
    """The store the actor manages; anyone else (other roles, a manager without a store) gets not found."""
    store = db.get(tables.Store, actor.store_id) if actor.role == Role.STORE_MANAGER and actor.store_id else None
    if store is None:
        raise NotFound("there is no such page for this account")
    return store


def set_store_phone(db: Session, actor: Actor, phone: str) -> tables.Store:
    """The store's phone (E.164; "" clears it), set by its manager: the relay's number for the store's
    staff who keep none of their own; customers never see it through the relay."""
    store = managed_store(db, actor)
    store.phone = normalize_phone(phone)
    db.flush()
    return store
