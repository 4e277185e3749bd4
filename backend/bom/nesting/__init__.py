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

Stock: a material may be nested on one board size or on the factory's stock, remnants (offcuts
of earlier orders, each used once, filled first) and several sizes (each new sheet in the size that
wastes least; the layout with the fewest sheets wins, then the least stock area).  Every sheet
carries its own board and, for a remnant, its label; one size without remnants is the plain search.

Per material: sheets, yield = part area / board area of the sheets used, the area lower bound
``ceil(part area / trimmed area of the largest stock size)`` and the gap (sheets − lower bound).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

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
    Stock,
)
from backend.bom.nesting.packer import EPS, Budget, Item, Plan, Rule, best_fill, plan_area, plan_items, rules_for, solve
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
    "Stock",
    "nest",
    "nest_material",
]


BoardStock = Board | Sequence[Stock]
"""One material's boards: a single stock size, or its stock (remnants and one or more sizes)."""


def nest(
    parts: Sequence[Part], board: BoardStock | Mapping[str, BoardStock], settings: NestSettings | None = None
) -> NestResult:
    """Nest ``parts`` per material (``Part.material``) on ``board`` (one size for all, or per material
    name a size or a stock list of remnants and sizes, see :func:`nest_material`).  Raises
    ``InvalidInput`` for duplicate ids or a part that fits no stock size of its material."""
    settings = settings or NestSettings()
    _check_ids(parts)
    by_material: dict[str, list[Part]] = {}
    for p in parts:
        by_material.setdefault(p.material, []).append(p)
    results = []
    total = work_budget(len(parts), settings.effort)
    for material in sorted(by_material):
        b = board[material] if isinstance(board, Mapping) else board
        share = total * len(by_material[material]) / len(parts)
        results.append(nest_material(material, by_material[material], b, settings, share))
    return NestResult(settings, tuple(results))


def nest_material(
    material: str, parts: Sequence[Part], board: BoardStock, settings: NestSettings, work: float | None = None
) -> MaterialResult:
    """Nest the parts of one material; ``work`` is its search budget (default: by part count).

    ``board`` is one stock size, or the material's stock: remnants (``Stock.remnant_id`` set, each
    used at most once, in the order given) and one or more stock sizes (as many sheets as needed).
    Parts go on the remnants first (each remnant filled in turn with the best fill of all rules), then
    on new sheets: with one size the search of ``packer.solve``; with several, the best (fewest sheets,
    then least stock area) of a solve per size and a sheet-by-sheet construction that opens each
    sheet in the size wasting least (the smallest size that takes every remaining part, else the best
    filled), each then improved by moving whole sheets to smaller sizes and merging sheet pairs.
    One size and no remnants give exactly the single-size layout."""
    if work is None:
        work = work_budget(len(parts), settings.effort)
    stocks = [Stock(board)] if isinstance(board, Board) else list(board)
    sizes = list(dict.fromkeys(s.board for s in stocks if s.remnant_id is None))
    remnants = [s for s in stocks if s.remnant_id is not None]
    if not sizes:
        raise InvalidInput(f"material {material!r} has no stock size", field="stock")
    usable = [(b.length - 2 * settings.trim, b.width - 2 * settings.trim) for b in sizes]
    if any(x <= 0 or y <= 0 for x, y in usable):
        raise InvalidInput("the trim leaves nothing of the board", field="trim")
    largest = max(usable, key=lambda u: u[0] * u[1])
    for p in parts:
        if not any(_fits(p, x, y, settings.rotate) for x, y in usable):
            _check_fits(p, *largest, settings.rotate)
    area = sum(p.width * p.height for p in parts)
    lower = math.ceil(area / (largest[0] * largest[1]) - 1e-9) if parts else 0
    orientations: list[Orientation] = (
        ["horizontal", "vertical"] if settings.first_cut == "auto" else [settings.first_cut]
    )
    ids = [p.id for p in parts]
    if remnants or len(sizes) > 1:
        sheets = _nest_stock(parts, sizes, remnants, settings, work, orientations)
        return MaterialResult(material=material, sheets=tuple(sheets), part_area=area, lower_bound=lower,
                              board=sizes[0])
    best: list[Sheet] | None = None
    for orientation in orientations:
        frame = Frame(sizes[0], settings.trim, settings.kerf, orientation, settings.stages)
        plans = _pack(parts, frame, settings, work / len(orientations))
        sheets = [build_sheet(plan, frame, ids, settings.min_offcut) for plan in plans]
        if best is None or _rank(sheets) < _rank(best):
            best = sheets
    return MaterialResult(material=material, sheets=tuple(best or ()), part_area=area, lower_bound=lower,
                          board=sizes[0])


def _rank(sheets: list[Sheet]) -> tuple[int, float]:
    return (len(sheets), min((s.yield_ for s in sheets), default=0.0))


def _items(parts: Sequence[Part], orientation: Orientation, settings: NestSettings) -> list[Item]:
    """Kerf-inflated items in the frame of ``orientation``; ``idx`` is the part's index."""
    k = settings.kerf
    items = []
    for i, p in enumerate(parts):
        a, b = (p.width, p.height) if orientation == "horizontal" else (p.height, p.width)
        free = settings.rotate and not p.grain_locked
        items.append(Item(i, a + k, b + k, free, p.width * p.height))
    return items


def _rules(items: Sequence[Item], settings: NestSettings, most: int | None = None) -> list[Rule]:
    """The packer's rules for ``items`` (an evenly spread subset for big jobs, or of at most ``most``)."""
    rules = rules_for(settings.rotate and any(it.free for it in items), settings.stages)
    if most is not None and len(rules) > most:
        rules = rules[:: -(-len(rules) // most)]
    if len(items) > RULES_FULL_UP_TO:
        # one construction costs ~ rules × n²: big jobs use an evenly spread subset of rules
        keep = max(6, int(len(rules) * (RULES_FULL_UP_TO / len(items)) ** 2))
        rules = rules[:: max(1, len(rules) // keep)]
    return rules


def _pack(parts: Sequence[Part], frame: Frame, settings: NestSettings, work: float) -> list[Plan]:
    items = _items(parts, frame.orientation, settings)
    length, width = frame.usable
    k = settings.kerf
    return solve(items, length + k, width + k, _rules(items, settings), Budget(work), length * width)


# ------------------------------------------------------------------------------------------------
# several stock sizes and remnants

Placed = tuple[Frame, Plan]
QUICK_RULES = 10
"""Rules tried per fill by the sheet-by-sheet construction and when refilling a sheet on another size."""


def _bin(frame: Frame) -> tuple[float, float]:
    """The frame's inflated packing extent (a, b)."""
    a, b = frame.usable
    return a + frame.kerf, b + frame.kerf


def _takes(it: Item, size: tuple[float, float]) -> bool:
    return (it.a <= size[0] + EPS and it.b <= size[1] + EPS) or (
        it.free and it.b <= size[0] + EPS and it.a <= size[1] + EPS)


def _board_area(frame: Frame) -> float:
    return frame.board.length * frame.board.width


def _nest_stock(parts: Sequence[Part], sizes: list[Board], remnants: list[Stock], settings: NestSettings,
                work: float, orientations: list[Orientation]) -> list[Sheet]:
    ids = [p.id for p in parts]
    items = {o: _items(parts, o, settings) for o in orientations}
    unit = [1.0] * len(parts)
    done: set[int] = set()
    on_remnants: list[tuple[Frame, Plan, str]] = []
    for rem in remnants:
        best: tuple[Frame, Plan, set[int]] | None = None
        for o in orientations:
            frame = Frame(rem.board, settings.trim, settings.kerf, o, settings.stages)
            if min(frame.usable) <= 0:
                continue
            pool = [it for it in items[o] if it.idx not in done]
            if not pool:
                break
            plan, used = best_fill(pool, *_bin(frame), _rules(pool, settings), unit)
            if used and (best is None or plan_area(plan) > plan_area(best[1]) + EPS):
                best = (frame, plan, used)
        if best is not None:
            on_remnants.append((best[0], best[1], str(rem.remnant_id)))
            done |= best[2]
    left = [i for i in range(len(parts)) if i not in done]
    stock: list[Placed] = []
    if left:
        candidates: list[list[Placed]] = []
        share = work / (len(orientations) * len(sizes))
        for o in orientations:
            pool = [items[o][i] for i in left]
            rules = _rules(pool, settings)
            for board in sizes:
                frame = Frame(board, settings.trim, settings.kerf, o, settings.stages)
                if not all(_takes(it, _bin(frame)) for it in pool):
                    continue
                a, b = frame.usable
                plans = solve(pool, a + settings.kerf, b + settings.kerf, rules, Budget(share), a * b)
                candidates.append([(frame, plan) for plan in plans])
        if len(sizes) > 1:
            frames = sorted((Frame(b, settings.trim, settings.kerf, o, settings.stages)
                             for b in sizes for o in orientations), key=_board_area)
            candidates.append(_greedy(left, items, frames, settings))
            candidates = [_downsize(c, items, frames, settings) for c in candidates]
            candidates = [_merge(min(candidates, key=_rank_placed), items, frames, settings)]
        stock = min(candidates, key=_rank_placed)
    sheets = [build_sheet(plan, frame, ids, settings.min_offcut, rid) for frame, plan, rid in on_remnants]
    return sheets + [build_sheet(plan, frame, ids, settings.min_offcut) for frame, plan in stock]


def _rank_placed(sheets: list[Placed]) -> tuple[int, float, float]:
    """Fewest sheets (each sheet is a load, a pattern and a handling on the saw), then least stock area
    (waste), then the emptiest sheet as empty as possible (the largest offcut)."""
    return (len(sheets), sum(_board_area(f) for f, _ in sheets),
            min((plan_area(p) / _board_area(f) for f, p in sheets), default=0.0))


def _greedy(left: list[int], items: Mapping[Orientation, list[Item]], frames: list[Frame],
            settings: NestSettings) -> list[Placed]:
    """Sheet by sheet, each in the size (and first-cut direction) wasting least: the smallest that
    takes every remaining part, else the one filled best (placed area over board area)."""
    unit = [1.0] * (max(left) + 1)
    most = max(4, min(QUICK_RULES, QUICK_RULES * 2 * RULES_FULL_UP_TO // len(left)))  # fewer above 200 parts
    rules = {o: _rules([its[i] for i in left], settings, most) for o, its in items.items()}
    done: set[int] = set()
    out: list[Placed] = []
    while len(done) < len(left):
        best: tuple[tuple[float, float, float], Frame, Plan, set[int]] | None = None
        for frame in frames:
            pool = [items[frame.orientation][i] for i in left if i not in done]
            plan, used = best_fill(pool, *_bin(frame), rules[frame.orientation], unit)
            if not used:
                continue
            placed, board = plan_area(plan), _board_area(frame)
            key = (0.0, board, -placed) if len(used) == len(pool) else (1.0, -placed / board, board)
            if best is None or key < best[0]:
                best = (key, frame, plan, used)
        assert best is not None, "a part fits no stock size"
        out.append((best[1], best[2]))
        done |= best[3]
    return out


def _refill(idxs: list[int], items: Mapping[Orientation, list[Item]], frames: list[Frame],
            settings: NestSettings, below: float) -> Placed | None:
    """The smallest board (area under ``below``) one fill of which takes all of ``idxs``, or None."""
    for frame in frames:
        if _board_area(frame) >= below - EPS:
            break
        pool = [items[frame.orientation][i] for i in idxs]
        if not all(_takes(it, _bin(frame)) for it in pool):
            continue
        plan, used = best_fill(pool, *_bin(frame), _rules(pool, settings, QUICK_RULES), [1.0] * (max(idxs) + 1))
        if len(used) == len(pool):
            return frame, plan
    return None


def _downsize(sheets: list[Placed], items: Mapping[Orientation, list[Item]], frames: list[Frame],
              settings: NestSettings) -> list[Placed]:
    """Each sheet whose parts all fit a smaller stock size moves to the smallest such size."""
    out = []
    for frame, plan in sheets:
        moved = _refill([it.idx for it in plan_items(plan)], items, frames, settings, _board_area(frame))
        out.append(moved or (frame, plan))
    return out


def _merge(sheets: list[Placed], items: Mapping[Orientation, list[Item]], frames: list[Frame],
           settings: NestSettings) -> list[Placed]:
    """While the two emptiest sheets fit one board no larger than both together, make them one."""
    sheets = list(sheets)
    while len(sheets) > 1:
        order = sorted(range(len(sheets)), key=lambda i: (plan_area(sheets[i][1]), i))
        i, j = order[0], order[1]
        idxs = [it.idx for n in (i, j) for it in plan_items(sheets[n][1])]
        room = _board_area(sheets[i][0]) + _board_area(sheets[j][0])
        merged = _refill(idxs, items, frames, settings, room + 2 * EPS)
        if merged is None:
            break
        sheets = [s for n, s in enumerate(sheets) if n not in (i, j)] + [merged]
    return sheets


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


def _fits(p: Part, usable_x: float, usable_y: float, rotate: bool) -> bool:
    fits = p.width <= usable_x + 1e-9 and p.height <= usable_y + 1e-9
    turned = p.height <= usable_x + 1e-9 and p.width <= usable_y + 1e-9
    return fits or (rotate and not p.grain_locked and turned)


def _check_fits(p: Part, usable_x: float, usable_y: float, rotate: bool) -> None:
    if _fits(p, usable_x, usable_y, rotate):
        return
    turned = p.height <= usable_x + 1e-9 and p.width <= usable_y + 1e-9
    why = " (grain-locked, cannot turn)" if p.grain_locked and turned else ""
    raise InvalidInput(
        f"part {p.id!r} ({p.width:g}×{p.height:g}) does not fit the trimmed board "
        f"({usable_x:g}×{usable_y:g}){why}",
        field="parts",
    )
