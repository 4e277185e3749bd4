"""A movable clock for end-to-end tests and demos of the service loop (book, visit, measure, install).

Registered only when ``ROOMWRIGHT_TEST_CLOCK=true``: an admin can then move the booking clock forward,
so a browser test can book a visit for tomorrow and record it "after" the visit. The same clock stamps
orders and their status changes (the request clock, ``backend.web.api.bookings.clock``), so an order
comes after the measurement it follows and the analytics credit it to the store. Never enabled by
default; production servers do not have this route at all. The offset is kept in this process's memory on
purpose (a test moves the clock of the one server it started); ``roomwright cluster`` refuses the setting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, Field

from backend.enums import Role
from backend.errors import NotFound
from backend.web.deps import ActorDep

router = APIRouter(prefix="/api/testing", tags=["testing"])


class ClockMove(BaseModel):
    advance_hours: float = Field(ge=0, le=24 * 365)


def install_test_clock(app: FastAPI) -> None:
    app.state.clock_offset = timedelta(0)
    app.state.booking_clock = lambda: datetime.now(UTC) + app.state.clock_offset
    app.include_router(router)


@router.post("/clock")
def move_clock(body: ClockMove, request: Request, actor: ActorDep) -> dict[str, str]:
    """Move the booking clock forward by ``advance_hours`` (admins only)."""
    if actor.role != Role.ADMIN:
        raise NotFound("there is nothing at /api/testing/clock")
    request.app.state.clock_offset += timedelta(hours=body.advance_hours)
    now: datetime = request.app.state.booking_clock()
    return {"now": now.isoformat()}
