"""Every family at its minimum, default and maximum sizes builds a sound cabinet."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.construction import CabinetBuild, Panel, build_cabinet
from backend.configurator.mesh import box_arrays, panel_mesh
from backend.design.model import DesignSettings, FreePlacement, PlacedCabinet
from backend.errors import InvalidInput

CASES = [(code, which) for code in sorted(load_catalog().families) for which in ("min", "default", "max")]


def _build(catalog: Catalog, settings: DesignSettings, code: str, which: str) -> CabinetBuild:
    family = catalog.families[code]
    sizes = {dim: float(getattr(getattr(family, dim), which)) for dim in ("width", "height", "depth")}
    if family.body == "panel":  # the board-thickness dimension of a one-panel family is its board's
        code_ = {"front": settings.front_material, "carcass": settings.carcass_material}.get(
            family.recipe.panel_material, settings.countertop_material)
        sizes[{"x": "width", "y": "depth", "z": "height"}[family.recipe.thickness_axis]] = (
            catalog.materials[code_].thickness_mm)
    cab = PlacedCabinet(id="cab-1", family=code, width_mm=sizes["width"], height_mm=sizes["height"],
                        depth_mm=sizes["depth"], placement=FreePlacement(x_mm=0, y_mm=0))
    return build_cabinet(cab, catalog, settings)


def make_cabinet(family: str, width: float, height: float, depth: float, cab_id: str = "cab-1",
                 **kwargs: Any) -> PlacedCabinet:
    return PlacedCabinet(id=cab_id, family=family, width_mm=width, height_mm=height, depth_mm=depth,
                         placement=FreePlacement(x_mm=0, y_mm=0), **kwargs)


def _overlap_allowed(a: Panel, b: Panel, inter: np.ndarray, groove_depth: float) -> bool:
    """A back may sit in a groove of the panel it meets: the overlap is no deeper than the groove."""
    for back, other in ((a, b), (b, a)):
        if back.role == "back" and any(op.purpose == "back_groove" for op in other.ops):
            return float(inter.min()) <= groove_depth + 0.01
    return False


@pytest.mark.parametrize(("code", "which"), CASES)
def test_family_builds_sound_panels(catalog: Catalog, settings: DesignSettings, code: str,
                                    which: str) -> None:
    assert_sound(_build(catalog, settings, code, which), catalog)


OPTION_CASES = [(code, name, bound) for code, fam in sorted(load_catalog().families.items())
                for name, spec in fam.options.items() if spec.type == "int" for bound in ("min", "max")]


@pytest.mark.parametrize(("code", "option", "bound"), OPTION_CASES)
def test_int_options_at_their_limits(catalog: Catalog, settings: DesignSettings, code: str, option: str,
                                     bound: str) -> None:
    """At default sizes an option's extreme either builds soundly or is refused naming the option."""
    fam = catalog.families[code]
    value = getattr(fam.options[option], bound)
    cab = make_cabinet(code, fam.width.default, fam.height.default, fam.depth.default, options={option: value})
    try:
        build = build_cabinet(cab, catalog, settings)
    except InvalidInput as err:
        assert err.field == f"options.{option}"
        assert (code, option, bound) in REFUSED_EXTREMES
        return
    assert_sound(build, catalog)


# Extremes refused at default sizes: a cut-out centred beyond a 1.2 m worktop, a blind part
# leaving less than 250 mm for the door of a 700 mm blind corner wall unit.
REFUSED_EXTREMES = {("countertop", "sink_center_mm", "max"), ("countertop", "hob_center_mm", "max"),
                    ("corner_blind_wall", "blind_width_mm", "max")}


def assert_sound(build: CabinetBuild, catalog: Catalog) -> None:
    assert build.panels
    lo = np.array([p.box.origin for p in build.panels])
    hi = np.array([p.box.max for p in build.panels])
    outer = np.array([build.width_mm, build.depth_mm, build.height_mm])
    # inside the outer box, and together spanning it
    assert (lo >= -0.5).all() and (hi <= outer + 0.5).all()
    np.testing.assert_allclose(lo.min(axis=0), 0, atol=0.5)
    np.testing.assert_allclose(hi.max(axis=0), outer, atol=0.5)
    # no two panels overlap (positive volume), except a back in its groove
    gd = catalog.construction.groove_depth_mm
    for i, j in itertools.combinations(range(len(build.panels)), 2):
        inter = np.minimum(hi[i], hi[j]) - np.maximum(lo[i], lo[j])
        if (inter > 0.01).all():
            assert _overlap_allowed(build.panels[i], build.panels[j], inter, gd), (
                f"{build.panels[i].id} overlaps {build.panels[j].id} by {inter}")
    ids = [p.id for p in build.panels]
    assert len(set(ids)) == len(ids)
    for p in build.panels:
        assert p.id.startswith("cab-1/")
        assert p.thickness_mm == catalog.materials[p.material].thickness_mm
        assert p.length_mm > 0 and p.width_mm > 0
        if p.grain == "none":
            assert p.length_mm >= p.width_mm
        for op in p.ops:
            assert -0.01 <= op.u_mm <= p.length_mm + 0.01, (p.id, op)
            assert -0.01 <= op.v_mm <= p.width_mm + 0.01, (p.id, op)


@pytest.mark.parametrize("code", sorted(load_catalog().families))
def test_panel_meshes_are_watertight_boxes(catalog: Catalog, settings: DesignSettings, code: str) -> None:
    build = _build(catalog, settings, code, "default")
    for p in build.panels:
        mesh = panel_mesh(p)
        assert mesh.is_watertight and mesh.is_volume
        np.testing.assert_allclose(mesh.bounds, [p.box.origin, p.box.max], atol=1e-6)
        assert mesh.volume == pytest.approx(p.length_mm * p.width_mm * p.thickness_mm, rel=1e-6)
    positions, normals, indices = box_arrays([p.box.origin for p in build.panels],
                                             [p.box.size for p in build.panels])
    assert positions.shape == (24 * len(build.panels), 3) and normals.shape == positions.shape
    assert indices.shape == (36 * len(build.panels),)


def test_hardware(catalog: Catalog, settings: DesignSettings) -> None:
    build = build_cabinet(make_cabinet("base_2_doors", 800, 720, 578, elevation_mm=100), catalog, settings)
    hw = {h.category: h.quantity for h in build.hardware}
    assert hw["hinge"] == 4 and hw["handle"] == 2 and hw["leg"] == 4 and hw["shelf_pin"] == 4
    tall = build_cabinet(make_cabinet("tall_pantry", 600, 2100, 578), catalog, settings)
    hinges = sum(h.quantity for h in tall.hardware if h.category == "hinge")
    assert hinges == 3 + 2  # doors of ~1.5 m and ~0.6 m (hinges_per_door_height)
    drawers = build_cabinet(make_cabinet("base_3_drawers", 600, 720, 578), catalog, settings)
    assert {h.category: h.quantity for h in drawers.hardware}["slide"] == 3
    assert {p.role for p in drawers.panels} >= {"drawer_front", "drawer_side", "drawer_back", "drawer_bottom"}


def test_stable_panel_ids(catalog: Catalog, settings: DesignSettings) -> None:
    build = build_cabinet(make_cabinet("base_1_door", 450, 720, 578, cab_id="cab-3"), catalog, settings)
    ids = {p.id for p in build.panels}
    assert {"cab-3/side-l", "cab-3/side-r", "cab-3/bottom-1", "cab-3/back-1", "cab-3/door-1"} <= ids


@pytest.mark.parametrize(("field", "kwargs"), [
    ("width_mm", {"width": 1300}),
    ("width_mm", {"width": 100}),
    ("width_mm", {"width": 450.5}),
    ("height_mm", {"height": 950}),
    ("family", {"family": "base_99_doors"}),
    ("options.shelves", {"options": {"shelves": 9}}),
    ("options.colour", {"options": {"colour": "red"}}),
    ("carcass_material", {"carcass_material": "unobtainium_18"}),
    ("front_material", {"front_material": "pb_white_18"}),
    ("handle", {"handle": "no_such_handle"}),
])
def test_impossible_inputs_name_the_field(catalog: Catalog, settings: DesignSettings, field: str,
                                          kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"family": "base_2_doors", "width": 800, "height": 720, "depth": 578}
    args.update(kwargs)
    extra = {k: v for k, v in args.items() if k not in ("family", "width", "height", "depth")}
    cab = make_cabinet(str(args["family"]), float(args["width"]), float(args["height"]),  # type: ignore[arg-type]
                       float(args["depth"]), **extra)
    with pytest.raises(InvalidInput) as err:
        build_cabinet(cab, catalog, settings)
    assert err.value.field == field


def test_settings_default_materials_exist(catalog: Catalog) -> None:
    s = DesignSettings()
    for code in (s.carcass_material, s.front_material, s.countertop_material):
        assert code in catalog.materials
    assert s.handle in catalog.handles
    assert set(catalog.rule_packs) == {"CN", "EU", "US"}
