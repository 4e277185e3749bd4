"""Manufacturability checks: each rule has a failing and a passing case."""

from __future__ import annotations

import dataclasses

import pytest

from backend.bom.checks import (
    CheckRules,
    blocking,
    check_board,
    check_design,
    check_door_weight,
    check_min_size,
    check_parts,
    check_runner,
    door_weight_kg,
)
from backend.bom.factory import FactoryProfile, parse_profile, profile
from backend.bom.parts import Part, PartsList, parts_list
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.demo import demo_design

RULES = CheckRules()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def plist(catalog: Catalog) -> PartsList:
    return parts_list(demo_design(catalog=catalog), catalog, "R1")


def _first(plist: PartsList, role: str, **match: object) -> Part:
    return next(p for p in plist.parts if p.role == role and all(getattr(p, k) == v for k, v in match.items()))


def _resize(p: Part, length: float, width: float, **other: object) -> Part:
    return dataclasses.replace(p, length_mm=length, width_mm=width, cut_length_mm=length, cut_width_mm=width,
                               **other)  # type: ignore[arg-type]


def test_the_demo_kitchen_passes(catalog: Catalog) -> None:
    assert check_design(demo_design(catalog=catalog), catalog) == []


def test_part_larger_than_its_board(plist: PartsList, catalog: Catalog) -> None:
    side = _first(plist, "side")
    assert check_board(_resize(side, 2780, 600), catalog, RULES) == []
    findings = check_board(_resize(side, 2790, 600), catalog, RULES)  # 2800 board − 2 × 10 trim
    assert [(f.code, f.severity, f.part_id) for f in findings] == [("part_exceeds_board", "error", side.id)]
    assert "2790" in findings[0].message


def _line(stock: dict[str, list[tuple[int, int]]], trim: float = 10) -> FactoryProfile:
    base = profile("panel_saw")
    data = {**base.model_dump(), "name": "Line 7", "trim_mm": trim,
            "stock": {m: [{"length_mm": a, "width_mm": b} for a, b in sizes] for m, sizes in stock.items()}}
    return parse_profile(data, base.code)


def test_the_board_check_uses_the_factory_profiles_stock(plist: PartsList, catalog: Catalog) -> None:
    side = _first(plist, "side")
    assert side.material == "pb_white_18"  # the catalog's board is 2800 × 2070
    long = _resize(side, 3000, 600)
    assert [f.code for f in check_board(long, catalog, RULES)] == ["part_exceeds_board"]
    # fits the profile's 3050 × 1220 sheet (3030 × 1200 after its trim), not the catalog's board
    big = _line({"pb_white_18": [(2440, 1220), (3050, 1220)]})
    assert check_board(long, catalog, RULES, big) == []
    assert [f.code for f in check_parts(dataclasses.replace(plist, parts=(long,)), catalog, factory=big)
            if f.code.endswith("_board")] == []
    # the reverse: fits the catalog's board, not the profile's only size; the finding names the profile
    small = _line({"pb_white_18": [(2440, 1220)]})
    wide = _resize(side, 2400, 1250)
    assert check_board(wide, catalog, RULES) == []
    findings = check_board(wide, catalog, RULES, small)
    assert [(f.code, f.part_id) for f in findings] == [("part_exceeds_board", side.id)]
    assert "Line 7" in findings[0].message and "2420 × 1200" in findings[0].message
    assert findings[0].params["profile"] == "Line 7" and findings[0].params["profile_code"] == "panel_saw"
    # the profile's trim counts, not the rules' default
    assert check_board(_resize(side, 2430, 1200), catalog, RULES, _line({"pb_white_18": [(2440, 1220)]}, 5)) == []
    assert check_board(_resize(side, 2430, 1200), catalog, RULES, small) != []
    # a material the profile holds no stock for is cut from the catalog's board sizes (2800 × 2070)
    assert check_board(_resize(side, 2780, 2000, material="pb_grey_18"), catalog, RULES, small) == []
    assert check_board(_resize(side, 2790, 2000, material="pb_grey_18"), catalog, RULES, small) != []


def test_the_profiles_stock_keeps_the_grain(plist: PartsList, catalog: Catalog) -> None:
    side = _first(plist, "side")
    line = _line({"pb_white_18": [(1220, 2440)]})  # a sheet whose length (its grain) is the short side
    locked = _resize(side, 2000, 600, grain="locked")
    findings = check_board(locked, catalog, RULES, line)
    assert [f.code for f in findings] == ["grain_exceeds_board"] and "Line 7" in findings[0].message
    assert check_board(dataclasses.replace(locked, grain="free"), catalog, RULES, line) == []
    assert check_board(locked, catalog, RULES) == []  # along the catalog's 2800 mm board


def test_board_findings_are_worded_in_chinese(plist: PartsList, catalog: Catalog) -> None:
    from backend.bom.machining.wording import render
    from backend.web.i18n import translations

    side = _first(plist, "side")
    finding = check_board(_resize(side, 2400, 1250), catalog, RULES, _line({"pb_white_18": [(2440, 1220)]}))[0]
    zh = render(finding.code, finding.params, translations("zh_Hans").gettext)
    assert zh != finding.message and "Line 7" in zh and "2420 × 1200" in zh


def test_worktop_longer_than_the_material_is_made(plist: PartsList, catalog: Catalog) -> None:
    top = _first(plist, "countertop")
    assert check_board(_resize(top, 3200, 600), catalog, RULES) == []
    assert [f.code for f in check_board(_resize(top, 3300, 600), catalog, RULES)] == ["part_exceeds_board"]


def test_grain_locked_part_that_only_fits_across_the_grain(plist: PartsList, catalog: Catalog) -> None:
    side = _first(plist, "side")
    ply = dict(material="ply_birch_18")  # board 2440 × 1220
    free = _resize(side, 1300, 600, grain="free", **ply)
    assert check_board(free, catalog, RULES) == []
    locked = _resize(side, 1000, 1300, grain="locked", **ply)
    assert [f.code for f in check_board(locked, catalog, RULES)] == ["grain_exceeds_board"]
    assert check_board(_resize(side, 1300, 1000, grain="locked", **ply), catalog, RULES) == []


def test_part_below_the_minimum_machinable_size(plist: PartsList) -> None:
    rail = _first(plist, "rail")
    assert check_min_size(_resize(rail, 50, 30), RULES) == []
    assert [f.code for f in check_min_size(_resize(rail, 49, 40), RULES)] == ["part_below_minimum"]
    assert [f.code for f in check_min_size(_resize(rail, 400, 29), RULES)] == ["part_below_minimum"]


def test_door_too_heavy_for_its_hinges(plist: PartsList) -> None:
    door = _first(plist, "door")
    hinges = sum(op.purpose == "hinge_cup" for op in door.ops)
    assert hinges == 2
    assert check_door_weight(door, ["hinge_110_softclose"], RULES) == []
    heavy = dataclasses.replace(door, material="quartz_white_20", thickness_mm=20)
    assert door_weight_kg(heavy, RULES) > 2 * RULES.default_hinge_capacity_kg
    findings = check_door_weight(heavy, ["hinge_110_softclose"], RULES)
    assert [(f.code, f.severity) for f in findings] == [("door_too_heavy", "error")]
    strong = CheckRules(hinge_capacity_kg={"hinge_110_softclose": 20})
    assert check_door_weight(heavy, ["hinge_110_softclose"], strong) == []


def test_drawer_runner_length_not_available(plist: PartsList, catalog: Catalog) -> None:
    drawer_side = _first(plist, "drawer_side")
    lengths = catalog.slides["slide_ball_full_ext"].lengths_mm
    assert check_runner(drawer_side, lengths, "slide_ball_full_ext") == []
    odd = _resize(drawer_side, 480, drawer_side.width_mm)
    findings = check_runner(odd, lengths, "slide_ball_full_ext")
    assert [f.code for f in findings] == ["runner_length_unavailable"]
    assert "480" in findings[0].message


def test_errors_block_and_check_parts_finds_them(plist: PartsList, catalog: Catalog) -> None:
    bad = [_resize(p, 40, 20) if p.role == "rail" else p for p in plist.parts]
    findings = check_parts(dataclasses.replace(plist, parts=tuple(bad)), catalog)
    rails = [p.id for p in plist.parts if p.role == "rail"]
    assert [f.part_id for f in findings] == rails
    assert blocking(findings) == findings
    assert findings[0].to_dict()["code"] == "part_below_minimum"
