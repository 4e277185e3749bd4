"""A measured room against the drawn plan: differences, a measured revision, and its approval.

**Lengths.** A measured wall length is compared with, and applied to, the wall's length as the
design stores it: the centreline from ``start`` to ``end``. (A tape measure gives face lengths;
the form that records them adds the wall thicknesses, or the designer enters centreline
lengths.) Positions of fixtures and obstacles are along a wall from its ``start``.

**How a measurement is applied** (:func:`apply_measurement`), a rule chosen to be predictable:

1. wall endpoints closer than ``TOL.length_mm`` are one *joint*; walls stay joined at their joints;
2. the walls are walked depth-first, starting at the start joint of the first wall (in plan
   order) of each connected group, taking walls in plan order; the starting joint stays put;
3. each wall walked to a new joint keeps its direction and gets its measured length (or keeps
   its drawn length when not measured): the joint at its far end moves, and with it everything
   walked after it;
4. a wall that closes a loop (both joints already placed) simply joins them: it absorbs the
   difference. For a room drawn as walls A→B, B→C, C→D, D→A this is the last wall, D→A. Call
   :func:`compare` on the result to see what it absorbed (out-of-square rooms always leave some);
5. room polygon points move with their nearest joint; openings keep their offset from the wall
   start; a cabinet or item that would now run past its wall's end is pushed back along the
   wall until it fits (:class:`InvalidInput` if the wall became shorter than the unit);
   free-standing units do not move;
6. the ceiling height of the design becomes the measured one (wall heights are left alone);
7. the result is validated again as a whole :class:`Design`.

Fixtures (water, drain, gas, sockets) and obstacles have no place in the design document yet;
they stay in the :class:`MeasuredRoom` record stored with the revision.

**Approval.** A measured revision goes to the customer: approve, or ask for changes (with a
comment). Only an ``approved`` revision can be ordered (:func:`can_order`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backend.booking.availability import as_utc
from backend.booking.rules import Actor
from backend.design.model import Design, FloorPlan, Point, Room, Wall, WallPlacement
from backend.design.units import TOL
from backend.enums import Role
from backend.errors import Conflict, Forbidden, InvalidInput

PositiveMm = Annotated[float, Field(gt=0, le=100_000)]
NonNegMm = Annotated[float, Field(ge=0, le=100_000)]
SIGNIFICANT_MM = 5.0
"""A difference larger than this is flagged ``significant`` (a cabinet run cannot absorb it)."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fixture(_Record):
    """A service point on a wall: ``offset_mm`` along the wall from its start, ``height_mm`` above floor."""

    kind: Literal["water", "drain", "gas", "socket"]
    wall_id: str
    offset_mm: NonNegMm
    height_mm: NonNegMm = 0
    note: str = Field(default="", max_length=500)


class Obstacle(_Record):
    """Something in the way: a pipe, beam, column or duct, as a box along a wall."""

    kind: Literal["pipe", "beam", "column", "duct", "other"]
    wall_id: str
    offset_mm: NonNegMm
    width_mm: PositiveMm
    elevation_mm: NonNegMm = 0
    height_mm: PositiveMm
    depth_mm: PositiveMm = 100
    note: str = Field(default="", max_length=500)


class MeasuredRoom(_Record):
    """What the designer measured on site.

    ``out_of_square_mm`` is the difference between the room's two diagonals.
    """

    wall_lengths_mm: dict[str, PositiveMm] = Field(default_factory=dict)
    ceiling_height_mm: Annotated[float, Field(gt=1800, le=10000)]
    out_of_square_mm: NonNegMm = 0
    fixtures: list[Fixture] = Field(default_factory=list)
    obstacles: list[Obstacle] = Field(default_factory=list)
    note: str = Field(default="", max_length=2000)


@dataclass(frozen=True)
class Difference:
    """One drawn-vs-measured value; ``delta_mm = measured_mm - drawn_mm``."""

    kind: Literal["wall_length", "ceiling_height"]
    target: str
    drawn_mm: float
    measured_mm: float
    delta_mm: float
    significant: bool


def _check_against(plan: FloorPlan, measurement: MeasuredRoom) -> None:
    walls = {w.id: w for w in plan.walls}
    for wall_id in measurement.wall_lengths_mm:
        if wall_id not in walls:
            raise InvalidInput(f"the plan has no wall '{wall_id}'", field=f"wall_lengths_mm.{wall_id}")
    located: list[tuple[str, Fixture | Obstacle]] = [
        *((f"fixtures.{i}", f) for i, f in enumerate(measurement.fixtures)),
        *((f"obstacles.{i}", o) for i, o in enumerate(measurement.obstacles)),
    ]
    for where, thing in located:
        if thing.wall_id not in walls:
            raise InvalidInput(f"the plan has no wall '{thing.wall_id}'", field=f"{where}.wall_id")


def _difference(kind: Literal["wall_length", "ceiling_height"], target: str, drawn: float,
                measured: float, tolerance_mm: float) -> Difference:
    delta = round(measured - drawn, 1)
    return Difference(kind, target, round(drawn, 1), round(measured, 1), delta, abs(delta) > tolerance_mm)


def compare(plan: Design | FloorPlan, measurement: MeasuredRoom, *,
            tolerance_mm: float = SIGNIFICANT_MM) -> list[Difference]:
    """Per measured wall (plan order) drawn vs measured length, then the ceiling (designs only)."""
    floor = plan.plan if isinstance(plan, Design) else plan
    _check_against(floor, measurement)
    diffs = [_difference("wall_length", w.id, w.length_mm, measurement.wall_lengths_mm[w.id], tolerance_mm)
             for w in floor.walls if w.id in measurement.wall_lengths_mm]
    if isinstance(plan, Design):
        diffs.append(_difference("ceiling_height", "ceiling", plan.settings.ceiling_height_mm,
                                 measurement.ceiling_height_mm, tolerance_mm))
    return diffs


class _Joints:
    """Wall endpoints clustered into joints (within ``TOL.length_mm``)."""

    def __init__(self, walls: list[Wall]) -> None:
        self.points: list[tuple[float, float]] = []
        self.ends: dict[str, tuple[int, int]] = {
            w.id: (self._joint(w.start), self._joint(w.end)) for w in walls}

    def _joint(self, p: Point) -> int:
        for i, (x, y) in enumerate(self.points):
            if math.hypot(p.x - x, p.y - y) <= TOL.length_mm:
                return i
        self.points.append((p.x, p.y))
        return len(self.points) - 1

    def nearest(self, x: float, y: float) -> int:
        return min(range(len(self.points)),
                   key=lambda i: math.hypot(self.points[i][0] - x, self.points[i][1] - y))


def _walk(walls: list[Wall], joints: _Joints) -> Iterator[tuple[str, int, int]]:
    """Depth-first tree edges (wall id, from joint, to joint), walls in plan order."""
    incident: dict[int, list[tuple[str, int]]] = {}
    for w in walls:
        a, b = joints.ends[w.id]
        incident.setdefault(a, []).append((w.id, b))
        incident.setdefault(b, []).append((w.id, a))
    seen: set[int] = set()
    for w in walls:
        root = joints.ends[w.id][0]
        if root in seen:
            continue
        seen.add(root)
        stack = [iter(incident[root])]
        parents = [root]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                parents.pop()
                continue
            wall_id, other = step
            if other in seen:
                continue
            seen.add(other)
            yield wall_id, parents[-1], other
            stack.append(iter(incident[other]))
            parents.append(other)


def _place_joints(walls: list[Wall], joints: _Joints, lengths: dict[str, float]) -> list[tuple[float, float]]:
    new = list(joints.points)
    by_id = {w.id: w for w in walls}
    for wall_id, src, dst in _walk(walls, joints):
        (sx, sy), (dx, dy) = joints.points[src], joints.points[dst]
        drawn = math.hypot(dx - sx, dy - sy)
        target = lengths.get(wall_id, by_id[wall_id].length_mm)
        ux, uy = (dx - sx) / drawn, (dy - sy) / drawn
        new[dst] = (new[src][0] + ux * target, new[src][1] + uy * target)
    return new


def _moved_walls(walls: list[Wall], joints: _Joints, new: list[tuple[float, float]]) -> list[Wall]:
    moved = []
    for w in walls:
        a, b = joints.ends[w.id]
        moved.append(w.model_copy(update={"start": Point(x=new[a][0], y=new[a][1]),
                                          "end": Point(x=new[b][0], y=new[b][1])}))
    return moved


def _moved_room(room: Room, joints: _Joints, new: list[tuple[float, float]]) -> Room:
    points = []
    for p in room.polygon:
        j = joints.nearest(p.x, p.y)
        ox, oy = joints.points[j]
        points.append(Point(x=p.x + new[j][0] - ox, y=p.y + new[j][1] - oy))
    return room.model_copy(update={"polygon": points})


def _fit_placement(placement: WallPlacement, width: float, wall: Wall, unit_id: str) -> WallPlacement:
    if placement.offset_mm + width <= wall.length_mm + TOL.length_mm:
        return placement
    if width > wall.length_mm + TOL.length_mm:
        raise InvalidInput(f"{unit_id} ({width:.0f} mm) no longer fits on {wall.id}, measured "
                           f"{wall.length_mm:.0f} mm; move or resize it first", field=f"placement.{unit_id}")
    return placement.model_copy(update={"offset_mm": max(0.0, wall.length_mm - width)})


def apply_measurement(design: Design, measurement: MeasuredRoom) -> Design:
    """A new design with the measured wall lengths and ceiling height (rule in the module docstring)."""
    _check_against(design.plan, measurement)
    walls = list(design.plan.walls)
    joints = _Joints(walls)
    new = _place_joints(walls, joints, dict(measurement.wall_lengths_mm))
    moved = _moved_walls(walls, joints, new)
    by_id = {w.id: w for w in moved}
    rooms = [_moved_room(r, joints, new) for r in design.plan.rooms] if joints.points else design.plan.rooms
    cabinets = [c if not isinstance(c.placement, WallPlacement) else c.model_copy(update={
        "placement": _fit_placement(c.placement, c.width_mm, by_id[c.placement.wall_id], c.id)})
        for c in design.cabinets]
    items = [i if not isinstance(i.placement, WallPlacement) else i.model_copy(update={
        "placement": _fit_placement(i.placement, i.width_mm, by_id[i.placement.wall_id], i.id)})
        for i in design.items]
    plan = design.plan.model_copy(update={"walls": moved, "rooms": rooms})
    settings = design.settings.model_copy(update={"ceiling_height_mm": measurement.ceiling_height_mm})
    candidate = design.model_copy(update={"plan": plan, "cabinets": cabinets, "items": items,
                                          "settings": settings})
    try:
        return Design.model_validate(candidate.model_dump())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or None
        raise InvalidInput(f"the measured design is not valid: {first['msg']}", field=where) from None


class RevisionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    SUPERSEDED = "superseded"


_BLOCK_REASONS: dict[RevisionStatus, str] = {
    RevisionStatus.PENDING: "the customer has not approved this revision yet",
    RevisionStatus.CHANGES_REQUESTED: "the customer asked for changes to this revision",
    RevisionStatus.SUPERSEDED: "a newer revision replaces this one; order the latest approved revision",
}


@dataclass(frozen=True)
class ApprovalRecord:
    """The customer's decision on one revision of a design."""

    design_id: str
    revision: int
    customer_id: str
    requested_at: datetime
    status: RevisionStatus = RevisionStatus.PENDING
    booking_id: str | None = None
    decided_at: datetime | None = None
    comment: str = ""


def request_approval(design_id: str, revision: int, customer_id: str, now: datetime,
                     booking_id: str | None = None) -> ApprovalRecord:
    return ApprovalRecord(design_id, revision, customer_id, as_utc(now, "now"), booking_id=booking_id)


def decide(record: ApprovalRecord, actor: Actor, decision: Literal["approve", "request_changes"],
           now: datetime, comment: str = "") -> ApprovalRecord:
    """The customer approves the revision, or asks for changes (a comment is then required)."""
    if actor.role is not Role.HOMEOWNER or actor.id != record.customer_id:
        raise Forbidden("only the customer of this design can approve it or ask for changes")
    if record.status is not RevisionStatus.PENDING:
        raise Conflict(f"this revision is already {record.status.value}", field="status")
    text = comment.strip()
    if decision == "request_changes" and not text:
        raise InvalidInput("say what should change", field="comment")
    status = RevisionStatus.APPROVED if decision == "approve" else RevisionStatus.CHANGES_REQUESTED
    return replace(record, status=status, decided_at=as_utc(now, "now"), comment=text)


def supersede(record: ApprovalRecord) -> ApprovalRecord:
    """Mark an older revision's record as replaced when a newer revision is sent for approval."""
    return replace(record, status=RevisionStatus.SUPERSEDED)


def order_block_reason(status: RevisionStatus | str | None) -> str | None:
    """Why a revision with this approval status cannot be ordered, or None when it can."""
    if status is None:
        return "this revision was never sent to the customer for approval"
    try:
        status = RevisionStatus(status)
    except ValueError:
        return f"unknown approval status '{status}'"
    return _BLOCK_REASONS.get(status)


def can_order(revision_status: RevisionStatus | str | None) -> bool:
    """True only for an ``approved`` revision."""
    return order_block_reason(revision_status) is None


def ensure_can_order(revision_status: RevisionStatus | str | None) -> None:
    """:class:`Conflict` with the reason unless the revision is approved."""
    reason = order_block_reason(revision_status)
    if reason is not None:
        raise Conflict(f"this design cannot be ordered: {reason}", field="revision")
