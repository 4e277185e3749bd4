"""Every price the user sees, from one rule (pure): the live quote while designing, the price of
each cabinet, an auto-fill alternative's price, the order's quote, the proposal and the factory
package.  Money is integer cents of the catalog's currency.  The rule is documented for people in
``docs/pricing.md``.

Four modes:

- ``itemized`` (the factory's cost build-up, the default): boards by the area the parts use plus
  a stated offcut share per material (see below); edge band per metre (with overlength);
  hardware per piece; machining per panel and assembly per cabinet (the catalog's
  ``construction`` rates); countertops per metre.
- the three modes common in the Chinese custom-cabinet market, which price the cabinet bodies
  (boards, bands, standard hardware, machining, assembly included) by one measure:
  ``projected_area`` (front-view width × height of each cabinet × a price per m² by cabinet
  category; single-panel families count their panel face), ``unfolded_area`` (the sum of all
  board areas × a price per m²) and ``linear_metre`` (run length, i.e. cabinet width, × a price
  per m by category).  Countertops are added per metre in every mode.

**Sheet policy.**  A board is charged by the cut area of the parts made from it, plus the
material's offcut share (trim, saw kerf and the part of a sheet no part fills), at the sheet price
divided by the sheet's area (or the catalog's price per m² when the material has no sheet
price).  Part-used sheets are therefore never billed as whole sheets, and the price does not
depend on the nesting: the live quote and the order's quote are the same number for the same
design and catalog.  The nesting still decides the sheets the factory cuts; a quote made with a
nesting reports them (``nested_sheets``) as information.

**Adding up.**  Every line total is rounded to a whole cent once; subtotals and the total are sums
of line totals.  Each line is shared out over the cabinets that cause it (by their quantity, the
largest-remainder way, so the shares are whole cents that add up to the line exactly); a
cabinet's price is the sum of its shares.  The cabinets' prices plus the shared lines (the tax,
when the rules have one) are exactly the total.

The catalog (``assets/models/catalog``) has no pricing section yet, so the unit prices of the
three market modes, the offcut shares, the default mode and the tax rate come from
:class:`PricingRules`, whose defaults are documented below; a caller may pass its own.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from backend.bom import nesting
from backend.bom.parts import PartsList, nested_materials, parts_list_from_builds
from backend.configurator.catalog import Catalog
from backend.configurator.construction import CabinetBuild, build_cabinet
from backend.design.model import Design, DesignSettings, PlacedCabinet
from backend.errors import InvalidInput

PricingMode = Literal["itemized", "projected_area", "unfolded_area", "linear_metre"]
MODES: tuple[str, ...] = get_args(PricingMode)
SECTIONS = ("boards", "edge_bands", "hardware", "machining", "assembly", "cabinets", "countertops")
Unit = Literal["m2", "m", "pc", "panel", "cabinet"]


@dataclass(frozen=True)
class PricingRules:
    """Prices and options not (yet) in the catalog.  Money in cents of the catalog currency.

    Defaults are typical 2026 Chinese custom-kitchen prices in CNY: projected area 1300/1000/1200
    CNY per m² for base/wall/tall units, unfolded board area 250 CNY per m², run length
    1800/1300/2800 CNY per metre for base/wall/tall units; single-panel families (end panels,
    fillers, plinths) 600 CNY per m² of face or 300 CNY per metre.

    Offcut shares: 15 % of the parts' area for boards without grain, 20 % for grained boards
    (their parts cannot be turned on the sheet, so more of it is left over);
    ``offcut_share_by_material`` overrides either for one material code.
    """

    default_mode: PricingMode = "itemized"
    projected_cents_per_m2: dict[str, int] = field(default_factory=lambda: {
        "base": 130_000, "wall": 100_000, "tall": 120_000, "panel": 60_000})
    unfolded_cents_per_m2: int = 25_000
    linear_cents_per_m: dict[str, int] = field(default_factory=lambda: {
        "base": 180_000, "wall": 130_000, "tall": 280_000, "panel": 30_000})
    tax_rate: float | None = None
    """E.g. 0.13 for 13 % VAT; ``None``: prices are quoted without a tax line."""
    tax_name: str = "VAT"
    offcut_share: float = 0.15
    """Board charged on top of the parts' cut area, as a share of it (boards without grain)."""
    grain_offcut_share: float = 0.20
    """The same for grained boards."""
    offcut_share_by_material: dict[str, float] = field(default_factory=dict)
    nest_settings: nesting.NestSettings = field(default_factory=nesting.NestSettings)

    def offcut_for(self, catalog: Catalog, material: str) -> float:
        if material in self.offcut_share_by_material:
            return self.offcut_share_by_material[material]
        return self.grain_offcut_share if catalog.materials[material].grain else self.offcut_share


def rules_for(catalog: Catalog) -> PricingRules:
    """The catalog's pricing rules: its ``pricing`` section when it has one, else the defaults."""
    section: Any = getattr(catalog, "pricing", None)
    if section is None:
        return PricingRules()
    data = section.model_dump() if hasattr(section, "model_dump") else dict(section)
    return PricingRules(**data)


@dataclass(frozen=True)
class QuoteLine:
    section: str
    code: str
    description: str
    quantity: float
    unit: Unit
    unit_price_cents: int
    total_cents: int
    used_quantity: float | None = None
    """Boards: the parts' cut area (m²) before the offcut share."""
    offcut_share: float | None = None
    """Boards: the share added to the parts' area (0.15 = 15 %)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "section": self.section, "code": self.code, "description": self.description,
            "quantity": self.quantity, "unit": self.unit, "unit_price_cents": self.unit_price_cents,
            "total_cents": self.total_cents}
        if self.used_quantity is not None:
            out["used_quantity"] = self.used_quantity
            out["offcut_share"] = self.offcut_share
        return out


@dataclass(frozen=True)
class CabinetPrice:
    """One cabinet's share of the quote (``None`` with an ``error`` when it cannot be built)."""

    cabinet_id: str
    family: str
    price_cents: int | None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"cabinet_id": self.cabinet_id, "family": self.family, "price_cents": self.price_cents,
                "error": self.error}


@dataclass(frozen=True)
class Quote:
    mode: PricingMode
    currency: str
    lines: tuple[QuoteLine, ...]
    tax_name: str
    tax_rate: float | None
    tax_cents: int
    sheets: dict[str, float]
    """Board charged per material, in sheets (charged area / sheet area)."""
    cabinets: tuple[CabinetPrice, ...] = ()
    catalog_version: str = ""
    nested_sheets: dict[str, int] | None = None
    """Whole sheets the factory's nesting cuts per material (information; not what is charged)."""

    @property
    def subtotals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for line in self.lines:
            out[line.section] = out.get(line.section, 0) + line.total_cents
        return out

    @property
    def net_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    @property
    def total_cents(self) -> int:
        return self.net_cents + self.tax_cents

    @property
    def complete(self) -> bool:
        """Every cabinet could be built and is priced."""
        return all(c.error is None for c in self.cabinets)

    @property
    def shared(self) -> tuple[tuple[str, str, int], ...]:
        """Lines no cabinet carries alone, as (code, description, cents): the tax when there is one."""
        return (("tax", self.tax_name, self.tax_cents),) if self.tax_cents else ()

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "currency": self.currency, "catalog_version": self.catalog_version,
                "lines": [x.to_dict() for x in self.lines], "subtotals": self.subtotals,
                "net_cents": self.net_cents, "tax_name": self.tax_name, "tax_rate": self.tax_rate,
                "tax_cents": self.tax_cents, "total_cents": self.total_cents, "sheets": self.sheets,
                "nested_sheets": self.nested_sheets, "complete": self.complete,
                "cabinets": [c.to_dict() for c in self.cabinets],
                "shared": [{"code": c, "description": d, "total_cents": t} for c, d, t in self.shared]}


# ------------------------------------------------------------------------------------------------
# entry points: all of them end in price_parts


def quote(design: Design, catalog: Catalog, mode: PricingMode | None = None, *,
          rules: PricingRules | None = None, order_number: str | None = None) -> Quote:
    """Price a design: the live quote, the order's quote and the proposal's are this call.

    A cabinet the catalog cannot build is listed with its error and no price; the others are
    priced (``Quote.complete`` is then False; an order refuses such a design before pricing it).
    """
    if order_number is not None and not order_number.strip():
        raise InvalidInput("the order number must not be empty", field="order_number")
    builds: list[CabinetBuild] = []
    errors: dict[str, str] = {}
    for cab in design.cabinets:
        try:
            builds.append(build_cabinet(cab, catalog, design.settings))
        except InvalidInput as err:
            errors[cab.id] = str(err)
    categories: dict[str, str] = {c.id: catalog.family(c.family).category for c in design.cabinets
                                  if c.id not in errors}
    plist = parts_list_from_builds(builds, catalog, order_number, categories, machining=False)
    q = quote_parts(plist, catalog, mode, rules=rules)
    if not errors:
        return q
    priced = {c.cabinet_id: c for c in q.cabinets}
    cabinets = tuple(priced[c.id] if c.id in priced else CabinetPrice(c.id, c.family, None, errors[c.id])
                     for c in design.cabinets)
    return dataclasses.replace(q, cabinets=cabinets)


def price_cabinets(cabinets: Sequence[PlacedCabinet], catalog: Catalog, settings: DesignSettings,
                   mode: PricingMode | None = None, rules: PricingRules | None = None) -> int:
    """The price of some cabinets on their own (an auto-fill alternative), by the same rule."""
    builds = [build_cabinet(c, catalog, settings) for c in cabinets]
    categories: dict[str, str] = {c.id: catalog.family(c.family).category for c in cabinets}
    return quote_parts(parts_list_from_builds(builds, catalog, None, categories, machining=False), catalog, mode,
                       rules=rules).total_cents


def quote_parts(plist: PartsList, catalog: Catalog, mode: PricingMode | None = None, *,
                rules: PricingRules | None = None, nest_result: nesting.NestResult | None = None) -> Quote:
    """Price a parts list.  ``nest_result`` (the factory's nesting) only adds ``nested_sheets``:
    the price is the same with or without it."""
    rules = rules or rules_for(catalog)
    mode = mode or rules.default_mode
    if mode not in MODES:
        raise InvalidInput(f"unknown pricing mode '{mode}' (one of {', '.join(MODES)})", field="mode")
    if mode == "itemized":
        lines = [*_board_lines(plist, catalog, rules), *_band_lines(plist), *_hardware_lines(plist),
                 *_labour_lines(plist, catalog)]
    else:
        lines = _market_lines(plist, mode, rules)
    lines += _countertop_lines(plist, catalog)
    net = sum(x.line.total_cents for x in lines)
    tax = _round_cents(net * rules.tax_rate) if rules.tax_rate else 0
    shares: dict[str, int] = {b.cabinet_id: 0 for b in plist.builds}
    for x in lines:
        for cab, cents in allocate(x.line.total_cents, x.weights).items():
            shares[cab] += cents
    cabinets = tuple(CabinetPrice(b.cabinet_id, b.family, shares[b.cabinet_id]) for b in plist.builds)
    nested = None
    if nest_result is not None:
        nested = {m.material: m.sheet_count for m in nest_result.materials}
    return Quote(mode=mode, currency=catalog.currency, lines=tuple(x.line for x in lines),
                 tax_name=rules.tax_name, tax_rate=rules.tax_rate, tax_cents=tax,
                 sheets=_sheets(plist, catalog, lines), cabinets=cabinets, catalog_version=catalog.version,
                 nested_sheets=nested)


def allocate(total_cents: int, weights: dict[str, float]) -> dict[str, int]:
    """Share ``total_cents`` out in proportion to ``weights``, in whole cents that add up exactly
    (largest remainder; ties go to the first key)."""
    positive = {k: w for k, w in weights.items() if w > 0}
    if not positive:
        if total_cents and weights:
            raise ValueError("a priced line has no cabinet to carry it")
        return dict.fromkeys(weights, 0)
    whole = sum(positive.values())
    exact = {k: total_cents * w / whole for k, w in positive.items()}
    out = {k: math.floor(v) for k, v in exact.items()}
    left = total_cents - sum(out.values())
    order = sorted(positive, key=lambda k: -(exact[k] - out[k]))
    for k in order[:left]:
        out[k] += 1
    return {k: out.get(k, 0) for k in weights}


# ------------------------------------------------------------------------------------------------
# lines


@dataclass(frozen=True)
class _Line:
    line: QuoteLine
    weights: dict[str, float]
    """What each cabinet contributes to the line's quantity (its share of the line)."""


def _round_cents(value: float) -> int:
    """Half-up rounding to a whole cent (Python's round() would round half to even)."""
    return math.floor(value + 0.5)


def _sheet_area_m2(catalog: Catalog, material: str) -> float:
    size = catalog.materials[material].board_sizes[0]
    return size.length_mm * size.width_mm / 1e6


def board_price_per_m2(catalog: Catalog, material: str) -> int:
    """Cents per m² of board: the sheet price over the sheet's area, else the catalog's m² price."""
    mat = catalog.materials[material]
    if mat.price_per_sheet_cents is not None:
        return _round_cents(mat.price_per_sheet_cents / _sheet_area_m2(catalog, material))
    return mat.price_per_m2_cents


def _board_lines(plist: PartsList, catalog: Catalog, rules: PricingRules) -> list[_Line]:
    lines = []
    for m in nested_materials(catalog, [p.material for p in plist.parts]):
        weights: dict[str, float] = {}
        for p in plist.parts:
            if p.material == m:
                weights[p.cabinet_id] = weights.get(p.cabinet_id, 0.0) + p.cut_area_m2
        used = round(sum(weights.values()), 3)
        share = rules.offcut_for(catalog, m)
        charged = round(used * (1 + share), 3)
        price = board_price_per_m2(catalog, m)
        line = QuoteLine("boards", m, catalog.materials[m].name, charged, "m2", price, _round_cents(charged * price),
                         used_quantity=used, offcut_share=share)
        lines.append(_Line(line, weights))
    return lines


def _sheets(plist: PartsList, catalog: Catalog, lines: Sequence[_Line]) -> dict[str, float]:
    charged = {x.line.code: x.line.quantity for x in lines if x.line.section == "boards"}
    return {m: round(charged.get(m, 0.0) / _sheet_area_m2(catalog, m), 3)
            for m in nested_materials(catalog, [p.material for p in plist.parts])}


def _countertop_lines(plist: PartsList, catalog: Catalog) -> list[_Line]:
    lines = []
    tops = sorted({p.material for p in plist.parts if catalog.materials[p.material].kind == "countertop"})
    for m in tops:
        mat = catalog.materials[m]
        run = [p for p in plist.parts if p.material == m]
        weights: dict[str, float] = {}
        if mat.price_per_m_cents is not None:
            for p in run:
                weights[p.cabinet_id] = weights.get(p.cabinet_id, 0.0) + p.length_mm / 1000
            metres = sum(weights.values())
            line = QuoteLine("countertops", m, mat.name, round(metres, 3), "m", mat.price_per_m_cents,
                             _round_cents(metres * mat.price_per_m_cents))
        else:
            for p in run:
                weights[p.cabinet_id] = weights.get(p.cabinet_id, 0.0) + p.area_m2
            area = sum(weights.values())
            line = QuoteLine("countertops", m, mat.name, round(area, 3), "m2", mat.price_per_m2_cents,
                             _round_cents(area * mat.price_per_m2_cents))
        lines.append(_Line(line, weights))
    return lines


def _band_lines(plist: PartsList) -> list[_Line]:
    lines = []
    for b in plist.edge_bands:
        weights: dict[str, float] = {}
        for p in plist.parts:
            for edge in ("L1", "L2", "W1", "W2"):
                if p.band(edge) == b.code:
                    weights[p.cabinet_id] = (weights.get(p.cabinet_id, 0.0) + p.edge_length_mm(edge)
                                             + b.overlength_mm)
        lines.append(_Line(QuoteLine("edge_bands", b.code, b.name, b.metres, "m", b.price_per_m_cents,
                                     b.total_cents), weights))
    return lines


def _hardware_lines(plist: PartsList) -> list[_Line]:
    lines = []
    for h in plist.hardware:
        weights: dict[str, float] = {}
        for cab, count in h.per_cabinet:
            weights[cab] = weights.get(cab, 0.0) + count
        lines.append(_Line(QuoteLine("hardware", h.code, f"{h.article} {h.name}", h.quantity, "pc",
                                     h.unit_price_cents, h.total_cents), weights))
    return lines


def _labour_lines(plist: PartsList, catalog: Catalog) -> list[_Line]:
    k = catalog.construction
    panels = {b.cabinet_id: float(len(b.panels)) for b in plist.builds if b.panels}
    assembled = {b.cabinet_id: 1.0 for b in plist.builds if len(b.panels) > 2}
    lines = []
    if panels:
        count = int(sum(panels.values()))
        lines.append(_Line(QuoteLine("machining", "machining", "Cutting, edge banding and drilling per panel",
                                     count, "panel", k.machining_cents_per_panel,
                                     count * k.machining_cents_per_panel), panels))
    if assembled:
        lines.append(_Line(QuoteLine("assembly", "assembly", "Assembly per cabinet", len(assembled), "cabinet",
                                     k.assembly_cents_per_cabinet,
                                     len(assembled) * k.assembly_cents_per_cabinet), assembled))
    return lines


def _market_lines(plist: PartsList, mode: PricingMode, rules: PricingRules) -> list[_Line]:
    """One line per cabinet category, measured as the mode says (worktops excluded)."""
    measure: dict[str, dict[str, float]] = {}
    for build in plist.builds:
        cat = plist.categories.get(build.cabinet_id, "base")
        if cat == "worktop":
            continue
        if mode == "projected_area":
            if cat == "panel":
                value = sum(p.area_m2 for p in build.panels)
            else:
                value = build.width_mm * build.height_mm / 1e6
        elif mode == "unfolded_area":
            value = sum(p.area_m2 for p in build.panels)
        else:
            value = build.width_mm / 1000
        key = "all" if mode == "unfolded_area" else cat
        per_cab = measure.setdefault(key, {})
        per_cab[build.cabinet_id] = per_cab.get(build.cabinet_id, 0.0) + value
    lines = []
    unit: Literal["m2", "m"]
    for cat in sorted(measure):
        qty = sum(measure[cat].values())
        if mode == "unfolded_area":
            price, unit, text = rules.unfolded_cents_per_m2, "m2", "Cabinets by unfolded board area"
        elif mode == "projected_area":
            price, unit, text = _price(rules.projected_cents_per_m2, cat), "m2", f"{cat} units by front-view area"
        else:
            price, unit, text = _price(rules.linear_cents_per_m, cat), "m", f"{cat} units by run length"
        total = _round_cents(qty * price)
        lines.append(_Line(QuoteLine("cabinets", f"{mode}:{cat}", text, round(qty, 3), unit, price, total),
                           measure[cat]))
    return lines


def _price(table: dict[str, int], category: str) -> int:
    if category not in table:
        raise InvalidInput(f"no price for {category} units in this pricing mode", field="mode")
    return table[category]
