"""Points: the member's balance, level and ledger; paying part of an order with points; a referral code."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from backend.services import bookings
from backend.services import points as svc
from backend.web.deps import ActorDep, DbDep

router = APIRouter(prefix="/api", tags=["points"])


class RedemptionIn(BaseModel):
    points: int = Field(gt=0, le=100_000_000)


class RedemptionOut(BaseModel):
    id: str
    order_id: str
    points: int
    cents: int
    due_cents: int
    balance: int


class AccessoryIn(BaseModel):
    code: str = Field(min_length=1, max_length=60)
    quantity: int = Field(default=1, ge=1, le=1000)


class AccessoryOut(BaseModel):
    id: str
    order_id: str
    code: str
    quantity: int
    points: int
    cents: int
    balance: int


class ReferralIn(BaseModel):
    code: str = Field(min_length=1, max_length=20)


@router.get("/points")
def my_points(db: DbDep, actor: ActorDep, locale: str = "en") -> dict[str, Any]:
    """Balance, points earned in all, membership level with its benefits, the ledger, and the orders
    points can still pay for (with the most points each may take)."""
    return svc.summary_json(svc.summary(db, actor, locale), locale)


@router.post("/orders/{order_id}/redemption", status_code=status.HTTP_201_CREATED, response_model=RedemptionOut)
def redeem(order_id: str, body: RedemptionIn, db: DbDep, actor: ActorDep, response: Response) -> RedemptionOut:
    """Pay part of the order with points (201); the same request again answers 200 with the same
    redemption. More than the balance: 409 "Only N points left"; above the brand's limit: 422."""
    row, created = svc.redeem(db, actor, order_id, body.points)
    if not created:
        response.status_code = status.HTTP_200_OK
    order = svc.redeemed_order(db, row)
    return RedemptionOut(id=row.id, order_id=row.order_id, points=row.points, cents=row.cents,
                         due_cents=svc.amount_due_cents(db, order), balance=svc.account(db, actor.id).balance)


@router.post("/orders/{order_id}/accessories", status_code=status.HTTP_201_CREATED, response_model=AccessoryOut)
def redeem_accessory(order_id: str, body: AccessoryIn, db: DbDep, actor: ActorDep, response: Response) -> AccessoryOut:
    """Buy a catalog accessory the brand lists with the order at checkout, paid in points at its catalog price
    (201); the same again answers 200 with the same line, another quantity of it 409. Within the level's
    share of the order's total together with the points paying for the order (422) and the balance (409
    "Only N points left")."""
    row, created = svc.redeem_accessory(db, actor, order_id, body.code, body.quantity)
    if not created:
        response.status_code = status.HTTP_200_OK
    return AccessoryOut(id=row.id, order_id=row.order_id, code=row.code, quantity=row.quantity, points=row.points,
                        cents=row.cents, balance=svc.account(db, actor.id).balance)


@router.post("/bookings/{booking_id}/tip", status_code=status.HTTP_201_CREATED)
def tip(booking_id: str, body: RedemptionIn, db: DbDep, actor: ActorDep) -> dict[str, int]:
    """Tip the designer of your completed service in points (once per booking; 409 "Only N points left")."""
    entry = svc.tip(db, actor, bookings.get_booking(db, actor, booking_id), body.points)
    return {"points": -entry.delta, "balance": entry.balance_after}


@router.post("/points/referral", status_code=status.HTTP_204_NO_CONTENT)
def use_referral(body: ReferralIn, db: DbDep, actor: ActorDep) -> Response:
    svc.use_referral(db, actor, body.code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
