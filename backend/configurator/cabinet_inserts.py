"""What fills a cabinet's leaf zones: shelves (adjustable, fixed, sloped for shoes), drawers with fronts
or internal, and the hardware-only inserts (hanging rail, trouser rack, wire baskets) (pure).

Called by the cabinet engine (``cabinet.py``) once the zone tree is laid out; the rules are in
``docs/construction.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.configurator.cabinet_layout import Node
from backend.configurator.recipes import handle as put_handle
from backend.design.interior import Insert, path_text
from backend.errors import InvalidInput

if TYPE_CHECKING:  # the engine passes itself; only its type is needed here
    from backend.configurator.cabinet import CabinetEngine


class Inserts:
    """Builds the inserts of one cabinet into the engine's builder, numbering its drawers."""

    def __init__(self, engine: CabinetEngine, drawers: int) -> None:
        self.e = engine
        self.b = engine.b
        self.k = engine.k
        self.r = engine.r
        self.number = 0
        self.total = drawers

    @property
    def c(self) -> float:
        return self.e.c

    @property
    def back_y(self) -> float:
        return self.e.back_y

    def fill(self, node: Node, ins: Insert) -> None:
        """Build the insert of the leaf zone laid out as ``node``."""
        kind = ins.kind
        if kind == "shelves":
            self._shelves(node, ins.count, "shelf", "Adjustable shelf")
        elif kind == "fixed_shelves":
            self._shelves(node, ins.count, "fixed_shelf", "Fixed shelf")
        elif kind == "shoe_shelves":
            self._shelves(node, ins.count, "shoe_shelf", "Shoe shelf")
        elif kind == "drawers":
            self._drawers(node, ins)
        elif kind == "rail":
            self.b.hw(self.k.hanging_rail, 1)
        elif kind == "trouser_rack":
            self._fits_width(node, "trouser rack", 400, 1000)
            self.b.hw(self.k.trouser_rack, 1)
        elif kind == "basket":
            self._fits_width(node, "wire basket", 300, 900)
            self.b.hw(self.k.wire_basket, ins.count)

    def _fits_width(self, node: Node, what: str, lo: float, hi: float) -> None:
        width = node.inner[1] - node.inner[0]
        if not lo <= width <= hi:
            raise InvalidInput(f"a {what} fits zones {lo:g}–{hi:g} mm wide inside, this one is {width:g} mm",
                               field=f"{path_text(node.path)}.insert")

    def _shelves(self, node: Node, n: int, role: str, name: str) -> None:
        b, k, t = self.b, self.k, self.b.t
        x0, x1, lo, hi = node.inner
        if n and (hi - lo) / (n + 1) < t + 40:
            raise InvalidInput(f"{n} shelves do not fit in {hi - lo:.0f} mm",
                               field=self.e.field(node.path, "insert.count", self._shelves_field()))
        if role == "shoe_shelf" and n and (hi - lo) / n < k.shoe_shelf_min_pitch_mm:
            raise InvalidInput(f"{n} shoe shelves leave less than {k.shoe_shelf_min_pitch_mm:g} mm for a pair of "
                               "shoes", field=f"{path_text(node.path)}.insert.count")
        sc = k.shelf_side_clearance_mm if role != "fixed_shelf" else 0.0
        front_y = self.c - (k.shelf_front_setback_mm if role == "shelf" else
                            k.shoe_shelf_front_setback_mm if role == "shoe_shelf" else 0.0)
        for i in range(1, n + 1):
            zc = lo + (hi - lo) * i / (n + 1)
            b.add(role, name, (x0 + sc, self.back_y, zc - t / 2), (x1 - sc, front_y, zc + t / 2), "z", b.carcass,
                  "x", ["+y"])
            if role == "shelf":
                b.hw(k.shelf_pin, 4)
            elif role == "shoe_shelf":
                b.hw(k.shoe_bracket, 1)
            else:
                b.hw(k.connector, 4)
                b.hw(k.dowel, 4)

    def _shelves_field(self) -> str:
        opts = [z.shelves_option for z in self.r.zones if z.shelves_option]
        return f"options.{opts[0]}" if opts else "interior"

    def _drawers(self, node: Node, ins: Insert) -> None:
        z0, z1 = node.outer[2], node.outer[3]
        _, _, lo, hi = node.inner
        n = ins.count
        if ins.internal:
            cuts = [lo + round(j * (hi - lo) / n) for j in range(n)] + [hi]
            for j in range(n):
                self.number += 1
                self._drawer(node, None, cuts[j], cuts[j + 1], internal=True)
            return
        cuts = [z0 + round(j * (z1 - z0) / n) for j in range(n)] + [z1]  # whole mm fronts
        for j in range(n):
            a, c = cuts[j], cuts[j + 1]
            self.number += 1
            self._drawer(node, (a, c), lo if j == 0 else a, hi if j == n - 1 else c, internal=False)

    def _drawer(self, node: Node, front_z: tuple[float, float] | None, lo: float, hi: float, internal: bool) -> None:
        b, k, g = self.b, self.k, self.k.front_gap_mm
        n, total = self.number, self.total
        ix0, ix1 = node.inner[0], node.inner[1]
        slide = b.catalog.slides[k.default_slide]
        front_y = self.c - (k.internal_drawer_setback_mm if internal else 0.0)
        room = front_y - self.back_y - 10
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
            raise InvalidInput(f"height {b.H:g} mm is too low for {total} drawers",
                               field=self.e.field(node.path, "insert.count", "height_mm"))
        if ix1 - ix0 - 2 * s - 2 * dt < 100:
            raise InvalidInput("too narrow for a drawer box", field=self.e.field(node.path, "insert", "width_mm"))
        bz = lo + k.drawer_bottom_clearance_mm
        xa, xb = ix0 + s, ix1 - s
        y0 = front_y - length
        if front_z is not None:
            x0, x1 = node.outer[0], node.outer[1]
            front = b.add("drawer_front", f"Drawer front {n}", (x0 + g / 2, self.c, front_z[0] + g / 2),
                          (x1 - g / 2, b.D, front_z[1] - g / 2), "y", b.front, "z", ["-x", "+x", "-z", "+z"])
            put_handle(b, front, "top", b.handle)
        suffix = f"{n}"
        b.add("drawer_side", f"Drawer {n} left side", (xa, y0, bz), (xa + dt, front_y, bz + bh), "x", box, "y",
              ["+z"], f"{suffix}l")
        b.add("drawer_side", f"Drawer {n} right side", (xb - dt, y0, bz), (xb, front_y, bz + bh), "x", box, "y",
              ["+z"], f"{suffix}r")
        b.add("drawer_back", f"Drawer {n} back", (xa + dt, y0, bz), (xb - dt, y0 + dt, bz + bh), "y", box,
              "x", ["+z"], suffix)
        inner_end = front_y
        if internal:
            b.add("drawer_inner_front", f"Drawer {n} inner front", (xa + dt, front_y - dt, bz),
                  (xb - dt, front_y, bz + bh), "y", box, "x", ["+z"], suffix)
            inner_end = front_y - dt
        b.add("drawer_bottom", f"Drawer {n} bottom", (xa + dt, y0 + dt, bz),
              (xb - dt, inner_end, bz + bottom_mat.thickness_mm), "z", bottom_mat, None, (), suffix)
        b.hw(k.default_slide, 1)
        for side, face in (node.left, node.right):
            x = side.lo[0] if face == "A" else side.hi[0]
            for y in (front_y - 37, front_y - 37 - 224):
                if y > self.back_y:
                    b.op(side, "drill", "slide", (x, y, bz + 10), face, 12, 5)
