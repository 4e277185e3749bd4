"""Turn a strip plan (normalised, kerf-inflated frame) into a sheet in board coordinates:
placements, the cut sequence with stage numbers, and the offcuts worth keeping.

Cut order is the order of a panel saw working depth first: the four edge trims (stage 0),
then for each strip its stage-1 cut, that strip's stage-2 cuts, and for each stack its
stage-3 cuts followed by the parts' trimming cuts (stage N+1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backend.bom.nesting.model import Board, Cut, Offcut, Placement, Sheet
from backend.bom.nesting.packer import EPS, Plan

Orientation = Literal["horizontal", "vertical"]


@dataclass(frozen=True)
class Frame:
    """Maps frame coordinates (a along strips, b across) to the board's x, y."""

    board: Board
    trim: float
    kerf: float
    orientation: Orientation
    stages: int

    @property
    def usable(self) -> tuple[float, float]:
        """Real usable extent (a, b) in the frame."""
        lx = self.board.length - 2 * self.trim
        ly = self.board.width - 2 * self.trim
        return (lx, ly) if self.orientation == "horizontal" else (ly, lx)

    def rect(self, a: float, b: float, da: float, db: float) -> tuple[float, float, float, float]:
        t = self.trim
        if self.orientation == "horizontal":
            return (t + a, t + b, da, db)
        return (t + b, t + a, db, da)

    def cut_along_a(self, stage: int, kind: str, b: float, a0: float, a1: float) -> Cut:
        """A cut at constant b (a line running along a)."""
        x, y, dx, dy = self.rect(a0, b, a1 - a0, 0.0)
        return _cut(stage, kind, x, y, x + dx, y + dy)

    def cut_along_b(self, stage: int, kind: str, a: float, b0: float, b1: float) -> Cut:
        x, y, dx, dy = self.rect(a, b0, 0.0, b1 - b0)
        return _cut(stage, kind, x, y, x + dx, y + dy)


def _r(v: float) -> float:
    return round(v, 6) + 0.0


def _cut(stage: int, kind: str, x1: float, y1: float, x2: float, y2: float) -> Cut:
    k: Literal["edge-trim", "cut", "trim"] = "trim" if kind == "trim" else "cut"
    if kind == "edge-trim":
        k = "edge-trim"
    return Cut(stage, k, _r(x1), _r(y1), _r(x2), _r(y2))


def edge_trims(board: Board, trim: float, kerf: float) -> list[Cut]:
    if trim <= 0:
        return []
    lo = max(0.0, trim - kerf)
    lx, ly = board.length, board.width
    return [
        _cut(0, "edge-trim", 0.0, lo, lx, lo),
        _cut(0, "edge-trim", 0.0, ly - trim, lx, ly - trim),
        _cut(0, "edge-trim", lo, trim, lo, ly - trim),
        _cut(0, "edge-trim", lx - trim, trim, lx - trim, ly - trim),
    ]


def build_sheet(
    plan: Plan, frame: Frame, part_ids: list[str], min_offcut: tuple[float, float], remnant_id: str | None = None
) -> Sheet:
    k = frame.kerf
    real_a, real_b = frame.usable
    placements: list[Placement] = []
    cuts = edge_trims(frame.board, frame.trim, k)
    spare: list[tuple[float, float, float, float]] = []  # frame rects (a, b, da, db), real
    stack_kind = "trim" if frame.stages < 3 else "cut"
    trim_kind = "trim" if frame.stages < 4 else "cut"
    ob = 0.0
    for strip in plan:
        height = max(st.used for st in strip.stacks)
        end_b = ob + height - k  # real end of the strip
        if end_b < real_b - EPS:
            cuts.append(frame.cut_along_a(1, "cut", end_b, 0.0, real_a))
        oa = 0.0
        for st in strip.stacks:
            end_a = oa + st.width - k
            if end_a < real_a - EPS:
                cuts.append(frame.cut_along_b(2, "cut", end_a, ob, end_b))
            sb = ob
            for it, turned in st.items:
                da, db = (it.b, it.a) if turned else (it.a, it.b)
                x, y, w, h = frame.rect(oa, sb, da - k, db - k)
                placements.append(Placement(part_ids[it.idx], _r(x), _r(y), _r(w), _r(h), turned))
                item_end = sb + db - k
                if item_end < end_b - EPS:
                    cuts.append(frame.cut_along_a(3, stack_kind, item_end, oa, end_a))
                if oa + da - k < end_a - EPS:
                    cuts.append(frame.cut_along_b(4, trim_kind, oa + da - k, sb, item_end))
                    spare.append((oa + da, sb, end_a - oa - da, db - k))
                sb += db
            if sb < end_b - EPS:
                spare.append((oa, sb, st.width - k, end_b - sb))
            oa += st.width
        if oa < real_a - EPS:
            spare.append((oa, ob, real_a - oa, height - k))
        ob += height
    if ob < real_b - EPS:
        spare.append((0.0, ob, real_a, real_b - ob))
    lo, hi = sorted(min_offcut)
    offcuts = [
        Offcut(_r(x), _r(y), _r(w), _r(h))
        for x, y, w, h in (frame.rect(*s) for s in spare)
        if min(w, h) >= lo - EPS and max(w, h) >= hi - EPS
    ]
    return Sheet(frame.board, tuple(placements), tuple(cuts), tuple(offcuts), frame.orientation, remnant_id)
