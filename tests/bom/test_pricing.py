"""Quotes: integer cents that add up, four pricing modes, live estimates fast."""

from __future__ import annotations

import time

import pytest

from backend.bom.parts import nest_parts, parts_list
from backend.bom.pricing import MODES, PricingRules, Quote, quote, quote_parts
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.demo import demo_design
from backend.design.model import Design
from backend.errors import InvalidInput


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


def test_itemized_quote_adds_up_and_has_every_section(nested: Quote, catalog: Catalog) -> None:
    _adds_up(nested)
    assert nested.mode == "itemized" and not nested.estimate
    assert nested.currency == catalog.currency
    assert {"boards", "edge_bands", "hardware", "machining", "assembly", "countertops"} <= set(nested.subtotals)
    assert all(v == int(v) and v >= 1 for v in nested.sheets.values())


def test_boards_are_priced_by_the_sheets_the_nesting_uses(design: Design, catalog: Catalog,
                                                          nested: Quote) -> None:
    plist = parts_list(design, catalog)
    result = nest_parts(plist, catalog)
    for m in result.materials:
        line = next(x for x in nested.lines if x.section == "boards" and x.code == m.material)
        price = catalog.materials[m.material].price_per_sheet_cents
        assert price is not None
        assert line.quantity == m.sheet_count and line.total_cents == m.sheet_count * price


def test_live_estimate_is_fast_and_close_to_the_nested_quote(design: Design, catalog: Catalog,
                                                            nested: Quote) -> None:
    start = time.perf_counter()
    live = quote(design, catalog, estimate=True)
    assert time.perf_counter() - start < 0.3
    _adds_up(live)
    assert live.estimate
    assert live.subtotals["hardware"] == nested.subtotals["hardware"]
    assert 0.7 < live.subtotals["boards"] / nested.subtotals["boards"] < 1.3


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
    q = quote_parts(plist, catalog, estimate=True, rules=PricingRules(tax_rate=0.13))
    _adds_up(q)
    assert q.tax_cents == int(q.net_cents * 0.13 + 0.5)
    assert quote_parts(plist, catalog, estimate=True).tax_cents == 0


def test_unknown_mode_is_refused(design: Design, catalog: Catalog) -> None:
    with pytest.raises(InvalidInput):
        quote(design, catalog, "per_piece", estimate=True)  # type: ignore[arg-type]


def test_quote_serialises(nested: Quote) -> None:
    doc = nested.to_dict()
    assert doc["total_cents"] == nested.total_cents
    assert len(doc["lines"]) == len(nested.lines)


def test_the_order_number_does_not_change_the_nesting(design: Design, catalog: Catalog, nested: Quote) -> None:
    numbered = parts_list(design, catalog, "R9")
    result = nest_parts(numbered, catalog)
    placed = {pl.part_id for m in result.materials for sh in m.sheets for pl in sh.placements}
    assert placed <= {p.id for p in numbered.parts} and all(i.startswith("R9-") for i in placed)
    assert quote(design, catalog, order_number="R9").total_cents == nested.total_cents
