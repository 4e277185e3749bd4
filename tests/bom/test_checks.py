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
