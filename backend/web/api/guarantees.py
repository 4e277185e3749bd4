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


def _out(db: DbDep, case: ct.GuaranteeCase) -> dict[str, Any]:
    paid = svc.compensation_of(db, case)
    return {"id": case.id, "kind": case.kind, "reference": case.reference, "booking_id": case.booking_id,
            "due_at": case.due_at.isoformat(), "kept_at": case.kept_at.isoformat() if case.kept_at else None,
            "compensation_points": case.compensation_points, "refunded_cents": paid.refunded_cents,
            "refunded_from": paid.refunded_from or None, "points_instead_of_refund": paid.instead_of_refund,
            "created_at": case.created_at.isoformat()}


@router.get("/guarantees/promises")
def promises() -> list[dict[str, Any]]:
    """What the brand promises, and what a missed promise gives (points, or money back from a held payment)."""
    return [{"kind": p.kind.value, "within_minutes": int(p.within.total_seconds() // 60),
             "compensation_points": p.compensation_points, "en": p.en, "zh_Hans": p.zh_Hans,
             "refund": None if p.refund is None else {"from": p.refund.hold.value, "share": p.refund.share,
                                                      "amount_cents": p.refund.amount_cents}}
            for p in load_promises().values()]


@router.get("/guarantees")
def cases(db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    return [_out(db, c) for c in svc.visible_cases(db, actor)]


@router.post("/guarantees/sweep")
def sweep(request: Request, db: DbDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Open the cases (with compensation) for every promise missed by now; the new ones (idempotent)."""
    return [_out(db, c) for c in svc.sweep_for(db, actor, clock(request))]
