"""Placement validation: a design → structured findings (pure, shapely).

Each finding names its rule, the rule pack's source, the objects involved, and where possible a fix.
Errors block ordering; warnings advise.  Rule codes:

``cabinet_spec`` (error)        a cabinet the catalog cannot build (family, size, option)
``overlap`` (error)             two units occupy the same space (3D: plan footprints and heights)
``crosses_wall`` (error)        a unit cuts into a wall
``outside_room`` (error)        a unit stands (partly) outside every room
``door_swing`` (error)          a unit is in a door leaf's swing (or a doorway's passage)
``unit_in_front_of_window`` (error)  a tall or wall unit covers a window
``window_blocked`` (warning)    a lower unit rises above a window's sill in front of it
``corner_filler`` (warning)     fronts of two runs meeting at a corner collide: a filler is needed
``aisle_width`` (warning)       facing units closer than the rule pack's aisle minimum
``hob_under_window`` (warning)  a hob or range below a window
``dishwasher_sink`` (warning)   the dishwasher is far from the sink
``work_triangle`` (warning)     sink–hob–fridge triangle outside the rule pack's range
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from backend.configurator.catalog import Catalog, RulePack
from backend.configurator.construction import check_sizes, resolve_options
from backend.configurator.placement import (
    APPLIANCE_ITEMS,
    Placed,
    placed_objects,
    rects_in_frames,
    wall_normal,
    wall_polygon,
)
from backend.design.model import Design, Door, Wall, WallPlacement, Window
from backend.design.units import TOL
from backend.errors import InvalidInput

Severity = Literal["error", "warning"]
WINDOW_ZONE_DEPTH_MM = 650.0
"""How far in front of a window (either side of its wall) a unit counts as standing before it."""
PASSAGE_DEPTH_MM = 300.0
"""Depth kept clear on both sides of a doorway without a swinging leaf."""
HOB_KINDS = frozenset({"hob", "range", "cooker"})


@dataclass(frozen=True)
class Fix:
    """A suggested change: words, and the fields to change on one object (e.g. a new offset)."""

    description: str
    object_id: str | None = None
    changes: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str
    source: str
    object_ids: tuple[str, ...]
    message: str
    fix: Fix | None = None


def _src(rules: RulePack, text: str) -> str:
    return f"{rules.name}: {text}"


class _Checker:
    def __init__(self, design: Design, catalog: Catalog) -> None:
        self.design = design
        self.catalog = catalog
        self.rules = catalog.rules(design.settings.region)
        self.walls = {w.id: w for w in design.plan.walls}
        self.objs = placed_objects(design, catalog)
        self.by_id = {o.id: o for o in self.objs}
        self.polys = np.array([o.footprint for o in self.objs], dtype=object)
        self.shrunk = shapely.buffer(self.polys, -TOL.length_mm, join_style="mitre") if len(self.objs) else self.polys
        self.shrunk_of = dict(zip([o.id for o in self.objs], self.shrunk.tolist(), strict=True))
        self.findings: list[Finding] = []

    def add(self, severity: Severity, rule: str, source: str, ids: tuple[str, ...], message: str,
            fix: Fix | None = None) -> None:
        self.findings.append(Finding(severity, rule, source, ids, message, fix))

    # -- catalog -----------------------------------------------------------------------------------

    def cabinet_specs(self) -> None:
        for cab in self.design.cabinets:
            try:
                family = self.catalog.family(cab.family)
                check_sizes(family, cab)
                resolve_options(family, cab.options)
            except InvalidInput as err:
                self.add("error", "cabinet_spec", f"catalog {self.catalog.version}", (cab.id,),
                         f"{cab.id}: {err.detail}", Fix(f"change {err.field}", cab.id))

    # -- space -------------------------------------------------------------------------------------

    def overlaps(self) -> None:
        if len(self.objs) < 2:
            return
        tree = STRtree(self.shrunk)
        left, right = tree.query(self.shrunk, predicate="intersects")
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i >= j:
                continue
            a, b = self.objs[i], self.objs[j]
            if min(a.z1, b.z1) - max(a.z0, b.z0) <= TOL.length_mm:
                continue  # e.g. a wall unit above a base unit
            self.add("error", "overlap", "geometry", (a.id, b.id), f"{a.id} and {b.id} occupy the same space",
                     self._move_beside(b, a))

    def _move_beside(self, mover: Placed, fixed: Placed) -> Fix | None:
        pm, pf = mover.placement, fixed.placement
        if (isinstance(pm, WallPlacement) and isinstance(pf, WallPlacement) and pm.wall_id == pf.wall_id
                and pm.side == pf.side):
            wall = self.walls[pm.wall_id]
            after = pf.offset_mm + fixed.width_mm
            before = pf.offset_mm - mover.width_mm
            target = after if (after + mover.width_mm <= wall.length_mm and (pm.offset_mm >= pf.offset_mm
                                                                             or before < 0)) else before
            if 0 <= target <= wall.length_mm - mover.width_mm:
                return Fix(f"move {mover.id} to {target:.0f} mm along {wall.id}", mover.id,
                           {"offset_mm": round(target, 1)})
        return None

    def walls_and_rooms(self) -> None:
        if not self.objs:
            return
        wall_list = list(self.walls.values())
        if wall_list:
            wall_polys = np.array([wall_polygon(w) for w in wall_list], dtype=object)
            tree = STRtree(wall_polys)
            obj_idx, wall_idx = tree.query(self.shrunk, predicate="intersects")
            seen: set[str] = set()
            for i, k in zip(obj_idx.tolist(), wall_idx.tolist(), strict=True):
                obj, wall = self.objs[i], wall_list[k]
                if obj.id in seen:
                    continue
                seen.add(obj.id)
                self.add("error", "crosses_wall", "geometry", (obj.id, wall.id),
                         f"{obj.id} cuts into {wall.id}")
        rooms = [r.shape() for r in self.design.plan.rooms]
        if rooms:
            union = shapely.union_all(rooms)
            fitted = shapely.buffer(self.polys, -TOL.room_fit_mm, join_style="mitre")
            outside = shapely.area(shapely.difference(fitted, union))
            for obj, area in zip(self.objs, outside.tolist(), strict=True):
                if area > 1.0:
                    self.add("error", "outside_room", "geometry", (obj.id,),
                             f"{obj.id} stands partly outside the rooms ({area / 1e6:.3f} m² outside)")

    # -- openings ----------------------------------------------------------------------------------

    def openings(self) -> None:
        if not self.objs:
            return
        tree = STRtree(self.shrunk)
        for wall in self.walls.values():
            for opening in wall.openings:
                if isinstance(opening, Door):
                    self._door(tree, wall, opening)
                else:
                    self._window(tree, wall, opening)

    def _door(self, tree: STRtree, wall: Wall, door: Door) -> None:
        zone = door_zone(wall, door, self.rules.door_clearance_mm.value_mm)
        for i in tree.query(zone, predicate="intersects").tolist():
            obj = self.objs[i]
            if obj.z0 >= door.height_mm:
                continue
            what = "swing" if door.swing != "none" else "passage"
            self.add("error", "door_swing", _src(self.rules, self.rules.door_clearance_mm.source),
                     (obj.id, door.id), f"{obj.id} is in the {what} of {door.id}", self._move_clear(obj, wall, door))

    def _move_clear(self, obj: Placed, wall: Wall, opening: Door | Window) -> Fix | None:
        p = obj.placement
        if not (isinstance(p, WallPlacement) and p.wall_id == wall.id):
            return None
        clear = self.rules.door_clearance_mm.value_mm if isinstance(opening, Door) else 0.0
        after = opening.offset_mm + opening.width_mm + clear
        before = opening.offset_mm - obj.width_mm - clear
        for target in (after, before):
            if 0 <= target <= wall.length_mm - obj.width_mm:
                return Fix(f"move {obj.id} to {target:.0f} mm along {wall.id}", obj.id,
                           {"offset_mm": round(target, 1)})
        return None

    def _window(self, tree: STRtree, wall: Wall, win: Window) -> None:
        zone = window_zone(wall, win)
        top = win.sill_mm + win.height_mm
        for i in tree.query(zone, predicate="intersects").tolist():
            obj = self.objs[i]
            if obj.z1 <= win.sill_mm + TOL.length_mm or obj.z0 >= top:
                continue
            if obj.category in ("wall", "tall"):
                self.add("error", "unit_in_front_of_window", "planning: fronts must not cover a window",
                         (obj.id, win.id), f"{obj.id} stands in front of {win.id}", self._move_clear(obj, wall, win))
            else:
                self.add("warning", "window_blocked", "planning: keep a window's sill clear",
                         (obj.id, win.id), f"{obj.id} rises {obj.z1 - win.sill_mm:.0f} mm above the sill "
                         f"of {win.id}")
        for i in tree.query(zone, predicate="intersects").tolist():
            obj = self.objs[i]
            if obj.appliance in HOB_KINDS and obj.category != "wall":
                self.add("warning", "hob_under_window", _src(self.rules, self.rules.hob_window_rule.source),
                         (obj.id, win.id), f"the hob {obj.id} is under {win.id}", self._move_clear(obj, wall, win))

    # -- fronts and aisles -------------------------------------------------------------------------

    def corners(self) -> None:
        need = self.rules.corner_filler_min_mm.value_mm
        fronts = [o for o in self.objs if o.has_fronts and isinstance(o.placement, WallPlacement)]
        if len(fronts) < 2:
            return
        rects = [(*o.front_span(), o.depth_mm) for o in fronts]
        strips = rects_in_frames([o.frame for o in fronts], [(x0, d - 20, x1, d) for x0, x1, d in rects])
        left, right = _near_pairs(strips, need)
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            a, b = fronts[i], fronts[j]
            pa, pb = a.placement, b.placement
            assert isinstance(pa, WallPlacement) and isinstance(pb, WallPlacement)
            if i >= j or pa.wall_id == pb.wall_id or min(a.z1, b.z1) - max(a.z0, b.z0) <= TOL.length_mm:
                continue
            if abs(a.frame.ay[0] * b.frame.ay[0] + a.frame.ay[1] * b.frame.ay[1]) > 0.5:
                continue  # parallel runs: not a corner
            gap = float(strips[i].distance(strips[j]))
            if gap < need - TOL.length_mm and not self.shrunk_of[a.id].intersects(self.shrunk_of[b.id]):
                self.add("warning", "corner_filler", _src(self.rules, self.rules.corner_filler_min_mm.source),
                         (a.id, b.id), f"the fronts of {a.id} and {b.id} collide in the corner: "
                         f"{gap:.0f} mm apart, {need:.0f} mm needed", self._filler_fix(a, b, need - gap))

    def _filler_fix(self, a: Placed, b: Placed, extra: float) -> Fix:
        return Fix(f"add a filler of at least {math.ceil(extra)} mm between {a.id} and {b.id} "
                   f"(move {b.id} {math.ceil(extra)} mm out of the corner)", b.id,
                   {"filler_mm": math.ceil(extra)})

    def aisles(self) -> None:
        need = self.rules.aisle_min_mm.value_mm
        floor = [o for o in self.objs if o.z0 < 900 and (o.category in ("base", "tall")
                                                         or o.appliance in APPLIANCE_ITEMS)]
        if len(floor) < 2:
            return
        polys = np.array([o.footprint for o in floor], dtype=object)
        left, right = _near_pairs(polys, need)
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i >= j:
                continue
            a, b = floor[i], floor[j]
            if a.frame.ay[0] * b.frame.ay[0] + a.frame.ay[1] * b.frame.ay[1] > -0.7:
                continue
            if not (_in_front(a, b) and _in_front(b, a)):
                continue
            gap = float(a.footprint.distance(b.footprint))
            if 0 < gap < need - TOL.length_mm:
                self.add("warning", "aisle_width", _src(self.rules, self.rules.aisle_min_mm.source), (a.id, b.id),
                         f"the aisle between {a.id} and {b.id} is {gap:.0f} mm, at least {need:.0f} mm needed")

    # -- kitchen layout ----------------------------------------------------------------------------

    def kitchen(self) -> None:
        sinks = [o for o in self.objs if o.appliance == "sink"]
        hobs = [o for o in self.objs if o.appliance in HOB_KINDS]
        fridges = [o for o in self.objs if o.appliance in ("fridge", "freezer")]
        limit = self.rules.dishwasher_sink_max_mm.value_mm
        for dw in (o for o in self.objs if o.appliance == "dishwasher"):
            if sinks:
                near = min(sinks, key=lambda s: dw.footprint.distance(s.footprint))
                gap = float(dw.footprint.distance(near.footprint))
                if gap > limit:
                    self.add("warning", "dishwasher_sink", _src(self.rules, self.rules.dishwasher_sink_max_mm.source),
                             (dw.id, near.id), f"the dishwasher {dw.id} is {gap:.0f} mm from the sink {near.id}, "
                             f"at most {limit:.0f} mm advised", Fix(f"move {dw.id} next to {near.id}", dw.id))
        if sinks and hobs and fridges:
            pts = [_front_centre(o[0]) for o in (sinks, hobs, fridges)]
            perimeter = sum(math.dist(pts[k], pts[(k + 1) % 3]) for k in range(3))
            lo, hi = self.rules.work_triangle_min_mm, self.rules.work_triangle_max_mm
            if not lo.value_mm <= perimeter <= hi.value_mm:
                self.add("warning", "work_triangle", _src(self.rules, lo.source),
                         (sinks[0].id, hobs[0].id, fridges[0].id),
                         f"the work triangle (sink–hob–fridge) is {perimeter / 1000:.2f} m; "
                         f"{lo.value_mm / 1000:.2f}–{hi.value_mm / 1000:.2f} m advised")


def _near_pairs(geoms: np.ndarray, distance: float) -> tuple[np.ndarray, np.ndarray]:
    """Candidate index pairs whose bounding boxes come within ``distance`` (a cheap superset of dwithin)."""
    b = shapely.bounds(geoms)
    grown = shapely.box(b[:, 0] - distance, b[:, 1] - distance, b[:, 2] + distance, b[:, 3] + distance)
    pairs = STRtree(geoms).query(grown)
    return pairs[0], pairs[1]


def _front_centre(o: Placed) -> tuple[float, float]:
    return o.frame.to_plan(o.width_mm / 2, o.depth_mm)


def _in_front(a: Placed, b: Placed) -> bool:
    """Whether b's centre lies in front of a's front face."""
    c = b.footprint.centroid
    dx, dy = c.x - a.frame.origin[0], c.y - a.frame.origin[1]
    return bool(dx * a.frame.ay[0] + dy * a.frame.ay[1] > a.depth_mm)


def door_zone(wall: Wall, door: Door, clearance_mm: float) -> BaseGeometry:
    """The plan area a door's leaves sweep (plus clearance), or its passage if it does not swing."""
    key = (wall.start.x, wall.start.y, wall.end.x, wall.end.y, wall.thickness_mm, door, clearance_mm)
    zone = _DOOR_ZONES.get(key)
    if zone is None:
        if len(_DOOR_ZONES) > 4096:
            _DOOR_ZONES.clear()
        zone = _DOOR_ZONES[key] = _door_zone(wall, door, clearance_mm)
    return zone


_DOOR_ZONES: dict[tuple[object, ...], BaseGeometry] = {}
"""Door zones by wall geometry and door (immutable inputs → immutable shapely geometry)."""


def _door_zone(wall: Wall, door: Door, clearance_mm: float) -> BaseGeometry:
    u = wall.direction
    start = (wall.start.x + u[0] * door.offset_mm, wall.start.y + u[1] * door.offset_mm)
    end = (start[0] + u[0] * door.width_mm, start[1] + u[1] * door.width_mm)
    half = wall.thickness_mm / 2
    if door.swing == "none":
        parts = []
        for side in ("left", "right"):
            n = wall_normal(wall, side)
            a = (start[0] + n[0] * half, start[1] + n[1] * half)
            b = (end[0] + n[0] * half, end[1] + n[1] * half)
            d = PASSAGE_DEPTH_MM
            parts.append(Polygon([a, b, (b[0] + n[0] * d, b[1] + n[1] * d), (a[0] + n[0] * d, a[1] + n[1] * d)]))
        return shapely.union_all(parts)
    n = wall_normal(wall, door.swing)
    leaves: list[tuple[tuple[float, float], tuple[float, float], float]] = []
    if door.leaves == 2:
        leaves = [(start, u, door.width_mm / 2), (end, (-u[0], -u[1]), door.width_mm / 2)]
    elif door.hinge == "start":
        leaves = [(start, u, door.width_mm)]
    else:
        leaves = [(end, (-u[0], -u[1]), door.width_mm)]
    parts = []
    for hinge, along, radius in leaves:
        centre = (hinge[0] + n[0] * half, hinge[1] + n[1] * half)
        pts = [centre]
        for k in range(13):
            ang = math.pi / 2 * k / 12
            pts.append((centre[0] + radius * (math.cos(ang) * along[0] + math.sin(ang) * n[0]),
                        centre[1] + radius * (math.cos(ang) * along[1] + math.sin(ang) * n[1])))
        parts.append(Polygon(pts))
    return shapely.union_all(parts).buffer(clearance_mm)


def window_zone(wall: Wall, win: Window) -> BaseGeometry:
    """The plan band in front of a window, on both sides of its wall."""
    u = wall.direction
    a = (wall.start.x + u[0] * win.offset_mm, wall.start.y + u[1] * win.offset_mm)
    b = (a[0] + u[0] * win.width_mm, a[1] + u[1] * win.width_mm)
    d = wall.thickness_mm / 2 + WINDOW_ZONE_DEPTH_MM
    n = wall_normal(wall, "left")
    return Polygon([(a[0] + n[0] * d, a[1] + n[1] * d), (b[0] + n[0] * d, b[1] + n[1] * d),
                    (b[0] - n[0] * d, b[1] - n[1] * d), (a[0] - n[0] * d, a[1] - n[1] * d)])


def validate(design: Design, catalog: Catalog) -> list[Finding]:
    """All findings for a design, errors first, in a stable order."""
    checker = _Checker(design, catalog)
    checker.cabinet_specs()
    checker.overlaps()
    checker.walls_and_rooms()
    checker.openings()
    checker.corners()
    checker.aisles()
    checker.kitchen()
    order = {"error": 0, "warning": 1}
    return sorted(checker.findings, key=lambda f: (order[f.severity], f.rule, f.object_ids))
