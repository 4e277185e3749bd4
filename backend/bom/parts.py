"""Parts list: every panel of every cabinet as a factory part, plus hardware and edge bands (pure).

The panels come from :func:`backend.configurator.construction.build_cabinet` and are never
re-derived here: one panel is one physical part.  Sizes are millimetres:

- ``length`` runs along the panel's length (the grain for grain-locked parts), ``width`` across;
- *finished* sizes are the panel's sizes after edge banding; *cut* sizes are what the panel saw
  cuts: finished minus the catalog thickness of the band on each banded edge (bands on L1/L2,
  the long edges, shorten the width; bands on W1/W2, the short edges, shorten the length);
- edge-band use is finished edge length plus :data:`EDGE_OVERLENGTH_MM` per banded edge.

Part ids: ``{order}-{cabinet}-{panel}`` (``R2611-cab-3-side-l``) with an order number, else the
configurator's panel id (``cab-3/side-l``).  The same panel id names the glTF node.  Part ids are for
machines (the DXF file names, scan-and-load QR codes); people read a part's *number*
(``R2611 · P07``, :mod:`backend.bom.part_numbers`), its place in the parts list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from backend.bom import nesting
from backend.bom.machining import Issue, MachOp, derive, load_tables
from backend.bom.part_numbers import part_label, part_numbers, part_ref
from backend.configurator.catalog import Catalog
from backend.configurator.construction import Box, CabinetBuild, EdgeBands, Op, Panel, build_cabinet
from backend.design.model import Design
from backend.errors import InvalidInput

EDGE_OVERLENGTH_MM = 50.0
"""Edge band added per banded edge for the edge bander's snipping (25 mm at each end)."""

Grain = Literal["locked", "free"]
EDGE_NAMES: tuple[str, str, str, str] = ("L1", "L2", "W1", "W2")


@dataclass(frozen=True)
class Part:
    """One physical part (quantity 1), in millimetres."""

    id: str
    panel_id: str
    cabinet_id: str
    position: int
    """1-based position of the panel in its cabinet (the configurator's order)."""
    name: str
    role: str
    material: str
    material_name: str
    thickness_mm: float
    length_mm: float
    width_mm: float
    cut_length_mm: float
    cut_width_mm: float
    grain: Grain
    edges: EdgeBands
    ops: tuple[Op, ...]
    box: Box
    """The panel's box in the cabinet frame (for assembly drawings)."""
    length_axis: str
    width_axis: str
    machining: tuple[MachOp, ...] = ()
    """Every operation the factory makes on the part (``backend.bom.machining``): the configurator's
    ops plus connectors, hinge plates, shelf-pin rows, slide, leg and hanger holes."""
    number: str = ""
    """The part's number in its parts list (``P07``): with the order number, what people read."""
    ref: str = ""
    """The part number's key in URLs and QR codes (``RW2612-0001-P07``; ``P07`` without an order)."""

    @property
    def label(self) -> str:
        """The part number as people read it: ``RW2612-0001 · P07``."""
        order = self.ref[: -len(self.number) - 1] if self.ref != self.number else None
        return part_label(order, self.number)

    @property
    def volume_mm3(self) -> float:
        return self.length_mm * self.width_mm * self.thickness_mm

    @property
    def area_m2(self) -> float:
        """Finished area."""
        return self.length_mm * self.width_mm / 1e6

    @property
    def cut_area_m2(self) -> float:
        return self.cut_length_mm * self.cut_width_mm / 1e6

    def band(self, edge: str) -> str | None:
        """Band code on ``edge`` (L1, L2, W1 or W2)."""
        return {"L1": self.edges.l1, "L2": self.edges.l2, "W1": self.edges.w1, "W2": self.edges.w2}[edge]

    def edge_length_mm(self, edge: str) -> float:
        """Finished length of ``edge``: L edges run along the length, W edges along the width."""
        return self.length_mm if edge.startswith("L") else self.width_mm


@dataclass(frozen=True)
class PartGroup:
    """Identical parts (same role, material, sizes, grain, bands and machining) with their ids."""

    part: Part
    """The first part of the group (its sizes and machining stand for all)."""
    ids: tuple[str, ...]

    @property
    def quantity(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class HardwareItem:
    code: str
    article: str
    name: str
    category: str
    quantity: int
    unit_price_cents: int
    per_cabinet: tuple[tuple[str, int], ...]
    """(cabinet id, count) for every cabinet that uses it, in design order."""

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class EdgeBandUse:
    code: str
    name: str
    thickness_mm: float
    width_mm: float
    edges: int
    """Banded edges."""
    edge_length_mm: float
    """Finished length of the banded edges."""
    overlength_mm: float
    price_per_m_cents: int

    @property
    def length_mm(self) -> float:
        """Band to order: edge lengths plus overlength per edge."""
        return self.edge_length_mm + self.edges * self.overlength_mm

    @property
    def metres(self) -> float:
        return round(self.length_mm / 1000, 3)

    @property
    def total_cents(self) -> int:
        return round(self.length_mm / 1000 * self.price_per_m_cents)


@dataclass(frozen=True)
class PartsList:
    order_number: str | None
    builds: tuple[CabinetBuild, ...]
    parts: tuple[Part, ...]
    groups: tuple[PartGroup, ...]
    hardware: tuple[HardwareItem, ...]
    edge_bands: tuple[EdgeBandUse, ...]
    panel_volume_mm3: float
    """Sum of the configurator's panel box volumes (must equal the sum of part volumes)."""
    categories: dict[str, str] = field(default_factory=dict)
    """Cabinet id → catalog family category (base, wall, tall, panel, worktop)."""
    machining_issues: tuple[Issue, ...] = ()
    """Machining rules that could not be applied (panel ids; blocking findings in ``checks``)."""

    @property
    def part_volume_mm3(self) -> float:
        return sum(p.volume_mm3 for p in self.parts)

    def part(self, part_id: str) -> Part:
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(part_id)

    def find(self, key: str) -> Part | None:
        """The part whose number's key (``RW2612-0001-P07``) or label id is ``key`` (labels printed
        before part numbers carry the label id in their QR code)."""
        return next((p for p in self.parts if key in (p.ref, p.id)), None)

    def by_material(self) -> dict[str, list[Part]]:
        out: dict[str, list[Part]] = {}
        for p in self.parts:
            out.setdefault(p.material, []).append(p)
        return out


def part_id(panel_id: str, order_number: str | None) -> str:
    """``cab-3/side-l`` → ``R2611-cab-3-side-l`` (with an order number) or unchanged."""
    if order_number is None:
        return panel_id
    return f"{order_number}-{panel_id.replace('/', '-')}"


def build_all(design: Design, catalog: Catalog) -> tuple[CabinetBuild, ...]:
    """The configurator's builds of every cabinet, in design order."""
    return tuple(build_cabinet(cab, catalog, design.settings) for cab in design.cabinets)


def parts_list(design: Design, catalog: Catalog, order_number: str | None = None) -> PartsList:
    """Every panel of every cabinet as a part, grouped, with hardware and edge-band totals."""
    if order_number is not None and not order_number.strip():
        raise InvalidInput("the order number must not be empty", field="order_number")
    builds = build_all(design, catalog)
    return parts_list_from_builds(builds, catalog, order_number,
                                  {c.id: catalog.family(c.family).category for c in design.cabinets})


def parts_list_from_builds(builds: Sequence[CabinetBuild], catalog: Catalog, order_number: str | None = None,
                           categories: dict[str, str] | None = None, *, machining: bool = True) -> PartsList:
    """The parts of some builds; ``machining=False`` leaves ``Part.machining`` empty (the price needs
    no holes, and the editor prices on every edit)."""
    parts: list[Part] = []
    seen: dict[str, str] = {}
    tables = load_tables()
    issues: list[Issue] = []
    for build in builds:
        mach = derive(build, catalog, tables) if machining else None
        issues += mach.issues if mach else []
        for position, panel in enumerate(build.panels, 1):
            part = make_part(panel, position, catalog, order_number)
            if mach is not None:
                part = dataclasses.replace(part, machining=tuple(mach.ops.get(panel.id, ())))
            if part.id in seen:
                raise InvalidInput(f"panels {seen[part.id]} and {panel.id} both become part {part.id}",
                                   field="cabinets")
            seen[part.id] = panel.id
            parts.append(part)
    parts = [dataclasses.replace(p, number=n, ref=part_ref(order_number, n))
             for p, n in zip(parts, part_numbers(len(parts)), strict=True)]
    return PartsList(
        order_number=order_number, builds=tuple(builds), parts=tuple(parts), groups=group_parts(parts),
        hardware=hardware_items(builds), edge_bands=edge_band_uses(parts, catalog),
        panel_volume_mm3=sum(p.box.volume_mm3 for b in builds for p in b.panels),
        categories=dict(categories or {}), machining_issues=tuple(issues),
    )


def make_part(panel: Panel, position: int, catalog: Catalog, order_number: str | None = None) -> Part:
    """The part of one panel: cut sizes are finished sizes minus the band on each edge."""
    mat = catalog.materials[panel.material]
    e = panel.edges
    cut_length = panel.length_mm - _band_mm(catalog, e.w1) - _band_mm(catalog, e.w2)
    cut_width = panel.width_mm - _band_mm(catalog, e.l1) - _band_mm(catalog, e.l2)
    return Part(
        id=part_id(panel.id, order_number), panel_id=panel.id, cabinet_id=panel.cabinet_id, position=position,
        name=panel.name, role=panel.role, material=panel.material, material_name=mat.name,
        thickness_mm=panel.thickness_mm, length_mm=panel.length_mm, width_mm=panel.width_mm,
        cut_length_mm=round(cut_length, 2), cut_width_mm=round(cut_width, 2),
        grain="locked" if panel.grain == "length" else "free", edges=e, ops=panel.ops, box=panel.box,
        length_axis=panel.length_axis, width_axis=panel.width_axis,
    )


def _band_mm(catalog: Catalog, code: str | None) -> float:
    if code is None:
        return 0.0
    band = catalog.edge_bands.get(code)
    if band is None:
        raise InvalidInput(f"unknown edge band '{code}'", field="edge_band")
    return band.thickness_mm


def _group_key(p: Part) -> tuple[object, ...]:
    return (p.role, p.material, p.thickness_mm, p.length_mm, p.width_mm, p.grain,
            p.edges, p.ops, p.machining)


def group_parts(parts: Sequence[Part]) -> tuple[PartGroup, ...]:
    """Identical parts grouped, in order of first appearance; every group keeps its parts' ids."""
    groups: dict[tuple[object, ...], list[Part]] = {}
    for p in parts:
        groups.setdefault(_group_key(p), []).append(p)
    return tuple(PartGroup(part=ps[0], ids=tuple(p.id for p in ps)) for ps in groups.values())


def hardware_items(builds: Sequence[CabinetBuild]) -> tuple[HardwareItem, ...]:
    """Hardware totals per article code, sorted by category then code."""
    first: dict[str, HardwareItem] = {}
    per_cab: dict[str, list[tuple[str, int]]] = {}
    for build in builds:
        for line in build.hardware:
            first.setdefault(line.code, HardwareItem(line.code, line.article, line.name, line.category, 0,
                                                     line.unit_price_cents, ()))
            per_cab.setdefault(line.code, []).append((line.cabinet_id, line.quantity))
    items = [HardwareItem(h.code, h.article, h.name, h.category, sum(q for _, q in per_cab[code]),
                          h.unit_price_cents, tuple(per_cab[code])) for code, h in first.items()]
    return tuple(sorted(items, key=lambda h: (h.category, h.code)))


def edge_band_uses(parts: Sequence[Part], catalog: Catalog,
                   overlength_mm: float = EDGE_OVERLENGTH_MM) -> tuple[EdgeBandUse, ...]:
    """Metres of each band: finished edge lengths plus ``overlength_mm`` per banded edge."""
    edges: dict[str, int] = {}
    length: dict[str, float] = {}
    for p in parts:
        for edge in EDGE_NAMES:
            code = p.band(edge)
            if code is not None:
                edges[code] = edges.get(code, 0) + 1
                length[code] = length.get(code, 0.0) + p.edge_length_mm(edge)
    out = []
    for code in sorted(edges):
        band = catalog.edge_bands[code]
        out.append(EdgeBandUse(code, band.name, band.thickness_mm, band.width_mm, edges[code],
                               round(length[code], 2), overlength_mm, band.price_per_m_cents))
    return tuple(out)


# ------------------------------------------------------------------------------------------------
# the nesting input


def nested_materials(catalog: Catalog, materials: Sequence[str]) -> list[str]:
    """Materials cut on the panel saw from stock boards: all but worktop materials (those are
    cut to length from worktop stock and priced per metre)."""
    return sorted(m for m in set(materials) if catalog.materials[m].kind != "countertop")


def nesting_parts(parts: Sequence[Part], catalog: Catalog) -> tuple[nesting.Part, ...]:
    """Panel-saw parts at cut size: the part's length along the board's length (its grain).
    Ids are the panel ids, so the layout does not depend on the order number."""
    keep = set(nested_materials(catalog, [p.material for p in parts]))
    return tuple(nesting.Part(p.panel_id, p.cut_length_mm, p.cut_width_mm, p.grain == "locked", p.material)
                 for p in parts if p.material in keep)


def board_of(catalog: Catalog, material: str) -> nesting.Board:
    """The stock board a material is nested on: the first size the catalog lists."""
    size = catalog.materials[material].board_sizes[0]
    return nesting.Board(size.length_mm, size.width_mm)


def nest_parts(plist: PartsList, catalog: Catalog, settings: nesting.NestSettings | None = None,
               boards_by_material: Mapping[str, nesting.Board | Sequence[nesting.Stock]] | None = None
               ) -> nesting.NestResult:
    """Sheet nesting of the panel-saw parts per material, placements named by part id.

    The layout is the same with or without an order number (the nesting sees panel ids), and it
    is cached, so the editor's exact quote and the order's package share one nesting run.
    ``boards_by_material`` overrides the catalog's first board size: a size, or a factory profile's
    stock (remnants and several sizes, ``nesting.nest_material``)."""
    items = nesting_parts(plist.parts, catalog)
    own = boards_by_material or {}
    boards = tuple((m, _stock_key(own.get(m) or board_of(catalog, m))) for m in sorted({p.material for p in items}))
    result = _nest_cached(items, boards, settings or nesting.NestSettings())
    if plist.order_number is None:
        return result
    names = {p.panel_id: p.id for p in plist.parts}
    return dataclasses.replace(result, materials=tuple(
        dataclasses.replace(m, sheets=tuple(
            dataclasses.replace(sh, placements=tuple(
                dataclasses.replace(pl, part_id=names[pl.part_id]) for pl in sh.placements))
            for sh in m.sheets))
        for m in result.materials))


def _stock_key(b: nesting.Board | Sequence[nesting.Stock]) -> nesting.Board | tuple[nesting.Stock, ...]:
    """A hashable board spec for the cache; a stock list of one plain size is that size."""
    if isinstance(b, nesting.Board):
        return b
    stocks = tuple(b)
    return stocks[0].board if len(stocks) == 1 and stocks[0].remnant_id is None else stocks


@lru_cache(maxsize=16)
def _nest_cached(items: tuple[nesting.Part, ...],
                 boards: tuple[tuple[str, nesting.Board | tuple[nesting.Stock, ...]], ...],
                 settings: nesting.NestSettings) -> nesting.NestResult:
    return nesting.nest(items, dict(boards), settings)
