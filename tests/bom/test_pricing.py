"""Quotes: one rule for every price, integer cents that add up (per line and per cabinet), the
sheet policy (part area plus a stated offcut share, never whole sheets), four pricing modes."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.bom.parts import nest_parts, parts_list
from backend.bom.pricing import (
    MODES,
    PricingRules,
    Quote,
    allocate,
    board_price_per_m2,
    price_cabinets,
    quote,
    quote_parts,
)
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.construction import build_cabinet
from backend.configurator.demo import demo_design, demo_plan
from backend.design.model import Design, FreePlacement, PlacedCabinet, WallPlacement
from backend.errors import InvalidInput

CATALOG = load_catalog()
KITCHEN = Path(__file__).resolve().parents[2] / "docs" / "examples" / "kitchen.json"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def design(catalog: Catalog) -> Design:
    return demo_design(catalog=catalog)


@pytest.fixture(scope="module")
def nested(design: Design, catalog: Catalog) -> Quote:
    return quote(design, catalog)


def _adds_up(q: Quote) -> None:
    assert all(isinstance(x.total_cents, int) and isinstance(x.unit_price_cents, int) for x in q.lines)
    assert isinstance(q.total_cents, int) and isinstance(q.tax_cents, int)
    assert sum(q.subtotals.values()) == q.net_cents == sum(x.total_cents for x in q.lines)
    assert q.total_cents == q.net_cents + q.tax_cents
    assert all(x.total_cents >= 0 for x in q.lines)
    # the cabinets' prices and the shared lines are exactly the total
    assert all(isinstance(c.price_cents, int) and c.price_cents >= 0 for c in q.cabinets)
    assert sum(c.price_cents or 0 for c in q.cabinets) + sum(t for _, _, t in q.shared) == q.total_cents


def test_itemized_quote_adds_up_and_has_every_section(nested: Quote, catalog: Catalog, design: Design) -> None:
    _adds_up(nested)
    assert nested.mode == "itemized" and nested.complete
    assert nested.currency == catalog.currency
    assert {"boards", "edge_bands", "hardware", "machining", "assembly", "countertops"} <= set(nested.subtotals)
    assert [c.cabinet_id for c in nested.cabinets] == [c.id for c in design.cabinets]
    assert all(c.price_cents for c in nested.cabinets)


def test_boards_are_charged_by_part_area_plus_the_offcut_share(design: Design, catalog: Catalog,
                                                                nested: Quote) -> None:
    """The sheet policy: cut area of the parts × (1 + offcut share) × sheet price / sheet area."""
    plist = parts_list(design, catalog)
    rules = PricingRules()
    boards = [x for x in nested.lines if x.section == "boards"]
    assert {x.code for x in boards} == {p.material for p in plist.parts
                                        if catalog.materials[p.material].kind != "countertop"}
    for line in boards:
        mat = catalog.materials[line.code]
        used = sum(p.cut_area_m2 for p in plist.parts if p.material == line.code)
        share = rules.grain_offcut_share if mat.grain else rules.offcut_share
        size = mat.board_sizes[0]
        assert mat.price_per_sheet_cents is not None
        per_m2 = math.floor(mat.price_per_sheet_cents / (size.length_mm * size.width_mm / 1e6) + 0.5)
        assert line.used_quantity == pytest.approx(used, abs=5e-4) and line.offcut_share == share
        assert line.quantity == pytest.approx(used * (1 + share), abs=1e-3)
        assert line.unit == "m2" and line.unit_price_cents == per_m2 == board_price_per_m2(catalog, line.code)
        assert line.total_cents == math.floor(line.quantity * per_m2 + 0.5)
        assert nested.sheets[line.code] == pytest.approx(line.quantity / (size.length_mm * size.width_mm / 1e6),
                                                         abs=1e-3)


def test_a_few_parts_of_a_board_are_not_charged_a_whole_sheet(catalog: Catalog) -> None:
    """One door in an oak front on a white kitchen: its board costs its area, not a 1600 CNY sheet."""
    one = PlacedCabinet(id="cab-1", family="base_1_door", width_mm=400, height_mm=720, depth_mm=560,
                        placement=WallPlacement(wall_id="wall-top-1", offset_mm=100), front_material="oak_veneer_19")
    q = quote(Design(plan=demo_plan(), cabinets=[one]), catalog)
    oak = next(x for x in q.lines if x.code == "oak_veneer_19")
    sheet = catalog.materials["oak_veneer_19"].price_per_sheet_cents
    assert sheet is not None and 0 < oak.total_cents < sheet / 4
    assert oak.offcut_share == PricingRules().grain_offcut_share


def test_the_price_does_not_depend_on_the_nesting(design: Design, catalog: Catalog, nested: Quote) -> None:
    """The factory's nesting decides the sheets it cuts, not the price: with or without it, and with or
    without an order number, the quote is the same, and it is fast enough for every edit."""
    plist = parts_list(design, catalog)
    result = nest_parts(plist, catalog)
    with_nesting = quote_parts(plist, catalog, nest_result=result)
    assert with_nesting.lines == nested.lines and with_nesting.cabinets == nested.cabinets
    assert with_nesting.nested_sheets == {m.material: m.sheet_count for m in result.materials}
    assert nested.nested_sheets is None
    start = time.perf_counter()
    quote(design, catalog)
    assert time.perf_counter() - start < 0.3


def test_offcut_shares_are_rules_per_material(design: Design, catalog: Catalog, nested: Quote) -> None:
    rules = PricingRules(offcut_share_by_material={"pb_white_18": 0.0})
    plain = quote(design, catalog, rules=rules)
    line = next(x for x in plain.lines if x.code == "pb_white_18")
    assert line.quantity == line.used_quantity and line.offcut_share == 0.0
    before = next(x for x in nested.lines if x.code == "pb_white_18")
    assert plain.total_cents == nested.total_cents - before.total_cents + line.total_cents


def test_allocate_shares_whole_cents_that_add_up() -> None:
    assert allocate(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    assert allocate(7, {"a": 0, "b": 2.5}) == {"a": 0, "b": 7}
    assert allocate(0, {}) == {}
    with pytest.raises(ValueError):
        allocate(5, {"a": 0})


def test_a_cabinet_that_cannot_be_built_is_listed_without_a_price(design: Design, catalog: Catalog,
                                                                 nested: Quote) -> None:
    broken = design.cabinets[0].model_copy(update={"width_mm": 50})
    q = quote(design.model_copy(update={"cabinets": [broken, *design.cabinets[1:]]}), catalog)
    assert not q.complete
    assert q.cabinets[0].price_cents is None and "width" in (q.cabinets[0].error or "")
    priced = {c.cabinet_id: c.price_cents for c in nested.cabinets}
    assert q.total_cents < nested.total_cents
    assert sum(c.price_cents or 0 for c in q.cabinets) == q.total_cents
    # the others keep their prices (up to a cent per line from sharing rounded lines out again)
    assert all(c.price_cents is not None and abs(c.price_cents - priced[c.cabinet_id]) <= len(q.lines)
               for c in q.cabinets[1:])


def test_an_alternative_is_priced_by_the_same_rule(design: Design, catalog: Catalog) -> None:
    assert price_cabinets(design.cabinets, catalog, design.settings) == quote(design, catalog).total_cents
    assert price_cabinets([], catalog, design.settings) == 0


def test_the_market_modes_differ_sensibly(design: Design, catalog: Catalog, nested: Quote) -> None:
    quotes = {m: quote(design, catalog, m) for m in MODES}  # type: ignore[arg-type]
    for q in quotes.values():
        _adds_up(q)
        assert q.subtotals["countertops"] == nested.subtotals["countertops"]
    totals = {m: q.total_cents for m, q in quotes.items()}
    assert len(set(totals.values())) == len(MODES)
    for m in ("projected_area", "unfolded_area", "linear_metre"):
        assert set(quotes[m].subtotals) == {"cabinets", "countertops"}
        assert 0.5 < totals[m] / totals["itemized"] < 3
    rules = PricingRules()
    unfolded = next(x for x in quotes["unfolded_area"].lines if x.section == "cabinets")
    area = sum(p.area_m2 for p in parts_list(design, catalog).parts
               if catalog.materials[p.material].kind != "countertop")
    assert unfolded.quantity == pytest.approx(area, abs=1e-3)
    assert unfolded.unit_price_cents == rules.unfolded_cents_per_m2


def test_projected_area_grows_with_the_cabinet_front(design: Design, catalog: Catalog) -> None:
    wider = [c.model_copy(update={"width_mm": 600}) if c.family == "base_1_door" else c for c in design.cabinets]
    before = quote(design, catalog, "projected_area").subtotals["cabinets"]
    after = quote(design.model_copy(update={"cabinets": wider}), catalog, "projected_area").subtotals["cabinets"]
    assert after == before + round(0.25 * 0.72 * PricingRules().projected_cents_per_m2["base"])


def test_tax_is_added_when_the_rules_define_it(design: Design, catalog: Catalog) -> None:
    plist = parts_list(design, catalog)
    q = quote_parts(plist, catalog, rules=PricingRules(tax_rate=0.13))
    _adds_up(q)
    assert q.tax_cents == int(q.net_cents * 0.13 + 0.5)
    assert q.shared == (("tax", "VAT", q.tax_cents),)
    assert quote_parts(plist, catalog).tax_cents == 0


def test_unknown_mode_is_refused(design: Design, catalog: Catalog) -> None:
    with pytest.raises(InvalidInput):
        quote(design, catalog, "per_piece")  # type: ignore[arg-type]


def test_quote_serialises(nested: Quote) -> None:
    doc = nested.to_dict()
    assert doc["total_cents"] == nested.total_cents
    assert len(doc["lines"]) == len(nested.lines)
    assert sum(c["price_cents"] for c in doc["cabinets"]) == doc["total_cents"] and doc["complete"] is True
    board = next(x for x in doc["lines"] if x["section"] == "boards")
    assert board["used_quantity"] > 0 and board["offcut_share"] > 0


def test_the_order_number_does_not_change_the_nesting(design: Design, catalog: Catalog, nested: Quote) -> None:
    numbered = parts_list(design, catalog, "R9")
    result = nest_parts(numbered, catalog)
    placed = {pl.part_id for m in result.materials for sh in m.sheets for pl in sh.placements}
    assert placed <= {p.id for p in numbered.parts} and all(i.startswith("R9-") for i in placed)
    assert quote(design, catalog, order_number="R9").total_cents == nested.total_cents


# ------------------------------------------------------------------------------------------------
# random designs: every cabinet of the catalog, random sizes and finishes, on the demo plan


def _sizes(low: float, high: float, step: float) -> st.SearchStrategy[float]:
    return st.integers(0, int((high - low) // step)).map(lambda i: low + i * step)


@st.composite
def _cabinet(draw: st.DrawFn, index: int) -> PlacedCabinet:
    fam = CATALOG.families[draw(st.sampled_from(sorted(CATALOG.families)))]
    width = draw(_sizes(fam.width.min, min(fam.width.max, 2400), fam.width.step))
    fronts = sorted(m.code for m in CATALOG.materials.values() if m.kind == "front")
    carcasses = sorted(m.code for m in CATALOG.materials.values() if m.kind == "carcass")
    return PlacedCabinet(
        id=f"cab-{index}", family=fam.code, width_mm=width, height_mm=fam.height.default,
        depth_mm=fam.depth.default, elevation_mm=0,
        placement=FreePlacement(x_mm=draw(st.integers(500, 11000)), y_mm=draw(st.integers(500, 8000)),
                                rotation_deg=draw(st.sampled_from([0, 90, 180, 270]))),
        front_material=draw(st.none() | st.sampled_from(fronts)),
        carcass_material=draw(st.none() | st.sampled_from(carcasses)))


def _buildable(cab: PlacedCabinet) -> bool:
    try:
        build_cabinet(cab, CATALOG, Design(plan=demo_plan()).settings)
    except InvalidInput:
        return False
    return True


@st.composite
def _designs(draw: st.DrawFn) -> Design:
    count = draw(st.integers(1, 12))
    cabinets = [draw(_cabinet(i + 1).filter(_buildable)) for i in range(count)]
    return Design(name="random", plan=demo_plan(), cabinets=cabinets)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_designs(), st.sampled_from(MODES), st.sampled_from([None, 0.13]))
def test_random_designs_add_up_per_cabinet_and_the_order_charges_the_live_price(
        design: Design, mode: str, tax: float | None) -> None:
    rules = PricingRules(tax_rate=tax)
    live = quote(design, CATALOG, mode, rules=rules)  # type: ignore[arg-type]
    _adds_up(live)
    assert live.complete and [c.cabinet_id for c in live.cabinets] == [c.id for c in design.cabinets]
    # the order: an order number, the factory's nesting — and exactly the live price
    plist = parts_list(design, CATALOG, "RW2612-0001")
    order = quote_parts(plist, CATALOG, mode, rules=rules,  # type: ignore[arg-type]
                        nest_result=nest_parts(plist, CATALOG) if mode == "itemized" else None)
    assert order.total_cents == live.total_cents
    assert order.cabinets == live.cabinets and order.lines == live.lines


def test_the_example_kitchen_costs_the_same_live_and_ordered() -> None:
    design = Design.model_validate(json.loads(KITCHEN.read_text()))
    live = quote(design, CATALOG)
    ordered = quote(design, CATALOG, order_number="RW2612-0001")
    _adds_up(live)
    assert live.total_cents == ordered.total_cents > 0
