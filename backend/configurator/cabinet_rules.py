"""Engineering rules for cabinets built from a zone tree (pure): shelf sag, door leaves and hinges, sliding
doors, hanging heights and rail depth, drawers behind doors, wall fixing, tilting a unit up under the
ceiling, the walkway in front of wardrobes, a hinged door that would hit the bed, a window or a radiator.

Each rule looks at the built panels and zone layouts (``construction.build_cabinet``) and the placement,
and yields :class:`RuleHit` (severity, code, the units involved, the parameters its words need, an
advice fix); ``validation.validate`` turns them into findings worded by ``wording.FINDINGS``.  The limits
are :class:`CabinetRules` (``Catalog.cabinet_rules``), each with the source it comes from.

Shelf sag: a shelf is a beam under a uniform load ``q`` (N/mm²) across its depth; its deflection is
``δ = k · q · L⁴ · 12 / (384 · E · t³)`` (``k`` = 5 simply supported, on pins; 1 clamped, a fixed shelf),
independent of the depth. It must stay under ``L / span_ratio``. The span that just passes and the
board thickness that carries this span are the fixes offered.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from backend.configurator import construction
from backend.configurator.catalog import CabinetRules, Catalog
from backend.configurator.construction import CabinetBuild, Panel, cached_build_cabinet
from backend.configurator.placement import Placed, rect_in_frame
from backend.design.model import Design, DesignSettings, FreePlacement, PlacedCabinet
from backend.errors import InvalidInput

G = 9.81
SOURCES = {
    "shelf_sag": "beam deflection of a shelf (5qL⁴/384EI on pins, qL⁴/384EI fixed) under a stated load, "
                 "limit span/{ratio}",
    "door_leaf_size": "hinge makers' guidance for concealed hinges: leaves up to {width} mm wide, {height} mm high",
    "hinge_count": "hinge makers' load tables: about {capacity} kg of door per concealed hinge",
    "sliding_overlap": "sliding-door practice: leaves overlap at least {min} mm so no gap shows",
    "sliding_leaf_width": "sliding-door track makers: leaves up to {width} mm wide",
    "hanging_height": "wardrobe planning practice: long hang ≥ {long} mm, short hang ≥ {short} mm clear under the rail",
    "rail_depth": "wardrobe planning practice: a hanger needs {depth} mm of clear depth",
    "drawer_behind_door": "hinge makers' guidance: internal drawers need a 170° hinge or spacers to clear the door",
    "wall_fixing": "EN 14749 / GB 28007 practice: storage units over {height} mm high are fixed to the wall",
    "tilt_up": "installation practice: a unit assembled lying down is stood up; its diagonal must pass under the "
               "ceiling",
    "walkway": "planning practice: {walkway} mm clear in front of a wardrobe (more than its door leaves)",
    "door_hits": "planning practice: a hinged door opens to 90° clear of the bed, windows and radiators",
}

DOOR_HIT_KINDS = {"bed": "bed", "radiator": "radiator"}
"""Items (``PlacedItem.kind``, any case) a hinged door must clear → the finding's words
(``wording.FINDINGS['door_hits_<word>']``)."""


@dataclass(frozen=True)
class WindowZone:
    """A window as the door rule sees it: the plan band in front of it and its height above the floor."""

    id: str
    zone: BaseGeometry
    z0: float
    z1: float


@dataclass(frozen=True)
class RuleHit:
    severity: Literal["error", "warning"]
    rule: str
    source: str
    object_ids: tuple[str, ...]
    params: dict[str, Any]
    fix_code: str = ""
    fix_params: dict[str, Any] = field(default_factory=dict)


def cached_build(cab: PlacedCabinet, catalog: Catalog, settings: DesignSettings) -> CabinetBuild | None:
    """The cabinet's build (None when it cannot be built: ``cabinet_spec`` reports that), cached by
    content (``construction.cached_build_cabinet``, shared with the scene), so validating after an edit
    rebuilds only the cabinet that changed."""
    try:
        return cached_build_cabinet(cab, catalog, settings)
    except InvalidInput:
        return None


def clear_build_cache() -> None:
    """Forget every cached build (a cold validation, for the benchmark)."""
    construction.clear_build_cache()


def check(design: Design, catalog: Catalog, objs: list[Placed], names: dict[str, dict[str, Any]],
          obstacles: list[BaseGeometry], windows: tuple[WindowZone, ...] = ()) -> list[RuleHit]:
    """Every rule over every cabinet of the whole-home families.  Kitchen units are left to the kitchen
    rules for now: by the sag rule the shelf of the 1100 mm blind-corner base (1062 mm of 18 mm board)
    would sag 6.7 mm, which the kitchen catalog has always accepted."""
    r = catalog.cabinet_rules
    by_id = {o.id: o for o in objs}
    space = _Space(objs, obstacles, windows)
    out: list[RuleHit] = []
    for cab in design.cabinets:
        family = catalog.families.get(cab.family)
        if family is None or family.room == "kitchen":  # kitchen units keep the kitchen rules (see docs)
            continue
        build = cached_build(cab, catalog, design.settings)
        if build is None:
            continue
        unit = names.get(cab.id, {})
        out += _shelves(build, catalog, r, unit, family.room in ("living", "study"))
        out += _doors(build, catalog, r, unit)
        out += _zones(build, catalog, r, unit)
        out += _fixing_and_tilt(cab, build, design, r, unit, family.recipe.hang, family.recipe.top_box)
        if family.room == "wardrobe" and cab.id in by_id:
            out += _walkway(by_id[cab.id], build, space, r, unit)
        if cab.id in by_id:
            out += _door_hits(by_id[cab.id], build, space, unit)
    return out


DoorTarget = tuple[str, str, BaseGeometry, float, float]
"""What a hinged door must clear: (id, the finding's word, plan shape, z0, z1)."""


class _Space:
    """The plan shapes the placement rules test a unit against, with spatial indices (shapely STRtree),
    so each unit is checked against what stands near it, not against every other unit."""

    def __init__(self, objs: list[Placed], obstacles: list[BaseGeometry], windows: tuple[WindowZone, ...]) -> None:
        low = [o for o in objs if o.z0 < 900]
        self.low_ids = [o.id for o in low]
        self.low_and_obstacles = [o.footprint for o in low] + list(obstacles)
        self.low_tree = STRtree(self.low_and_obstacles)
        self.targets: list[DoorTarget] = [
            (o.id, DOOR_HIT_KINDS[(o.appliance or "").lower()], o.footprint, o.z0, o.z1) for o in objs
            if o.kind == "item" and (o.appliance or "").lower() in DOOR_HIT_KINDS]
        self.targets += [(w.id, "window", w.zone, w.z0, w.z1) for w in windows]
        self.target_tree = STRtree([t[2] for t in self.targets])

    def near_walkway(self, obj_id: str, zone: BaseGeometry) -> list[BaseGeometry]:
        """The low units' footprints (not ``obj_id``'s) and the obstacles meeting ``zone``, in their order."""
        n = len(self.low_ids)
        found = sorted(self.low_tree.query(zone, predicate="intersects").tolist())
        return [self.low_and_obstacles[i] for i in found if i >= n or self.low_ids[i] != obj_id]

    def near_targets(self, reach: BaseGeometry) -> list[DoorTarget]:
        """The door targets whose bounding boxes meet ``reach``, in their order."""
        return [self.targets[i] for i in sorted(self.target_tree.query(reach).tolist())]


# -- shelves ---------------------------------------------------------------------------------------

def sag_mm(span_mm: float, thickness_mm: float, modulus_mpa: float, load_kg_m2: float, fixed: bool) -> float:
    """Deflection (mm) of a shelf ``span_mm`` long, ``thickness_mm`` thick, under ``load_kg_m2``."""
    q = load_kg_m2 * G / 1e6  # N/mm²
    k = 1.0 if fixed else 5.0
    return k * q * span_mm ** 4 * 12 / (384 * modulus_mpa * thickness_mm ** 3)


def _shelves(build: CabinetBuild, catalog: Catalog, r: CabinetRules, unit: dict[str, Any],
             books: bool) -> Iterator[RuleHit]:
    load = r.book_load_kg_per_m2 if books else r.shelf_load_kg_per_m2
    worst: tuple[float, Panel] | None = None
    for p in build.panels:
        if p.role not in ("shelf", "fixed_shelf", "shoe_shelf"):
            continue
        mat = catalog.materials[p.material]
        if mat.modulus_mpa is None:
            continue
        span = p.box.size[0]
        sag = sag_mm(span, p.thickness_mm, mat.modulus_mpa, load, p.role == "fixed_shelf")
        if sag > span / r.shelf_span_ratio and (worst is None or sag > worst[0]):
            worst = (sag, p)
    if worst is None:
        return
    sag, p = worst
    mat = catalog.materials[p.material]
    fixed = p.role == "fixed_shelf"
    k = 1.0 if fixed else 5.0
    q = load * G / 1e6
    max_span = (384 * mat.modulus_mpa * p.thickness_mm ** 3 / (k * q * 12 * r.shelf_span_ratio)) ** (1 / 3)  # type: ignore[operator]
    span = p.box.size[0]
    need_t = (k * q * 12 * span ** 3 * r.shelf_span_ratio / (384 * mat.modulus_mpa)) ** (1 / 3)  # type: ignore[operator]
    yield RuleHit("warning", "shelf_sag", SOURCES["shelf_sag"].format(ratio=r.shelf_span_ratio), (build.cabinet_id,),
                  {"unit": unit, "span": round(span), "thickness": _n(p.thickness_mm), "sag": round(sag, 1),
                   "limit": round(span / r.shelf_span_ratio, 1), "load": _n(load)},
                  "shelf_sag_fix", {"span": math.floor(max_span), "thickness": math.ceil(need_t)})


# -- doors -----------------------------------------------------------------------------------------

def _doors(build: CabinetBuild, catalog: Catalog, r: CabinetRules, unit: dict[str, Any]) -> Iterator[RuleHit]:
    sliding = any(z.front == "sliding" for z in build.zones)
    leaf_hit = weight_hit = False
    for p in build.panels:
        if p.role != "door" or p.thickness_axis != "y" or p.name.startswith("Lift-up"):
            continue  # a lift-up door hangs from its top edge: the leaf limits are for side-hung doors
        w, h = p.box.size[0], p.box.size[2]
        if sliding:
            if w > r.sliding_leaf_max_width_mm and not leaf_hit:
                leaf_hit = True
                yield RuleHit("warning", "sliding_leaf_width", SOURCES["sliding_leaf_width"].format(
                    width=_n(r.sliding_leaf_max_width_mm)), (build.cabinet_id,),
                    {"unit": unit, "width": round(w), "max": _n(r.sliding_leaf_max_width_mm)},
                    "sliding_leaf_width_fix", {})
            continue
        if (w > r.door_max_width_mm or h > r.door_max_height_mm) and not leaf_hit:
            leaf_hit = True
            yield RuleHit("warning", "door_leaf_size", SOURCES["door_leaf_size"].format(
                width=_n(r.door_max_width_mm), height=_n(r.door_max_height_mm)), (build.cabinet_id,),
                {"unit": unit, "width": round(w), "height": round(h), "max_width": _n(r.door_max_width_mm),
                 "max_height": _n(r.door_max_height_mm)}, "door_leaf_size_fix", {})
        cups = sum(1 for o in p.ops if o.purpose == "hinge_cup")
        weight = w * h * p.thickness_mm * catalog.materials[p.material].density_kg_m3 / 1e9
        need = math.ceil(weight / r.hinge_capacity_kg)
        if cups and cups < need and not weight_hit:
            weight_hit = True
            yield RuleHit("warning", "hinge_count", SOURCES["hinge_count"].format(capacity=_n(r.hinge_capacity_kg)),
                          (build.cabinet_id,), {"unit": unit, "weight": round(weight, 1), "hinges": cups,
                                                "need": need}, "hinge_count_fix", {"need": need})


# -- zones -----------------------------------------------------------------------------------------

def _zones(build: CabinetBuild, catalog: Catalog, r: CabinetRules, unit: dict[str, Any]) -> Iterator[RuleHit]:
    k = catalog.construction
    depth = _inner_depth(build)
    rail_depth_done = False
    for z in build.zones:
        if z.insert == "rail":
            _, _, z0, z1 = z.inner
            clear = z1 - k.rail_drop_mm - z0
            need = r.long_hang_min_mm if z.hang == "long" else r.short_hang_min_mm
            if clear < need - 0.5:
                yield RuleHit("warning", "hanging_height", SOURCES["hanging_height"].format(
                    long=_n(r.long_hang_min_mm), short=_n(r.short_hang_min_mm)), (build.cabinet_id,),
                    {"unit": unit, "kind": f"hanging_height_{z.hang}", "clear": round(clear), "need": _n(need)},
                    "hanging_height_fix", {"distance": math.ceil(need - clear)})
            if depth < r.rail_depth_min_mm and not rail_depth_done:
                rail_depth_done = True
                yield RuleHit("warning", "rail_depth", SOURCES["rail_depth"].format(depth=_n(r.rail_depth_min_mm)),
                              (build.cabinet_id,), {"unit": unit, "depth": round(depth),
                                                    "need": _n(r.rail_depth_min_mm)},
                              "rail_depth_fix", {"distance": math.ceil(r.rail_depth_min_mm - depth)})
        if z.insert == "drawers" and z.internal and z.front == "hinged" and catalog.hinges[z.hinge].opening_deg < 155:
            yield RuleHit("warning", "drawer_behind_door", SOURCES["drawer_behind_door"], (build.cabinet_id,),
                          {"unit": unit}, "drawer_behind_door_fix", {})
    for z in build.zones:
        if z.front == "sliding":
            overlap = _sliding_overlap(build)
            if overlap is not None and overlap < r.sliding_overlap_min_mm - 0.5:
                yield RuleHit("warning", "sliding_overlap", SOURCES["sliding_overlap"].format(
                    min=_n(r.sliding_overlap_min_mm)), (build.cabinet_id,),
                    {"unit": unit, "overlap": round(overlap), "need": _n(r.sliding_overlap_min_mm)},
                    "sliding_overlap_fix", {})
            break


def _inner_depth(build: CabinetBuild) -> float:
    sides = [p for p in build.panels if p.role == "side"]
    backs = [p for p in build.panels if p.role == "back"]
    front = max((p.box.max[1] for p in sides), default=build.depth_mm)
    back = max((p.box.max[1] for p in backs), default=0.0)
    return front - back


def _sliding_overlap(build: CabinetBuild) -> float | None:
    leaves = sorted((p for p in build.panels if p.role == "door" and p.name == "Sliding door"),
                    key=lambda p: p.box.origin[0])
    if len(leaves) < 2:
        return None
    return min(a.box.max[0] - b.box.origin[0] for a, b in itertools.pairwise(leaves))


# -- standing it up --------------------------------------------------------------------------------

def _fixing_and_tilt(cab: PlacedCabinet, build: CabinetBuild, design: Design, r: CabinetRules,
                     unit: dict[str, Any], hung: bool, has_top_box: bool) -> Iterator[RuleHit]:
    if cab.height_mm >= r.wall_fixing_height_mm and not hung and isinstance(cab.placement, FreePlacement):
        yield RuleHit("warning", "wall_fixing", SOURCES["wall_fixing"].format(height=_n(r.wall_fixing_height_mm)),
                      (cab.id,), {"unit": unit, "height": _n(cab.height_mm), "limit": _n(r.wall_fixing_height_mm)},
                      "wall_fixing_fix", {})
    ceiling = design.settings.ceiling_height_mm
    body = cab.height_mm - (float(build.options.get("top_box_mm", 0)) if has_top_box else 0.0)
    diagonal = math.hypot(body, cab.depth_mm)
    if diagonal > ceiling - r.tilt_clearance_mm and not hung:
        most = math.sqrt(max(0.0, (ceiling - r.tilt_clearance_mm) ** 2 - cab.depth_mm ** 2))
        yield RuleHit("error", "tilt_up", SOURCES["tilt_up"], (cab.id,),
                      {"unit": unit, "diagonal": round(diagonal), "ceiling": _n(ceiling)},
                      "tilt_up_fix", {"top_box": math.ceil(body - most), "height": math.floor(most)})


# -- walkway ---------------------------------------------------------------------------------------

def _walkway(obj: Placed, build: CabinetBuild, space: _Space, r: CabinetRules,
             unit: dict[str, Any]) -> Iterator[RuleHit]:
    leaves = [p.box.size[0] for p in build.panels if p.role == "door" and p.thickness_axis == "y"]
    sliding = any(z.front == "sliding" for z in build.zones)
    need = r.walkway_min_mm if sliding or not leaves else max(r.walkway_min_mm, max(leaves) + r.door_swing_margin_mm)
    zone = rect_in_frame(obj.frame, 0, obj.depth_mm, obj.width_mm, obj.depth_mm + need)
    front_line = shapely.LineString([obj.frame.to_plan(0, obj.depth_mm), obj.frame.to_plan(obj.width_mm, obj.depth_mm)])
    gap = need
    for other in space.near_walkway(obj.id, zone):
        inter = zone.intersection(other)
        if inter.is_empty or inter.area < 100:
            continue
        gap = min(gap, float(front_line.distance(inter)))
    if gap < need - 1:
        yield RuleHit("warning", "walkway", SOURCES["walkway"].format(walkway=_n(r.walkway_min_mm)), (obj.id,),
                      {"unit": unit, "gap": round(gap), "need": _n(need)}, "walkway_fix", {})


# -- a hinged door must not hit the bed, a window or a radiator ------------------------------------

SWING_STEPS = 12
"""Segments of the quarter circle a hinged leaf sweeps (the polygon lies within 0.9 % of the arc)."""


def hinge_edge(p: Panel) -> float | None:
    """The x (cabinet frame) of the edge a door leaf turns about: the edge its hinge cups are drilled
    along (the engine puts them on ``Front.hinge_side``); None for a leaf without cups along a side."""
    cups = [op for op in p.ops if op.purpose == "hinge_cup"]
    if not cups or "x" not in (p.length_axis, p.width_axis):
        return None
    x = sum(p.box.origin[0] + (op.v_mm if p.width_axis == "x" else op.u_mm) for op in cups) / len(cups)
    return p.box.origin[0] if x < p.box.origin[0] + p.box.size[0] / 2 else p.box.max[0]


def leaf_swing(obj: Placed, x0: float, x1: float, front: float, hinge_x: float | None) -> BaseGeometry:
    """The plan area a leaf spanning x0..x1 sweeps opening to 90° about its hinge edge ``hinge_x``:
    the quarter circle of the leaf's width from the hinge, from the closed leaf out to square in front
    of it (without a known hinge, the square in front of the leaf, either edge may carry it)."""
    w = x1 - x0
    if hinge_x is None:
        return rect_in_frame(obj.frame, x0, front, x1, front + w)
    free = 1.0 if abs(hinge_x - x0) <= abs(hinge_x - x1) else -1.0  # towards the leaf's free edge
    pts = [obj.frame.to_plan(hinge_x, front)]
    for k in range(SWING_STEPS + 1):
        a = math.pi / 2 * k / SWING_STEPS
        pts.append(obj.frame.to_plan(hinge_x + free * w * math.cos(a), front + w * math.sin(a)))
    return shapely.Polygon(pts)


def swinging_leaves(build: CabinetBuild) -> list[Panel]:
    """The leaves of a unit that swing out sideways: hinged doors (not sliding doors, lift-ups or
    drawer fronts)."""
    if any(z.front == "sliding" for z in build.zones):
        return []
    return [p for p in build.panels
            if p.role == "door" and p.thickness_axis == "y" and p.name in ("Door", "Glass door")]


def swing_zones(obj: Placed, build: CabinetBuild) -> list[tuple[BaseGeometry, float, float]]:
    """The plan area each hinged leaf of a unit sweeps opening to 90° (a quarter circle of the leaf's
    width about its hinged edge, see :func:`leaf_swing`) and its heights above the floor."""
    return [(leaf_swing(obj, p.box.origin[0], p.box.max[0], p.box.max[1], hinge_edge(p)),
             obj.z0 + p.box.origin[2], obj.z0 + p.box.max[2]) for p in swinging_leaves(build)]


def _door_hits(obj: Placed, build: CabinetBuild, space: _Space, unit: dict[str, Any]) -> Iterator[RuleHit]:
    leaves = swinging_leaves(build)
    if not leaves or not space.targets:
        return
    # every leaf turns within its width of its hinge, on the front face: look only at what is that near
    reach = max(p.box.size[0] for p in leaves) + max(max(p.box.max[1] for p in leaves) - obj.depth_mm, 0.0) + 1.0
    targets = space.near_targets(obj.footprint.buffer(reach, join_style="mitre").envelope)
    if not targets:
        return

    def hits(p: Panel, hinge_x: float | None) -> list[str]:
        """The targets the leaf ``p`` hits turning about ``hinge_x``."""
        zone = leaf_swing(obj, p.box.origin[0], p.box.max[0], p.box.max[1], hinge_x)
        d0, d1 = obj.z0 + p.box.origin[2], obj.z0 + p.box.max[2]
        out = []
        for target_id, _, shape, z0, z1 in targets:
            if d1 <= z0 or d0 >= z1:
                continue
            inter = zone.intersection(shape)
            if not inter.is_empty and inter.area >= 100:
                out.append(target_id)
        return out

    by_leaf = [(p, hits(p, hinge_edge(p))) for p in leaves]
    for target_id, what, _, _, _ in targets:
        hitting = [p for p, ids in by_leaf if target_id in ids]
        if not hitting:
            continue
        # a single leaf that would clear everything hinged on its other edge: say so
        flip = all(_single_leaf(p, leaves) and hinge_edge(p) is not None and not hits(p, _other_edge(p))
                   for p in hitting)
        yield RuleHit("error", "door_hits", SOURCES["door_hits"], (obj.id, target_id),
                      {"unit": unit, "what": what, "kind": f"door_hits_{what}"},
                      "door_hits_hinge_fix" if flip else "door_hits_fix", {})


def _other_edge(p: Panel) -> float:
    return p.box.max[0] if hinge_edge(p) == p.box.origin[0] else p.box.origin[0]


def _single_leaf(p: Panel, leaves: list[Panel]) -> bool:
    """Whether a leaf hangs alone (not one of a pair meeting at the middle, whose hinges are fixed)."""
    return not any(q is not p and abs(q.box.origin[2] - p.box.origin[2]) < 1 and abs(q.box.max[2] - p.box.max[2]) < 1
                   and min(abs(q.box.origin[0] - p.box.max[0]), abs(p.box.origin[0] - q.box.max[0])) < 10
                   for q in leaves)


def _n(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)
