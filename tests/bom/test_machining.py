"""Machining of every cabinet family: inside the parts, no collisions, connectors that meet, hinges by rule."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import ezdxf
import pytest

from backend.bom.checks import check_parts
from backend.bom.machining import MachOp, derive, frame_of, load_tables
from backend.bom.machining.checks import PartView, check_cabinet, check_hardware_counts
from backend.bom.machining.wording import TEMPLATES, render
from backend.bom.package.dxf import op_layer, write_part_dxf
from backend.bom.parts import parts_list_from_builds
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.construction import CabinetBuild, Panel, build_cabinet, hinge_count
from backend.design.model import DesignSettings, FreePlacement, PlacedCabinet
from backend.errors import InvalidInput
from backend.web.i18n import translations

CASES = [(code, which) for code in sorted(load_catalog().families) for which in ("min", "default", "max")]
TABLES = load_tables()
KNOWN_COUNT_GAPS = {"corner_l_base": {"cam_15_connector", "dowel_8x30", "shelf_pin_5"},
                    "filler": {"cam_15_connector"}}
"""Recipes whose hardware list the geometry does not bear out (reported as warnings, see docs/machining.md)."""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def settings() -> DesignSettings:
    return DesignSettings()


def _cab(catalog: Catalog, settings: DesignSettings, code: str, which: str, **kwargs: object) -> PlacedCabinet:
    family = catalog.families[code]
    sizes = {dim: float(getattr(getattr(family, dim), which)) for dim in ("width", "height", "depth")}
    if family.body == "panel":
        mat = {"front": settings.front_material, "carcass": settings.carcass_material}.get(
            family.recipe.panel_material, settings.countertop_material)
        sizes[{"x": "width", "y": "depth", "z": "height"}[family.recipe.thickness_axis]] = (
            catalog.materials[mat].thickness_mm)
    return PlacedCabinet(id="cab-1", family=code, width_mm=sizes["width"], height_mm=sizes["height"],
                         depth_mm=sizes["depth"], placement=FreePlacement(x_mm=0, y_mm=0), **kwargs)  # type: ignore[arg-type]


def _assembled(panel: Panel, op: MachOp) -> tuple[float, float, float]:
    """The op's mouth in the cabinet, worked out here from the panel's box and axes (not via the package)."""
    axes = {"x": 0, "y": 1, "z": 2}
    p = list(panel.box.origin)
    lu, lv = axes[panel.length_axis], axes[panel.width_axis]
    lw = 3 - lu - lv
    p[lu] += op.u_mm
    p[lv] += op.v_mm
    p[lw] += op.w_mm
    return (p[0], p[1], p[2])


def _views(build: CabinetBuild, ops: dict[str, list[MachOp]]) -> list[PartView]:
    return [PartView(p.id, p.role, frame_of(p), tuple(ops.get(p.id, ()))) for p in build.panels]


def _with_connector(catalog: Catalog, connector: str) -> Catalog:
    """The catalog with ``connector`` as its carcass connector (the catalog's choice: cam or confirmat)."""
    if catalog.construction.connector == connector:
        return catalog
    return catalog.model_copy(update={"construction": catalog.construction.model_copy(update={"connector": connector})})


@pytest.mark.parametrize("connector", ["cam_15_connector", "confirmat_7x50"])
@pytest.mark.parametrize(("code", "which"), CASES)
def test_every_family_machines_cleanly(catalog: Catalog, settings: DesignSettings, code: str, which: str,
                                       connector: str) -> None:
    catalog = _with_connector(catalog, connector)
    build = build_cabinet(_cab(catalog, settings, code, which), catalog, settings)
    mach = derive(build, catalog, TABLES)
    drilled = {o.purpose for ops in mach.ops.values() for o in ops if o.joint is not None}
    assert drilled <= {TABLES.connectors[connector].purpose, "dowel"}
    findings = check_cabinet(_views(build, mach.ops), mach.issues, TABLES)
    assert [f for f in findings if f.severity == "error"] == []
    if code != "corner_l_base":  # its shelves lie on one side and on the other leg's back
        assert findings == []
    listed: dict[str, int] = {}
    for line in build.hardware:
        listed[line.code] = listed.get(line.code, 0) + line.quantity
    counts = check_hardware_counts(_views(build, mach.ops), listed, TABLES)
    if code not in KNOWN_COUNT_GAPS:  # the machining drills for exactly the hardware the cabinet lists
        assert counts == []
    else:
        gaps = {connector if g == "cam_15_connector" else g for g in KNOWN_COUNT_GAPS[code]}
        assert {dict(f.params)["hardware"] for f in counts} <= gaps
    panels = {p.id: p for p in build.panels}
    # every connector hole meets its partner in the assembled cabinet, within 0.1 mm
    pairs = 0
    for pid, ops in mach.ops.items():
        for op in ops:
            if op.mate is None or op.joint is None:
                continue
            here = _assembled(panels[pid], op)
            partners = [o for o in mach.ops[op.mate] if o.joint == op.joint and o.mate == pid]
            assert len(partners) == 1, (pid, op)
            assert math.dist(here, _assembled(panels[op.mate], partners[0])) <= 0.1
            assert {op.face in ("A", "B"), partners[0].face in ("A", "B")} == {True, False}  # face meets edge
            pairs += 1
    assert pairs == 2 * sum(1 for ops in mach.ops.values() for o in ops if o.detail == "edge")
    # every joint carries connectors; every carcass horizontal is joined at both ends
    for j in mach.joints:
        assert any(o.joint and o.joint.startswith(f"{j.edge_panel}|{j.face_panel}|") for o in mach.ops[j.face_panel])
    for p in build.panels:
        if p.role in ("bottom", "top", "rail", "fixed_shelf") and build.family != "corner_l_base":
            assert sum(1 for j in mach.joints if j.edge_panel == p.id) == 2, p.id
    # hinge cups follow the hardware rule, each with its mounting plate
    for p in build.panels:
        cups = [o for o in mach.ops[p.id] if o.purpose == "hinge_cup"]
        if p.role == "door" and cups and p.name != "Lift-up door":
            assert len(cups) == hinge_count(catalog, p.box.size[2])
        plates = [o for ops in mach.ops.values() for o in ops if o.purpose == "hinge_plate" and o.mate == p.id]
        assert len(plates) == 2 * len(cups)


def test_a_confirmat_goes_through_the_face_panel_into_the_edge(catalog: Catalog, settings: DesignSettings) -> None:
    cat = _with_connector(catalog, "confirmat_7x50")
    build = build_cabinet(_cab(cat, settings, "base_2_doors", "default"), cat, settings)
    mach = derive(build, cat, TABLES)
    side = next(p for p in build.panels if p.id.endswith("side-l"))
    bottom = next(p for p in build.panels if p.role == "bottom")
    face = [o for o in mach.ops[side.id] if o.mate == bottom.id]
    edge = [o for o in mach.ops[bottom.id] if o.mate == side.id]
    assert sorted(o.purpose for o in face) == ["confirmat", "confirmat", "dowel", "dowel"]
    screws = [o for o in face if o.purpose == "confirmat"]
    assert {(o.diameter_mm, o.depth_mm, o.detail) for o in screws} == {(7, side.box.size[0], "through")}
    assert {(o.diameter_mm, o.depth_mm) for o in edge if o.purpose == "confirmat"} == {(5, 35)}
    assert not [o for o in mach.ops[bottom.id] if o.detail == "cam_housing"]  # no cam: nothing in the face


def test_the_connectors_are_the_catalogs_cam_and_dowel(catalog: Catalog, settings: DesignSettings) -> None:
    build = build_cabinet(_cab(catalog, settings, "base_2_doors", "default"), catalog, settings)
    mach = derive(build, catalog, TABLES)
    side = next(p for p in build.panels if p.id.endswith("side-l"))
    bottom = next(p for p in build.panels if p.role == "bottom")
    face = [o for o in mach.ops[side.id] if o.mate == bottom.id]
    edge = [o for o in mach.ops[bottom.id] if o.mate == side.id]
    assert sorted(o.purpose for o in face) == ["cam", "cam", "dowel", "dowel"]
    assert {o.face for o in face} == {"B"} and {o.face for o in edge} == {"W1"}
    cams = [o for o in mach.ops[bottom.id] if o.detail == "cam_housing"]
    assert len(cams) == 4 and {o.face for o in cams} == {"B"} and {o.diameter_mm for o in cams} == {15}
    # the edge hole is at mid-thickness of the bottom, the cam 34 mm in from the joint
    assert {o.w_mm for o in edge} == {9.0}
    assert sorted({o.u_mm for o in cams}) == [34.0, bottom.length_mm - 34.0]


def test_a_cam_on_a_16_mm_carcass_is_a_blocking_finding(catalog: Catalog, settings: DesignSettings) -> None:
    build = build_cabinet(_cab(catalog, settings, "base_1_door", "default", carcass_material="pb_white_16"),
                          catalog, settings)
    findings = check_parts(parts_list_from_builds([build], catalog), catalog)
    thin = [f for f in findings if f.code == "connector_panel_too_thin"]
    assert thin and all(f.severity == "error" for f in thin)
    assert "cam_15_connector" in thin[0].message and "18 mm" in thin[0].message
    assert "Bottom" in {f.params["part"] for f in thin}


def test_a_hinge_on_a_12_mm_door_is_a_blocking_finding(catalog: Catalog, settings: DesignSettings) -> None:
    door = _door_build(catalog, settings, 12.0)
    mach = derive(door, catalog, TABLES)
    codes = {f.code for f in check_cabinet(_views(door, mach.ops), mach.issues, TABLES)}
    assert "hinge_door_too_thin" in codes


def _door_build(catalog: Catalog, settings: DesignSettings, thickness: float) -> CabinetBuild:
    """A base unit whose door is ``thickness`` thick (the door's box made thinner from its front)."""
    build = build_cabinet(_cab(catalog, settings, "base_1_door", "default"), catalog, settings)
    panels = []
    for p in build.panels:
        if p.role == "door":
            s = p.box.size
            p = dataclasses.replace(p, thickness_mm=thickness,
                                    box=dataclasses.replace(p.box, size=(s[0], thickness, s[2])))
        panels.append(p)
    return dataclasses.replace(build, panels=panels)


def test_misplaced_colliding_and_outside_ops_are_found(catalog: Catalog, settings: DesignSettings) -> None:
    build = build_cabinet(_cab(catalog, settings, "base_1_door", "default"), catalog, settings)
    mach = derive(build, catalog, TABLES)
    side = next(p for p in build.panels if p.id.endswith("side-l"))
    ops = mach.ops[side.id]
    i = next(n for n, o in enumerate(ops) if o.mate is not None and o.joint is not None)
    moved = dict(mach.ops)
    moved[side.id] = [*ops[:i], dataclasses.replace(ops[i], v_mm=ops[i].v_mm + 0.5), *ops[i + 1:]]
    codes = [f.code for f in check_cabinet(_views(build, moved), [], TABLES)]
    assert "connector_partner_missing" in codes
    hole = MachOp("drill", "shelf_pin", "B", 300, 100, 18, 12, 5)
    near = dataclasses.replace(hole, u_mm=303)
    outside = dataclasses.replace(hole, u_mm=1.0)
    deep_edge = MachOp("drill", "dowel", "W1", 0, 200, 9, side.box.size[2], 8)
    extra = dict(mach.ops)
    extra[side.id] = [*ops, hole, near, outside, deep_edge]
    codes = [f.code for f in check_cabinet(_views(build, extra), [], TABLES)]
    assert "ops_collide" in codes and "op_outside_part" in codes and "op_too_deep" in codes


def test_a_shelf_behind_a_hinge_is_seated_clear_and_a_fixed_one_blocks_it(catalog: Catalog,
                                                                         settings: DesignSettings) -> None:
    build = build_cabinet(_cab(catalog, settings, "base_1_door", "default"), catalog, settings)
    mach = derive(build, catalog, TABLES)
    door = next(p for p in build.panels if p.role == "door")
    cup = next(o for o in mach.ops[door.id] if o.purpose == "hinge_cup")
    z = _assembled(door, cup)[2]
    shelf = next(p for p in build.panels if p.role == "shelf")
    o, s = shelf.box.origin, shelf.box.size
    at_hinge = dataclasses.replace(shelf, box=dataclasses.replace(shelf.box, origin=(o[0], o[1], z - s[2] / 2)))
    build2 = dataclasses.replace(build, panels=[at_hinge if p.id == shelf.id else p for p in build.panels])
    mach2 = derive(build2, catalog, TABLES)
    assert check_cabinet(_views(build2, mach2.ops), mach2.issues, TABLES) == []
    seat = [op for ops in mach2.ops.values() for op in ops if op.mate == shelf.id and op.detail == "seat"]
    side = next(p for p in build.panels if p.id.endswith("side-l"))
    seat_z = _assembled(side, next(op for op in mach2.ops[side.id] if op in seat))[2] + 5
    moved = seat_z - (z - s[2] / 2)
    assert abs(moved) >= 32 - 1e-6 and abs(moved / 32 - round(moved / 32)) < 1e-6  # whole pitches away
    fixed = dataclasses.replace(at_hinge, role="fixed_shelf")
    build3 = dataclasses.replace(build, panels=[fixed if p.id == shelf.id else p for p in build.panels])
    codes = [f.code for f in check_cabinet(_views(build3, mach.ops), [], TABLES)]
    assert "hinge_cup_blocked" in codes


def test_machining_findings_are_worded_in_chinese(catalog: Catalog, settings: DesignSettings) -> None:
    build = build_cabinet(_cab(catalog, settings, "base_1_door", "default", carcass_material="pb_white_16"),
                          catalog, settings)
    finding = next(f for f in check_parts(parts_list_from_builds([build], catalog), catalog)
                   if f.code == "connector_panel_too_thin")
    zh = render(finding.code, finding.params, translations("zh_Hans").gettext)
    assert "连接件" in zh and "cam_15_connector" in zh and "18" in zh
    assert all(translations("zh_Hans").gettext(t) != t for t in TEMPLATES.values())


def test_every_int_option_at_its_limits_machines_cleanly(catalog: Catalog, settings: DesignSettings) -> None:
    """Shelf counts, niche heights, blind widths… at their minimum and maximum, at each family's
    minimum, default and maximum sizes: whatever builds has no blocking machining finding."""
    built = 0
    for code, fam in sorted(catalog.families.items()):
        if fam.body == "panel":
            continue
        options = [(name, spec) for name, spec in fam.options.items() if spec.type == "int"]
        for which in ("min", "default", "max"):
            for name, spec in options:
                for value in (spec.min, spec.max):
                    try:
                        build = build_cabinet(_cab(catalog, settings, code, which, options={name: value}), catalog,
                                              settings)
                    except InvalidInput:
                        continue  # refused by the configurator, naming the option
                    mach = derive(build, catalog, TABLES)
                    errors = [f for f in check_cabinet(_views(build, mach.ops), mach.issues, TABLES)
                              if f.severity == "error"]
                    assert errors == [], (code, which, name, value, errors[:3])
                    built += 1
    assert built >= 60


def test_the_cabinet_lists_connectors_by_the_machinings_joint_rule() -> None:
    """The cabinet model counts connectors per joint with the factory's thresholds (a copy, as the
    configurator may not import the machining package): they must not drift apart."""
    from backend.bom.machining.derive import joint_positions
    from backend.configurator.cabinet import SHORT_JOINT_DOWEL_MM, SHORT_JOINT_MM

    assert TABLES.joint_rows.short_joint_mm == SHORT_JOINT_MM
    for length in (SHORT_JOINT_DOWEL_MM - 1, SHORT_JOINT_DOWEL_MM, SHORT_JOINT_MM - 1, SHORT_JOINT_MM):
        mains, partners = joint_positions(length, TABLES)
        assert len(mains) == (2 if length >= SHORT_JOINT_MM else 1)
        assert len(partners) == (2 if length >= SHORT_JOINT_MM else 1 if length >= SHORT_JOINT_DOWEL_MM else 0)


@pytest.mark.parametrize("code", sorted(load_catalog().families))
def test_every_familys_part_dxfs_hold_every_operation_on_its_layer(catalog: Catalog, settings: DesignSettings,
                                                                  code: str, tmp_path: Path) -> None:
    """The per-part DXF of every part of every family (default size), re-read with ezdxf: each operation
    is one entity on the layer its kind, diameter, depth and face name, the outline one more."""
    build = build_cabinet(_cab(catalog, settings, code, "default"), catalog, settings)
    plist = parts_list_from_builds([build], catalog)
    for part in plist.parts:
        path = tmp_path / f"{part.panel_id.replace('/', '-')}.dxf"
        write_part_dxf(path, part, catalog)
        msp = ezdxf.readfile(path).modelspace()  # type: ignore[attr-defined]
        want: dict[str, int] = {"OUTLINE": 1}
        for op in part.machining:
            name = op_layer(op, part.thickness_mm)
            want[name] = want.get(name, 0) + 1
        assert {name: len(msp.query(f'*[layer=="{name}"]')) for name in want} == want, part.panel_id
        assert len(msp) == sum(want.values()), part.panel_id
