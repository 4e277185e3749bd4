"""Orders: submit a design revision, list and read orders, move their status."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from backend.services import orders as svc
from backend.web.deps import ActorDep, DbDep
from backend.web.schemas import OrderCreate, OrderOut, OrderStatusChange

router = APIRouter(prefix="/api", tags=["orders"])


@router.post("/designs/{design_id}/orders", response_model=OrderOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "this revision was already ordered; the existing order"}})
def submit(design_id: str, body: OrderCreate, response: Response, db: DbDep, actor: ActorDep) -> OrderOut:
    order, created = svc.submit_order(db, actor, design_id, body.revision)
    if not created:
        response.status_code = status.HTTP_200_OK
    return OrderOut.model_validate(order)


@router.get("/orders", response_model=list[OrderOut])
def list_orders(db: DbDep, actor: ActorDep, status: str | None = None) -> list[OrderOut]:
    return [OrderOut.model_validate(o) for o in svc.list_orders(db, actor, status)]


@router.get("/orders/{order_id}", response_model=OrderOut)
def get_order(order_id: str, db: DbDep, actor: ActorDep) -> OrderOut:
    return OrderOut.model_validate(svc.get_order(db, actor, order_id))


@router.patch("/orders/{order_id}", response_model=OrderOut)
def change_status(order_id: str, body: OrderStatusChange, db: DbDep, actor: ActorDep) -> OrderOut:
    return OrderOut.model_validate(svc.set_order_status(db, actor, order_id, body.status))
