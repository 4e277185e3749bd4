"""Several stock sizes and remnants (issue #14): the panel saw uses the factory's remnants before new
sheets and opens each new sheet in the size wasting least; the router opens new sheets in any size.
Every saw layout goes through the independent checker, each sheet on its own board."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.bom.factory import parse_profile, profile
from backend.bom.layout_check import check_layout
from backend.bom.nesting import Board, NestSettings, Part, Stock, nest
from backend.bom.nesting.router import RouterSettings, nest_router
from backend.bom.router_check import check_router_layout
from backend.configurator.catalog import load_catalog
from backend.errors import InvalidInput

BIG, SMALL = Board(2800, 2070), Board(2440, 1220)


def _plain(parts: list[Part]) -> list[dict[str, Any]]:
    return [{"id": p.id, "width": p.width, "height": p.height, "grain_locked": p.grain_locked,
             "material": p.material} for p in parts]


def _placements(doc: dict[str, Any]) -> list[list[tuple[Any, ...]]]:
    return [[(p["part_id"], p["x"], p["y"], p["rotated"]) for p in sh["placements"]]
            for m in doc["materials"] for sh in m["sheets"]]


def test_remnants_are_used_before_new_sheets() -> None:
    parts = [Part(f"a{i}", 700, 500, material="m") for i in range(7)]
    stocks = [Stock(Board(300, 200), "RM-TINY"), Stock(Board(1500, 1100), "RM-1"), Stock(BIG)]
    result = nest(parts, {"m": stocks}, NestSettings(trim=10, kerf=4))
    m = result.materials[0]
    assert m.sheets[0].remnant_id == "RM-1" and m.sheets[0].board == Board(1500, 1100)
    assert len(m.sheets[0].placements) == 4  # 2 × 2 in the trimmed 1480 × 1080 with a kerf between
    assert [s.remnant_id for s in m.sheets[1:]] == [None] and m.sheets[1].board == BIG
    assert m.stock_sheets == 1 and m.sheet_count == 2  # the tiny remnant takes nothing and is not listed
    doc = result.to_dict()
    assert doc["materials"][0]["sheets"][0]["remnant_id"] == "RM-1"
    assert doc["materials"][0]["sheets"][0]["board"] == {"length": 1500, "width": 1100}
    assert check_layout(doc, _plain(parts)) == []


def test_remnants_that_take_nothing_leave_the_one_size_layout_unchanged() -> None:
    parts = [Part(f"p{i}", 400 + 37 * i, 300 + 23 * (i % 5), grain_locked=i % 3 == 0, material="m")
             for i in range(24)]
    plain = nest(parts, BIG, NestSettings(effort=0))
    with_scrap = nest(parts, {"m": [Stock(Board(250, 250), "RM-9"), Stock(BIG)]}, NestSettings(effort=0))
    assert _placements(with_scrap.to_dict()) == _placements(plain.to_dict())
    assert nest(parts, {"m": [Stock(BIG)]}, NestSettings(effort=0)).to_dict() == plain.to_dict()


def test_a_mix_of_sizes_is_chosen_when_it_saves_a_sheet() -> None:
    # 1200 × 1000: four to a 2800 × 2070 sheet, two to a 2440 × 1220 one.  Six parts: the small size
    # alone needs 3 sheets, the big one alone 2 (11.6 m²); one big + one small is 2 sheets, 8.77 m².
    parts = [Part(f"d{i}", 1200, 1000, material="m") for i in range(6)]
    s = NestSettings(trim=10, kerf=4)
    only_small = nest(parts, SMALL, s).materials[0]
    assert only_small.sheet_count == 3
    m = nest(parts, {"m": [Stock(SMALL), Stock(BIG)]}, s).materials[0]
    assert sorted((sh.board.length, len(sh.placements)) for sh in m.sheets) == [(2440, 2), (2800, 4)]
    assert m.stock_area == pytest.approx(BIG.length * BIG.width + SMALL.length * SMALL.width)
    assert m.board == SMALL  # the material's first stock size; each sheet has its own board
    assert m.yield_ == pytest.approx(6 * 1200 * 1000 / m.stock_area)
    assert check_layout(nest(parts, {"m": [Stock(SMALL), Stock(BIG)]}, s).to_dict(), _plain(parts)) == []


def test_fewer_sheets_beat_less_stock_area() -> None:
    # 900 × 900: four to a 2000 × 2000 sheet (4 m²), two to a 1000 × 1900 one (1.9 m²).  Two small sheets
    # waste less (3.8 m²) but are two sheets to load and cut: the saw takes the one large sheet.
    parts = [Part(f"q{i}", 900, 900, material="m") for i in range(4)]
    big, narrow = Board(2000, 2000), Board(1000, 1900)
    s = NestSettings(trim=0, kerf=0)
    assert nest(parts, narrow, s).materials[0].sheet_count == 2
    result = nest(parts, {"m": [Stock(narrow), Stock(big)]}, s)
    assert [(sh.board, len(sh.placements)) for sh in result.materials[0].sheets] == [(big, 4)]
    assert check_layout(result.to_dict(), _plain(parts)) == []


def test_the_router_opens_new_sheets_in_any_size() -> None:
    parts = [Part(f"d{i}", 1200, 1000, material="m") for i in range(6)]
    result = nest_router(parts, {"m": [Stock(SMALL), Stock(BIG)]}, RouterSettings(trim=10, spacing=12))
    m = result.materials[0]
    assert sorted((sh.board.length, len(sh.placements)) for sh in m.sheets) == [(2440, 2), (2800, 4)]
    assert m.stock_area == pytest.approx(BIG.length * BIG.width + SMALL.length * SMALL.width)
    assert check_router_layout(result.to_dict(), _plain(parts)) == []
    one = nest_router(parts, {"m": [Stock(SMALL)]}, RouterSettings(trim=10, spacing=12)).materials[0]
    assert one.sheet_count == 3 and {sh.board for sh in one.sheets} == {SMALL}


def test_a_part_fitting_only_the_larger_size_goes_there() -> None:
    parts = [Part("tall", 2600, 600, grain_locked=True, material="m"),
             *(Part(f"s{i}", 500, 400, material="m") for i in range(4))]
    result = nest(parts, {"m": [Stock(SMALL), Stock(BIG)]}, NestSettings())
    m = result.materials[0]
    assert [sh.board for sh in m.sheets if any(p.part_id == "tall" for p in sh.placements)] == [BIG]
    assert check_layout(result.to_dict(), _plain(parts)) == []
    with pytest.raises(InvalidInput, match="does not fit"):
        nest([Part("huge", 3000, 600, grain_locked=True)], [Stock(SMALL), Stock(BIG)])
    with pytest.raises(InvalidInput, match="no stock size"):
        nest([Part("x", 100, 100)], [Stock(SMALL, "RM-1")])


def test_the_checker_reads_each_sheets_own_board_and_each_remnant_once() -> None:
    parts = [Part(f"a{i}", 700, 500, material="m") for i in range(7)]
    doc = nest(parts, {"m": [Stock(Board(1500, 1100), "RM-1"), Stock(BIG)]}, NestSettings()).to_dict()
    assert check_layout(doc, _plain(parts)) == []
    doc["materials"][0]["sheets"][0]["board"] = {"length": 1200, "width": 1100}  # a smaller remnant
    assert any("leaves the trimmed board" in e for e in check_layout(doc, _plain(parts)))
    doc["materials"][0]["sheets"][0]["board"] = {"length": 1500, "width": 1100}
    doc["materials"][0]["sheets"][1]["remnant_id"] = "RM-1"
    assert any("remnant RM-1 is used twice" in e for e in check_layout(doc, _plain(parts)))


def test_profile_remnants_with_a_quantity_are_one_board_each() -> None:
    base = profile("cnc_router")
    data = {**base.model_dump(), "remnants": [
        {"id": "RM-7", "material": "pb_white_18", "length_mm": 1400, "width_mm": 900, "quantity": 2}]}
    prof = parse_profile(data, base.code)
    stocks = prof.stocks(load_catalog(), "pb_white_18")
    assert [s.remnant_id for s in stocks] == ["RM-7/1", "RM-7/2", None, None]
    assert [s.board for s in stocks[2:]] == [BIG, SMALL]
    with pytest.raises(InvalidInput, match="quantity"):
        parse_profile({**data, "remnants": [{**data["remnants"][0], "quantity": 0}]}, base.code)


@st.composite
def _stock_instances(draw: st.DrawFn) -> tuple[list[Part], list[Stock], NestSettings]:
    sizes = [Board(float(draw(st.integers(600, 2800))), float(draw(st.integers(400, 2070))))
             for _ in range(draw(st.integers(1, 3)))]
    remnants = [Stock(Board(float(draw(st.integers(100, 1500))), float(draw(st.integers(100, 1200)))), f"R{i}")
                for i in range(draw(st.integers(0, 3)))]
    trim = draw(st.sampled_from([0.0, 10.0]))
    s = NestSettings(trim=trim, kerf=draw(st.sampled_from([0.0, 4.0])), stages=draw(st.integers(2, 4)),
                     rotate=draw(st.booleans()), first_cut=draw(st.sampled_from(["auto", "vertical"])), effort=0)
    big = max(sizes, key=lambda b: b.length * b.width)
    parts = [Part(f"p{i}", float(draw(st.integers(20, int(big.length - 2 * trim)))),
                  float(draw(st.integers(20, int(big.width - 2 * trim)))), grain_locked=draw(st.booleans()),
                  material="m") for i in range(draw(st.integers(1, 18)))]
    return parts, [*remnants, *(Stock(b) for b in sizes)], s


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_stock_instances())
def test_every_sheet_of_a_mixed_stock_is_a_valid_guillotine_layout(
        instance: tuple[list[Part], list[Stock], NestSettings]) -> None:
    parts, stocks, s = instance
    result = nest(parts, {"m": stocks}, s)
    doc = result.to_dict()
    assert check_layout(doc, _plain(parts)) == []
    placed = sorted(p["part_id"] for m in doc["materials"] for sh in m["sheets"] for p in sh["placements"])
    assert placed == sorted(p.id for p in parts)
    allowed = {(st_.board, st_.remnant_id) for st_ in stocks}
    m = result.materials[0]
    assert all((sh.board, sh.remnant_id) in allowed for sh in m.sheets)
    rids = [sh.remnant_id for sh in m.sheets if sh.remnant_id]
    assert len(rids) == len(set(rids))
    assert [sh.remnant_id is None for sh in m.sheets] == sorted(sh.remnant_id is None for sh in m.sheets)
