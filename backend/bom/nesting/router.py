"""Free rectangular nesting for a CNC nesting router (pure, millimetres, board frame of ``model``).

Why our own code: rectpack (the usual Python library, a dev dependency used by the benchmark)
implements MaxRects but locks or frees rotation for the whole packer, not per part, and cannot
keep some parts out of part of the bin; a router line needs both (grain-locked parts never turn,
small parts stay away from the sheet's edges where the vacuum holds worst).  So this module is a
MaxRects packer (Jylänki, "A Thousand Ways to Pack the Bin", 2010: free rectangles split and pruned
after each placement) with those two constraints, tried with a few sort orders, scoring rules and
first-fit / best-fit bin choice; the best result (fewest stock sheets, then least stock area, then
the emptiest last sheet) wins.  No randomness, no clock.

Rules:

- ``trim`` is removed from every board edge; every part lies inside the trimmed board;
- any two parts are at least ``spacing`` apart (the router's tool diameter: each outline is cut
  with the tool's centre a radius outside the part);
- a *small* part (shorter side below ``small_side_mm`` or area below ``small_area_mm2``) keeps
  ``small_margin`` from the trimmed board's edges, and is cut after every large part of its sheet (a
  long strip that cannot keep that margin on its board is placed and cut as a large part);
- grain-locked parts keep their width along the board's length (never rotated);
- boards: the material's remnants first (each once, in the order given), then stock sizes, each as
  many times as needed: a new sheet opens in the size wasting least (the smallest that takes every
  part still to place, else the one a trial fill of the remaining parts fills best); a last sheet whose
  parts fit a smaller stock size is moved to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backend.bom.nesting.model import Board, MaterialSheets, Part
from backend.bom.nesting.model import Stock as Stock  # re-exported: the router's boards
from backend.errors import InvalidInput

Rect = tuple[float, float, float, float]  # x, y, w, h


@dataclass(frozen=True)
class RouterSettings:
    trim: float = 10.0
    spacing: float = 12.0
    """Tool diameter: the free gap between any two parts."""
    small_side_mm: float = 150.0
    small_area_mm2: float = 60_000.0
    small_margin: float = 60.0
    """How far small parts keep from the trimmed board's edges."""
    rotate: bool = True

    def __post_init__(self) -> None:
        if min(self.trim, self.spacing, self.small_margin) < 0:
            raise InvalidInput("trim, spacing and margins must not be negative", field="spacing")

    def small(self, p: Part) -> bool:
        return min(p.width, p.height) < self.small_side_mm or p.width * p.height < self.small_area_mm2

    def held_in(self, p: Part, board: Board) -> bool:
        """Is ``p`` kept ``small_margin`` inside the trimmed ``board``: a small part that fits there in an
        orientation it may take (a long strip, e.g. a 2,700 mm plinth on a 2,800 mm board, does not, and is
        placed and cut as a large part)."""
        if not self.small(p):
            return False
        room = (board.length - 2 * (self.trim + self.small_margin), board.width - 2 * (self.trim + self.small_margin))
        sizes = [(p.width, p.height)] + ([(p.height, p.width)] if self.rotate and not p.grain_locked else [])
        return any(w <= room[0] + 1e-9 and h <= room[1] + 1e-9 for w, h in sizes)


@dataclass(frozen=True)
class RouterPlacement:
    part_id: str
    x: float
    y: float
    width: float
    height: float
    rotated: bool
    order: int
    """1-based cut order on the sheet (large parts first, small parts last)."""
    small: bool


@dataclass(frozen=True)
class RouterSheet:
    board: Board
    remnant_id: str | None
    placements: tuple[RouterPlacement, ...]

    @property
    def yield_(self) -> float:
        return sum(p.width * p.height for p in self.placements) / (self.board.length * self.board.width)


@dataclass(frozen=True)
class RouterMaterial(MaterialSheets[RouterSheet]):
    """The router's sheets of one material (``lower_bound``: ceil(part area / trimmed area of the largest
    stock size), the stock sheets needed without remnants)."""


@dataclass(frozen=True)
class RouterResult:
    settings: RouterSettings
    materials: tuple[RouterMaterial, ...] = field(default_factory=tuple)

    @property
    def sheet_count(self) -> int:
        return sum(m.sheet_count for m in self.materials)

    def to_dict(self) -> dict[str, Any]:
        s = self.settings
        return {
            "format": "roomwright-router-nesting/1", "mode": "router",
            "settings": {"trim": s.trim, "spacing": s.spacing, "small_side_mm": s.small_side_mm,
                         "small_area_mm2": s.small_area_mm2, "small_margin": s.small_margin, "rotate": s.rotate},
            "sheet_count": self.sheet_count,
            "materials": [{
                "material": m.material, "sheet_count": m.sheet_count, "stock_sheets": m.stock_sheets,
                "lower_bound": m.lower_bound, "part_area": m.part_area,
                "sheets": [{"index": i, "board": {"length": sh.board.length, "width": sh.board.width},
                            "remnant_id": sh.remnant_id, "yield": round(sh.yield_, 6),
                            "placements": [{"part_id": p.part_id, "x": p.x, "y": p.y, "width": p.width,
                                            "height": p.height, "rotated": p.rotated, "order": p.order,
                                            "small": p.small} for p in sh.placements]}
                           for i, sh in enumerate(m.sheets, 1)],
            } for m in self.materials],
        }


# ------------------------------------------------------------------------------------------------
# MaxRects with per-part constraints


class _Bin:
    """One board's free space (in the inflated frame: every part grows by ``spacing``)."""

    def __init__(self, stock: Stock, s: RouterSettings) -> None:
        self.stock = stock
        self.w = stock.board.length - 2 * s.trim + s.spacing
        self.h = stock.board.width - 2 * s.trim + s.spacing
        self.free: list[Rect] = [(0.0, 0.0, self.w, self.h)]
        self.placed: list[tuple[Part, float, float, float, float, bool]] = []
        self.used = 0.0

    def find(self, w: float, h: float, region: Rect, score: str) -> tuple[float, float, float] | None:
        """Best (score, x, y) for a w×h rectangle inside ``region`` (x0, y0, x1, y1)."""
        best: tuple[float, float, float] | None = None
        for fx, fy, fw, fh in self.free:
            x, y = max(fx, region[0]), max(fy, region[1])
            if x + w > min(fx + fw, region[2]) + 1e-9 or y + h > min(fy + fh, region[3]) + 1e-9:
                continue
            aw, ah = min(fx + fw, region[2]) - x, min(fy + fh, region[3]) - y
            value = {"bssf": min(aw - w, ah - h), "baf": aw * ah - w * h, "bl": y * 1e6 + x}[score]
            if best is None or (value, y, x) < (best[0], best[2], best[1]):
                best = (value, x, y)
        return best

    def place(self, x: float, y: float, w: float, h: float) -> None:
        out: list[Rect] = []
        for f in self.free:
            out.extend(_split(f, (x, y, w, h)))
        self.free = _prune(out)


def _split(f: Rect, r: Rect) -> list[Rect]:
    fx, fy, fw, fh = f
    x, y, w, h = r
    if x >= fx + fw or x + w <= fx or y >= fy + fh or y + h <= fy:
        return [f]
    out = []
    if x > fx:
        out.append((fx, fy, x - fx, fh))
    if x + w < fx + fw:
        out.append((x + w, fy, fx + fw - x - w, fh))
    if y > fy:
        out.append((fx, fy, fw, y - fy))
    if y + h < fy + fh:
        out.append((fx, y + h, fw, fy + fh - y - h))
    return [o for o in out if o[2] > 1e-9 and o[3] > 1e-9]


def _prune(rects: list[Rect]) -> list[Rect]:
    keep = []
    for i, a in enumerate(rects):
        inside = any(j != i and _contains(b, a) and (not _contains(a, b) or j < i) for j, b in enumerate(rects))
        if not inside:
            keep.append(a)
    return keep


def _contains(a: Rect, b: Rect) -> bool:
    return (a[0] <= b[0] + 1e-9 and a[1] <= b[1] + 1e-9 and b[0] + b[2] <= a[0] + a[2] + 1e-9
            and b[1] + b[3] <= a[1] + a[3] + 1e-9)


SORTS: dict[str, Callable[[Part], tuple[float, ...]]] = {
    "area": lambda p: (-p.width * p.height, -max(p.width, p.height)),
    "long_side": lambda p: (-max(p.width, p.height), -min(p.width, p.height)),
    "perimeter": lambda p: (-(p.width + p.height), -p.width * p.height),
    "width": lambda p: (-p.width, -p.height),
}
SCORES = ("bssf", "baf", "bl")


def _region(b: _Bin, small: bool, s: RouterSettings) -> Rect:
    if not small:
        return (0.0, 0.0, b.w, b.h)
    m = s.small_margin
    return (m, m, b.w - m, b.h - m)


def _pack(parts: Sequence[Part], stocks: Sequence[Stock], s: RouterSettings, sort: str, score: str,
          best_bin: bool = False, boosted: frozenset[str] = frozenset(), policy: str = "waste") -> list[_Bin]:
    """Pack in sort order, large parts first and small last; ``boosted`` parts go first of their kind.
    A new sheet opens in the first stock size (``policy`` "first") or in the size wasting least ("waste");
    a part that size cannot take opens the first size that takes it."""
    order = sorted(parts, key=lambda p: (s.small(p), p.id not in boosted, *SORTS[sort](p)))
    sizes = [st for st in stocks if st.remnant_id is None]
    bins = [_Bin(st, s) for st in stocks if st.remnant_id is not None]  # every part tries the remnants first
    for n, p in enumerate(order):
        small = s.small(p)
        if not _put(bins, p, _turns(p, s), small, s, score, best_bin):
            # the policy's size, else the first size that takes the part (one longer than the first size)
            chosen = [sizes[0] if policy == "first" else _new_size(order, n, sizes, s, score)]
            for st in [*chosen, *sizes]:
                b = _Bin(st, s)
                if _put([b], p, _turns(p, s), small, s, score):
                    bins.append(b)
                    break
            else:
                raise InvalidInput(f"part {p.id!r} ({p.width:g}×{p.height:g}) fits no board of its material",
                                   field="parts")
    return [b for b in bins if b.placed]


POLICIES = ("first", "waste")
"""How a new sheet's size is chosen: the first stock size, or the one wasting least (tried only with
several sizes; the better result wins)."""
LOOKAHEAD = 80
"""How many of the parts still to place a trial fill of a new sheet tries."""


def _turns(p: Part, s: RouterSettings) -> list[bool]:
    return [False, True] if s.rotate and not p.grain_locked and p.width != p.height else [False]


def _new_size(order: Sequence[Part], n: int, sizes: Sequence[Stock], s: RouterSettings, score: str) -> Stock:
    """The stock size for a new sheet opened for ``order[n]``: with one size that size; else each size
    is tried by filling a fresh sheet with ``order[n]`` and the next parts (up to ``LOOKAHEAD``), and the
    smallest that takes them all wins, else the best filled (placed area over board area)."""
    if len(sizes) == 1:
        return sizes[0]
    rest = order[n:n + LOOKAHEAD]
    best: tuple[tuple[float, float], Stock] | None = None
    for st in sizes:
        trial = _Bin(st, s)
        if not _put([trial], rest[0], _turns(rest[0], s), s.small(rest[0]), s, score):
            continue
        placed = 1 + sum(1 for q in rest[1:] if _put([trial], q, _turns(q, s), s.small(q), s, score))
        area = st.board.length * st.board.width
        key = (0.0, area) if placed == len(rest) and n + len(rest) == len(order) else (1.0, -trial.used / area)
        if best is None or key < best[0]:
            best = (key, st)
    return best[1] if best is not None else sizes[0]


def _put(bins: Sequence[_Bin], p: Part, turns: list[bool], small: bool, s: RouterSettings, score: str,
         best_bin: bool = False) -> bool:
    """Place ``p`` in the first bin that takes it (bins in opening order), or with ``best_bin`` in the
    bin and place with the best score over all open bins."""
    best: tuple[float, _Bin, float, float, bool] | None = None
    for b in bins:
        region = _region(b, small and s.held_in(p, b.stock.board), s)
        for turned in turns:
            w, h = (p.height, p.width) if turned else (p.width, p.height)
            found = b.find(w + s.spacing, h + s.spacing, region, score)
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], b, found[1], found[2], turned)
        if best is not None and not best_bin:
            break
    if best is None:
        return False
    _, b, x, y, turned = best
    w, h = (p.height, p.width) if turned else (p.width, p.height)
    b.place(x, y, w + s.spacing, h + s.spacing)
    b.placed.append((p, x, y, w, h, turned))
    b.used += w * h
    return True


def _downsize(bins: list[_Bin], stocks: Sequence[Stock], s: RouterSettings, sort: str, score: str) -> list[_Bin]:
    """Move the last stock sheet's parts to the smallest stock size (smaller than its own) that takes
    them all."""
    if not bins or bins[-1].stock.remnant_id is not None:
        return bins
    own = bins[-1].stock.board.length * bins[-1].stock.board.width
    sizes = [st for st in stocks if st.remnant_id is None and st.board.length * st.board.width < own]
    parts = [pl[0] for pl in bins[-1].placed]
    for st in sorted(sizes, key=lambda st: st.board.length * st.board.width):
        try:
            trial = _pack(parts, [st], s, sort, score)
        except InvalidInput:
            continue
        if len(trial) == 1:
            return [*bins[:-1], trial[0]]
    return bins


def _sheet(b: _Bin, s: RouterSettings) -> RouterSheet:
    board = b.stock.board
    ordered = sorted(b.placed, key=lambda pl: (s.held_in(pl[0], board), -pl[3] * pl[4], pl[2], pl[1]))
    out = []
    for n, (p, x, y, w, h, turned) in enumerate(ordered, 1):
        out.append(RouterPlacement(p.id, round(x + s.trim, 3), round(y + s.trim, 3), w, h, turned, n,
                                   s.held_in(p, board)))
    return RouterSheet(b.stock.board, b.stock.remnant_id, tuple(out))


def nest_router_material(material: str, parts: Sequence[Part], stocks: Sequence[Stock],
                         settings: RouterSettings) -> RouterMaterial:
    """Nest one material's parts on its remnants and stock sizes (at least one stock size)."""
    sizes = [st for st in stocks if st.remnant_id is None]
    if not sizes:
        raise InvalidInput(f"material {material!r} has no stock size", field="stock")
    best: list[_Bin] | None = None
    policies = POLICIES if len(sizes) > 1 else POLICIES[:1]
    for policy in policies:
        for sort in SORTS:
            for score in SCORES:
                for best_bin in (False, True):
                    bins = _downsize(_pack(parts, stocks, settings, sort, score, best_bin, policy=policy), stocks,
                                     settings, sort, score)
                    if best is None or _rank(bins) < _rank(best):
                        best = bins
    for policy in policies:
        best = _boost(parts, stocks, settings, best or [], policy)
    area = sum(p.width * p.height for p in parts)
    usable = max((st.board.length - 2 * settings.trim) * (st.board.width - 2 * settings.trim) for st in sizes)
    lower = math.ceil(area / usable - 1e-9) if parts else 0
    return RouterMaterial(material, tuple(_sheet(b, settings) for b in best or []), area, lower)


BOOST_ROUNDS = 12


def _boost(parts: Sequence[Part], stocks: Sequence[Stock], s: RouterSettings, best: list[_Bin],
           policy: str = "first") -> list[_Bin]:
    """Try to empty the last sheet: the parts that ended there are packed first next time, a few
    rounds (the "priority" idea of sequential heuristics; deterministic, a fixed number of rounds)."""
    boosted: frozenset[str] = frozenset()
    for _ in range(BOOST_ROUNDS):
        if len(best) <= 1:
            break
        boosted = boosted | {pl[0].id for pl in best[-1].placed}
        for score in ("bssf", "baf"):
            bins = _downsize(_pack(parts, stocks, s, "area", score, False, boosted, policy), stocks, s, "area",
                             score)
            if _rank(bins) < _rank(best):
                best = bins
    return best


def _rank(bins: list[_Bin]) -> tuple[int, float, float]:
    """Fewest stock sheets, then least stock area (waste), then the emptiest last sheet (as the saw ranks)."""
    stock_area = sum(b.stock.board.length * b.stock.board.width for b in bins if b.stock.remnant_id is None)
    return (sum(1 for b in bins if b.stock.remnant_id is None), stock_area, bins[-1].used if bins else 0.0)


def nest_router(parts: Sequence[Part], stocks: Mapping[str, Sequence[Stock]],
                settings: RouterSettings | None = None) -> RouterResult:
    """Nest ``parts`` per material on ``stocks[material]`` (remnants and stock sizes)."""
    settings = settings or RouterSettings()
    seen: set[str] = set()
    by_material: dict[str, list[Part]] = {}
    for p in parts:
        if p.id in seen:
            raise InvalidInput(f"part id {p.id!r} appears twice", field="parts")
        seen.add(p.id)
        by_material.setdefault(p.material, []).append(p)
    return RouterResult(settings, tuple(nest_router_material(m, by_material[m], stocks[m], settings)
                                        for m in sorted(by_material)))
