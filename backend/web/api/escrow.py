"""Payments held in escrow: pay an order's deposit or balance or a booking's service fee, accept the
work (release), see a payment's states with who moved it and why."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from backend.db import commerce_tables as ct
from backend.services import escrow as svc
from backend.web.api.bookings import RulesDep, clock
from backend.web.deps import ActorDep, DbDep

router = APIRouter(prefix="/api", tags=["escrow"])


class HoldIn(BaseModel):
    kind: str = Field(max_length=30, description="order_deposit or order_balance")
    amount_cents: int = Field(gt=0, le=10**10)


def _out(db: DbDep, hold: ct.EscrowHold) -> dict[str, Any]:
    return {"id": hold.id, "kind": hold.kind, "reference": hold.reference, "amount_cents": hold.amount_cents,
            "state": hold.state, "provider": hold.provider,
            "accepted_at": hold.accepted_at.isoformat() if hold.accepted_at else None,
            "events": [{"from": e.from_state, "to": e.to_state, "actor_id": e.actor_id, "reason": e.reason,
                        "at": e.at.isoformat()} for e in svc.events(db, hold)]}


@router.post("/orders/{order_id}/escrow", status_code=status.HTTP_201_CREATED)
def pay_into_escrow(order_id: str, body: HoldIn, request: Request, response: Response, db: DbDep,
                    actor: ActorDep) -> dict[str, Any]:
    """Pay the deposit or the balance (held until the installation is accepted); again: 200, the same."""
    hold, created = svc.hold_order_payment(db, actor, order_id, body.kind, body.amount_cents, clock(request))
    if not created:
        response.status_code = status.HTTP_200_OK
    return _out(db, hold)


@router.post("/bookings/{booking_id}/escrow", status_code=status.HTTP_201_CREATED)
def pay_service_fee(booking_id: str, request: Request, response: Response, db: DbDep, actor: ActorDep,
                    rules: RulesDep) -> dict[str, Any]:
    """Pay the booking's service fee (held until the booking is completed and accepted; refunded if it
    ends without the work); again: 200, the same."""
    hold, created = svc.hold_service_fee(db, actor, booking_id, clock(request), rules)
    if not created:
        response.status_code = status.HTTP_200_OK
    return _out(db, hold)


@router.get("/escrow/{hold_id}")
def get_hold(hold_id: str, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    return _out(db, svc.get_hold(db, actor, hold_id))


@router.post("/escrow/{hold_id}/accept")
def accept(hold_id: str, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """The customer accepts the installed work: the payment is released to the store (409 if it was)."""
    return _out(db, svc.accept(db, actor, hold_id, clock(request)))


@router.post("/escrow/{hold_id}/release")
def release(hold_id: str, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """Release after acceptance or the deadline after installation (409 before, or if already released)."""
    return _out(db, svc.release(db, actor, hold_id, clock(request)))
