"""Helpers for the commerce tests: the acting user of an email, and work released together in threads."""

from __future__ import annotations

from datetime import time

from fastapi import FastAPI
from sqlalchemy import select

from backend.db import booking_tables as bt
from backend.db import tables
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
