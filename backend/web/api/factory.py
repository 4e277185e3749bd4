"""Factory production profiles: read and edit the line, stock, remnants, tool and DXF layers the
order packages are built with (factory and admin accounts only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from backend.services import factory_profiles as svc
from backend.services import machining_views
from backend.web.deps import ActorDep, DbDep

router = APIRouter(prefix="/api/factory", tags=["factory"])


@router.get("/profiles")
def list_profiles(db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    return [p.model_dump(mode="json") for p in svc.list_for(db, actor)]


@router.get("/profiles/{code}")
def get_profile(code: str, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    svc.list_for(db, actor)  # the role check
    return svc.get_profile(db, code).model_dump(mode="json")


@router.put("/profiles/{code}")
def put_profile(code: str, db: DbDep, actor: ActorDep, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
    """Replace a profile whole (its ``code`` is the path's); a bad field answers 422 naming it."""
    return svc.save_profile(db, actor, code, body).model_dump(mode="json")


@router.get("/orders/{order_id}/holes")
def order_holes(order_id: str, db: DbDep, actor: ActorDep) -> dict[str, list[dict[str, Any]]]:
    """Every hole of the order's parts, per cabinet, in the cabinet's frame (mm): for the 3D view."""
    return machining_views.order_holes(db, actor, order_id)
