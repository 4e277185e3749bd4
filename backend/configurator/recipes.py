"""Construction recipes: the L-shaped corner, fillers and one-board families, and the door hardware
(hinge cups, handles) that the carcass cabinets of ``cabinet.py`` use too.  The rules are documented in
``docs/construction.md``.
"""

from __future__ import annotations

from backend.configurator.builder import Builder, Draft
from backend.configurator.catalog import Catalog, Handle, Material
from backend.errors import InvalidInput


def hinge_cups(b: Builder, door: Draft, side: str, count: int, shift: float = 0.0) -> None:
    """``count`` hinge cups along the door's ``side`` edge; with ``shift``, each moved that far towards
    the door's middle (a door hinged on a partition another door also hinges on: the two plates'
    screw holes must not meet inside the partition)."""
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
        mid = (z0 + z1) / 2
        pts = [(px, pz + (shift if pz <= mid else -shift)) for px, pz in pts]
    else:
        z = z1 - e
        span = x1 - x0 - 2 * off
        pts = [(x0 + off + span * i / (count - 1), z) for i in range(count)]
    for x, z in pts:
        b.op(door, "drill", "hinge_cup", (x, door.lo[1], z), "A", k.hinge_cup_depth_mm,
            k.hinge_cup_diameter_mm)


def handle(b: Builder, front: Draft, where: str, h: Handle | None = None) -> None:
    """The handle of a front (``h``, else the cabinet's), drilled near the edge ``where``."""
    k = b.k
    h = h or b.handle
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
    """An L-shaped corner unit behind bi-fold doors.  A kitchen base corner is one L-shaped carcass
    whose leg ends stand on the other leg's back (its shelves pinned at one end, its bottoms and
    rails joined at one end: see docs/machining.md).  A tall corner wardrobe is built as the factory
    builds one, two boxes screwed together: each leg has a corner side at its inner end (the long
    leg's in line with the short leg's front, the short leg's closing the corner behind), so every
    bottom, rail and shelf is joined or pinned at both ends, and the long leg's corner side is
    joined to the short leg's; the bi-fold doors open onto both boxes."""
    k, t, W, D, H, ft, g = b.k, b.t, b.W, b.D, b.H, b.ft, b.k.front_gap_mm
    d = float(b.opts["leg_depth_mm"])
    c, bt, rw, sc = d - ft, b.back.thickness_mm, k.rail_width_mm, k.shelf_side_clearance_mm
    if min(W, D) - d < 200:
        raise InvalidInput(f"leg depth {d:g} mm leaves less than 200 mm for the corner doors",
                           field="options.leg_depth_mm")
    boxes = b.family.room != "kitchen"
    b.add("side", "Right side", (W - t, 0, 0), (W, c, H), "x", b.carcass, "z", ["+y"], "r")
    b.add("side", "Front side", (0, D - t, 0), (c, D, H), "y", b.carcass, "z", ["+x"], "f")
    b.add("back", "Back (long leg)", (bt, 0, 0), (W - t, bt, H), "y", b.back, None)
    b.add("back", "Back (short leg)", (0, 0, 0), (bt, D - t, H), "x", b.back, None)
    # x0: where the long leg's boards start; y0: where the short leg's start
    x0, y0 = (c, c + t) if boxes else (bt, c)
    if boxes:  # the corner behind both boxes (x < c, y < c) is closed off
        b.add("side", "Corner side (long leg)", (c - t, bt, 0), (c, c, H), "x", b.carcass, "z", ["+y"], "cl")
        b.add("side", "Corner side (short leg)", (bt, c, 0), (c, c + t, H), "y", b.carcass, "z", ["+x"], "cs")
    b.add("bottom", "Bottom (long leg)", (x0, bt, 0), (W - t, c, t), "z", b.carcass, "x", ["+y"])
    b.add("bottom", "Bottom (short leg)", (bt, y0, 0), (c, D - t, t), "z", b.carcass, "y", ["+x"])
    b.add("rail", "Front rail (long leg)", (x0, c - rw, H - t), (W - t, c, H), "z", b.carcass, "x", ["+y"])
    b.add("rail", "Back rail (long leg)", (x0, bt, H - t), (W - t, bt + rw, H), "z", b.carcass, "x")
    b.add("rail", "Front rail (short leg)", (c - rw, y0, H - t), (c, D - t, H), "z", b.carcass, "y", ["+x"])
    b.add("rail", "Back rail (short leg)", (bt, y0, H - t), (bt + rw, D - t, H), "z", b.carcass, "y")
    zc = H / 2
    b.add("shelf", "Shelf (long leg)", (x0 + sc, bt, zc - t / 2), (W - t - sc, c - k.shelf_front_setback_mm,
          zc + t / 2), "z", b.carcass, "x", ["+y"])
    b.add("shelf", "Shelf (short leg)", (bt + sc, y0 + (sc if boxes else 0.0), zc - t / 2),
          (c - k.shelf_front_setback_mm, D - t - sc, zc + t / 2), "z", b.carcass, "y", ["+x"])
    b.hw(k.shelf_pin, 8)
    # per leg: the bottom's two long joints (2 + 2 each), each rail's two short ones (1 + 1 each);
    # two boxes: the legs' ends joined too, and the long leg's corner side to the short leg's (2 + 2)
    joints = 18 if boxes else 16
    b.hw(k.connector, joints)
    b.hw(k.dowel, joints)
    fz0, fz1 = g / 2, H - g / 2
    door_a = b.add("door", "Door (long leg)", (c, c, fz0), (W - g / 2, d, fz1), "y", b.front, "z",
                   ["-x", "+x", "-z", "+z"])
    door_b = b.add("door", "Door (short leg)", (c, d + g, fz0), (d, D - g / 2, fz1), "x", b.front, "z",
                   ["-y", "+y", "-z", "+z"])
    hinges = hinge_count(b.catalog, fz1 - fz0)
    hinge_cups(b, door_a, "right", hinges)
    b.hw(k.default_hinge, hinges)
    b.hw(k.bifold_hinge, hinges)
    handle(b, door_b, "bottom")
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
