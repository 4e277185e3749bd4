"""Auto-fill: fill a wall run (or an L/U/galley set of walls) with cabinets; ranked alternatives.

Two layers:

* :func:`fill_length` — the pure 1-D core: a free length → up to five *layouts* (unit widths and
  fillers), each exactly filling the length with units inside the catalog's width ranges and
  fillers inside the filler family's range.  Strategies: standard widths + filler, standard 600s
  + one made-to-measure unit, equal made-to-measure units (no filler), fewer wider units, and
  standard widths with fillers split to both ends.
* :func:`fill` (and :func:`autofill`, its alternatives) — a room and its walls → runs along the
  stretch of each wall that faces the room (minus doors; corners of an L or U where the room's own
  corners are, handled with a blind-corner unit and a filler on the next wall), fixed slots (sink
  under a window where possible, dishwasher beside it, a fridge at a free end of the run, hob away
  from the windows), the free intervals filled with one strategy per alternative, wall units above;
  units that would take part in a blocking finding are left out (every alternative is valid; when
  none is left, the reasons say why); each alternative priced by the caller's price function (the
  one pricing rule, ``backend.bom.pricing.price_cabinets``, which this package may not import) and
  returned as one undoable :class:`~backend.configurator.commands.Batch`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry import Point as SPoint

from backend.configurator import wording
from backend.configurator.catalog import Catalog
from backend.configurator.commands import AddCabinet, AddItem, Batch, Command
from backend.configurator.placement import default_elevation, footprint, wall_normal, wall_polygon
from backend.configurator.validation import Finding, door_zone, validate
from backend.design.model import Design, Door, PlacedCabinet, PlacedItem, Room, Wall, WallPlacement, Window
from backend.design.units import TOL
from backend.errors import InvalidInput

STANDARD_WIDTHS = (150, 200, 300, 400, 450, 500, 600, 800, 900, 1000, 1200)
STRATEGIES = ("standard_filler", "standard_custom", "equal_custom", "wide_custom", "standard_split")
DOOR_CLEARANCE_MM = 50
CORNER_FILLER_MM = 72
SINK_WIDTH, HOB_WIDTH, DISHWASHER_WIDTH, FRIDGE_WIDTH = 800, 800, 600, 600


@dataclass(frozen=True)
class Limits:
    unit_min: float = 150
    unit_max: float = 1200
    filler_min: float = 30  # the narrowest strip the factory machines can hold (bom.checks: 50 × 30 mm)
    filler_max: float = 150


@dataclass(frozen=True)
class Segment:
    kind: str  # "unit" or "filler"
    width_mm: float


@dataclass(frozen=True)
class Layout:
    strategy: str
    segments: tuple[Segment, ...]

    @property
    def filler_mm(self) -> float:
        return sum(s.width_mm for s in self.segments if s.kind == "filler")

    @property
    def units(self) -> int:
        return sum(1 for s in self.segments if s.kind == "unit")


# ------------------------------------------------------------------------------------------------
# 1-D core


@lru_cache(maxsize=64)
def _standard_sums(limit: int) -> dict[int, tuple[int, ...]]:
    """Every sum of standard widths up to ``limit`` → the combination with fewest units (600s first)."""
    best: dict[int, tuple[int, ...]] = {0: ()}
    order = sorted(STANDARD_WIDTHS, key=lambda w: (abs(w - 600), -w))
    for total in range(50, limit + 1, 50):
        options = [best[total - w] + (w,) for w in order if total - w in best]
        if options:
            best[total] = min(options, key=lambda c: (len(c), sum(abs(w - 600) for w in c)))
    return best


def _units(widths: list[float]) -> list[Segment]:
    return [Segment("unit", w) for w in widths]


def _equal(length: float, count: int) -> list[float]:
    """``count`` whole-mm widths summing to ``length`` (the remainder goes to the first units)."""
    base = math.floor(length / count)
    extra = round(length - base * count)
    return [float(base + (1 if i < extra else 0)) for i in range(count)] if count else []


def _standard(length: float, lim: Limits, split: bool) -> list[Segment] | None:
    sums = _standard_sums(int(length // 50 * 50) + 50)
    candidates = []
    for total, combo in sums.items():
        rest = length - total
        if rest < -1e-6:
            continue
        ok = abs(rest) < 0.5 or (lim.filler_min <= rest <= lim.filler_max)
        if split:
            ok = 2 * lim.filler_min <= rest <= 2 * lim.filler_max
        if ok and (combo or abs(rest) < 0.5 or lim.filler_min <= rest <= lim.filler_max):
            candidates.append((rest, len(combo), combo))
    if not candidates:
        return None
    rest, _, combo = min(candidates, key=lambda c: (c[0] > 0.5, c[1], c[0]))
    widths = sorted(combo, reverse=True)
    units = _units([float(w) for w in widths])
    if rest < 0.5:
        return units
    if split:
        first = math.floor(rest / 2)
        return [Segment("filler", float(first)), *units, Segment("filler", rest - first)]
    return [*units, Segment("filler", rest)]


def _custom_units(length: float, lim: Limits, target: float) -> list[Segment] | None:
    count = max(1, math.ceil(length / target - 1e-9))
    while count * lim.unit_max < length:
        count += 1
    widths = _equal(length, count)
    if widths and all(lim.unit_min <= w <= lim.unit_max for w in widths):
        return _units(widths)
    return None


def _standard_custom(length: float, lim: Limits) -> list[Segment] | None:
    if length < lim.unit_min:
        return None
    count = max(0, math.floor((length - lim.unit_min) / 600))
    rest = length - 600 * count
    while rest > lim.unit_max:
        count, rest = count + 1, rest - 600
    return _units([600.0] * count + [rest]) if lim.unit_min <= rest else None


def fill_length(length_mm: float, limits: Limits | None = None) -> list[Layout]:
    """Layouts that exactly fill ``length_mm`` (see the module docstring); best-first, distinct."""
    lim = limits or Limits()
    length = float(round(length_mm))
    if length < 0.5:
        return [Layout("empty", ())]
    if length < lim.unit_min:
        return [Layout("filler_only", (Segment("filler", length),))] if lim.filler_min <= length <= lim.filler_max \
            else []
    results: list[Layout] = []
    makers = {
        "standard_filler": lambda: _standard(length, lim, split=False),
        "standard_custom": lambda: _standard_custom(length, lim),
        "equal_custom": lambda: _custom_units(length, lim, 600),
        "wide_custom": lambda: _custom_units(length, lim, 900),
        "standard_split": lambda: _standard(length, lim, split=True),
    }
    seen: set[tuple[Segment, ...]] = set()
    for name in STRATEGIES:
        segments = makers[name]()
        if segments is not None and tuple(segments) not in seen:
            seen.add(tuple(segments))
            results.append(Layout(name, tuple(segments)))
    return results


# ------------------------------------------------------------------------------------------------
# walls → runs → cabinets


@dataclass(frozen=True)
class Run:
    wall_id: str
    side: str
    start_mm: float
    end_mm: float
    corner_unit: str | None = None
    """'start' or 'end': the end of this run where the corner unit of an L/U stands."""
    corner_filler: str | None = None
    """'start' or 'end': the end of this run that the neighbouring corner unit covers (a filler)."""


@dataclass
class Alternative:
    rank: int
    strategy: str
    cabinets: list[PlacedCabinet]
    items: list[PlacedItem]
    command: Batch
    filler_mm: float
    fillers: int
    unit_count: int
    price_cents: int
    notes: list[str] = field(default_factory=list)
    differences: str = ""
    note_codes: list[dict[str, Any]] = field(default_factory=list)
    """The notes as codes with parameters (``wording.REASONS``), for a page to show in its language."""
    open_mm: float = 0.0
    """Wardrobe walls: how much of the free stretch no unit covers (units left out for a blocking finding)."""


def _joined(a: Wall, b: Wall) -> tuple[str, str] | None:
    """Which ends of a and b meet ('start'/'end'), if they do."""
    for ea, pa in (("start", a.start), ("end", a.end)):
        for eb, pb in (("start", b.start), ("end", b.end)):
            if pa.distance_to(pb) <= max(a.thickness_mm, b.thickness_mm):
                return ea, eb
    return None


def _meeting_end(wall: Wall, other: Wall | None) -> str | None:
    """Which end of ``wall`` ('start'/'end') meets ``other``, if they are joined."""
    joint = _joined(wall, other) if other is not None else None
    return joint[0] if joint is not None else None


def side_facing_room(design: Design, wall: Wall) -> str:
    """The side of the wall that faces the kitchen (else any room): probed at several points along it,
    since a wall shared by two rooms may have another wall meeting it at its middle."""
    rooms = [r.shape() for r in design.plan.rooms]
    kitchens = [r.shape() for r in design.plan.rooms if r.type == "kitchen"]
    best, best_score = "right", (-1, -1)
    for side in ("right", "left"):
        n = wall_normal(wall, side)
        reach = wall.thickness_mm / 2 + 300
        probes = [SPoint(wall.start.x + (wall.end.x - wall.start.x) * t + n[0] * reach,
                         wall.start.y + (wall.end.y - wall.start.y) * t + n[1] * reach)
                  for t in (0.1, 0.3, 0.5, 0.7, 0.9)]
        score = (sum(any(k.contains(p) for k in kitchens) for p in probes),
                 sum(any(r.contains(p) for r in rooms) for p in probes))
        if score > best_score:
            best, best_score = side, score
    return best


def plan_runs(design: Design, wall_ids: list[str], side: str | None = None, room: Room | None = None) -> list[Run]:
    """Usable spans along each wall (between the faces of joining walls), in wall order; with a room,
    only the stretch of each wall that faces the room (between its corners), on the room's side, with
    the corners of an L or U where the room's own corners are."""
    walls = {w.id: w for w in design.plan.walls}
    for wid in wall_ids:
        if wid not in walls:
            raise InvalidInput(f"wall '{wid}' is not in the plan", field="wall_ids")
    if room is not None:
        return _room_runs(design, [walls[w] for w in wall_ids], room)
    runs = []
    for i, wid in enumerate(wall_ids):
        wall = walls[wid]
        start, end = _between_joints(design, wall)
        prev_wall = walls[wall_ids[i - 1]] if i > 0 else None
        next_wall = walls[wall_ids[i + 1]] if i + 1 < len(wall_ids) else None
        # walls may be given in either direction: the corner is at whichever ends meet
        unit_end = _meeting_end(wall, next_wall)
        filler_end = _meeting_end(wall, prev_wall)
        if filler_end is not None and filler_end == unit_end:  # a wall between two corners of a U
            unit_end = "end" if filler_end == "start" else "start"
        start, end = float(math.ceil(start - 1e-6)), float(math.floor(end + 1e-6))  # whole millimetres
        runs.append(Run(wid, side or side_facing_room(design, wall), start, end, unit_end, filler_end))
    return runs


def _between_joints(design: Design, wall: Wall) -> tuple[float, float]:
    """The span of ``wall`` between the faces of the walls joining its ends."""
    start, end = 0.0, wall.length_mm
    for other in design.plan.walls:
        if other.id == wall.id:
            continue
        line = LineString([(other.start.x, other.start.y), (other.end.x, other.end.y)])
        reach = other.thickness_mm / 2 + TOL.length_mm
        if line.distance(SPoint(wall.start.x, wall.start.y)) <= reach:  # an L or T joint at our start
            start = max(start, other.thickness_mm / 2)
        if line.distance(SPoint(wall.end.x, wall.end.y)) <= reach:
            end = min(end, wall.length_mm - other.thickness_mm / 2)
    return start, end


ROOM_PROBES_MM = (60.0, 580.0)
"""Depths in front of a wall's face at which a stretch must lie inside the room: just off the wall and
at the front of the base units (so a corner off square does not put a unit's front into the next room)."""


def facing_side(wall: Wall, room: Room) -> tuple[str, float]:
    """The side of ``wall`` that faces ``room`` and how long a stretch of it does (mm)."""
    best = ("right", 0.0)
    for side in ("right", "left"):
        length = sum(b - a for a, b in room_stretches(wall, room, side))
        if length > best[1]:
            best = (side, length)
    return best


def room_stretches(wall: Wall, room: Room, side: str) -> list[tuple[float, float]]:
    """Intervals along ``wall`` (mm from its start) whose ``side`` faces ``room`` at every probe depth."""
    shape = room.shape().buffer(0)
    u, n = wall.direction, wall_normal(wall, side)
    half = wall.thickness_mm / 2
    spans: list[tuple[float, float]] | None = None
    for depth in ROOM_PROBES_MM:
        d = half + depth
        line = LineString([(wall.start.x + n[0] * d, wall.start.y + n[1] * d),
                           (wall.end.x + n[0] * d, wall.end.y + n[1] * d)])
        hit = line.intersection(shape)
        pieces = [g for g in getattr(hit, "geoms", [hit]) if isinstance(g, LineString) and not g.is_empty]
        found = []
        for g in pieces:
            xs = [(x - wall.start.x) * u[0] + (y - wall.start.y) * u[1] for x, y in g.coords]
            found.append((max(0.0, min(xs)), min(wall.length_mm, max(xs))))
        spans = found if spans is None else [(max(a, c), min(b, e)) for a, b in spans for c, e in found
                                             if min(b, e) - max(a, c) > 0]
    return sorted((a, b) for a, b in (spans or []) if b - a >= 1.0)


def _room_runs(design: Design, walls: list[Wall], room: Room) -> list[Run]:
    stretches: list[tuple[Wall, str, float, float]] = []
    for wall in walls:
        side, _ = facing_side(wall, room)
        spans = room_stretches(wall, room, side)
        if not spans:
            continue
        a, b = max(spans, key=lambda ab: ab[1] - ab[0])
        lo, hi = _between_joints(design, wall)
        a, b = max(a, lo), min(b, hi)
        a, b = _clear_of_crossing_walls(design, wall, side, a, b)
        if b - a < 1:
            continue
        stretches.append((wall, side, float(math.ceil(a - 1e-6)), float(math.floor(b + 1e-6))))
    unit_ends: list[str | None] = [None] * len(stretches)
    filler_ends: list[str | None] = [None] * len(stretches)
    for i in range(len(stretches) - 1):
        joint = _stretch_corner(stretches[i], stretches[i + 1])
        if joint is not None:
            unit_ends[i], filler_ends[i + 1] = joint
    for i in range(len(stretches)):
        if unit_ends[i] is not None and unit_ends[i] == filler_ends[i]:  # a wall between two corners of a U
            unit_ends[i] = "end" if filler_ends[i] == "start" else "start"
    return [Run(w.id, side, a, b, unit_ends[i], filler_ends[i]) for i, (w, side, a, b) in enumerate(stretches)]


def _clear_of_crossing_walls(design: Design, wall: Wall, side: str, a: float, b: float) -> tuple[float, float]:
    """Shrink [a, b] so that no other wall's body crosses its ends in front of ``wall``'s face (a room
    outline drawn to the walls' centrelines runs into the walls at its corners)."""
    u, n = wall.direction, wall_normal(wall, side)
    half = wall.thickness_mm / 2
    mid = (a + b) / 2

    def at(t: float, d: float) -> tuple[float, float]:
        return (wall.start.x + u[0] * t + n[0] * d, wall.start.y + u[1] * t + n[1] * d)

    band = Polygon([at(a, half + 1), at(b, half + 1), at(b, half + ROOM_PROBES_MM[1]), at(a, half + ROOM_PROBES_MM[1])])
    for other in design.plan.walls:
        if other.id == wall.id:
            continue
        hit = band.intersection(wall_polygon(other))
        if hit.is_empty or hit.area < 1:
            continue
        xs = [(x - wall.start.x) * u[0] + (y - wall.start.y) * u[1] for x, y in shapely.get_coordinates(hit).tolist()]
        lo, hi = min(xs), max(xs)
        if hi <= mid:
            a = max(a, float(math.ceil(hi)))
        elif lo >= mid:
            b = min(b, float(math.floor(lo)))
    return a, b


def _stretch_corner(one: tuple[Wall, str, float, float], two: tuple[Wall, str, float, float]) -> tuple[str, str] | None:
    """Which ends of two stretches meet at a corner of the room ('start'/'end' of each), if they do:
    the end of each lies by the other wall's face."""
    def ends(s: tuple[Wall, str, float, float]) -> list[tuple[str, tuple[float, float]]]:
        wall, side, a, b = s
        u, n = wall.direction, wall_normal(wall, side)
        h = wall.thickness_mm / 2
        return [(name, (wall.start.x + u[0] * t + n[0] * h, wall.start.y + u[1] * t + n[1] * h))
                for name, t in (("start", a), ("end", b))]

    def face(s: tuple[Wall, str, float, float]) -> LineString:
        wall, side, _, _ = s
        n, h = wall_normal(wall, side), wall.thickness_mm / 2
        return LineString([(wall.start.x + n[0] * h, wall.start.y + n[1] * h),
                           (wall.end.x + n[0] * h, wall.end.y + n[1] * h)])

    near = ROOM_PROBES_MM[1] + 150
    best_one = min(ends(one), key=lambda e: face(two).distance(SPoint(e[1])))
    best_two = min(ends(two), key=lambda e: face(one).distance(SPoint(e[1])))
    if face(two).distance(SPoint(best_one[1])) <= near and face(one).distance(SPoint(best_two[1])) <= near:
        return best_one[0], best_two[0]
    return None


def room_of(design: Design, wall_ids: list[str]) -> Room | None:
    """The room a set of walls is filled for when none is named: the kitchen if the walls face it,
    else the room they face the longest stretch of."""
    walls = {w.id: w for w in design.plan.walls}
    best: tuple[tuple[bool, float], Room] | None = None
    for room in design.plan.rooms:
        length = sum(facing_side(walls[w], room)[1] for w in wall_ids if w in walls)
        if length <= 0:
            continue
        key = (room.type == "kitchen", length)
        if best is None or key > best[0]:
            best = (key, room)
    return best[1] if best is not None else None


def room_walls(design: Design, room: Room, min_mm: float = 600) -> list[str]:
    """The walls facing ``room`` for at least ``min_mm``, longest stretch first."""
    found = [(facing_side(w, room)[1], w.id) for w in design.plan.walls]
    return [wid for length, wid in sorted(found, reverse=True) if length >= min_mm]


def door_blocks(design: Design, run: Run, wall: Wall, depth_mm: float = 650) -> list[tuple[float, float]]:
    """Intervals along the run that a door's opening, swing or passage (on any wall) keeps clear."""
    u, n = wall.direction, wall_normal(wall, run.side)
    half = wall.thickness_mm / 2

    def at(a: float, b: float) -> tuple[float, float]:
        return (wall.start.x + u[0] * a + n[0] * b, wall.start.y + u[1] * a + n[1] * b)

    band = Polygon([at(run.start_mm, half), at(run.end_mm, half), at(run.end_mm, half + depth_mm),
                    at(run.start_mm, half + depth_mm)])
    out = [(d.offset_mm - DOOR_CLEARANCE_MM, d.offset_mm + d.width_mm + DOOR_CLEARANCE_MM)
           for d in wall.openings if isinstance(d, Door)]
    for other in design.plan.walls:
        for door in other.openings:
            if not isinstance(door, Door):
                continue
            hit = band.intersection(door_zone(other, door, DOOR_CLEARANCE_MM))
            if hit.is_empty or hit.area < 1:
                continue
            xs, ys = hit.exterior.xy if isinstance(hit, Polygon) else hit.envelope.exterior.xy
            along = [(x - wall.start.x) * u[0] + (y - wall.start.y) * u[1] for x, y in zip(xs, ys, strict=True)]
            out.append((math.floor(min(along)), math.ceil(max(along))))
    return out


def occupied_blocks(design: Design, catalog: Catalog, run: Run, wall: Wall, z_range: tuple[float, float],
                    depth_mm: float = 650) -> list[tuple[float, float]]:
    """Intervals along the run that cabinets and items already in the design occupy at heights
    ``z_range`` (on this wall or reaching into it from a neighbouring wall at a corner)."""
    u, n = wall.direction, wall_normal(wall, run.side)
    half = wall.thickness_mm / 2

    def at(a: float, b: float) -> tuple[float, float]:
        return (wall.start.x + u[0] * a + n[0] * b, wall.start.y + u[1] * a + n[1] * b)

    band = Polygon([at(run.start_mm, half), at(run.end_mm, half), at(run.end_mm, half + depth_mm),
                    at(run.start_mm, half + depth_mm)])
    out = []
    for other in design.plan.walls:  # walls meeting this one (a T-junction) also stop a run
        if other.id == wall.id:
            continue
        body = LineString([(other.start.x, other.start.y), (other.end.x, other.end.y)]).buffer(
            other.thickness_mm / 2, cap_style="flat")
        hit = band.intersection(body)
        if not hit.is_empty and hit.area >= 1:
            xs, ys = hit.envelope.exterior.xy
            along = [(x - wall.start.x) * u[0] + (y - wall.start.y) * u[1] for x, y in zip(xs, ys, strict=True)]
            out.append((math.floor(min(along)), math.ceil(max(along))))
    placed: list[PlacedCabinet | PlacedItem] = [*design.cabinets, *design.items]
    for obj in placed:
        if obj.elevation_mm >= z_range[1] or obj.elevation_mm + obj.height_mm <= z_range[0]:
            continue
        hit = band.intersection(footprint(obj, design.plan, catalog))
        if hit.is_empty or hit.area < 1:
            continue
        xs, ys = hit.envelope.exterior.xy
        along = [(x - wall.start.x) * u[0] + (y - wall.start.y) * u[1] for x, y in zip(xs, ys, strict=True)]
        out.append((math.floor(min(along)), math.ceil(max(along))))
    return out


def _free_intervals(run: Run, wall: Wall, taken: list[tuple[float, float]]) -> list[tuple[float, float]]:
    blocked = sorted(taken)
    out, cursor = [], run.start_mm
    for a, b in blocked:
        if a > cursor:
            out.append((cursor, min(a, run.end_mm)))
        cursor = max(cursor, b)
    if cursor < run.end_mm:
        out.append((cursor, run.end_mm))
    # whole millimetres: custom widths are made to the millimetre, so every piece stays a whole number
    whole = [(float(math.ceil(a - 1e-6)), float(math.floor(b + 1e-6))) for a, b in out]
    return [(a, b) for a, b in whole if b - a >= 0.5]


class _Planner:
    def __init__(self, design: Design, catalog: Catalog, strategy: str, wall_units: bool) -> None:
        self.design, self.catalog, self.strategy = design, catalog, strategy
        self.rules = catalog.rules(design.settings.region)
        self.walls = {w.id: w for w in design.plan.walls}
        self.wall_units = wall_units
        used = {c.id for c in design.cabinets} | {i.id for i in design.items}
        self._ids = (f"cab-af{n}" for n in range(1, 10_000) if f"cab-af{n}" not in used)
        self.cabinets: list[PlacedCabinet] = []
        self.items: list[PlacedItem] = []
        self.notes: list[str] = []
        self.note_codes: list[dict[str, Any]] = []
        self.fillers: list[float] = []
        self.units = 0
        self.free_mm = 0.0
        """Wardrobe walls: the length of the free intervals planned (what is left open once units are left out)."""

    def note(self, code: str, **params: Any) -> None:
        self.note_codes.append({"code": code, "params": params})
        self.notes.append(wording.render_reason(code, params))

    def cab(self, family: str, run: Run, offset: float, width: float, **options: object) -> None:
        fam = self.catalog.families[family]
        height = fam.height.default
        if family == "filler":
            height = self.catalog.families["base_1_door"].height.default
            elevation = self.rules.plinth_height_mm.value_mm
            self.fillers.append(width)
        else:
            elevation = default_elevation(fam, self.rules, height)
            self.units += 1
        self.cabinets.append(PlacedCabinet(
            id=next(self._ids), family=family, width_mm=width, height_mm=height, depth_mm=fam.depth.default,
            elevation_mm=elevation, placement=WallPlacement(wall_id=run.wall_id, offset_mm=round(offset, 1),
                                                            side=run.side),
            options=options))

    def prepare(self, run: Run) -> list[tuple[float, float]]:
        """Corner units and door clearances of a run: the intervals they take."""
        wall = self.walls[run.wall_id]
        taken = door_blocks(self.design, run, wall)
        busy = occupied_blocks(self.design, self.catalog, run, wall, (0.0, 1000.0))
        taken += busy

        def free(a: float, b: float) -> bool:
            return not any(a < hi and lo < b for lo, hi in busy)
        start, end = run.start_mm, run.end_mm
        depth = self.catalog.families["corner_blind_base"].depth.default
        if run.corner_filler == "start" and free(start, start + depth + CORNER_FILLER_MM):
            # the previous wall's corner unit covers this wall's first metre
            self.cab("filler", run, start + depth, CORNER_FILLER_MM)
            taken.append((start, start + depth + CORNER_FILLER_MM))
        elif run.corner_filler == "end" and free(end - depth - CORNER_FILLER_MM, end):
            self.cab("filler", run, end - depth - CORNER_FILLER_MM, CORNER_FILLER_MM)
            taken.append((end - depth - CORNER_FILLER_MM, end))
        width = 1100.0
        # seen from the front, a unit on the right side has the wall's start on its left
        towards_end = "right" if run.side == "right" else "left"
        towards_start = "left" if run.side == "right" else "right"
        if run.corner_unit == "end" and free(end - width, end):
            self.cab("corner_blind_base", run, end - width, width, blind_width_mm=650, blind_side=towards_end)
            taken.append((end - width, end))
        elif run.corner_unit == "start" and free(start, start + width):
            self.cab("corner_blind_base", run, start, width, blind_width_mm=650, blind_side=towards_start)
            taken.append((start, start + width))
        return taken

    def plan(self, runs: list[Run], sink: bool, hob: bool, fridge: bool = False) -> None:
        taken = [self.prepare(run) for run in runs]
        windows = [[o for o in self.walls[r.wall_id].openings if isinstance(o, Window)
                    and o.offset_mm < r.end_mm and r.start_mm < o.offset_mm + o.width_mm] for r in runs]
        order = sorted(range(len(runs)), key=lambda i: not windows[i])  # sink under a window first
        slots = {"sink": sink, "hob": hob}
        sink_run = None
        for i in order:
            if slots["sink"]:
                self._sink(runs[i], self.walls[runs[i].wall_id], windows[i], taken[i], slots)
                sink_run = i if not slots["sink"] else None
        if fridge:
            self._fridge(runs, windows, taken)
        for i in sorted(range(len(runs)), key=lambda i: i == sink_run):  # hob preferably on another run
            if slots["hob"]:
                self._hob(runs[i], self.walls[runs[i].wall_id], windows[i], taken[i], slots)
        for i, run in enumerate(runs):
            for a, b in _free_intervals(run, self.walls[run.wall_id], taken[i]):
                self._fill(run, a, b)
        if self.wall_units:
            for i, run in enumerate(runs):
                self._wall_units(run, self.walls[run.wall_id], windows[i], taken[i])

    def _sink(self, run: Run, wall: Wall, windows: list[Window], taken: list[tuple[float, float]],
              slots: dict[str, bool]) -> None:
        centre = windows[0].offset_mm + windows[0].width_mm / 2 if windows else (run.start_mm + run.end_mm) / 2
        width = SINK_WIDTH + DISHWASHER_WIDTH
        free = [(lo, hi) for lo, hi in _free_intervals(run, wall, taken) if hi - lo >= width]
        if not free:
            return
        lo, hi = min(free, key=lambda ab: abs((ab[0] + ab[1]) / 2 - centre))
        a, b = _slot(lo, hi, width, centre + DISHWASHER_WIDTH / 2, Limits().filler_min)
        sink = b - a - DISHWASHER_WIDTH  # a leftover too small for a filler widens the sink
        self.cab("base_sink", run, a, sink)
        self.items.append(PlacedItem(id=f"item-af-dishwasher-{run.wall_id}", kind="dishwasher",
                                     width_mm=DISHWASHER_WIDTH, height_mm=820, depth_mm=560,
                                     placement=WallPlacement(wall_id=run.wall_id, offset_mm=a + sink,
                                                             side=run.side)))
        taken.append((a, b))
        slots["sink"] = False
        self.note("sink_placed" if windows and a <= centre <= a + sink else "sink_on_wall")

    def _hob(self, run: Run, wall: Wall, windows: list[Window], taken: list[tuple[float, float]],
             slots: dict[str, bool]) -> None:
        free = [(a, b) for a, b in _free_intervals(run, wall, taken) if b - a >= HOB_WIDTH
                and not any(a < w.offset_mm + w.width_mm and w.offset_mm < b for w in windows)]
        if not free:
            return
        lo, hi = max(free, key=lambda ab: ab[1] - ab[0])
        a, b = _slot(lo, hi, HOB_WIDTH, (lo + hi) / 2, 150)
        self.cab("base_hob_drawers", run, a, b - a)
        taken.append((a, b))
        slots["hob"] = False
        self.note("hob_placed")

    def _fridge(self, runs: list[Run], windows: list[list[Window]], taken: list[list[tuple[float, float]]]) -> None:
        """A free-standing fridge at a run's free end (not a corner, not before a window), if the run
        keeps at least a unit's worth of worktop besides it."""
        width = FRIDGE_WIDTH
        ends = [(len(runs) - 1, "end"), (0, "start"), (len(runs) - 1, "start"), (0, "end")]
        for i, end in dict.fromkeys(ends):
            run = runs[i]
            if end in (run.corner_unit, run.corner_filler):
                continue
            free = _free_intervals(run, self.walls[run.wall_id], taken[i])
            if not free or sum(b - a for a, b in free) < width + 600:
                continue
            lo, hi = free[-1] if end == "end" else free[0]
            at_end = hi if end == "end" else lo
            if hi - lo < width or abs(at_end - (run.end_mm if end == "end" else run.start_mm)) > 1:
                continue  # the end of the run is taken (a door, a unit already there)
            a, b = (hi - width, hi) if end == "end" else (lo, lo + width)
            rest = hi - lo - width
            if any(a < w.offset_mm + w.width_mm and w.offset_mm < b for w in windows[i]) or \
                    0.5 <= rest < Limits().filler_min:
                continue  # before a window, or it would leave a sliver nothing can fill
            self.items.append(PlacedItem(id=f"item-af-fridge-{run.wall_id}", kind="fridge", width_mm=width,
                                         height_mm=1800, depth_mm=650,
                                         placement=WallPlacement(wall_id=run.wall_id, offset_mm=a, side=run.side)))
            taken[i].append((a, b))
            self.note("fridge_placed")
            return

    def _fill(self, run: Run, a: float, b: float) -> None:
        layouts = fill_length(b - a)
        if not layouts:
            self.note("left_open", length=round(b - a))
            return
        layout = next((lay for lay in layouts if lay.strategy == self.strategy), layouts[0])
        segments = list(layout.segments)
        if segments:  # a fraction of a millimetre left by the run's ends goes to the last piece
            last = segments[-1]
            segments[-1] = Segment(last.kind, last.width_mm + (b - a) - sum(s.width_mm for s in segments))
        cursor = a
        for seg in segments:
            if seg.kind == "filler":
                self.cab("filler", run, cursor, seg.width_mm)
            else:
                self.cab(_base_family(seg.width_mm, self.units), run, cursor, seg.width_mm)
            cursor += seg.width_mm

    def _wall_units(self, run: Run, wall: Wall, windows: list[Window], taken: list[tuple[float, float]]) -> None:
        z0 = self.rules.wall_unit_elevation_mm
        z1 = z0 + self.catalog.families["wall_2_doors"].height.default
        blocked = [(w.offset_mm, w.offset_mm + w.width_mm) for w in windows
                   if w.sill_mm < z1 and w.sill_mm + w.height_mm > z0]
        blocked += occupied_blocks(self.design, self.catalog, run, wall, (z0, z1), depth_mm=400)
        base = [c for c in self.cabinets if isinstance(c.placement, WallPlacement)
                and c.placement.wall_id == run.wall_id and c.family not in ("filler",)
                and self.catalog.families[c.family].category == "base"]
        for c in base:
            assert isinstance(c.placement, WallPlacement)
            a, b = c.placement.offset_mm, c.placement.offset_mm + c.width_mm
            if c.family == "corner_blind_base" or any(a < hi and lo < b for lo, hi in blocked):
                continue
            family = "wall_hood" if c.family == "base_hob_drawers" else (
                "wall_1_door" if c.width_mm <= 600 else "wall_2_doors")
            fam = self.catalog.families[family]
            width = min(max(c.width_mm, fam.width.min), fam.width.max)
            if width != c.width_mm:
                continue
            self.cab(family, run, a, width)


# ------------------------------------------------------------------------------------------------
# wardrobe walls (a bedroom, a closet)

WARDROBE_STRATEGIES = ("hinged_standard", "hinged_equal", "sliding", "hinged_wide", "hinged_split", "corner_l")
CORNER_WARDROBE = "wardrobe_corner_l"
"""An L-shaped corner wardrobe: on the ``corner_l`` strategy it takes each corner of an L or U wardrobe wall
(the straight stretches are standard hinged units), so the corner is storage rather than a dead box."""
HINGED_WARDROBES = ("wardrobe_hinged_2", "wardrobe_hinged_1", "wardrobe_hinged_3", "wardrobe_hinged_4")
WIDE_WARDROBES = ("wardrobe_hinged_4", "wardrobe_hinged_3", "wardrobe_hinged_2", "wardrobe_hinged_1")
SLIDING_WARDROBES = ("wardrobe_sliding_2", "wardrobe_sliding_3")
WARDROBE_STANDARD_MM = 1000
"""The standard two-door wardrobe width (the hinged_2 preset's default)."""
WARDROBE_ROOMS = ("bedroom", "closet")
SLIDING_TARGET_MM = 2000
"""The widest sliding-door unit auto-fill proposes: the back of a wider unit 2200 mm high is larger than
the back board (2050 mm after trim) both ways, which the factory's checks refuse."""


def wardrobe_family(catalog: Catalog, width: float, order: Sequence[str]) -> str | None:
    """The first family of ``order`` whose width range holds ``width``, if any."""
    for code in order:
        fam = catalog.families.get(code)
        if fam is not None and fam.width.min - 1e-6 <= width <= fam.width.max + 1e-6:
            return code
    return None


WardrobeSegment = tuple[str, float]
"""(family code or "filler", width mm)."""


def fill_wardrobe(length_mm: float, catalog: Catalog, strategy: str) -> list[WardrobeSegment] | None:
    """One strategy's wardrobe units and fillers exactly filling ``length_mm`` (whole mm), or None.

    ``hinged_standard``: standard 1000 mm two-door units, the rest as one narrower unit or a filler;
    ``hinged_equal``: equal made-to-measure hinged units, no filler; ``sliding``: equal sliding-door
    units (up to 2400 mm each); ``hinged_wide``: equal wide hinged units (3–4 doors); ``hinged_split``:
    standard units with the rest split into fillers at both ends; ``corner_l``: as ``hinged_standard`` (its
    corners are planned by the wardrobe planner)."""
    if strategy == "corner_l":
        strategy = "hinged_standard"
    lim = Limits(filler_min=catalog.families["filler"].width.min, filler_max=catalog.families["filler"].width.max)
    length = float(round(length_mm))
    one_door = catalog.families["wardrobe_hinged_1"].width
    if length < one_door.min:
        return [("filler", length)] if lim.filler_min <= length <= lim.filler_max else None

    def mapped(widths: list[float], order: Sequence[str]) -> list[WardrobeSegment] | None:
        out = []
        for w in widths:
            code = wardrobe_family(catalog, w, order)
            if code is None:
                return None
            out.append((code, w))
        return out

    def equal(order: Sequence[str], target: float) -> list[WardrobeSegment] | None:
        count = max(1, math.ceil(length / target - 1e-9))
        for n in range(count, count + 4):
            found = mapped(_equal(length, n), order)
            if found is not None:
                return found
        return None

    std = float(WARDROBE_STANDARD_MM)
    if strategy == "hinged_equal":
        return equal(HINGED_WARDROBES, std)
    if strategy == "sliding":
        return equal(SLIDING_WARDROBES, min(SLIDING_TARGET_MM, catalog.families["wardrobe_sliding_2"].width.max))
    if strategy == "hinged_wide":
        return equal(WIDE_WARDROBES, catalog.families["wardrobe_hinged_4"].width.default)
    n = int(length // std)
    rest = length - n * std
    if strategy == "hinged_split":
        if n and 2 * lim.filler_min <= rest <= 2 * lim.filler_max:
            first = float(math.floor(rest / 2))
            return [("filler", first), *(mapped([std] * n, HINGED_WARDROBES) or []), ("filler", rest - first)]
        return None
    # hinged_standard
    if rest < 0.5:
        return mapped([std] * n, HINGED_WARDROBES)
    if lim.filler_min <= rest <= lim.filler_max and n:
        return [*(mapped([std] * n, HINGED_WARDROBES) or []), ("filler", rest)]
    if rest < one_door.min:  # too short for a unit of its own: the last unit grows
        return mapped([std] * (n - 1) + [std + rest], HINGED_WARDROBES) if n else None
    last = mapped([rest], HINGED_WARDROBES)
    if last is not None:
        return [*(mapped([std] * n, HINGED_WARDROBES) or []), *last]
    unit = min(one_door.max, rest - lim.filler_min)  # between one and two doors: a one-door unit + filler
    return [*(mapped([std] * n + [unit], HINGED_WARDROBES) or []), ("filler", rest - unit)]


class _WardrobePlanner(_Planner):
    """A wardrobe wall: the stretch of each wall facing the room, minus doors (opening, swing, passage),
    windows and what already stands there, filled with wardrobe units and full-height fillers."""

    def cab(self, family: str, run: Run, offset: float, width: float, **options: object) -> None:
        if family != "filler":
            super().cab(family, run, offset, width, **options)
            return
        height, depth = self.height, self.depth
        self.fillers.append(width)
        self.cabinets.append(PlacedCabinet(
            id=next(self._ids), family=family, width_mm=width, height_mm=height, depth_mm=depth, elevation_mm=0,
            placement=WallPlacement(wall_id=run.wall_id, offset_mm=round(offset, 1), side=run.side)))

    @property
    def height(self) -> float:
        return self.catalog.families["wardrobe_hinged_2"].height.default

    @property
    def depth(self) -> float:
        """Fillers stand flush with the units' fronts (sliding-door units are deeper, for the track)."""
        family = "wardrobe_sliding_2" if self.strategy == "sliding" else "wardrobe_hinged_2"
        return self.catalog.families[family].depth.default

    def blocked(self, run: Run) -> list[tuple[float, float]]:
        """Intervals of the run a wardrobe may not take: doors, windows below its top, what stands there
        (including the units planned on earlier walls, which may reach into this one at a corner)."""
        wall = self.walls[run.wall_id]
        deepest = self.catalog.families["wardrobe_sliding_2"].depth.default
        taken = door_blocks(self.design, run, wall, depth_mm=deepest + 50)
        taken += [(o.offset_mm, o.offset_mm + o.width_mm) for o in wall.openings
                  if isinstance(o, Window) and o.sill_mm < self.height]
        trial = self.design.model_copy(update={"cabinets": [*self.design.cabinets, *self.cabinets]})
        taken += occupied_blocks(trial, self.catalog, run, wall, (0.0, self.height), depth_mm=deepest)
        return taken

    def corners(self, runs: list[Run]) -> None:
        """An L-shaped corner wardrobe in each corner of the runs, where both walls are free for it. Its
        short leg stands on its left (seen from the front), so it goes on the run whose corner is on the
        unit's left (a run's start on the wall's right side, its end on the left side); its depth runs
        along the other wall."""
        fam = self.catalog.families[CORNER_WARDROBE]
        width, depth = fam.width.default, fam.depth.default
        leg = self.depth
        leg_range = fam.options["leg_depth_mm"]
        if not (leg_range.min is not None and leg_range.max is not None and leg_range.min <= leg <= leg_range.max
                and fam.height.min <= self.height <= fam.height.max):
            return
        for i, run in enumerate(runs):
            left_end = "start" if run.side == "right" else "end"
            ends = (run.corner_unit, run.corner_filler)
            if left_end not in ends:
                continue
            # the neighbour this corner is shared with: the next run at a corner unit, the previous at a filler
            j = i + 1 if run.corner_unit == left_end else i - 1
            if not 0 <= j < len(runs):
                continue
            other = runs[j]
            other_end = other.corner_filler if j > i else other.corner_unit
            if other_end is None:
                continue
            here = (run.start_mm, run.start_mm + width) if left_end == "start" else (run.end_mm - width, run.end_mm)
            there = ((other.start_mm, other.start_mm + depth) if other_end == "start"
                     else (other.end_mm - depth, other.end_mm))
            if not (self._clear(run, here) and self._clear(other, there)):
                continue
            self.cabinets.append(PlacedCabinet(
                id=next(self._ids), family=CORNER_WARDROBE, width_mm=width, height_mm=self.height, depth_mm=depth,
                elevation_mm=fam.elevation_mm or 0, options={"leg_depth_mm": round(leg)},
                placement=WallPlacement(wall_id=run.wall_id, offset_mm=round(here[0], 1), side=run.side)))
            self.units += 1

    def _clear(self, run: Run, span: tuple[float, float]) -> bool:
        """Whether ``span`` lies within the run and one free stretch of it."""
        a, b = span
        return run.start_mm - 0.5 <= a and b <= run.end_mm + 0.5 and any(
            lo - 0.5 <= a and b <= hi + 0.5 for lo, hi in _free_intervals(run, self.walls[run.wall_id],
                                                                         self.blocked(run)))

    def plan(self, runs: list[Run], sink: bool = False, hob: bool = False, fridge: bool = False) -> None:
        del sink, hob, fridge  # a wardrobe wall has no appliances
        if self.strategy == "corner_l":
            self.corners(runs)
        for run in runs:
            for a, b in _free_intervals(run, self.walls[run.wall_id], self.blocked(run)):
                self.free_mm += b - a
                segments = fill_wardrobe(b - a, self.catalog, self.strategy)
                if segments is None:
                    self.note("left_open", length=round(b - a))
                    continue
                cursor = a
                for code, width in segments:
                    if code == "filler":
                        self.cab("filler", run, cursor, width)
                    else:
                        fam = self.catalog.families[code]
                        self.cabinets.append(PlacedCabinet(
                            id=next(self._ids), family=code, width_mm=width, height_mm=fam.height.default,
                            depth_mm=fam.depth.default, elevation_mm=fam.elevation_mm or 0,
                            placement=WallPlacement(wall_id=run.wall_id, offset_mm=round(cursor, 1), side=run.side)))
                        self.units += 1
                    cursor += width
        if self.cabinets:
            self.note("wardrobe_wall", units=self.units, fillers=len(self.fillers))

    def longest_free(self, run: Run) -> float:
        free = _free_intervals(run, self.walls[run.wall_id], self.blocked(run))
        return max((b - a for a, b in free), default=0.0)


def _slot(lo: float, hi: float, width: float, centre: float, snap: float) -> tuple[float, float]:
    """A whole-mm slot of ``width`` centred near ``centre`` in [lo, hi]; a leftover shorter than
    ``snap`` on either side is absorbed (the slot grows) instead of being left as a sliver."""
    start = float(min(max(math.floor(centre - width / 2), math.ceil(lo)), math.floor(hi - width)))
    end = start + width
    if start - lo < snap:
        start, end = lo, lo + width
    if hi - end < snap:
        end = hi
    return start, end


def _base_family(width: float, index: int) -> str:
    if width < 400:
        return "base_1_door"
    if width <= 600:
        return "base_3_drawers" if index % 3 == 1 else "base_1_door"
    return "base_2_doors"


@dataclass
class Result:
    """What auto-fill proposes for a room's walls: valid alternatives, best first, and the reasons
    (codes with parameters, ``wording.REASONS``) when a wall or the whole request gets none."""

    alternatives: list[Alternative]
    reasons: list[dict[str, Any]]
    room_id: str | None
    wall_ids: list[str]


def _reason(code: str, **params: Any) -> dict[str, Any]:
    return {"code": code, "params": params, "text": wording.render_reason(code, params)}


def room_words(design: Design, room: Room) -> dict[str, Any]:
    """A room as a :func:`wording.room_name` parameter (its name, else its number and area)."""
    n = next(i for i, r in enumerate(design.plan.rooms, start=1) if r.id == room.id)
    return {"name": room.name, "n": n, "area": f"{room.area_m2:.1f}"}


PriceOf = Callable[[Sequence[PlacedCabinet]], int]
"""The price in cents of some cabinets on their own (the one pricing rule, given by the caller)."""


def fill(design: Design, catalog: Catalog, wall_ids: list[str] | None = None, side: str | None = None, *,
         price: PriceOf, room_id: str | None = None, wall_units: bool = True, sink: bool = True, hob: bool = True,
         fridge: bool = True, limit: int = 5, furniture: str | None = None) -> Result:
    """Up to ``limit`` ranked alternatives filling a room's walls (in order, e.g. an L or a U).

    ``furniture`` is ``"kitchen"`` (base and wall units, sink, hob, fridge) or ``"wardrobe"`` (a
    wardrobe wall: wardrobe units and full-height fillers between walls, doors and windows); by
    default wardrobes in a bedroom or closet, else kitchen units. Without ``wall_ids`` a wardrobe wall
    goes on the room's wall with the longest free stretch.

    ``room_id`` names the room (else the room the walls face: the kitchen if they face it); without
    ``wall_ids`` the room's longest wall is filled. Each run covers only the stretch of its wall that
    faces the room. Every alternative is valid: units that would take part in a blocking finding are
    left out, and a strategy that keeps none is dropped; when nothing is left ``reasons`` says why.
    """
    rooms = {r.id: r for r in design.plan.rooms}
    room: Room | None = None
    if room_id is not None:
        room = rooms.get(room_id)
        if room is None:
            raise InvalidInput(f"room '{room_id}' is not in the plan", field="room_id")
    elif wall_ids:
        room = room_of(design, wall_ids)
    walls = {w.id: w for w in design.plan.walls}
    reasons: list[dict[str, Any]] = []
    if furniture not in (None, "kitchen", "wardrobe"):
        raise InvalidInput(f"furniture '{furniture}' is not kitchen or wardrobe", field="furniture")
    wardrobes = furniture == "wardrobe" or (furniture is None and room is not None and room.type in WARDROBE_ROOMS)
    if not wall_ids:
        if room is None:
            raise InvalidInput("choose a room or at least one wall to fill", field="wall_ids")
        wall_ids = room_walls(design, room)[:1]
        if wardrobes:
            wall_ids = best_wardrobe_wall(design, catalog, room)
    named = room_words(design, room) if room is not None else None
    if room is not None:
        facing = [w for w in wall_ids if w in walls and facing_side(walls[w], room)[1] > 0]
        if not facing:
            reasons.append(_reason("no_room_wall", room=named))
            return Result([], reasons, room.id, list(wall_ids))
    runs = plan_runs(design, wall_ids, side, room)
    if side is not None:
        runs = [dataclasses.replace(r, side=side) for r in runs]
    base = _blocking(design, catalog, set())
    alternatives: list[Alternative] = []
    seen: set[tuple[tuple[str, float], ...]] = set()
    problems: list[str] = []
    for strategy in WARDROBE_STRATEGIES if wardrobes else STRATEGIES:
        planner = (_WardrobePlanner if wardrobes else _Planner)(design, catalog, strategy, wall_units)
        planner.plan(runs, sink, hob, fridge)
        problem = _keep_valid(design, catalog, planner, base)
        if problem:
            problems.append(problem)
        signature = tuple((c.family, c.width_mm) for c in planner.cabinets)
        if signature in seen or not any(c.family != "filler" for c in planner.cabinets):
            continue
        seen.add(signature)
        cents = price(planner.cabinets)
        commands: list[Command] = [AddCabinet(cabinet=c) for c in planner.cabinets]
        commands += [AddItem(item=i) for i in planner.items]
        open_mm = planner.free_mm - sum(c.width_mm for c in planner.cabinets) if wardrobes else 0.0
        alternatives.append(Alternative(0, strategy, planner.cabinets, planner.items, Batch(commands=commands),
                                        sum(planner.fillers), len(planner.fillers), planner.units, cents,
                                        planner.notes, note_codes=planner.note_codes, open_mm=max(0.0, open_mm)))
    alternatives.sort(key=_score)
    for rank, alt in enumerate(alternatives[:limit], start=1):
        alt.rank = rank
        alt.differences = _differences(alt, alternatives[0], catalog.currency)
    if not alternatives:
        for run in runs or []:
            if run.end_mm - run.start_mm < Limits().unit_min:
                reasons.append(_reason("stretch_too_short", room=named, length=round(run.end_mm - run.start_mm)))
        if not reasons:
            reasons.append(_reason("no_valid_layout", problem=problems[0]) if problems
                           else _reason("stretch_blocked", room=named))
    return Result(alternatives[:limit], reasons, room.id if room is not None else None, list(wall_ids))


def best_wardrobe_wall(design: Design, catalog: Catalog, room: Room) -> list[str]:
    """The wall of ``room`` with the longest stretch free for a wardrobe (as a one-wall list)."""
    planner = _WardrobePlanner(design, catalog, WARDROBE_STRATEGIES[0], False)
    best: tuple[float, str] | None = None
    for wid in room_walls(design, room):
        for run in plan_runs(design, [wid], room=room):
            length = planner.longest_free(run)
            if best is None or length > best[0] + 0.5:
                best = (length, wid)
    return [best[1]] if best is not None else room_walls(design, room)[:1]


def _blocking(design: Design, catalog: Catalog, ids: set[str]) -> list[Finding]:
    """The blocking findings of ``design`` that involve one of ``ids`` (all of them if ``ids`` is empty)."""
    return [f for f in validate(design, catalog, fixes=False) if f.severity == "error"
            and (not ids or ids.intersection(f.object_ids))]


def _keep_valid(design: Design, catalog: Catalog, planner: _Planner, base: list[Finding]) -> str:
    """Leave out the planned units that would take part in a blocking finding (a few rounds, since
    leaving one out can change another's name but not its place); the first problem's words, if any."""
    del base  # findings already there involve none of the planned ids
    first = ""
    for _ in range(4):
        ids = {c.id for c in planner.cabinets} | {i.id for i in planner.items}
        if not ids:
            return first
        trial = design.model_copy(update={"cabinets": [*design.cabinets, *planner.cabinets],
                                          "items": [*design.items, *planner.items]})
        bad = _blocking(trial, catalog, ids)
        if not bad:
            return first
        first = first or bad[0].message
        drop = {i for f in bad for i in f.object_ids if i in ids}
        kept = [c for c in planner.cabinets if c.id not in drop]
        planner.fillers = [c.width_mm for c in kept if c.family == "filler"]
        planner.units = sum(1 for c in kept if c.family != "filler")
        planner.cabinets = kept
        planner.items = [i for i in planner.items if i.id not in drop]
    planner.cabinets, planner.items, planner.fillers, planner.units = [], [], [], 0
    return first


def autofill(design: Design, catalog: Catalog, wall_ids: list[str], side: str | None = None, *,
             price: PriceOf, room_id: str | None = None, wall_units: bool = True, sink: bool = True, hob: bool = True,
             limit: int = 5, furniture: str | None = None) -> list[Alternative]:
    """The alternatives of :func:`fill` (each with its cabinets and items, a Batch command that adds
    them, its fillers, unit count and its price in cents, ``price`` of its cabinets; ``differences``
    compares it with the best-ranked one)."""
    return fill(design, catalog, wall_ids, side, price=price, room_id=room_id, wall_units=wall_units, sink=sink,
                hob=hob, limit=limit, furniture=furniture).alternatives


OPEN_WALL_CENTS_PER_MM = 1000
"""The price-like penalty for each mm of a wardrobe wall left open: more than a wardrobe costs per mm
(about 300 cents), so a wall filled end to end ranks before a cheaper one with a gap."""


def _score(alt: Alternative) -> float:
    """Lower is better: price, plus a price-like penalty for fillers (look, waste), unit count and, on a
    wardrobe wall, the stretch left open."""
    return (alt.price_cents + 300 * alt.filler_mm + 2000 * alt.fillers + 1500 * alt.unit_count
            + OPEN_WALL_CENTS_PER_MM * alt.open_mm)


def _differences(alt: Alternative, best: Alternative, currency: str) -> str:
    if alt is best:
        return "best ranked"
    parts = []
    if alt.unit_count != best.unit_count:
        parts.append(f"{alt.unit_count - best.unit_count:+d} units")
    if abs(alt.filler_mm - best.filler_mm) >= 0.5:
        parts.append(f"{alt.filler_mm - best.filler_mm:+.0f} mm filler")
    if abs(alt.open_mm - best.open_mm) >= 0.5:
        parts.append(f"{alt.open_mm - best.open_mm:+.0f} mm left open")
    parts.append(f"{(alt.price_cents - best.price_cents) / 100:+,.2f} {currency}")
    return ", ".join(parts)
