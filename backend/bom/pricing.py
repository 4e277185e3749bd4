"""Quotes in integer cents of the catalog's currency (pure).

Four modes:

- ``itemized`` (the factory's cost build-up): boards by sheets used (from the nesting, or an area
  estimate for live quotes) or by area when the material has no sheet price; edge band per metre
  (with overlength); hardware per piece; machining per panel and assembly per cabinet (the
  catalog's ``construction`` rates); countertops per metre.
- the three modes common in the Chinese custom-cabinet market, which price the cabinet bodies
  (boards, bands, standard hardware, machining, assembly included) by one measure:
  ``projected_area`` (front-view width × height of each cabinet × a price per m² by cabinet
  category; single-panel families count their panel face), ``unfolded_area`` (the sum of all
  board areas × a price per m²) and ``linear_metre`` (run length, i.e. cabinet width, × a price
  per m by category).  Countertops are added per metre in every mode.

The catalog (``assets/models/catalog``) has no pricing section yet, so the unit prices of the
three market modes, the default mode and the tax rate come from :class:`PricingRules`, whose
defaults are documented below; a caller may pass its own.  Every line total is rounded to a whole
cent once; subtotals and the total are sums of line totals, so a quote always adds up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from backend.bom import nesting
from backend.bom.parts import PartsList, board_of, nest_parts, nested_materials, parts_list
from backend.configurator.catalog import Catalog
from backend.design.model import Design
from backend.errors import InvalidInput

PricingMode = Literal["itemized", "projected_area", "unfolded_area", "linear_metre"]
MODES: tuple[str, ...] = get_args(PricingMode)
SECTIONS = ("boards", "edge_bands", "hardware", "machining", "assembly", "cabinets", "countertops")


@dataclass(frozen=True)
class PricingRules:
    """Prices and options not (yet) in the catalog.  Money in cents of the catalog currency.

    Defaults are typical 2026 Chinese custom-kitchen prices in CNY: projected area 1300/1000/1200
    CNY per m² for base/wall/tall units, unfolded board area 250 CNY per m², run length
    1800/1300/2800 CNY per metre for base/wall/tall units; single-panel families (end panels,
    fillers, plinths) 600 CNY per m² of face or 300 CNY per metre.
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
    estimate_yield: float = 0.85
    """Share of a trimmed board that parts fill, for area estimates of the sheets used."""
    nest_settings: nesting.NestSettings = field(default_factory=nesting.NestSettings)


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
    unit: Literal["sheet", "m2", "m", "pc", "panel", "cabinet"]
    unit_price_cents: int
    total_cents: int

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "code": self.code, "description": self.description,
                "quantity": self.quantity, "unit": self.unit, "unit_price_cents": self.unit_price_cents,
                "total_cents": self.total_cents}


@dataclass(frozen=True)
class Quote:
    mode: PricingMode
    currency: str
    estimate: bool
    """True when board sheets are an area estimate (live quote), False when nested."""
    lines: tuple[QuoteLine, ...]
    tax_name: str
    tax_rate: float | None
    tax_cents: int
    sheets: dict[str, float]
    """Sheets per material (whole sheets when nested, fractional when estimated)."""
    catalog_version: str = ""

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

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "currency": self.currency, "estimate": self.estimate,
                "catalog_version": self.catalog_version, "lines": [x.to_dict() for x in self.lines],
                "subtotals": self.subtotals, "net_cents": self.net_cents, "tax_name": self.tax_name,
                "tax_rate": self.tax_rate, "tax_cents": self.tax_cents, "total_cents": self.total_cents,
                "sheets": self.sheets}


def quote(design: Design, catalog: Catalog, mode: PricingMode | None = None, *, estimate: bool = False,
          rules: PricingRules | None = None, order_number: str | None = None) -> Quote:
    """Price a design.  ``estimate=True`` skips the nesting and estimates sheets from the parts'
    area (for the live editor, a few ms); the default nests (about 1 s for a 16-unit kitchen,
    cached for an unchanged design) and is what an order uses."""
    plist = parts_list(design, catalog, order_number)
    return quote_parts(plist, catalog, mode, estimate=estimate, rules=rules)


def quote_parts(plist: PartsList, catalog: Catalog, mode: PricingMode | None = None, *,
                estimate: bool = False, rules: PricingRules | None = None,
                nest_result: nesting.NestResult | None = None) -> Quote:
    """Price a parts list; pass ``nest_result`` to reuse a nesting already made."""
    rules = rules or rules_for(catalog)
    mode = mode or rules.default_mode
    if mode not in MODES:
        raise InvalidInput(f"unknown pricing mode '{mode}' (one of {', '.join(MODES)})", field="mode")
    if not estimate and nest_result is None and mode == "itemized":
        nest_result = nest_parts(plist, catalog, rules.nest_settings)
    sheets = _sheets(plist, catalog, rules, None if estimate else nest_result)
    if mode == "itemized":
        lines = [*_board_lines(plist, catalog, sheets), *_band_lines(plist), *_hardware_lines(plist),
                 *_labour_lines(plist, catalog)]
    else:
        lines = _market_lines(plist, mode, rules)
    lines += _countertop_lines(plist, catalog)
    net = sum(x.total_cents for x in lines)
    tax = _round_cents(net * rules.tax_rate) if rules.tax_rate else 0
    return Quote(mode=mode, currency=catalog.currency, estimate=estimate or nest_result is None,
                 lines=tuple(lines), tax_name=rules.tax_name, tax_rate=rules.tax_rate, tax_cents=tax,
                 sheets=sheets, catalog_version=catalog.version)


def _round_cents(value: float) -> int:
    """Half-up rounding to a whole cent (Python's round() would round half to even)."""
    return math.floor(value + 0.5)


def _sheets(plist: PartsList, catalog: Catalog, rules: PricingRules,
            nest_result: nesting.NestResult | None) -> dict[str, float]:
    mats = nested_materials(catalog, [p.material for p in plist.parts])
    if nest_result is not None:
        counts = {m.material: float(m.sheet_count) for m in nest_result.materials}
        return {m: counts.get(m, 0.0) for m in mats}
    trim = rules.nest_settings.trim
    out: dict[str, float] = {}
    for m in mats:
        board = board_of(catalog, m)
        usable = (board.length - 2 * trim) * (board.width - 2 * trim) / 1e6
        area = sum(p.cut_area_m2 for p in plist.parts if p.material == m)
        out[m] = round(area / (usable * rules.estimate_yield), 3)
    return out


def _board_lines(plist: PartsList, catalog: Catalog, sheets: dict[str, float]) -> list[QuoteLine]:
    lines = []
    for m in sheets:
        mat = catalog.materials[m]
        if mat.price_per_sheet_cents is not None:
            lines.append(QuoteLine("boards", m, mat.name, sheets[m], "sheet", mat.price_per_sheet_cents,
                                   _round_cents(sheets[m] * mat.price_per_sheet_cents)))
        else:
            area = sum(p.area_m2 for p in plist.parts if p.material == m)
            lines.append(QuoteLine("boards", m, mat.name, round(area, 3), "m2", mat.price_per_m2_cents,
                                   _round_cents(area * mat.price_per_m2_cents)))
    return lines


def _countertop_lines(plist: PartsList, catalog: Catalog) -> list[QuoteLine]:
    lines = []
    tops = sorted({p.material for p in plist.parts if catalog.materials[p.material].kind == "countertop"})
    for m in tops:
        mat = catalog.materials[m]
        run = [p for p in plist.parts if p.material == m]
        if mat.price_per_m_cents is not None:
            metres = sum(p.length_mm for p in run) / 1000
            lines.append(QuoteLine("countertops", m, mat.name, round(metres, 3), "m", mat.price_per_m_cents,
                                   _round_cents(metres * mat.price_per_m_cents)))
        else:
            area = sum(p.area_m2 for p in run)
            lines.append(QuoteLine("countertops", m, mat.name, round(area, 3), "m2", mat.price_per_m2_cents,
                                   _round_cents(area * mat.price_per_m2_cents)))
    return lines


def _band_lines(plist: PartsList) -> list[QuoteLine]:
    return [QuoteLine("edge_bands", b.code, b.name, b.metres, "m", b.price_per_m_cents, b.total_cents)
            for b in plist.edge_bands]


def _hardware_lines(plist: PartsList) -> list[QuoteLine]:
    return [QuoteLine("hardware", h.code, f"{h.article} {h.name}", h.quantity, "pc", h.unit_price_cents,
                      h.total_cents) for h in plist.hardware]


def _labour_lines(plist: PartsList, catalog: Catalog) -> list[QuoteLine]:
    k = catalog.construction
    panels = sum(len(b.panels) for b in plist.builds)
    assembled = sum(1 for b in plist.builds if len(b.panels) > 2)
    lines = []
    if panels:
        lines.append(QuoteLine("machining", "machining", "Cutting, edge banding and drilling per panel",
                               panels, "panel", k.machining_cents_per_panel, panels * k.machining_cents_per_panel))
    if assembled:
        lines.append(QuoteLine("assembly", "assembly", "Assembly per cabinet", assembled, "cabinet",
                               k.assembly_cents_per_cabinet, assembled * k.assembly_cents_per_cabinet))
    return lines


def _market_lines(plist: PartsList, mode: PricingMode, rules: PricingRules) -> list[QuoteLine]:
    """One line per cabinet category, measured as the mode says (worktops excluded)."""
    measure: dict[str, float] = {}
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
        measure[key] = measure.get(key, 0.0) + value
    lines = []
    unit: Literal["m2", "m"]
    for cat in sorted(measure):
        qty = measure[cat]
        if mode == "unfolded_area":
            price, unit, text = rules.unfolded_cents_per_m2, "m2", "Cabinets by unfolded board area"
        elif mode == "projected_area":
            price, unit, text = _price(rules.projected_cents_per_m2, cat), "m2", f"{cat} units by front-view area"
        else:
            price, unit, text = _price(rules.linear_cents_per_m, cat), "m", f"{cat} units by run length"
        total = _round_cents(qty * price)
        lines.append(QuoteLine("cabinets", f"{mode}:{cat}", text, round(qty, 3), unit, price, total))
    return lines


def _price(table: dict[str, int], category: str) -> int:
    if category not in table:
        raise InvalidInput(f"no price for {category} units in this pricing mode", field="mode")
    return table[category]
