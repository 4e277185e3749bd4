"""Placement validation: a design → structured findings (pure, shapely).

Each finding names its rule (its stable code), the rule pack's source, the objects involved, the
parameters its words need (units named by what they are and where they stand, see ``wording``), and
where possible a fix: a move along the wall checked to clear the finding without causing another
(``commands.fix_command`` makes it a command).  Errors block ordering; warnings advise.  The space
rules use the tolerances of ``design.units`` that fit a traced plan: overlaps up to ``overlap_mm``,
reaches into a wall up to ``wall_fit_mm`` or into a door's clearance up to ``clearance_fit_mm``, and
reaches past the rooms (gaps and cut corners of their outlines closed) up to ``room_fit_mm`` or smaller
than ``outside_area_mm2`` are not findings.  Rule codes:

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

Cabinet engineering rules (``cabinet_rules``, limits in ``Catalog.cabinet_rules``): ``shelf_sag``,
``door_leaf_size``, ``hinge_count``, ``sliding_leaf_width``, ``sliding_overlap``, ``hanging_height``,
``rail_depth``, ``drawer_behind_door``, ``wall_fixing`` (warnings) and ``tilt_up`` (error: the unit
cannot be stood up under the ceiling), ``walkway`` (warning, wardrobes), ``door_hits`` (error: a
hinged door would hit the bed, a window or a radiator).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import shapely
import shapely.affinity
from shapely import STRtree
from shapely.geometry import Point as SPoint
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from backend.configurator import cabinet_rules, wording
from backend.configurator.catalog import Catalog, RulePack
from backend.configurator.construction import check_sizes, resolve_options
from backend.configurator.placement import (
    APPLIANCE_ITEMS,
    Placed,
    placed_objects,
    rect_in_frame,
    rects_in_frames,
    wall_normal,
    wall_polygon,
)
from backend.configurator.wording import number
from backend.design.model import Design, Door, FloorPlan, FreePlacement, Wall, WallPlacement, Window
from backend.design.units import TOL
from backend.errors import InvalidInput

Severity = Literal["error", "warning"]
WINDOW_ZONE_DEPTH_MM = 650.0
"""How far in front of a window (either side of its wall) a unit counts as standing before it."""
PASSAGE_DEPTH_MM = 300.0
"""Depth kept clear on both sides of a doorway without a swinging leaf."""
HOB_KINDS = frozenset({"hob", "range", "cooker"})
DIMENSION_WORDS = {"width_mm": "wide", "height_mm": "high", "depth_mm": "deep"}


@dataclass(frozen=True)
class Fix:
    """A suggested change: what it does (``code`` and ``params``, rendered as ``description``) and the
    fields to change on one object (e.g. a new ``offset_mm``); :func:`~backend.configurator.commands.fix_command`
    makes it a command."""

    description: str
    object_id: str | None = None
    changes: dict[str, object] = field(default_factory=dict)
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One finding: ``rule`` is its stable code, ``params`` what its words need (units are names,
    see :mod:`~backend.configurator.wording`), ``message`` the English sentence."""

    severity: Severity
    rule: str
    source: str
    object_ids: tuple[str, ...]
    message: str
    fix: Fix | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.rule


def _src(rules: RulePack, text: str) -> str:
    return f"{rules.name}: {text}"


def _depth(geom: BaseGeometry) -> float:
    """How deep an overlap is: the short side of the smallest rectangle around it (mm)."""
    if geom.is_empty or geom.area <= 0:
        return 0.0
    rect = shapely.minimum_rotated_rectangle(geom)
    coords = list(rect.exterior.coords) if isinstance(rect, Polygon) else []
    if len(coords) < 4:
        return 0.0
    return float(min(math.dist(coords[0], coords[1]), math.dist(coords[1], coords[2])))


_INTERIORS: dict[tuple[object, ...], BaseGeometry] = {}


def plan_interior(plan: FloorPlan) -> BaseGeometry | None:
    """The rooms and the walls between them, with gaps and cut corners of a traced outline narrower
    than ``2 × TOL.room_gap_mm`` closed: where a unit may stand (None without rooms)."""
    if not plan.rooms:
        return None
    key = (tuple((w.start.x, w.start.y, w.end.x, w.end.y, w.thickness_mm) for w in plan.walls),
           tuple(tuple((p.x, p.y) for p in r.polygon) for r in plan.rooms))
    found = _INTERIORS.get(key)
    if found is None:
        if len(_INTERIORS) > 256:
            _INTERIORS.clear()
        shapes = [r.shape() for r in plan.rooms] + [wall_polygon(w) for w in plan.walls]
        union = shapely.union_all([s.buffer(0) for s in shapes])
        r = TOL.room_gap_mm
        found = _INTERIORS[key] = union.buffer(r, join_style="mitre").buffer(-r, join_style="mitre")
    return found


class _Checker:
    def __init__(self, design: Design, catalog: Catalog, fixes: bool = True) -> None:
        self.design = design
        self.catalog = catalog
        self.rules = catalog.rules(design.settings.region)
        self.walls = {w.id: w for w in design.plan.walls}
        self.objs = placed_objects(design, catalog)
        self.by_id = {o.id: o for o in self.objs}
        self.polys = np.array([o.footprint for o in self.objs], dtype=object)
        self.shrunk = self._shrink(TOL.length_mm)
        self.shrunk_of = dict(zip([o.id for o in self.objs], self.shrunk.tolist(), strict=True))
        self.interior = plan_interior(design.plan)
        self.wall_list = list(self.walls.values())
        self.wall_polys = [wall_polygon(w) for w in self.wall_list]
        self.names = names(self.objs, design)
        self.fixes = fixes
        self.findings: list[Finding] = []

    def _shrink(self, mm: float) -> np.ndarray:
        return shapely.buffer(self.polys, -mm, join_style="mitre") if len(self.objs) else self.polys

    def name(self, obj_id: str) -> dict[str, Any]:
        return self.names.get(obj_id, {})

    def add(self, severity: Severity, rule: str, source: str, ids: tuple[str, ...], params: dict[str, Any],
            fix: Fix | None = None) -> None:
        self.findings.append(Finding(severity, rule, source, ids, wording.render(rule, params), fix, params))

    # -- fixes -------------------------------------------------------------------------------------

    def _moved(self, obj: Placed, shift: float) -> tuple[Placed, WallPlacement] | None:
        """``obj`` moved ``shift`` mm to its right (seen from the front) along its wall, if it stays on it."""
        p = obj.placement
        if not isinstance(p, WallPlacement):
            return None
        wall = self.walls[p.wall_id]
        offset = p.offset_mm + (shift if p.side == "right" else -shift)
        if offset < -1e-6 or offset + obj.width_mm > wall.length_mm + TOL.length_mm:
            return None
        offset = math.floor(min(max(offset, 0.0), wall.length_mm - obj.width_mm) * 10) / 10
        shift = (offset - p.offset_mm) * (1 if p.side == "right" else -1)
        placement = WallPlacement(wall_id=p.wall_id, offset_mm=offset, side=p.side)
        dx, dy = obj.frame.ax[0] * shift, obj.frame.ax[1] * shift
        frame = dataclasses.replace(obj.frame, origin=(obj.frame.origin[0] + dx, obj.frame.origin[1] + dy))
        return dataclasses.replace(obj, frame=frame, footprint=shapely.affinity.translate(obj.footprint, dx, dy),
                                   placement=placement), placement

    def blocking(self, obj: Placed) -> bool:
        """Whether ``obj`` (as placed, or moved) takes part in any blocking finding of the space rules."""
        shrunk = obj.footprint.buffer(-TOL.overlap_mm / 2, join_style="mitre")
        for other in self.objs:
            if other.id == obj.id or min(obj.z1, other.z1) - max(obj.z0, other.z0) <= TOL.length_mm:
                continue
            if shrunk.intersects(other.footprint.buffer(-TOL.overlap_mm / 2, join_style="mitre")):
                return True
        into_wall = obj.footprint.buffer(-TOL.wall_fit_mm, join_style="mitre")
        if any(into_wall.intersects(w) for w in self.wall_polys):
            return True
        if self.interior is not None and self._outside(obj)[1]:
            return True
        clear = obj.footprint.buffer(-TOL.clearance_fit_mm, join_style="mitre")
        for wall in self.wall_list:
            for o in wall.openings:
                if isinstance(o, Door):
                    zone = door_zone(wall, o, self.rules.door_clearance_mm.value_mm)
                    if obj.z0 < o.height_mm and clear.intersects(zone):
                        return True
                elif (obj.category in ("wall", "tall") and obj.z1 > o.sill_mm + TOL.length_mm
                      and obj.z0 < o.sill_mm + o.height_mm and clear.intersects(window_zone(wall, o))):
                    return True
        return False

    def _shift_fix(self, obj: Placed, region: BaseGeometry | None, code: str,
                   extra: dict[str, Any] | None = None) -> Fix | None:
        """The smaller move along its wall that takes ``obj`` clear of ``region`` (fixed in space)
        without making it part of another blocking finding, as a Fix; None if no such move."""
        if not self.fixes or region is None:
            return None
        if isinstance(obj.placement, FreePlacement):
            return self._free_shift_fix(obj, obj.placement, region, code, extra)
        if not isinstance(obj.placement, WallPlacement):
            return None
        wall = self.walls[obj.placement.wall_id]
        w = obj.width_mm
        strip = rect_in_frame(obj.frame, -wall.length_mm, 1.0, w + wall.length_mm, obj.depth_mm - 1.0)
        part = strip.intersection(region)
        if part.is_empty:
            return None
        pieces = [g for g in getattr(part, "geoms", [part]) if g.intersects(obj.footprint) and g.area > 0]
        if not pieces:
            return None
        o, ax = obj.frame.origin, obj.frame.ax
        xs = [(x - o[0]) * ax[0] + (y - o[1]) * ax[1] for g in pieces for x, y in _coords(g)]
        lo, hi = min(xs), max(xs)
        candidates = sorted((float(math.ceil(hi - 1e-6)), -float(math.ceil(w - lo - 1e-6))), key=abs)
        for shift in candidates:
            moved = self._moved(obj, shift)
            if moved is None or self.blocking(moved[0]):
                continue
            params = {"unit": self.name(obj.id), "distance": round(abs(shift)),
                      "direction": "right" if shift > 0 else "left", **(extra or {})}
            return Fix(wording.render(code, params), obj.id, {"offset_mm": moved[1].offset_mm}, code, params)
        return None

    def _free_shift_fix(self, obj: Placed, p: FreePlacement, region: BaseGeometry, code: str,
                        extra: dict[str, Any] | None) -> Fix | None:
        """For a free-standing unit: the smallest move along one of its own axes (right or left along its
        front, forward or back) that takes it clear of ``region`` without making it part of another
        blocking finding; its rotation stays."""
        w, d = obj.width_mm, obj.depth_mm
        reach = 2 * (w + d) + 1000.0
        o, ax, ay = obj.frame.origin, obj.frame.ax, obj.frame.ay
        candidates: list[tuple[float, str, float, float]] = []  # (distance, direction, local dx, local dy)
        for axis in ("x", "y"):
            band = (rect_in_frame(obj.frame, -reach, 1.0, w + reach, d - 1.0) if axis == "x"
                    else rect_in_frame(obj.frame, 1.0, -reach, w - 1.0, d + reach))
            part = band.intersection(region)
            if part.is_empty:
                continue
            pieces = [g for g in getattr(part, "geoms", [part]) if g.intersects(obj.footprint) and g.area > 0]
            if not pieces:
                continue
            a = ax if axis == "x" else ay
            size = w if axis == "x" else d
            ts = [(x - o[0]) * a[0] + (y - o[1]) * a[1] for g in pieces for x, y in _coords(g)]
            lo, hi = min(ts), max(ts)
            plus, minus = float(math.ceil(hi - 1e-6)), float(math.ceil(size - lo - 1e-6))
            if axis == "x":
                candidates += [(plus, "right", plus, 0.0), (minus, "left", -minus, 0.0)]
            else:
                candidates += [(plus, "forward", 0.0, plus), (minus, "back", 0.0, -minus)]
        for distance, direction, lx, ly in sorted(candidates, key=lambda c: c[0]):
            if distance <= 0:
                continue
            dx, dy = lx * ax[0] + ly * ay[0], lx * ax[1] + ly * ay[1]
            placement = FreePlacement(x_mm=round(p.x_mm + dx, 1), y_mm=round(p.y_mm + dy, 1),
                                      rotation_deg=p.rotation_deg)
            dx, dy = placement.x_mm - p.x_mm, placement.y_mm - p.y_mm
            frame = dataclasses.replace(obj.frame, origin=(o[0] + dx, o[1] + dy))
            moved = dataclasses.replace(obj, frame=frame, placement=placement,
                                        footprint=shapely.affinity.translate(obj.footprint, dx, dy))
            if self.blocking(moved):
                continue
            params = {"unit": self.name(obj.id), "distance": round(distance), "direction": direction,
                      **(extra or {})}
            return Fix(wording.render(code, params), obj.id, {"x_mm": placement.x_mm, "y_mm": placement.y_mm},
                       code, params)
        return None

    # -- catalog -----------------------------------------------------------------------------------

    def cabinet_specs(self) -> None:
        for cab in self.design.cabinets:
            unit = self.name(cab.id)
            try:
                family = self.catalog.family(cab.family)
            except InvalidInput as err:
                self.add("error", "cabinet_spec", f"catalog {self.catalog.version}", (cab.id,),
                         {"unit": unit, "detail": err.detail})
                continue
            fix, size = None, None
            for dim, rng in (("width_mm", family.width), ("height_mm", family.height), ("depth_mm", family.depth)):
                value = float(getattr(cab, dim))
                if not rng.allows(value):
                    near = min(max(value, rng.min), rng.max)
                    near = rng.min + round((near - rng.min) / rng.step) * rng.step if rng.step > 1 else round(near)
                    size = {"unit": unit, "kind": "cabinet_size", "dimension": DIMENSION_WORDS[dim],
                            "value": number(value), "min": number(rng.min), "max": number(rng.max)}
                    wall = self.walls.get(cab.placement.wall_id) if isinstance(cab.placement, WallPlacement) else None
                    fits = wall is None or dim != "width_mm" or (
                        isinstance(cab.placement, WallPlacement)
                        and cab.placement.offset_mm + near <= wall.length_mm + TOL.length_mm)
                    if fits:
                        params = {"unit": unit, "value": number(near)}
                        fix = Fix(wording.render("cabinet_spec_fix", params), cab.id, {dim: near},
                                  "cabinet_spec_fix", params)
                    break
            try:
                check_sizes(family, cab)
                resolve_options(family, cab.options)
            except InvalidInput as err:
                params = size or {"unit": unit, "detail": err.detail, "field": err.field or ""}
                self.add("error", "cabinet_spec", f"catalog {self.catalog.version}", (cab.id,), params, fix)
                if size is not None:
                    self.findings[-1] = dataclasses.replace(self.findings[-1],
                                                            message=wording.render("cabinet_size", size))

    def cabinets(self) -> None:
        """The cabinet engineering rules (``cabinet_rules``): shelves, doors, hanging, fixing, walkways."""
        windows = tuple(cabinet_rules.WindowZone(o.id, window_zone(w, o), o.sill_mm, o.sill_mm + o.height_mm)
                        for w in self.walls.values() for o in w.openings if isinstance(o, Window))
        for hit in cabinet_rules.check(self.design, self.catalog, self.objs, self.names, self.wall_polys, windows):
            fix = None
            if hit.fix_code:
                params = {"unit": hit.params.get("unit", {}), **hit.fix_params}
                fix = Fix(wording.render(hit.fix_code, params), hit.object_ids[0], {}, hit.fix_code, params)
            self.add(hit.severity, hit.rule, hit.source, hit.object_ids, hit.params, fix)
            if "kind" in hit.params:  # the rule's words depend on a parameter (e.g. long or short hang)
                self.findings[-1] = dataclasses.replace(self.findings[-1],
                                                        message=wording.render(hit.params["kind"], hit.params))

    # -- space -------------------------------------------------------------------------------------

    def overlaps(self) -> None:
        if len(self.objs) < 2:
            return
        shrunk = self._shrink(TOL.overlap_mm / 2)
        tree = STRtree(shrunk)
        left, right = tree.query(shrunk, predicate="intersects")
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i >= j:
                continue
            a, b = self.objs[i], self.objs[j]
            if min(a.z1, b.z1) - max(a.z0, b.z0) <= TOL.length_mm:
                continue  # e.g. a wall unit above a base unit
            depth = _depth(a.footprint.intersection(b.footprint))
            if depth <= TOL.overlap_mm:
                continue
            mover, fixed = (b, a) if _movable(b) else (a, b)
            fix = self._shift_fix(mover, fixed.footprint, "overlap_fix")
            self.add("error", "overlap", "geometry", (a.id, b.id),
                     {"unit": self.name(a.id), "other": self.name(b.id), "depth": round(depth)}, fix)

    def walls_and_rooms(self) -> None:
        if not self.objs:
            return
        if self.wall_list:
            tree = STRtree(np.array(self.wall_polys, dtype=object))
            into = self._shrink(TOL.wall_fit_mm)
            obj_idx, wall_idx = tree.query(into, predicate="intersects")
            seen: set[str] = set()
            for i, k in zip(obj_idx.tolist(), wall_idx.tolist(), strict=True):
                obj, wall = self.objs[i], self.wall_list[k]
                if obj.id in seen:
                    continue
                seen.add(obj.id)
                depth = _depth(obj.footprint.intersection(self.wall_polys[k]))
                fix = self._shift_fix(obj, self.wall_polys[k], "crosses_wall_fix")
                self.add("error", "crosses_wall", "geometry", (obj.id, wall.id),
                         {"unit": self.name(obj.id), "depth": round(depth)}, fix)
        if self.interior is None:
            return
        for obj in self.objs:
            reach, blocking = self._outside(obj)
            if not blocking:
                continue
            assert self.interior is not None
            fix = self._shift_fix(obj, obj.footprint.envelope.buffer(obj.width_mm * 2).difference(self.interior),
                                  "outside_room_fix")
            self.add("error", "outside_room", "geometry", (obj.id,), {"unit": self.name(obj.id), "depth": round(reach)},
                     fix or Fix(wording.render("outside_room_nofix", {}), None, {}, "outside_room_nofix"))

    def _outside(self, obj: Placed) -> tuple[float, bool]:
        """How far ``obj`` reaches outside the rooms, and whether that blocks (past ``room_fit_mm``,
        and more than a sliver of ``outside_area_mm2``)."""
        assert self.interior is not None
        out = obj.footprint.difference(self.interior)
        if out.is_empty or out.area <= TOL.outside_area_mm2 / 100:
            return 0.0, False
        reach = max((self.interior.distance(SPoint(x, y)) for x, y in _coords(out)), default=0.0)
        return reach, reach > TOL.room_fit_mm and out.area > TOL.outside_area_mm2

    # -- openings ----------------------------------------------------------------------------------

    def openings(self) -> None:
        if not self.objs:
            return
        tree = STRtree(self._shrink(TOL.clearance_fit_mm))
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
            code = "door_swing" if door.swing != "none" else "door_passage"
            depth = _depth(obj.footprint.intersection(zone))
            self.add("error", "door_swing", _src(self.rules, self.rules.door_clearance_mm.source),
                     (obj.id, door.id), {"unit": self.name(obj.id), "depth": round(depth), "kind": code},
                     self._shift_fix(obj, zone, "door_swing_fix"))
            f = self.findings[-1]
            self.findings[-1] = dataclasses.replace(f, message=wording.render(code, f.params))

    def _window(self, tree: STRtree, wall: Wall, win: Window) -> None:
        zone = window_zone(wall, win)
        top = win.sill_mm + win.height_mm
        for i in tree.query(zone, predicate="intersects").tolist():
            obj = self.objs[i]
            if obj.z1 <= win.sill_mm + TOL.length_mm or obj.z0 >= top:
                continue
            if obj.category in ("wall", "tall"):
                self.add("error", "unit_in_front_of_window", "planning: fronts must not cover a window",
                         (obj.id, win.id), {"unit": self.name(obj.id)},
                         self._shift_fix(obj, zone, "unit_in_front_of_window_fix"))
            else:
                self.add("warning", "window_blocked", "planning: keep a window's sill clear",
                         (obj.id, win.id), {"unit": self.name(obj.id), "height": round(obj.z1 - win.sill_mm)})
        for i in tree.query(zone, predicate="intersects").tolist():
            obj = self.objs[i]
            if obj.appliance in HOB_KINDS and obj.category != "wall":
                self.add("warning", "hob_under_window", _src(self.rules, self.rules.hob_window_rule.source),
                         (obj.id, win.id), {"unit": self.name(obj.id)},
                         self._shift_fix(obj, zone, "hob_under_window_fix"))

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
                params = {"unit": self.name(a.id), "other": self.name(b.id), "gap": round(gap), "need": round(need)}
                self.add("warning", "corner_filler", _src(self.rules, self.rules.corner_filler_min_mm.source),
                         (a.id, b.id), params, self._filler_fix(a, b, need - gap))

    def _filler_fix(self, a: Placed, b: Placed, extra: float) -> Fix | None:
        """Move ``b`` out of the corner (away from ``a``) by ``extra``: room for a filler."""
        c = a.footprint.centroid
        o, ax = b.frame.origin, b.frame.ax
        towards_a = (c.x - o[0]) * ax[0] + (c.y - o[1]) * ax[1] < b.width_mm / 2
        shift = float(math.ceil(extra)) * (1 if towards_a else -1)
        moved = self._moved(b, shift)
        if moved is None:
            return None
        params = {"unit": self.name(b.id), "distance": math.ceil(extra)}
        return Fix(wording.render("corner_filler_fix", params), b.id, {"offset_mm": moved[1].offset_mm},
                   "corner_filler_fix", params)

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
                         {"unit": self.name(a.id), "other": self.name(b.id), "gap": round(gap), "need": round(need)})

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
                             (dw.id, near.id), {"unit": self.name(dw.id), "other": self.name(near.id),
                                                "gap": round(gap), "limit": round(limit)})
        if sinks and hobs and fridges:
            pts = [_front_centre(o[0]) for o in (sinks, hobs, fridges)]
            perimeter = sum(math.dist(pts[k], pts[(k + 1) % 3]) for k in range(3))
            lo, hi = self.rules.work_triangle_min_mm, self.rules.work_triangle_max_mm
            if not lo.value_mm <= perimeter <= hi.value_mm:
                self.add("warning", "work_triangle", _src(self.rules, lo.source),
                         (sinks[0].id, hobs[0].id, fridges[0].id),
                         {"length": f"{perimeter / 1000:.2f}", "low": f"{lo.value_mm / 1000:.2f}",
                          "high": f"{hi.value_mm / 1000:.2f}"})


def _coords(geom: BaseGeometry) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in shapely.get_coordinates(geom).tolist()]


def _movable(obj: Placed) -> bool:
    return isinstance(obj.placement, WallPlacement | FreePlacement) and obj.kind == "cabinet"


# -- names -----------------------------------------------------------------------------------------

LANDMARKS = ("sink", "hob", "item_fridge", "fridge", "item_dishwasher", "oven", "corner", "hood", "item_range",
             "item_cooker", "tall")


def noun_of(obj: Placed) -> str:
    """What a placed object is, as a key of :data:`wording.NOUNS` (from its catalog family)."""
    if obj.kind == "item":
        key = f"item_{obj.appliance}"
        return key if key in wording.NOUNS else "item"
    fam = obj.family
    if fam is None:
        return "base"
    if fam.noun is not None:
        return fam.noun
    if fam.code in ("end_panel", "filler", "plinth", "cornice", "light_rail"):
        return fam.code
    if fam.appliance is not None:
        return fam.appliance
    if fam.body == "l_corner" or fam.recipe.blind:
        return "corner_wall" if fam.category == "wall" else "corner"
    if fam.category == "worktop":
        return "worktop"
    if fam.category == "panel":
        return "panel"
    kinds = {z.kind for z in fam.recipe.zones}
    if fam.category == "base" and kinds == {"drawer"}:
        return "drawers"
    return fam.category if fam.category in ("base", "wall", "tall") else "base"


def names(objs: list[Placed], design: Design) -> dict[str, dict[str, Any]]:
    """Every placed object's name: width, noun and where it stands (left of the sink, under the
    window, at the left end of its run …), as :func:`wording.name` parameters."""
    walls = {w.id: w for w in design.plan.walls}
    nouns = {o.id: noun_of(o) for o in objs}
    counts: dict[str, int] = {}
    for n in nouns.values():
        counts[n] = counts.get(n, 0) + 1
    rows: dict[tuple[str, str, bool], list[Placed]] = {}
    for o in objs:
        p = o.placement
        if isinstance(p, WallPlacement):
            rows.setdefault((p.wall_id, p.side, o.category == "wall"), []).append(o)
    for row in rows.values():
        row.sort(key=lambda o: o.frame.origin[0] * o.frame.ax[0] + o.frame.origin[1] * o.frame.ax[1])
    several_walls = len({k[0] for k in rows}) > 1
    out: dict[str, dict[str, Any]] = {}
    for o in objs:
        noun = nouns[o.id]
        base: dict[str, Any] = {"width": round(o.width_mm), "noun": noun}
        p = o.placement
        if not isinstance(p, WallPlacement):
            out[o.id] = {**base, "where": "free"}
            continue
        wall = walls[p.wall_id]
        row = rows[(p.wall_id, p.side, o.category == "wall")]
        k = row.index(o)
        where: dict[str, Any] = {}
        if counts[noun] == 1 and noun in LANDMARKS:
            where = {"where": ""}
        if not where and o.category == "wall":
            below = rows.get((p.wall_id, p.side, False), [])
            centre = o.footprint.centroid
            under = next((b for b in below if nouns[b.id] in LANDMARKS and b.footprint.buffer(1).contains(
                SPoint(centre.x, centre.y)) is False and b.footprint.distance(centre) < o.depth_mm), None)
            under = under or next((b for b in below if nouns[b.id] in LANDMARKS
                                   and b.footprint.distance(o.footprint) < 1), None)
            if under is not None and abs(_along(under) - _along(o)) < max(o.width_mm, under.width_mm):
                where = {"where": "above", "ref": nouns[under.id]}
        if not where:
            marks = [(abs(i - k), i) for i, b in enumerate(row) if i != k and nouns[b.id] in LANDMARKS
                     and counts[nouns[b.id]] == 1]
            if marks:
                dist, i = min(marks)
                side = "left_of" if i > k else "right_of"
                where = {"where": side if dist == 1 else f"nth_{side}", "ref": nouns[row[i].id], "n": dist}
        if not where and o.category != "wall":
            a = p.offset_mm
            for win in wall.openings:
                if isinstance(win, Window) and a < win.offset_mm + win.width_mm and win.offset_mm < a + o.width_mm:
                    where = {"where": "under_window"}
                    break
        if not where:
            if len(row) == 1:
                where = {"where": ""}
            elif k == 0:
                where = {"where": "left_end"}
            elif k == len(row) - 1:
                where = {"where": "right_end"}
            else:
                where = {"where": "nth_from_left", "n": k + 1}
        name = {**base, **where}
        if several_walls and (where.get("where") in ("", "under_window", "left_end", "right_end", "nth_from_left")
                              and not (counts[noun] == 1 and noun in LANDMARKS)):
            name["wall_m"] = f"{wall.length_mm / 1000:.1f}"
        out[o.id] = name
    return out


def _along(o: Placed) -> float:
    c = o.footprint.centroid
    return float(c.x * o.frame.ax[0] + c.y * o.frame.ax[1])


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


def validate(design: Design, catalog: Catalog, *, fixes: bool = True) -> list[Finding]:
    """All findings for a design, errors first, in a stable order (``fixes=False``: without looking
    for moves that fix them, which is quicker)."""
    checker = _Checker(design, catalog, fixes)
    checker.cabinet_specs()
    checker.overlaps()
    checker.walls_and_rooms()
    checker.openings()
    checker.corners()
    checker.aisles()
    checker.kitchen()
    checker.cabinets()
    order = {"error": 0, "warning": 1}
    return sorted(checker.findings, key=lambda f: (order[f.severity], f.rule, f.object_ids))
