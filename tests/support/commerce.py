"""Helpers for the commerce tests: the acting user of an email, and work released together in threads."""

from __future__ import annotations

from datetime import time

from fastapi import FastAPI
from sqlalchemy import func, select

from backend.commerce.points import PointsReason
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.services import points
from backend.services.actor import Actor
from support.api import make_user


def user(app: FastAPI, email: str) -> Actor:
    with app.state.sessionmaker() as db:
        row = db.scalar(select(tables.User).where(tables.User.email == email))
        assert row is not None
        return Actor.of(row)


def store_and_designer(app: FastAPI, services: tuple[str, ...] = ("store_consultation",)) -> tuple[str, str, str]:
    """(store id, designer id, designer email) of a new store with a designer working 9–17 every day."""
    with app.state.sessionmaker() as db:
        store = tables.Store(name="Store", timezone="Asia/Shanghai", district="Xuhui")
        db.add(store)
        db.commit()
        store_id = store.id
    email = make_user(app, "designer", store_id=store_id)
    designer = user(app, email)
    with app.state.sessionmaker() as db:
        db.add(bt.DesignerProfile(user_id=designer.id, styles=["modern"], specialties=[],
                                  services=list(services), years_experience=5, district="Xuhui"))
        for weekday in range(7):
            db.add(bt.WorkingHours(resource_id=designer.id, weekday=weekday, start_time=time(9), end_time=time(17)))
        db.commit()
    return store_id, designer.id, email


def give(app: FastAPI, user_id: str, amount: int, ref: str = "gift") -> None:
    """``amount`` points for ``user_id`` (a compensation, so no rule limits it)."""
    with app.state.sessionmaker() as db:
        points.award(db, user_id, PointsReason.COMPENSATION, ref, amount)
        db.commit()


def order_row(app: FastAPI, owner_id: str, total_cents: int, status: str = "submitted") -> str:
    """An order as submit_order stores it (its quote is the price rule's output); made directly so a race
    test can have many."""
    with app.state.sessionmaker() as db:
        design = tables.Design(owner_id=owner_id, name="K", schema_version=1)
        db.add(design)
        db.flush()
        order = tables.Order(design_id=design.id, revision_number=1, owner_id=owner_id, status=status,
                             document={}, quote={"total_cents": total_cents, "currency": "CNY"})
        db.add(order)
        db.commit()
        return order.id


def ledger_sum(app: FastAPI, user_id: str) -> tuple[int, int]:
    """(sum of the ledger's rows, the account's balance)."""
    with app.state.sessionmaker() as db:
        total = db.scalar(select(func.coalesce(func.sum(ct.PointsEntry.delta), 0))
                          .where(ct.PointsEntry.user_id == user_id))
        account = db.get(ct.PointsAccount, user_id)
        return int(total or 0), account.balance if account else 0
