"""The general cabinet: a frameless carcass whose interior is a zone tree → panels and hardware (pure).

Every carcass family is built here, the kitchen families included: a kitchen recipe's ``zones`` (a
stack of bands) is the tree of one horizontal split (:func:`kitchen_tree`), so the 24 kitchen families
are presets of this model and build exactly the panels they built before (a snapshot test keeps them).
The zone tree is document data (``backend/design/interior.py``); the rules are in
``docs/construction.md``.

Cabinet frame (mm): x along the width from the left side, y from the back (y = 0) to the front, z up.
Layout of a zone: its *outer* rectangle (x0, x1, z0, z1) is its place on the front grid (fronts cover
it less the front gap), its *inner* rectangle the clear space between the boards around it.
"""

from __future__ import annotations

import math

from backend.configurator.builder import INNER_FACES, Builder, Draft
from backend.configurator.cabinet_inserts import Inserts
from backend.configurator.cabinet_layout import Face, Node, Rect, ZoneLayout

__all__ = ["MIN_FLEX_ZONE_MM", "CabinetEngine", "ZoneLayout", "interior_of", "kitchen_tree", "top_box_tree"]
from backend.configurator.catalog import Handle, Material
from backend.configurator.recipes import handle as put_handle
from backend.configurator.recipes import hinge_count, hinge_cups
from backend.design.interior import Front, Insert, Leaf, Path, Split, Zone, path_text
from backend.errors import InvalidInput

SLIDING_MIN_CARCASS_MM = 300.0
"""The shallowest carcass behind sliding-door tracks."""
MIN_FLEX_ZONE_MM = 100.0
SHORT_JOINT_MM = 120.0
"""The joint rule the factory drills by (assets/models/machining/hardware_machining.json, ``joint_rows``):
a butt joint at least this long holds two connectors and two dowels, a shorter one (a rail, a
plinth's end) one connector and, from :data:`SHORT_JOINT_DOWEL_MM` on, one dowel."""
SHORT_JOINT_DOWEL_MM = 48.0
"""The shortest joint with room for a dowel a half pitch (16 mm) past its middle and 8 mm from its end."""
JOINED_ROLES = ("bottom", "top", "fixed_shelf", "rail")
SINK_JOINT_MARGIN_MM = 50.0
"""How far a basin cut-out keeps from the sides' inner faces: the top's cams sit 34 mm in from its
ends in 15 mm housings, with the dowels and edge holes beside them, and need solid board round them."""
PARTITION_HINGE_SHIFT_MM = 48.0
"""How far the hinges of a door hinged on a partition's right face move towards the door's middle,
so that its plates' holes pass the plates of the door hinged on the partition's left face: half a
32 mm pitch off (16 mm between holes), a plate's length away."""
"""Horizontal boards a partition's end is joined to."""
"""The smallest zone a share may leave."""


def kitchen_tree(b: Builder) -> Zone:
    """A kitchen recipe's stack of bands as a zone tree (bottom to top, one horizontal split)."""
    zones: list[Zone] = []
    for z in b.family.recipe.zones:
        size = None
        if z.height_option is not None:
            size = float(b.opts[z.height_option]) + (b.t if z.kind == "appliance" else 0)
        shelves = int(b.opts[z.shelves_option]) if z.shelves_option else z.shelves
        common: dict[str, object] = {"size_mm": size, "share": z.weight}
        if z.kind == "drawer":
            zones.append(Leaf(insert=Insert(kind="drawers", count=1), **common))
            continue
        front = None
        if z.kind == "door":
            front = Front(kind="hinged", leaves=z.count if isinstance(z.count, int) else "auto",
                          hinge_side=str(b.opts.get("hinge_side", "left")))
        elif z.kind == "lift":
            front = Front(kind="lift", leaves=1)
        insert = Insert(kind="niche") if z.kind == "appliance" else Insert(kind="shelves", count=shelves)
        zones.append(Leaf(insert=insert, front=front, **common))
    if len(zones) == 1:
        return zones[0]
    return Split(axis="horizontal", zones=zones)


def top_box_tree(width_mm: float) -> Zone:
    """A top box behind hinged doors of at most 600 mm each.  Every door needs a board to hinge on, so
    a box of three or four doors is split by a partition into zones of two doors (each hinged on the
    zone's outer boards) and one of a single door (hinged on its side), their widths by door count."""
    leaves = min(4, max(1, math.ceil(width_mm / 600)))
    if leaves <= 2:
        return Leaf(insert=Insert(kind="niche"), front=Front(kind="hinged", leaves=leaves))
    groups = [2] * (leaves // 2) + [1] * (leaves % 2)
    return Split(axis="vertical", zones=[
        Leaf(insert=Insert(kind="niche"), share=n, front=Front(kind="hinged", leaves=n, hinge_side="right"))
        for n in groups])


def interior_of(b: Builder) -> Zone:
    """The cabinet's zone tree: its own, else its family's, else its kitchen stack."""
    if b.cab.interior is not None:
        return b.cab.interior
    if b.family.recipe.interior is not None:
        return b.family.recipe.interior
    return kitchen_tree(b)


def _walk(zone: Zone) -> list[Zone]:
    out = [zone]
    if isinstance(zone, Split):
        for z in zone.zones:
            out += _walk(z)
    return out


def _front_drawers(zone: Zone) -> bool:
    return isinstance(zone, Leaf) and zone.insert.kind == "drawers" and not zone.insert.internal


class CabinetEngine:
    """Builds one carcass cabinet (its body and an optional top box) into the builder ``b``."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self.k = b.k
        self.r = b.family.recipe
        self.custom = b.cab.interior is not None
        self.tree = interior_of(b)
        zones = _walk(self.tree)
        self.sliding = self.tree.front is not None and self.tree.front.kind == "sliding"
        has_face_fronts = any(z.front is not None and z.front.kind != "lid" for z in zones) or any(
            _front_drawers(z) for z in zones)
        if self.r.interior is None and not self.custom:
            has_face_fronts = b.family.has_fronts
        self.track_depth = 2 * self.k.sliding_track_pitch_mm + self.k.sliding_track_margin_mm
        if self.sliding:
            self.c = b.D - self.track_depth
            if self.c < SLIDING_MIN_CARCASS_MM:
                raise InvalidInput(f"sliding doors need the unit at least {SLIDING_MIN_CARCASS_MM + self.track_depth:g}"
                                   f" mm deep (a {SLIDING_MIN_CARCASS_MM:g} mm carcass and "
                                   f"{self.track_depth:g} mm of track)", field="depth_mm")
        else:
            self.c = b.D - b.ft if has_face_fronts else b.D
        if self.c < 150:
            raise InvalidInput("too shallow for a carcass", field="depth_mm")
        back = self.r.back
        self.back_y = {"groove": self.k.back_inset_mm + b.back.thickness_mm,
                       "rebate": b.back.thickness_mm}.get(back, 0.0)
        drawers = sum(z.insert.count for z in zones if isinstance(z, Leaf) and z.insert.kind == "drawers")
        self.inserts = Inserts(self, drawers)
        self.layouts: list[ZoneLayout] = []
        self.push = b.catalog.handle(b.k.push_latch, "handle")

    # -- the whole cabinet -------------------------------------------------------------------------

    def build(self) -> list[ZoneLayout]:
        b = self.b
        if 2 * b.t + 100 > b.W:
            raise InvalidInput("too narrow for a carcass", field="width_mm")
        top_box = float(b.opts["top_box_mm"]) if self.r.top_box else 0.0
        if top_box and b.H - top_box < 600:
            raise InvalidInput(f"a {top_box:g} mm top box leaves less than 600 mm for the body",
                               field="options.top_box_mm")
        body_top = b.H - top_box
        top: str = self.r.top
        self._section(0.0, body_top, self.tree, "", top, self.r.plinth_mm)
        if top_box:
            self._section(body_top, b.H, top_box_tree(b.W), "t", "panel", 0.0)
        if self.r.legs:
            self._legs()
        if self.r.hang:
            b.hw(self.k.wall_hanger, 1 if b.W <= 1200 else 2)
        if b.family.room != "kitchen" and b.H >= 1600 and not self.r.hang:
            b.hw(self.k.anti_tip, 2)
        return self.layouts

    def _section(self, z0: float, z1: float, tree: Zone, tag: str, top: str, plinth: float) -> None:
        """One box: sides, bottom, top, back, holes, then the zone tree inside."""
        b, t, W, c = self.b, self.b.t, self.b.W, self.c
        side_top = z1 - b.ft if top == "lid" else z1
        left = b.add("side", "Left side", (0, 0, z0), (t, c, side_top), "x", b.carcass, "z", ["+y"], f"{tag}l")
        right = b.add("side", "Right side", (W - t, 0, z0), (W, c, side_top), "x", b.carcass, "z", ["+y"],
                      f"{tag}r")
        sides = [left, right]
        base = z0 + plinth
        horizontals = [b.add("bottom", "Bottom", (t, 0, base), (W - t, c, base + t), "z", b.carcass, "x", ["+y"])]
        if top == "panel":
            horizontals.append(b.add("top", "Top", (t, 0, z1 - t), (W - t, c, z1), "z", b.carcass, "x", ["+y"]))
        elif top == "rails":
            rw = self.k.rail_width_mm
            b.add("rail", "Front rail", (t, c - rw, z1 - t), (W - t, c, z1), "z", b.carcass, "x", ["+y"])
            b.add("rail", "Back rail", (t, self.back_y, z1 - t), (W - t, self.back_y + rw, z1), "z",
                  b.carcass, "x")
            b.hw(self.k.connector, 4)
            b.hw(self.k.dowel, 4)
        if not tag:
            self._cutouts(horizontals)
        b.hw(self.k.connector, 4 * len(horizontals))
        b.hw(self.k.dowel, 4 * len(horizontals))
        if plinth:
            setback = self.k.plinth_setback_mm
            b.add("plinth", "Plinth", (t, c - setback - t, z0), (W - t, c - setback, base), "y", b.carcass, "x",
                  ["+y"])
            self._joints(plinth, 2)  # its ends on the sides
            self._joints(W - 2 * t)  # its top edge under the bottom
        if self.r.back in ("groove", "rebate"):
            self._back(sides, horizontals, base, side_top, top)
        for side, face in zip(sides, INNER_FACES, strict=True):
            self._system32(side, face, z0, side_top)
        inner_top = side_top - t if top in ("panel", "rails") else side_top
        outer_top = z1
        root = Node((), tree, (0.0, W, base, outer_top), (t, W - t, base + t, inner_top), (left, "B"),
                     (right, "A"))
        self._layout(root, tag)
        self._dividers(root)
        self._fill(root, tag, top)

    def _cutouts(self, horizontals: list[Draft]) -> None:
        b, t, W, c = self.b, self.b.t, self.b.W, self.c
        if self.r.bottom_cutout:
            bottom = horizontals[0]
            cw, cd = min(300.0, W - 2 * t - 60), min(200.0, c - self.back_y - 60)
            z = bottom.lo[2]
            b.op(bottom, "cutout", "duct_cutout", ((W - cw) / 2, self.back_y + 30, z), "A", t, 0, (cw, cd, 0))
        sink = self.r.sink_cutout
        if sink is not None:
            top = next((h for h in horizontals if h.role == "top"), None)
            if top is None:
                raise InvalidInput("a sink cut-out needs a top panel", field="family")
            if (sink.width_mm > W - 2 * t - 2 * SINK_JOINT_MARGIN_MM
                    or sink.depth_mm + sink.front_margin_mm > c - self.back_y - 30):
                raise InvalidInput(f"the {sink.width_mm:g} × {sink.depth_mm:g} mm basin cut-out does not fit a "
                                   f"{W:g} mm wide, {b.D:g} mm deep unit", field="width_mm")
            y0 = c - sink.front_margin_mm - sink.depth_mm
            b.op(top, "cutout", "sink_cutout", ((W - sink.width_mm) / 2, y0, top.lo[2]), "B", t, 0,
                 (sink.width_mm, sink.depth_mm, 0))

    def _back(self, sides: list[Draft], horizontals: list[Draft], base: float, side_top: float, top: str) -> None:
        b, k, t, W = self.b, self.k, self.b.t, self.b.W
        gd, bt = k.groove_depth_mm, b.back.thickness_mm
        bi = k.back_inset_mm if self.r.back == "groove" else 0.0
        top_z = side_top - t + gd if top == "panel" else side_top
        b.add("back", "Back", (t - gd, bi, base + t - gd), (W - t + gd, bi + bt, top_z), "y", b.back, None)
        z0 = sides[0].lo[2]
        for side, side_face in zip(sides, INNER_FACES, strict=True):
            b.op(side, "groove", "back_groove", (0, bi, z0), side_face, gd, 0, (0, bt, side_top - z0))
        for panel in horizontals:
            face: Face = "B" if panel.role == "bottom" else "A"
            b.op(panel, "groove", "back_groove", (t, bi, panel.lo[2]), face, gd, 0, (W - 2 * t, bt, 0))

    def _system32(self, panel: Draft, face: Face, z0: float, z1: float) -> None:
        b, k = self.b, self.k
        rows = (self.c - k.system32_setback_mm, self.back_y + k.system32_setback_mm)
        zs: list[float] = []
        z = z0 + k.system32_first_hole_mm
        while z <= z1 - k.system32_first_hole_mm + 1e-6:
            zs.append(z)
            z += k.system32_pitch_mm
        x = panel.lo[0] if face == "A" else panel.hi[0]
        for y in rows:
            for zz in zs:
                b.op(panel, "drill", "system32", (x, y, zz), face, k.system32_hole_depth_mm,
                     k.system32_hole_diameter_mm)

    # -- the zone tree -----------------------------------------------------------------------------

    def field(self, path: Path, what: str, default: str) -> str:
        """The field a refusal names: the zone's own in a unit's tree, else the preset's size or option."""
        return f"{path_text(path)}.{what}" if self.custom else default

    def _sizes(self, node: Node, split: Split) -> list[float]:
        """Front-grid sizes of a split's zones: fixed ``size_mm`` first, shares of the rest (whole mm;
        the last shared zone takes the rounding)."""
        horizontal = split.axis == "horizontal"
        x0, x1, z0, z1 = node.outer
        length = (z1 - z0) if horizontal else (x1 - x0)
        fixed = {i: float(z.size_mm) for i, z in enumerate(split.zones) if z.size_mm is not None}
        rest = length - sum(fixed.values())
        flex = [i for i in range(len(split.zones)) if i not in fixed]
        weight = sum(split.zones[i].share for i in flex)
        if (flex and rest < MIN_FLEX_ZONE_MM * len(flex)) or (not flex and abs(rest) > 0.5):
            dim = "height" if horizontal else "width"
            if not self.custom and self.r.interior is None:
                raise InvalidInput(f"height {self.b.H:g} mm leaves no room for the fronts of {self.b.family.name}",
                                   field="height_mm")
            raise InvalidInput(f"the zones' sizes ({sum(fixed.values()):g} mm fixed) do not fit the zone's "
                               f"{length:g} mm {dim}",
                               field=f"{path_text(node.path)}.zones" if self.custom else f"{dim}_mm")
        sizes = [fixed[i] if i in fixed else float(round(rest * split.zones[i].share / weight))
                 for i in range(len(split.zones))]
        if flex:
            sizes[flex[-1]] += length - sum(sizes)
        return sizes

    def _layout(self, node: Node, tag: str) -> None:
        zone = node.zone
        front = zone.front
        if front is not None:
            if node.front is not None:
                raise InvalidInput("a zone under a front cannot have a front of its own",
                                   field=f"{path_text(node.path)}.front")
            self._check_front(node, front)
            node.front, node.front_path = front, node.path
        if isinstance(zone, Leaf):
            self._check_leaf(node, zone)
            return
        sizes = self._sizes(node, zone)
        x0, x1, z0, z1 = node.outer
        ix0, ix1, iz0, iz1 = node.inner
        horizontal = zone.axis == "horizontal"
        start = z0 if horizontal else x0
        bounds = [start]
        for s in sizes:
            bounds.append(bounds[-1] + s)
        bounds[-1] = z1 if horizontal else x1
        t = self.b.t
        divided = [False] + [horizontal is False or not (_front_drawers(zone.zones[i]) and _front_drawers(
            zone.zones[i + 1])) for i in range(len(zone.zones) - 1)] + [False]
        for i, child in enumerate(zone.zones):
            lo_in = (iz0 if horizontal else ix0) if i == 0 else bounds[i] + (t / 2 if divided[i] else 0)
            hi_in = (iz1 if horizontal else ix1) if i == len(zone.zones) - 1 else (
                bounds[i + 1] - (t / 2 if divided[i + 1] else 0))
            if hi_in - lo_in < 1:
                raise InvalidInput(f"zone {i + 1} of the split has no room inside", field=self.field(
                    (*node.path, i), "size_mm", "height_mm" if horizontal else "width_mm"))
            if horizontal:
                outer: Rect = (x0, x1, bounds[i], bounds[i + 1])
                inner: Rect = (ix0, ix1, lo_in, hi_in)
            else:
                outer, inner = (bounds[i], bounds[i + 1], z0, z1), (lo_in, hi_in, iz0, iz1)
            kid = Node((*node.path, i), child, outer, inner, node.left, node.right, node.front, node.front_path)
            node.children.append(kid)
        node.bounds, node.divided = bounds, divided
        for kid in node.children:
            self._layout(kid, tag)

    def _check_front(self, node: Node, front: Front) -> None:
        where = f"{path_text(node.path)}.front"
        if front.kind == "sliding":
            if node.path:
                raise InvalidInput("sliding doors run across the whole unit: set them on the outermost zone",
                                   field=where)
            if front.leaves not in (2, 3):
                raise InvalidInput("sliding doors have 2 or 3 leaves", field=f"{where}.leaves")
        if front.kind == "lid" and self.r.top != "lid":
            raise InvalidInput("lift-up lids need a platform (a carcass with lids on top)", field=where)
        if front.kind == "lid" and len(node.path) > 1:
            raise InvalidInput("a lid covers the whole unit or one of its columns", field=where)
        if front.kind != "lid" and self.r.top == "lid":
            raise InvalidInput("a platform opens through lids on top", field=where)
        if front.hinge is not None and front.hinge not in self.b.catalog.hinges:
            raise InvalidInput(f"unknown hinge '{front.hinge}'", field=f"{where}.hinge")

    def _check_leaf(self, node: Node, leaf: Leaf) -> None:
        ins = leaf.insert
        where = f"{path_text(node.path)}.insert"
        if ins.kind == "drawers":
            if ins.count < 1:
                raise InvalidInput("a drawer zone needs at least one drawer", field=f"{where}.count")
            if not ins.internal and node.front is not None:
                raise InvalidInput("drawers behind a door or lid must be internal drawers",
                                   field=f"{where}.internal")
            if not ins.internal and self.r.top == "lid":
                raise InvalidInput("a platform's drawers must be internal", field=f"{where}.internal")
        elif ins.kind in ("shelves", "fixed_shelves", "shoe_shelves", "basket") and ins.kind != "shelves" \
                and ins.count < 1:
            raise InvalidInput(f"{ins.kind.replace('_', ' ')} need a count of at least 1", field=f"{where}.count")

    def _dividers(self, node: Node) -> None:
        """Fixed shelves between stacked zones and partitions between side-by-side ones, outermost first."""
        if not node.children:
            return
        b, t, c = self.b, self.b.t, self.c
        bounds, divided = node.bounds, node.divided
        zone = node.zone
        assert isinstance(zone, Split)
        ix0, ix1, iz0, iz1 = node.inner
        for i in range(1, len(node.children)):
            if not divided[i]:
                continue
            at = bounds[i]
            if zone.axis == "horizontal":
                b.add("fixed_shelf", "Fixed shelf", (ix0, self.back_y, at - t / 2), (ix1, c, at + t / 2), "z",
                      b.carcass, "x", ["+y"])
            else:
                part = b.add("partition", "Partition", (at - t / 2, self.back_y, iz0), (at + t / 2, c, iz1), "x",
                             b.carcass, "z", ["+y"])
                for face in ("A", "B"):
                    self._system32(part, face, iz0, iz1)
                node.children[i - 1].right = (part, "A")
                node.children[i].left = (part, "B")
                self._inherit(node.children[i - 1], "right")
                self._inherit(node.children[i], "left")
                self._partition_joints(part)
                continue
            b.hw(self.k.connector, 4)
            b.hw(self.k.dowel, 4)
        for kid in node.children:
            self._dividers(kid)

    def _joints(self, length: float, n: int = 1) -> None:
        """The connectors and dowels of ``n`` butt joints ``length`` mm long, by the factory's joint rule."""
        if length >= SHORT_JOINT_MM:
            self.b.hw(self.k.connector, 2 * n)
            self.b.hw(self.k.dowel, 2 * n)
            return
        self.b.hw(self.k.connector, n)
        if length >= SHORT_JOINT_DOWEL_MM:
            self.b.hw(self.k.dowel, n)

    def _partition_joints(self, part: Draft) -> None:
        """A partition is joined by its ends to each horizontal board they meet (the bottom, a fixed
        shelf, the top or each of the two rails; nothing under a lid)."""
        for d in self.b.drafts:
            if d.role not in JOINED_ROLES or d.thickness_axis != "z":
                continue
            touches = abs(d.hi[2] - part.lo[2]) < 0.05 or abs(d.lo[2] - part.hi[2]) < 0.05
            across = min(d.hi[0], part.hi[0]) - max(d.lo[0], part.lo[0])
            along = min(d.hi[1], part.hi[1]) - max(d.lo[1], part.lo[1])
            if touches and across > 0 and along > 0:
                self._joints(along)

    def _inherit(self, node: Node, side: str) -> None:
        """A zone's neighbour board on one side passes to its children on that side."""
        for i, kid in enumerate(node.children):
            zone = node.zone
            assert isinstance(zone, Split)
            edge = zone.axis == "horizontal" or (i == 0 if side == "left" else i == len(node.children) - 1)
            if edge:
                setattr(kid, side, getattr(node, side))
                self._inherit(kid, side)

    def _fill(self, node: Node, tag: str, top: str) -> None:
        zone = node.zone
        if zone.front is not None:
            self._front(node, zone.front)
        if isinstance(zone, Split):
            for kid in node.children:
                self._fill(kid, tag, top)
            return
        self.inserts.fill(node, zone.insert)
        front = "drawers" if _front_drawers(zone) else (node.front.kind if node.front is not None else "open")
        self.layouts.append(ZoneLayout(node.path if not tag else (-1, *node.path), node.outer, node.inner,
                                       zone.insert.kind, zone.insert.count, front, node.front_path,
                                       zone.insert.hang if zone.insert.kind == "rail" else "",
                                       zone.insert.internal, self._hinge_of(node.front)))

    def _hinge_of(self, front: Front | None) -> str:
        if front is None or front.kind != "hinged":
            return ""
        return front.hinge or self.k.default_hinge

    # -- fronts ------------------------------------------------------------------------------------

    def _front_handle(self, front: Front) -> Handle:
        return self.push if front.opening == "push" else self.b.handle

    def _front_material(self, front: Front) -> Material:
        b = self.b
        if front.glass:
            return b.catalog.material(b.k.glass_front_material, "interior.front.glass", ("front",))
        return b.front

    def _x_spans(self, node: Node, count: int) -> list[tuple[float, float]]:
        b, g = self.b, self.k.front_gap_mm
        x0, x1 = node.outer[0], node.outer[1]
        if self.r.blind:
            bw = float(b.opts["blind_width_mm"])
            if bw > b.W - 250:
                raise InvalidInput(f"blind part {bw:g} mm leaves less than 250 mm for the door",
                                   field="options.blind_width_mm")
            if b.opts["blind_side"] == "left":
                x0 = max(x0, bw)
            else:
                x1 = min(x1, b.W - bw)
        step = (x1 - x0) / count
        return [(x0 + i * step + g / 2, x0 + (i + 1) * step - g / 2) for i in range(count)]

    def _front(self, node: Node, front: Front) -> None:
        if front.kind == "sliding":
            self._sliding(node, front)
        elif front.kind == "lid":
            self._lid(node, front)
        else:
            self._doors(node, front)

    def _doors(self, node: Node, front: Front) -> None:
        b, k, g = self.b, self.k, self.k.front_gap_mm
        x0, x1, z0, z1 = node.outer
        count = front.leaves if isinstance(front.leaves, int) else (1 if x1 - x0 <= 600 else 2)
        if front.kind == "lift":
            count = 1
        spans = self._x_spans(node, count)
        fz0, fz1 = z0 + g / 2, z1 - g / 2
        mat = self._front_material(front)
        handle = self._front_handle(front)
        hinge = front.hinge or k.default_hinge
        if self.r.blind:
            left = b.opts["blind_side"] == "left"
            bx0, bx1 = (g / 2, spans[0][0] - g) if left else (spans[-1][1] + g, b.W - g / 2)
            b.add("blind_panel", "Blind panel", (bx0, self.c, fz0), (bx1, b.D, fz1), "y", b.front, "z",
                  ["-x", "+x", "-z", "+z"])
        for n, (dx0, dx1) in enumerate(spans):
            name = "Lift-up door" if front.kind == "lift" else ("Glass door" if front.glass else "Door")
            y1 = self.c + mat.thickness_mm
            door = b.add("door", name, (dx0, self.c, fz0), (dx1, y1, fz1), "y", mat, "z", ["-x", "+x", "-z", "+z"])
            if front.kind == "lift":
                hinge_cups(b, door, "top", 2)
                b.hw(k.lift_stay, 1)
                b.hw(hinge, 2)
                put_handle(b, door, "bottom", handle)
                continue
            if self.r.blind:
                hinge_side = "right" if b.opts["blind_side"] == "left" else "left"
            elif count == 1:
                hinge_side = front.hinge_side
            else:
                hinge_side = "left" if n < count / 2 else "right"
            hinges = hinge_count(b.catalog, fz1 - fz0)
            on_partition = hinge_side == "left" and n == 0 and node.left[0].role == "partition"
            hinge_cups(b, door, hinge_side, hinges, PARTITION_HINGE_SHIFT_MM if on_partition else 0.0)
            b.hw(hinge, hinges)
            put_handle(b, door, "right" if hinge_side == "left" else "left", handle)

    def _sliding(self, node: Node, front: Front) -> None:
        b, k, g = self.b, self.k, self.k.front_gap_mm
        x0, x1, z0, z1 = node.outer
        n = int(front.leaves)  # checked: 2 or 3
        ov = front.overlap_mm
        w = float(math.floor((x1 - x0 + (n - 1) * ov) / n))  # whole mm; the last leaf overlaps a little more
        if w < 2 * ov + 100:
            raise InvalidInput(f"{n} sliding leaves overlapping {ov:g} mm are too narrow on a {x1 - x0:g} mm unit",
                               field="interior.front.overlap_mm")
        mat = self._front_material(front)
        pitch = k.sliding_track_pitch_mm
        for i in range(n):
            track = i % 2  # 0: the front track (flush with the unit's front); the middle leaf runs behind
            ya = b.D - mat.thickness_mm - track * pitch
            lx0 = x0 + i * (w - ov) if i < n - 1 else x1 - w
            b.add("door", "Sliding door", (lx0, ya, z0 + g / 2), (lx0 + w, ya + mat.thickness_mm, z1 - g / 2), "y",
                  mat, "z", ["-x", "+x", "-z", "+z"])
            b.hw(k.sliding_rollers, 1)
        b.hw(k.sliding_track, 1)

    def _lid(self, node: Node, front: Front) -> None:
        b, k, g = self.b, self.k, self.k.front_gap_mm
        x0, x1 = node.outer[0], node.outer[1]
        top = b.H
        b.add("door", "Lift-up lid", (x0 + g / 2, 0, top - b.ft), (x1 - g / 2, b.D, top), "z", b.front, "x",
              ["-x", "+x", "-y", "+y"])
        b.hw(k.lid_stay, 1)
        b.hw(self._front_handle(front).code, 1)

    def _legs(self) -> None:
        """Legs by width (``legs_per_width``), of the model whose height range covers the elevation."""
        b = self.b
        count = next((r.count for r in b.k.legs_per_width if (r.max_width_mm or 1e9) >= b.W), 6)
        fitting = [leg.code for leg in b.catalog.legs.values()
                   if leg.min_height_mm <= b.cab.elevation_mm <= leg.max_height_mm]
        b.hw(fitting[0] if fitting else b.k.default_leg, count)
