"""Parts list: ids, cut sizes, volumes, grouping, hardware and edge bands."""

from __future__ import annotations

import math

import pytest

from backend.bom.parts import EDGE_OVERLENGTH_MM, PartsList, parts_list
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.construction import build_cabinet
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
def plist(design: Design, catalog: Catalog) -> PartsList:
    return parts_list(design, catalog, "R2611")


def test_every_panel_is_one_part_with_a_stable_unique_id(design: Design, catalog: Catalog,
                                                         plist: PartsList) -> None:
    panels = [p for cab in design.cabinets for p in build_cabinet(cab, catalog, design.settings).panels]
    assert [p.panel_id for p in plist.parts] == [p.id for p in panels]
    ids = [p.id for p in plist.parts]
    assert len(set(ids)) == len(ids)
    assert "R2611-cab-3-side-l" in ids
    again = parts_list(design, catalog, "R2611")
    assert [p.id for p in again.parts] == ids


def test_without_an_order_number_the_part_id_is_the_panel_id(design: Design, catalog: Catalog) -> None:
    plain = parts_list(design, catalog)
    assert all(p.id == p.panel_id for p in plain.parts)
    with pytest.raises(InvalidInput):
        parts_list(design, catalog, " ")


def test_positions_count_up_within_each_cabinet(plist: PartsList) -> None:
    for build in plist.builds:
        positions = [p.position for p in plist.parts if p.cabinet_id == build.cabinet_id]
        assert positions == list(range(1, len(build.panels) + 1))


def test_cut_size_is_finished_size_minus_the_bands(plist: PartsList, catalog: Catalog) -> None:
    def band(code: str | None) -> float:
        return 0.0 if code is None else catalog.edge_bands[code].thickness_mm

    banded = 0
    for p in plist.parts:
        e = p.edges
        assert p.cut_length_mm == pytest.approx(p.length_mm - band(e.w1) - band(e.w2))
        assert p.cut_width_mm == pytest.approx(p.width_mm - band(e.l1) - band(e.l2))
        banded += p.cut_length_mm < p.length_mm or p.cut_width_mm < p.width_mm
    assert banded > 0
    door = next(p for p in plist.parts if p.role == "door")
    assert (door.length_mm - door.cut_length_mm, door.width_mm - door.cut_width_mm) == (2.0, 2.0)


def test_part_volumes_add_up_to_the_panel_box_volumes(plist: PartsList) -> None:
    boxes = sum(p.box.volume_mm3 for b in plist.builds for p in b.panels)
    assert math.isclose(plist.part_volume_mm3, boxes, rel_tol=1e-9)
    assert math.isclose(plist.panel_volume_mm3, boxes, rel_tol=1e-9)


def test_grouping_keeps_every_id_once(plist: PartsList) -> None:
    grouped = [i for g in plist.groups for i in g.ids]
    assert sorted(grouped) == sorted(p.id for p in plist.parts)
    assert len(plist.groups) < len(plist.parts)
    for g in plist.groups:
        members = [plist.part(i) for i in g.ids]
        assert {(m.material, m.length_mm, m.width_mm, m.edges, m.ops, m.grain) for m in members} == {
            (g.part.material, g.part.length_mm, g.part.width_mm, g.part.edges, g.part.ops, g.part.grain)}
    assert max(g.quantity for g in plist.groups) >= 2


def test_grain_and_machining_come_from_the_panels(plist: PartsList) -> None:
    assert {p.grain for p in plist.parts} <= {"locked", "free"}
    side = plist.part("R2611-cab-3-side-l")
    purposes = {op.purpose for op in side.ops}
    assert {"system32", "back_groove", "slide"} <= purposes
    door = next(p for p in plist.parts if p.role == "door")
    assert any(op.purpose == "hinge_cup" for op in door.ops)


def test_hardware_counts_add_up_over_cabinets(plist: PartsList) -> None:
    for item in plist.hardware:
        expected = sum(h.quantity for b in plist.builds for h in b.hardware if h.code == item.code)
        assert item.quantity == expected == sum(q for _, q in item.per_cabinet)
        assert item.article
    categories = {h.category for h in plist.hardware}
    assert {"hinge", "slide", "handle", "leg", "shelf_pin", "connector"} <= categories


def test_edge_band_metres_include_overlength(plist: PartsList) -> None:
    for use in plist.edge_bands:
        edges = [(p, e) for p in plist.parts for e in ("L1", "L2", "W1", "W2") if p.band(e) == use.code]
        assert use.edges == len(edges)
        expected = sum(p.edge_length_mm(e) for p, e in edges) + EDGE_OVERLENGTH_MM * len(edges)
        assert use.length_mm == pytest.approx(expected)
        assert use.metres == pytest.approx(expected / 1000, abs=1e-3)
