"""The cabinet engineering rules: each fires on the unit that breaks it, with words and a fix, and not on
the presets as sold."""

from __future__ import annotations

from typing import Any

import pytest
from configurator.test_validation import cab, room

from backend.configurator.cabinet_rules import sag_mm
from backend.configurator.catalog import Catalog
from backend.configurator.validation import Finding, validate
from backend.design.interior import Front, Insert, Leaf, Split
from backend.design.model import Design, DesignSettings, FreePlacement, PlacedItem, WallPlacement
from backend.services.configurator import finding_dict
from backend.web.i18n import gettext_for


def findings(catalog: Catalog, *cabs: Any, ceiling: float = 2700, items: list[PlacedItem] | None = None
             ) -> dict[str, Finding]:
    design = Design(plan=room(6000, 5000), cabinets=list(cabs), items=items or [],
                    settings=DesignSettings(ceiling_height_mm=ceiling))
    return {f.rule: f for f in validate(design, catalog)}


def test_presets_at_their_defaults_break_no_rule(catalog: Catalog) -> None:
    offset = 50.0
    cabinets = []
    for code, fam in catalog.families.items():
        if fam.room == "kitchen" or fam.body != "carcass" or fam.category == "wall":
            continue
        cabinets.append(cab(catalog, f"cab-{code}", code, "wall-top" if offset < 5000 else "wall-bottom",
                            offset % 5000))
        offset += fam.width.default + 50
    design = Design(plan=room(30000, 5000), cabinets=cabinets)
    engineering = {"shelf_sag", "door_leaf_size", "hinge_count", "sliding_leaf_width", "sliding_overlap",
                   "hanging_height", "rail_depth", "drawer_behind_door", "wall_fixing", "tilt_up"}
    assert [f for f in validate(design, catalog) if f.rule in engineering] == []


ONE_BAY = Leaf(insert=Insert(kind="shelves", count=4), front=Front(kind="hinged", leaves=2))


def test_shelf_sag_proposes_a_partition_or_a_thicker_board(catalog: Catalog) -> None:
    hit = findings(catalog, cab(catalog, "cab-1", "bookcase_glass", "wall-top", 50, 1200,
                                interior=ONE_BAY))["shelf_sag"]
    assert hit.severity == "warning" and hit.params["span"] == 1162 and hit.params["load"] == 100
    assert hit.fix is not None and hit.fix.params["span"] < 1162 and hit.fix.params["thickness"] > 18
    assert "shelf_sag" not in findings(catalog, cab(catalog, "cab-1", "bookcase_glass", "wall-top", 50, 600,
                                                    interior=ONE_BAY))
    assert "shelf_sag" not in findings(catalog, cab(catalog, "cab-1", "bookcase_glass", "wall-top", 50, 1200))
    assert sag_mm(1000, 18, 2500, 50, fixed=False) == pytest.approx(5 * sag_mm(1000, 18, 2500, 50, fixed=True))


def test_door_leaves_and_hinges(catalog: Catalog) -> None:
    wide = Leaf(insert=Insert(kind="shelves", count=3), front=Front(kind="hinged", leaves=1))
    hit = findings(catalog, cab(catalog, "cab-1", "wardrobe_hinged_2", "wall-top", 50, interior=wide))
    assert hit["door_leaf_size"].params["width"] == 997
    glass_bay = Leaf(insert=Insert(kind="shelves", count=2), front=Front(kind="hinged", leaves=2, glass=True))
    glass = findings(catalog, cab(catalog, "cab-1", "bookcase_glass", "wall-top", 50, 1200, height_mm=2400,
                                  interior=glass_bay))["hinge_count"]
    assert glass.params["need"] > glass.params["hinges"]


def test_hanging_rail_height_and_depth(catalog: Catalog) -> None:
    low = findings(catalog, cab(catalog, "cab-1", "wardrobe_hinged_1", "wall-top", 50, height_mm=1800,
                                depth_mm=450))
    assert low["hanging_height"].params["clear"] < 1400 and low["hanging_height"].params["kind"] == \
        "hanging_height_long"
    assert low["rail_depth"].params["depth"] < 530
    assert "long hang" in low["hanging_height"].message


def test_internal_drawers_behind_a_narrow_opening_door(catalog: Catalog) -> None:
    tree = Split(axis="horizontal", zones=[Leaf(insert=Insert(kind="drawers", count=2, internal=True), size_mm=400),
                                           Leaf(insert=Insert(kind="rail", hang="short"))],
                 front=Front(kind="hinged", leaves=2))
    assert "drawer_behind_door" in findings(catalog, cab(catalog, "cab-1", "wardrobe_hinged_2", "wall-top", 50,
                                                         interior=tree))
    wide = tree.model_copy(update={"front": Front(kind="hinged", leaves=2, hinge="hinge_170_softclose")})
    assert "drawer_behind_door" not in findings(catalog, cab(catalog, "cab-1", "wardrobe_hinged_2", "wall-top",
                                                             50, interior=wide))


def test_tall_free_standing_unit_needs_wall_fixing(catalog: Catalog) -> None:
    free = cab(catalog, "cab-1", "wardrobe_hinged_2", "wall-top", 50).model_copy(
        update={"placement": FreePlacement(x_mm=2000, y_mm=2000, rotation_deg=30)})
    assert findings(catalog, free)["wall_fixing"].severity == "warning"
    assert "wall_fixing" not in findings(catalog, cab(catalog, "cab-1", "wardrobe_hinged_2", "wall-top", 50))


def test_tilt_up_under_the_ceiling_or_a_top_box(catalog: Catalog) -> None:
    tall = cab(catalog, "cab-1", "wardrobe_hinged_2", "wall-top", 50, height_mm=2400, depth_mm=650)
    hit = findings(catalog, tall, ceiling=2450)["tilt_up"]
    assert hit.severity == "error" and hit.fix is not None and hit.fix.params["top_box"] > 0
    boxed = cab(catalog, "cab-1", "wardrobe_hinged_2_top_box", "wall-top", 50, height_mm=2400, depth_mm=650)
    assert "tilt_up" not in findings(catalog, boxed, ceiling=2450)


def test_walkway_in_front_of_a_wardrobe(catalog: Catalog) -> None:
    bed = PlacedItem(id="item-bed", kind="bed", width_mm=1800, height_mm=500, depth_mm=2000,
                     placement=FreePlacement(x_mm=100, y_mm=1000))
    hit = findings(catalog, cab(catalog, "cab-1", "wardrobe_hinged_2", "wall-top", 50), items=[bed])["walkway"]
    assert hit.params["gap"] == pytest.approx(1000 - 50 - 600, abs=2) and hit.params["need"] >= 600
    sliding = cab(catalog, "cab-1", "wardrobe_sliding_2", "wall-top", 50, depth_mm=650)
    far = bed.model_copy(update={"placement": FreePlacement(x_mm=100, y_mm=1400)})
    assert "walkway" not in findings(catalog, sliding, items=[far])


def test_sliding_overlap(catalog: Catalog) -> None:
    tree = Split(axis="vertical", zones=[Leaf(insert=Insert(kind="rail")), Leaf(insert=Insert(kind="shelves",
                 count=4))], front=Front(kind="sliding", leaves=2, overlap_mm=10))
    hit = findings(catalog, cab(catalog, "cab-1", "wardrobe_sliding_2", "wall-top", 50, interior=tree))
    assert hit["sliding_overlap"].params["overlap"] == 10


def test_rule_words_in_chinese(catalog: Catalog) -> None:
    hit = findings(catalog, cab(catalog, "cab-1", "bookcase_glass", "wall-top", 50, 1200,
                                interior=ONE_BAY))["shelf_sag"]
    zh = finding_dict(hit, None, gettext_for("zh_Hans").gettext)
    assert "层板" in zh["message"] and "书柜" in zh["message"] and "竖隔板" in zh["fix"]["description"]


def test_wall_hung_units_are_not_tilted(catalog: Catalog) -> None:
    unit = cab(catalog, "cab-1", "tv_unit_floating", "wall-top", 50)
    assert isinstance(unit.placement, WallPlacement)
    assert "tilt_up" not in findings(catalog, unit, ceiling=1900)


# -- incremental validation ---------------------------------------------------------------------------

def _shuffled_apartments(catalog: Catalog, n: int) -> list[Design]:
    """The furnished apartment with its free-standing units and items moved and turned at random, and
    some wall units slid along their walls: doors, beds and walkways meet in many ways."""
    import random

    from backend.configurator.home_demo import apartment_design

    home = apartment_design(catalog)
    walls = {w.id: w for w in home.plan.walls}
    rng = random.Random(13)
    out = [home]
    for _ in range(n):
        cabinets = []
        for unit in home.cabinets:
            p = unit.placement
            if isinstance(p, FreePlacement):
                p = p.model_copy(update={"x_mm": p.x_mm + rng.uniform(-900, 900),
                                         "y_mm": p.y_mm + rng.uniform(-900, 900),
                                         "rotation_deg": rng.uniform(-180, 180)})
            elif isinstance(p, WallPlacement) and rng.random() < 0.3:
                room = walls[p.wall_id].length_mm - unit.width_mm
                p = p.model_copy(update={"offset_mm": min(max(0.0, p.offset_mm + rng.uniform(-500, 500)), room)})
            cabinets.append(unit.model_copy(update={"placement": p}))
        items = [i.model_copy(update={"placement": i.placement.model_copy(update={
            "x_mm": i.placement.x_mm + rng.uniform(-800, 800), "y_mm": i.placement.y_mm + rng.uniform(-800, 800)})})
            if isinstance(i.placement, FreePlacement) else i for i in home.items]
        out.append(Design.model_validate(home.model_copy(update={"cabinets": cabinets, "items": items}).model_dump()))
    return out


def _facts(findings: list[Any]) -> list[tuple[Any, ...]]:
    return [(f.severity, f.rule, f.object_ids, f.message, f.fix.changes if f.fix else None) for f in findings]


def test_the_spatial_index_finds_what_looking_at_everything_finds(catalog: Catalog,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Walkways and door hits look only at what the STRtrees say stands near a unit: the findings are
    those of checking every unit against everything."""
    from backend.configurator import cabinet_rules

    designs = _shuffled_apartments(catalog, 12)
    indexed = [_facts(validate(d, catalog)) for d in designs]
    assert {"walkway", "door_hits"} <= {fact[1] for facts in indexed for fact in facts}

    def everything_near_walkway(self: Any, obj_id: str, zone: Any) -> list[Any]:
        n = len(self.low_ids)
        return [g for i, g in enumerate(self.low_and_obstacles) if i >= n or self.low_ids[i] != obj_id]

    monkeypatch.setattr(cabinet_rules._Space, "near_walkway", everything_near_walkway)
    monkeypatch.setattr(cabinet_rules._Space, "near_targets", lambda self, reach: list(self.targets))
    assert [_facts(validate(d, catalog)) for d in designs] == indexed


def test_validating_with_cached_builds_is_validating_cold(catalog: Catalog) -> None:
    """After an edit, the other units' builds come from the cache: the findings are those of a cold run."""
    from backend.configurator.cabinet_rules import clear_build_cache
    from backend.configurator.commands import SetInsert, apply
    from backend.design.interior import Insert

    home = _shuffled_apartments(catalog, 1)[1]
    validate(home, catalog)  # every unit built and cached
    wardrobe = next(c for c in home.cabinets if c.family == "wardrobe_sliding_3")
    edited, _ = apply(home, SetInsert(cabinet_id=wardrobe.id, path=[2], insert=Insert(kind="shelves", count=7)),
                      catalog)
    warm = _facts(validate(edited, catalog))
    clear_build_cache()
    assert _facts(validate(edited, catalog)) == warm
