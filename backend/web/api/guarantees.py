"""Service guarantees: the promises, the cases opened for missed ones, and the sweep that opens them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from backend.commerce.guarantees import load_promises
from backend.db import commerce_tables as ct
from backend.services import guarantees as svc
from backend.web.api.bookings import clock
from backend.web.deps import ActorDep, DbDep

router = APIRouter(prefix="/api", tags=["guarantees"])


def _out(case: ct.GuaranteeCase) -> dict[str, Any]:
    return {"id": case.id, "kind": case.kind, "reference": case.reference, "booking_id": case.booking_id,
            "due_at": case.due_at.isoformat(), "kept_at": case.kept_at.isoformat() if case.kept_at else None,
            "compensation_points": case.compensation_points, "created_at": case.created_at.isoformat()}


@router.get("/guarantees/promises")
def promises() -> list[dict[str, Any]]:
    """What the brand promises, and the points a missed promise gives."""
    return [{"kind": p.kind.value, "within_minutes": int(p.within.total_seconds() // 60),
             "compensation_points": p.compensation_points, "en": p.en, "zh_Hans": p.zh_Hans}
            for p in load_promises().values()]


@router.get("/guarantees")
def cases(db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    return [_out(c) for c in svc.visible_cases(db, actor)]


@router.post("/guarantees/sweep")
def sweep(request: Request, db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Open the cases (with compensation) for every promise missed by now; the new ones (idempotent)."""
    return [_out(c) for c in svc.sweep_for(db, actor, clock(request))]
