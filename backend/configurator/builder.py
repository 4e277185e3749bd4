"""The cabinet builder: checks a placed cabinet against its family and collects panels, ops and hardware.

Recipes (``recipes.py``) call :meth:`Builder.add` with boxes in the cabinet frame; the builder
works out each panel's length/width axes from the grain, its edge bands and its id, and turns
machining points given in the cabinet frame into panel coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from backend.configurator.catalog import Catalog, Family, Material
from backend.configurator.panels import AXES, Axis, Box, CabinetBuild, EdgeBands, HardwareLine, Op, Panel, Vec
from backend.design.model import DesignSettings, OptionValue, PlacedCabinet
from backend.errors import InvalidInput

IDX = {"x": 0, "y": 1, "z": 2}
INNER_FACES: tuple[Literal["A", "B"], Literal["A", "B"]] = ("B", "A")
"""Inner face of the left and right sides (A is the face at the low end of the thickness axis)."""
DIM_FIELD = {"x": "width_mm", "y": "depth_mm", "z": "height_mm"}


def resolve_options(family: Family, given: dict[str, OptionValue]) -> dict[str, OptionValue]:
    """The family's options with defaults filled in; unknown or invalid values raise InvalidInput."""
    for name in given:
        if name not in family.options:
            raise InvalidInput(f"{family.code} has no option '{name}' (it has: "
                               f"{', '.join(family.options) or 'none'})", field=f"options.{name}")
    out: dict[str, OptionValue] = {}
    for name, spec in family.options.items():
        value = given.get(name, spec.default)
        where = f"options.{name}"
        if spec.type == "int":
            if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
                raise InvalidInput(f"{name} must be a whole number", field=where)
            if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
                raise InvalidInput(f"{name} must be between {spec.min} and {spec.max}", field=where)
            value = int(value)
        elif spec.type == "choice":
            if value not in (spec.choices or []):
                raise InvalidInput(f"{name} must be one of {', '.join(spec.choices or [])}", field=where)
        elif spec.type == "bool" and not isinstance(value, bool):
            raise InvalidInput(f"{name} must be true or false", field=where)
        elif spec.type == "str" and not isinstance(value, str):
            raise InvalidInput(f"{name} must be text", field=where)
        out[name] = value
    return out


def check_sizes(family: Family, cab: PlacedCabinet) -> None:
    for dim, rng in (("width_mm", family.width), ("height_mm", family.height), ("depth_mm", family.depth)):
        value = float(getattr(cab, dim))
        if not rng.allows(value):
            step = "" if rng.step == 1 else f" in steps of {rng.step:g} mm"
            raise InvalidInput(f"{dim.removesuffix('_mm')} {value:g} mm is not possible for "
                               f"{family.name}: allowed {rng.min:g}–{rng.max:g} mm{step}", field=dim)
        if rng.step == 1 and abs(value - round(value)) > 1e-6:
            raise InvalidInput(f"{dim.removesuffix('_mm')} must be whole millimetres", field=dim)


@dataclass
class Draft:
    role: str
    name: str
    suffix: str
    lo: Vec
    hi: Vec
    thickness_axis: Axis
    length_axis: Axis
    width_axis: Axis
    material: Material
    grain: Literal["length", "none"]
    edges: EdgeBands
    ops: list[Op]


class Builder:
    def __init__(self, cab: PlacedCabinet, catalog: Catalog, settings: DesignSettings) -> None:
        self.cab = cab
        self.catalog = catalog
        self.k = catalog.construction
        self.family = catalog.family(cab.family)
        check_sizes(self.family, cab)
        self.opts = resolve_options(self.family, cab.options)
        self.W, self.D, self.H = float(cab.width_mm), float(cab.depth_mm), float(cab.height_mm)
        self.carcass = catalog.material(cab.carcass_material or settings.carcass_material,
                                        "carcass_material", ("carcass",))
        self.front = catalog.material(cab.front_material or settings.front_material,
                                      "front_material", ("front",))
        self.back = catalog.material(self.k.back_material, "back_material", ("back",))
        self.handle = catalog.handle(cab.handle or settings.handle)
        self.settings = settings
        self.t = self.carcass.thickness_mm
        self.ft = self.front.thickness_mm
        self.drafts: list[Draft] = []
        self.counts: dict[str, int] = {}
        self.hardware: dict[str, int] = {}

    # -- panels ----------------------------------------------------------------------------------

    def add(self, role: str, name: str, lo: Vec, hi: Vec, thick: Axis, material: Material,
            grain_axis: Axis | None, banded: Iterable[str] = (), suffix: str | None = None) -> Draft:
        for i, axis in enumerate(AXES):
            if hi[i] - lo[i] <= 0.01:
                raise InvalidInput(f"{self.family.name} is too small in {DIM_FIELD[axis]} to build its "
                                   f"{name.lower()}", field=DIM_FIELD[axis])
        size = {a: hi[i] - lo[i] for i, a in enumerate(AXES)}
        if abs(size[thick] - material.thickness_mm) > 0.01:
            raise InvalidInput(f"the {name.lower()} must be as thick as its board {material.code} "
                               f"({material.thickness_mm:g} mm)", field=DIM_FIELD[thick])
        others = [a for a in AXES if a != thick]
        if material.grain and grain_axis in others:
            length_axis: Axis = grain_axis
            grain: Literal["length", "none"] = "length"
        else:
            length_axis = others[0] if size[others[0]] >= size[others[1]] else others[1]
            grain = "none"
        width_axis = others[1] if length_axis == others[0] else others[0]
        band = material.edge_band
        sides = set(banded)
        edges = EdgeBands(
            l1=band if f"-{width_axis}" in sides else None, l2=band if f"+{width_axis}" in sides else None,
            w1=band if f"-{length_axis}" in sides else None, w2=band if f"+{length_axis}" in sides else None,
        )
        if suffix is None:
            self.counts[role] = self.counts.get(role, 0) + 1
            suffix = str(self.counts[role])
        draft = Draft(role, name, suffix, lo, hi, thick, length_axis, width_axis, material, grain, edges, [])
        self.drafts.append(draft)
        return draft

    def op(self, draft: Draft, kind: Literal["drill", "groove", "cutout"], purpose: str, at: Vec,
           face: Literal["A", "B"], depth: float, diameter: float = 0, extent: Vec = (0, 0, 0)) -> None:
        """Add an op given its start point ``at`` and its ``extent`` in the cabinet frame."""
        lu, lv = IDX[draft.length_axis], IDX[draft.width_axis]
        draft.ops.append(Op(kind=kind, purpose=purpose, face=face,  # type: ignore[arg-type]
                            u_mm=round(at[lu] - draft.lo[lu], 2), v_mm=round(at[lv] - draft.lo[lv], 2),
                            depth_mm=depth, diameter_mm=diameter,
                            length_mm=round(extent[lu], 2), width_mm=round(extent[lv], 2)))

    def hw(self, code: str, quantity: int = 1) -> None:
        if quantity > 0:
            self.hardware[code] = self.hardware.get(code, 0) + quantity

    # -- result ------------------------------------------------------------------------------------

    def result(self) -> CabinetBuild:
        cab_id = self.cab.id
        panels: list[Panel] = []
        for d in self.drafts:
            size = (d.hi[0] - d.lo[0], d.hi[1] - d.lo[1], d.hi[2] - d.lo[2])
            panels.append(Panel(
                id=f"{cab_id}/{d.role}-{d.suffix}", cabinet_id=cab_id, name=d.name,
                role=d.role, length_mm=round(size[IDX[d.length_axis]], 2),
                width_mm=round(size[IDX[d.width_axis]], 2), thickness_mm=d.material.thickness_mm,
                material=d.material.code, grain=d.grain, edges=d.edges,
                box=Box(origin=d.lo, size=size), length_axis=d.length_axis, width_axis=d.width_axis,
                thickness_axis=d.thickness_axis, ops=tuple(d.ops)))
        lines = [self._line(code, qty) for code, qty in sorted(self.hardware.items())]
        return CabinetBuild(cabinet_id=cab_id, family=self.family.code, width_mm=self.W, depth_mm=self.D,
                            height_mm=self.H, panels=panels, hardware=lines, options=self.opts)

    def _line(self, code: str, qty: int) -> HardwareLine:
        c = self.catalog
        item: object = (c.hinges.get(code) or c.slides.get(code) or c.legs.get(code)
                        or c.fittings.get(code) or c.handles.get(code))
        if item is None:
            raise InvalidInput(f"unknown hardware '{code}'", field="hardware")
        category = {**{k: "hinge" for k in c.hinges}, **{k: "slide" for k in c.slides},
                    **{k: "leg" for k in c.legs}, **{k: "handle" for k in c.handles}}.get(code)
        if category is None:
            category = c.fittings[code].category
        article, name, price = (getattr(item, attr) for attr in ("article", "name", "price_cents"))
        return HardwareLine(code=code, article=str(article), name=str(name), category=category,
                            quantity=qty, unit_price_cents=int(price), cabinet_id=self.cab.id)
