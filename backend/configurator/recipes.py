"""Construction recipes: carcass cabinets (frameless, 32 mm system), the L-shaped corner, fillers and
one-board families.  The rules are documented in ``docs/construction.md``.
"""

from __future__ import annotations

from typing import Literal

from backend.configurator.builder import INNER_FACES, Builder, Draft
from backend.configurator.catalog import Catalog, Material, Zone
from backend.errors import InvalidInput


def _zone_heights(b: Builder) -> list[float]:
    zones = b.family.recipe.zones
    fixed: dict[int, float] = {}
    for i, zone in enumerate(zones):
        if zone.height_option is not None:
            value = float(b.opts[zone.height_option])
            fixed[i] = value + (b.t if zone.kind == "appliance" else 0)
    rest = b.H - sum(fixed.values())
    flex = [i for i in range(len(zones)) if i not in fixed]
    weight = sum(zones[i].weight for i in flex)
    if (flex and rest < 100 * len(flex)) or (not flex and abs(rest) > 0.5):
        raise InvalidInput(f"height {b.H:g} mm leaves no room for the fronts of {b.family.name}",
                           field="height_mm")
    heights = [fixed[i] if i in fixed else float(round(rest * zones[i].weight / weight))
               for i in range(len(zones))]
    if flex:  # whole millimetres; the last flexible zone takes the rounding
        heights[flex[-1]] += b.H - sum(heights)
    return heights


class Carcass:
    """Frameless carcass: sides run full height, bottom/top between them, back in grooves."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        k, r = b.k, b.family.recipe
        self.r = r
        self.c = b.D - b.ft if b.family.has_fronts else b.D
        if self.c < 150:
            raise InvalidInput("too shallow for a carcass", field="depth_mm")
        self.back_y = k.back_inset_mm + b.back.thickness_mm if r.back == "groove" else 0.0
        self.sides: list[Draft] = []

    def build(self) -> None:
        b, t, W, H, c = self.b, self.b.t, self.b.W, self.b.H, self.c
        if 2 * t + 100 > W:
            raise InvalidInput("too narrow for a carcass", field="width_mm")
        left = b.add("side", "Left side", (0, 0, 0), (t, c, H), "x", b.carcass, "z", ["+y"], "l")
        right = b.add("side", "Right side", (W - t, 0, 0), (W, c, H), "x", b.carcass, "z", ["+y"], "r")
        self.sides = [left, right]
        horizontals = [b.add("bottom", "Bottom", (t, 0, 0), (W - t, c, t), "z", b.carcass, "x", ["+y"])]
        if self.r.top == "panel":
            horizontals.append(b.add("top", "Top", (t, 0, H - t), (W - t, c, H), "z", b.carcass, "x", ["+y"]))
        elif self.r.top == "rails":
            rw = b.k.rail_width_mm
            b.add("rail", "Front rail", (t, c - rw, H - t), (W - t, c, H), "z", b.carcass, "x", ["+y"])
            b.add("rail", "Back rail", (t, self.back_y, H - t), (W - t, self.back_y + rw, H), "z",
                  b.carcass, "x")
            b.hw(b.k.connector, 4)
            b.hw(b.k.dowel, 4)
        if self.r.bottom_cutout:
            bottom = horizontals[0]
            cw, cd = min(300.0, W - 2 * t - 60), min(200.0, c - self.back_y - 60)
            b.op(bottom, "cutout", "duct_cutout", ((W - cw) / 2, self.back_y + 30, 0), "A", t, 0, (cw, cd, 0))
        b.hw(b.k.connector, 4 * len(horizontals))
        b.hw(b.k.dowel, 4 * len(horizontals))
        if self.r.back == "groove":
            self._back(horizontals)
        self._system32()
        zones = self.r.zones
        heights = _zone_heights(b)
        bounds = [0.0]
        for h in heights:
            bounds.append(bounds[-1] + h)
        bounds[-1] = H
        shelf_at = [False] + [not (zones[i].kind == "drawer" and zones[i + 1].kind == "drawer")
                              for i in range(len(zones) - 1)] + [False]
        for i in range(1, len(zones)):
            if shelf_at[i]:
                z = bounds[i]
                b.add("fixed_shelf", "Fixed shelf", (t, self.back_y, z - t / 2), (W - t, c, z + t / 2), "z",
                      b.carcass, "x", ["+y"])
                b.hw(b.k.connector, 4)
                b.hw(b.k.dowel, 4)
        top_inner = H - t if self.r.top != "none" else H
        drawers = sum(1 for z in zones if z.kind == "drawer")
        drawer_no = 0
        for i, zone in enumerate(zones):
            lo = t if i == 0 else bounds[i] + (t / 2 if shelf_at[i] else 0)
            hi = top_inner if i == len(zones) - 1 else bounds[i + 1] - (t / 2 if shelf_at[i + 1] else 0)
            if zone.kind == "drawer":
                drawer_no += 1
                self._drawer(bounds[i], bounds[i + 1], lo, hi, drawer_no, drawers)
            elif zone.kind in ("door", "lift"):
                self._doors(zone, bounds[i], bounds[i + 1])
            if zone.kind in ("door", "open", "lift"):
                self._shelves(zone, lo, hi)
        if self.r.legs:
            self._legs()
        if self.r.hang:
            b.hw(b.k.wall_hanger, 1)

    def _back(self, horizontals: list[Draft]) -> None:
        b, k, t, W, H = self.b, self.b.k, self.b.t, self.b.W, self.b.H
        gd, bi, bt = k.groove_depth_mm, k.back_inset_mm, b.back.thickness_mm
        top_z = H - t + gd if self.r.top == "panel" else H
        b.add("back", "Back", (t - gd, bi, t - gd), (W - t + gd, bi + bt, top_z), "y", b.back, None)
        for side, side_face in zip(self.sides, INNER_FACES, strict=True):
            b.op(side, "groove", "back_groove", (0, bi, 0), side_face, gd, 0, (0, bt, b.H))
        for panel in horizontals:
            face: Literal["A", "B"] = "B" if panel.role == "bottom" else "A"
            b.op(panel, "groove", "back_groove", (t, bi, 0), face, gd, 0, (W - 2 * t, bt, 0))

    def _system32(self) -> None:
        b, k = self.b, self.b.k
        rows = (self.c - k.system32_setback_mm, self.back_y + k.system32_setback_mm)
        zs: list[float] = []
        z = k.system32_first_hole_mm
        while z <= b.H - k.system32_first_hole_mm + 1e-6:
            zs.append(z)
            z += k.system32_pitch_mm
        for side, face in zip(self.sides, INNER_FACES, strict=True):
            x = side.lo[0] if face == "A" else side.hi[0]
            for y in rows:
                for zz in zs:
                    b.op(side, "drill", "system32", (x, y, zz), face, k.system32_hole_depth_mm,
                         k.system32_hole_diameter_mm)

    def _front_x_spans(self, count: int) -> list[tuple[float, float]]:
        b, g = self.b, self.b.k.front_gap_mm
        x0, x1 = 0.0, b.W
        if self.r.blind:
            bw = float(b.opts["blind_width_mm"])
            if bw > b.W - 250:
                raise InvalidInput(f"blind part {bw:g} mm leaves less than 250 mm for the door",
                                   field="options.blind_width_mm")
            if b.opts["blind_side"] == "left":
                x0 = bw
            else:
                x1 = b.W - bw
        step = (x1 - x0) / count
        return [(x0 + i * step + g / 2, x0 + (i + 1) * step - g / 2) for i in range(count)]

    def _doors(self, zone: Zone, z0: float, z1: float) -> None:
        b, k, g = self.b, self.b.k, self.b.k.front_gap_mm
        count = zone.count if isinstance(zone.count, int) else (1 if b.W <= 600 else 2)
        if zone.kind == "lift":
            count = 1
        spans = self._front_x_spans(count)
        fz0, fz1 = z0 + g / 2, z1 - g / 2
        if self.r.blind:
            left = b.opts["blind_side"] == "left"
            bx0, bx1 = (g / 2, spans[0][0] - g) if left else (spans[-1][1] + g, b.W - g / 2)
            b.add("blind_panel", "Blind panel", (bx0, self.c, fz0), (bx1, b.D, fz1), "y", b.front, "z",
                  ["-x", "+x", "-z", "+z"])
        for n, (x0, x1) in enumerate(spans):
            name = "Lift-up door" if zone.kind == "lift" else "Door"
            door = b.add("door", name, (x0, self.c, fz0), (x1, b.D, fz1), "y", b.front, "z",
                         ["-x", "+x", "-z", "+z"])
            if zone.kind == "lift":
                _hinge_cups(b, door, "top", 2)
                b.hw(k.lift_stay, 1)
                b.hw(k.default_hinge, 2)
                _handle(b, door, "bottom")
                continue
            if self.r.blind:
                hinge_side = "right" if b.opts["blind_side"] == "left" else "left"
            elif count == 1:
                hinge_side = str(b.opts.get("hinge_side", "left"))
            else:
                hinge_side = "left" if n == 0 else "right"
            hinges = hinge_count(b.catalog, fz1 - fz0)
            _hinge_cups(b, door, hinge_side, hinges)
            b.hw(k.default_hinge, hinges)
            _handle(b, door, "right" if hinge_side == "left" else "left")

    def _drawer(self, z0: float, z1: float, lo: float, hi: float, n: int, total: int) -> None:
        b, k, t, W, c = self.b, self.b.k, self.b.t, self.b.W, self.c
        g = k.front_gap_mm
        slide = b.catalog.slides[k.default_slide]
        room = c - self.back_y - 10
        lengths = [x for x in slide.lengths_mm if x <= room]
        if not lengths:
            raise InvalidInput(f"depth {b.D:g} mm is too shallow for the shortest drawer slide "
                               f"({min(slide.lengths_mm)} mm)", field="depth_mm")
        length = float(max(lengths))
        box = b.catalog.materials[k.drawer_box_material]
        bottom_mat = b.catalog.materials[k.drawer_bottom_material]
        dt, s = box.thickness_mm, slide.side_clearance_mm
        clear = k.drawer_top_clearance_mm + k.drawer_bottom_clearance_mm
        bh = min(k.drawer_box_max_height_mm, hi - lo - clear)
        if bh < k.drawer_min_box_height_mm:
            raise InvalidInput(f"height {b.H:g} mm is too low for {total} drawers", field="height_mm")
        if W - 2 * t - 2 * s - 2 * dt < 100:
            raise InvalidInput("too narrow for a drawer box", field="width_mm")
        bz = lo + k.drawer_bottom_clearance_mm
        xa, xb = t + s, W - t - s
        y0 = c - length
        front = b.add("drawer_front", f"Drawer front {n}", (g / 2, c, z0 + g / 2),
                      (W - g / 2, b.D, z1 - g / 2), "y", b.front, "z", ["-x", "+x", "-z", "+z"])
        _handle(b, front, "top")
        suffix = f"{n}"
        b.add("drawer_side", f"Drawer {n} left side", (xa, y0, bz), (xa + dt, c, bz + bh), "x", box, "y",
              ["+z"], f"{suffix}l")
        b.add("drawer_side", f"Drawer {n} right side", (xb - dt, y0, bz), (xb, c, bz + bh), "x", box, "y",
              ["+z"], f"{suffix}r")
        b.add("drawer_back", f"Drawer {n} back", (xa + dt, y0, bz), (xb - dt, y0 + dt, bz + bh), "y", box,
              "x", ["+z"], suffix)
        b.add("drawer_bottom", f"Drawer {n} bottom", (xa + dt, y0 + dt, bz),
              (xb - dt, c, bz + bottom_mat.thickness_mm), "z", bottom_mat, None, (), suffix)
        b.hw(k.default_slide, 1)
        for side, face in zip(self.sides, INNER_FACES, strict=True):
            x = side.lo[0] if face == "A" else side.hi[0]
            for y in (c - 37, c - 37 - 224):
                if y > self.back_y:
                    b.op(side, "drill", "slide", (x, y, bz + 10), face, 12, 5)

    def _shelves(self, zone: Zone, lo: float, hi: float) -> None:
        b, k, t = self.b, self.b.k, self.b.t
        n = int(b.opts[zone.shelves_option]) if zone.shelves_option else zone.shelves
        if n and (hi - lo) / (n + 1) < t + 40:
            raise InvalidInput(f"{n} shelves do not fit in {hi - lo:.0f} mm", field="options.shelves")
        sc = k.shelf_side_clearance_mm
        for i in range(1, n + 1):
            zc = lo + (hi - lo) * i / (n + 1)
            b.add("shelf", "Adjustable shelf", (t + sc, self.back_y, zc - t / 2),
                  (b.W - t - sc, self.c - k.shelf_front_setback_mm, zc + t / 2), "z", b.carcass, "x", ["+y"])
            b.hw(k.shelf_pin, 4)

    def _legs(self) -> None:
        """Legs by width (``legs_per_width``), of the model whose height range covers the elevation."""
        b = self.b
        count = next((r.count for r in b.k.legs_per_width if (r.max_width_mm or 1e9) >= b.W), 6)
        fitting = [leg.code for leg in b.catalog.legs.values()
                   if leg.min_height_mm <= b.cab.elevation_mm <= leg.max_height_mm]
        b.hw(fitting[0] if fitting else b.k.default_leg, count)


def _hinge_cups(b: Builder, door: Draft, side: str, count: int) -> None:
    k = b.k
    x0, _, z0 = door.lo
    x1, _, z1 = door.hi
    e = k.hinge_cup_edge_mm
    along = (z1 - z0) if side in ("left", "right") else (x1 - x0)
    off = min(k.hinge_end_offset_mm, along / 4)
    if side in ("left", "right"):
        x = x0 + e if side == "left" else x1 - e
        span = z1 - z0 - 2 * off
        pts = [(x, z0 + off + span * i / (count - 1)) for i in range(count)]
    else:
        z = z1 - e
        span = x1 - x0 - 2 * off
        pts = [(x0 + off + span * i / (count - 1), z) for i in range(count)]
    for x, z in pts:
        b.op(door, "drill", "hinge_cup", (x, door.lo[1], z), "A", k.hinge_cup_depth_mm,
            k.hinge_cup_diameter_mm)


def _handle(b: Builder, front: Draft, where: str) -> None:
    k = b.k
    h = b.handle
    b.hw(h.code, 1)
    if h.length_mm == 0:
        return
    x0, _, z0 = front.lo
    x1, _, z1 = front.hi
    off = k.handle_edge_offset_mm
    s = h.hole_spacing_mm
    if where in ("left", "right"):
        x = x0 + off if where == "left" else x1 - off
        zc = z1 - off - s / 2 if b.family.category != "wall" else z0 + off + s / 2
        holes = [(x, zc - s / 2), (x, zc + s / 2)] if s else [(x, zc)]
    else:
        z = z1 - off if where == "top" else z0 + off
        xc = (x0 + x1) / 2
        holes = [(xc - s / 2, z), (xc + s / 2, z)] if s else [(xc, z)]
    for x, z in holes:
        if x0 < x < x1 and z0 < z < z1:
            b.op(front, "drill", "handle", (x, front.lo[1], z), "A", b.ft, 5)


def hinge_count(catalog: Catalog, door_height_mm: float) -> int:
    """Hinges per door by its height (catalog ``hinges_per_door_height``)."""
    for rule in catalog.construction.hinges_per_door_height:
        if door_height_mm <= (rule.max_height_mm or 1e9):
            return rule.count
    return catalog.construction.hinges_per_door_height[-1].count + 1


# ------------------------------------------------------------------------------------------------
# L-shaped corner and single-panel families


def l_corner(b: Builder) -> None:
    k, t, W, D, H, ft, g = b.k, b.t, b.W, b.D, b.H, b.ft, b.k.front_gap_mm
    d = float(b.opts["leg_depth_mm"])
    c, bt, rw, sc = d - ft, b.back.thickness_mm, k.rail_width_mm, k.shelf_side_clearance_mm
    if min(W, D) - d < 200:
        raise InvalidInput(f"leg depth {d:g} mm leaves less than 200 mm for the corner doors",
                           field="options.leg_depth_mm")
    b.add("side", "Right side", (W - t, 0, 0), (W, c, H), "x", b.carcass, "z", ["+y"], "r")
    b.add("side", "Front side", (0, D - t, 0), (c, D, H), "y", b.carcass, "z", ["+x"], "f")
    b.add("back", "Back (long leg)", (bt, 0, 0), (W - t, bt, H), "y", b.back, None)
    b.add("back", "Back (short leg)", (0, 0, 0), (bt, D - t, H), "x", b.back, None)
    b.add("bottom", "Bottom (long leg)", (bt, bt, 0), (W - t, c, t), "z", b.carcass, "x", ["+y"])
    b.add("bottom", "Bottom (short leg)", (bt, c, 0), (c, D - t, t), "z", b.carcass, "y", ["+x"])
    b.add("rail", "Front rail (long leg)", (bt, c - rw, H - t), (W - t, c, H), "z", b.carcass, "x", ["+y"])
    b.add("rail", "Back rail (long leg)", (bt, bt, H - t), (W - t, bt + rw, H), "z", b.carcass, "x")
    b.add("rail", "Front rail (short leg)", (c - rw, c, H - t), (c, D - t, H), "z", b.carcass, "y", ["+x"])
    b.add("rail", "Back rail (short leg)", (bt, c, H - t), (bt + rw, D - t, H), "z", b.carcass, "y")
    zc = H / 2
    b.add("shelf", "Shelf (long leg)", (bt + sc, bt, zc - t / 2), (W - t - sc, c - k.shelf_front_setback_mm,
          zc + t / 2), "z", b.carcass, "x", ["+y"])
    b.add("shelf", "Shelf (short leg)", (bt + sc, c, zc - t / 2), (c - k.shelf_front_setback_mm, D - t - sc,
          zc + t / 2), "z", b.carcass, "y", ["+x"])
    b.hw(k.shelf_pin, 8)
    b.hw(k.connector, 16)
    b.hw(k.dowel, 16)
    fz0, fz1 = g / 2, H - g / 2
    door_a = b.add("door", "Door (long leg)", (c, c, fz0), (W - g / 2, d, fz1), "y", b.front, "z",
                   ["-x", "+x", "-z", "+z"])
    door_b = b.add("door", "Door (short leg)", (c, d + g, fz0), (d, D - g / 2, fz1), "x", b.front, "z",
                   ["-y", "+y", "-z", "+z"])
    hinges = hinge_count(b.catalog, fz1 - fz0)
    _hinge_cups(b, door_a, "right", hinges)
    b.hw(k.default_hinge, hinges)
    b.hw(k.bifold_hinge, hinges)
    _handle(b, door_b, "bottom")
    count = next((r.count for r in k.legs_per_width if max(W, D) <= (r.max_width_mm or 1e9)), 6)
    b.hw(k.default_leg, count + 1)


def _countertop_material(b: Builder) -> Material:
    code = str(b.opts.get("material") or "") or b.settings.countertop_material
    return b.catalog.material(code, "options.material", ("countertop",))


def single_panel(b: Builder) -> None:
    r = b.family.recipe
    role = r.panel_role or "panel"
    mat = {"front": b.front, "carcass": b.carcass}.get(r.panel_material) or _countertop_material(b)
    banded = {"end_panel": ["-y", "+y", "-z", "+z"], "countertop": ["+y"], "plinth": ["-z"],
              "cornice": ["-z"], "light_rail": ["-z"]}.get(role, [])
    p = b.add(role, b.family.name, (0, 0, 0), (b.W, b.D, b.H), r.thickness_axis, mat, r.grain_axis, banded)
    if role == "countertop":
        for option, purpose, size in (("sink_center_mm", "sink_cutout", (760.0, 440.0)),
                                      ("hob_center_mm", "hob_cutout", (560.0, 490.0))):
            centre = int(b.opts[option])
            if centre < 0:
                continue
            x0, y0 = centre - size[0] / 2, (b.D - size[1]) / 2
            if x0 < 50 or x0 + size[0] > b.W - 50 or y0 < 50:
                raise InvalidInput(f"the {purpose.split('_')[0]} cut-out does not fit at {centre} mm",
                                   field=f"options.{option}")
            b.op(p, "cutout", purpose, (x0, y0, 0), "B", b.H, 0, (size[0], size[1], 0))


def filler(b: Builder) -> None:
    tc = b.t
    if tc > b.W:
        raise InvalidInput(f"a filler must be at least as wide as its {tc:g} mm support board",
                           field="width_mm")
    b.add("filler", "Filler", (0, b.D - b.ft, 0), (b.W, b.D, b.H), "y", b.front, "z", ["-x", "+x"])
    x0 = (b.W - tc) / 2
    b.add("filler_support", "Filler support", (x0, 0, 0), (x0 + tc, b.D - b.ft, b.H), "x", b.carcass, "z")
    b.hw(b.k.connector, 2)
