"""Sheet nesting: rectangular parts onto stock boards, cuttable by a panel saw.

Why our own code: no well-kept Python library solves *constrained* guillotine nesting as a
panel-furniture plant needs it.  rectpack packs guillotine layouts but has no stage limit, no
saw kerf, no trim and no per-part rotation lock; packingsolver (the state of the art, C++) ships
Python bindings only for Python ≥ 3.12; OR-tools/CP models are far too slow for 600-part batches.
So this package implements a 3-stage strip packer (see ``packer``) and is verified by an
independent checker (``backend.bom.layout_check``) that shares no code with it.

Conventions (millimetres, board frame of ``model``):

- ``trim`` is removed from every edge; parts lie inside the trimmed board.  Every other cut
  removes ``kerf``; any two parts are at least one kerf apart along the cut between them.
- Stages follow the usual "N-stage non-exact" counting: stage 1 cuts run across the whole
  (trimmed) board and make strips, stage 2 cuts split a strip into stacks, stage 3 cuts split a
  stack into parts, and one more cut per part (labelled ``trim``, stage N+1) may remove waste
  beside a part.  The edge trims are stage 0 and not counted.  With ``stages=2`` each stack
  holds one part; ``stages=4`` accepts the 3-stage layouts (the trimming cut is then a regular
  stage-4 cut).
- Grain-locked parts are never rotated: their ``width`` (the CSV's length) stays along x,
  the board's length.  Free parts are turned by 90° when that packs better and ``rotate`` is on.
- The result is a pure function of the input: no randomness, no time limits; the search effort
  is a number of iterations derived from the part count and ``effort``.

Per material: sheets, yield = part area / board area of the sheets used, the area lower bound
``ceil(part area / trimmed board area)`` and the gap (sheets − lower bound).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from backend.bom.nesting.layout import Frame, Orientation, build_sheet
from backend.bom.nesting.model import (
    Board,
    Cut,
    MaterialResult,
    NestResult,
    NestSettings,
    Offcut,
    Part,
    Placement,
    Sheet,
)
from backend.bom.nesting.packer import Budget, Item, Plan, rules_for, solve
from backend.errors import InvalidInput

WORK_BASE = 1_500_000.0
WORK_PER_PART = 10_000.0
RULES_FULL_UP_TO = 100

__all__ = [
    "Board",
    "Cut",
    "MaterialResult",
    "NestResult",
    "NestSettings",
    "Offcut",
    "Part",
    "Placement",
    "Sheet",
    "nest",
    "nest_material",
]


def nest(
    parts: Sequence[Part], board: Board | dict[str, Board], settings: NestSettings | None = None
) -> NestResult:
    """Nest ``parts`` per material (``Part.material``) on ``board`` (one size for all, or a
    board per material name).  Raises ``InvalidInput`` for duplicate ids or a part that does
    not fit its board."""
    settings = settings or NestSettings()
    _check_ids(parts)
    by_material: dict[str, list[Part]] = {}
    for p in parts:
        by_material.setdefault(p.material, []).append(p)
    results = []
    total = work_budget(len(parts), settings.effort)
    for material in sorted(by_material):
        b = board[material] if isinstance(board, dict) else board
        share = total * len(by_material[material]) / len(parts)
        results.append(nest_material(material, by_material[material], b, settings, share))
    return NestResult(settings, tuple(results))


def nest_material(
    material: str, parts: Sequence[Part], board: Board, settings: NestSettings, work: float | None = None
) -> MaterialResult:
    """Nest the parts of one material; ``work`` is its search budget (default: by part count)."""
    if work is None:
        work = work_budget(len(parts), settings.effort)
    usable_x = board.length - 2 * settings.trim
    usable_y = board.width - 2 * settings.trim
    if usable_x <= 0 or usable_y <= 0:
        raise InvalidInput("the trim leaves nothing of the board", field="trim")
    for p in parts:
        _check_fits(p, usable_x, usable_y, settings.rotate)
    area = sum(p.width * p.height for p in parts)
    lower = math.ceil(area / (usable_x * usable_y) - 1e-9) if parts else 0
    orientations: list[Orientation] = (
        ["horizontal", "vertical"] if settings.first_cut == "auto" else [settings.first_cut]
    )
    best: list[Sheet] | None = None
    for orientation in orientations:
        frame = Frame(board, settings.trim, settings.kerf, orientation, settings.stages)
        plans = _pack(parts, frame, settings, work / len(orientations))
        ids = [p.id for p in parts]
        sheets = [build_sheet(plan, frame, ids, settings.min_offcut) for plan in plans]
        if best is None or _rank(sheets) < _rank(best):
            best = sheets
    return MaterialResult(material, board, tuple(best or ()), area, lower)


def _rank(sheets: list[Sheet]) -> tuple[int, float]:
    return (len(sheets), min((s.yield_ for s in sheets), default=0.0))


def _pack(parts: Sequence[Part], frame: Frame, settings: NestSettings, work: float) -> list[Plan]:
    k = settings.kerf
    items = []
    for i, p in enumerate(parts):
        a, b = (p.width, p.height) if frame.orientation == "horizontal" else (p.height, p.width)
        free = settings.rotate and not p.grain_locked
        items.append(Item(i, a + k, b + k, free, p.width * p.height))
    length, width = frame.usable
    rules = rules_for(settings.rotate and any(it.free for it in items), settings.stages)
    if len(items) > RULES_FULL_UP_TO:
        # one construction costs ~ rules × n²: big jobs use an evenly spread subset of rules
        keep = max(6, int(len(rules) * (RULES_FULL_UP_TO / len(items)) ** 2))
        rules = rules[:: max(1, len(rules) // keep)]
    budget = Budget(work)
    return solve(items, length + k, width + k, rules, budget, length * width)


def work_budget(n: int, effort: int) -> float:
    """Search work for a job of ``n`` parts (units of :class:`packer.Budget`, ≈ part scans),
    shared among its materials by part count and between the two first-cut directions."""
    return effort * (WORK_BASE + WORK_PER_PART * n)


def _check_ids(parts: Sequence[Part]) -> None:
    seen: set[str] = set()
    for p in parts:
        if p.id in seen:
            raise InvalidInput(f"part id {p.id!r} appears twice", field="parts")
        seen.add(p.id)


def _check_fits(p: Part, usable_x: float, usable_y: float, rotate: bool) -> None:
    fits = p.width <= usable_x + 1e-9 and p.height <= usable_y + 1e-9
    turned = p.height <= usable_x + 1e-9 and p.width <= usable_y + 1e-9
    if fits or (rotate and not p.grain_locked and turned):
        return
    why = " (grain-locked, cannot turn)" if p.grain_locked and turned else ""
    raise InvalidInput(
        f"part {p.id!r} ({p.width:g}×{p.height:g}) does not fit the trimmed board "
        f"({usable_x:g}×{usable_y:g}){why}",
        field="parts",
    )
