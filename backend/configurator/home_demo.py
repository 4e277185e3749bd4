"""Whole-home example designs (pure): a bedroom wardrobe wall, a hall with a shoe cabinet, and the demo
apartment furnished in every room (the scene benchmark's ≥ 40 units).

``docs/examples/bedroom.json`` and ``docs/examples/hall.json`` are :func:`bedroom_design` and
:func:`hall_design` written out (``python -m backend.configurator.home_demo docs/examples``); a test keeps
them valid and free of errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.demo import demo_design
from backend.configurator.placement import default_elevation
from backend.design.interior import Front, Insert, Leaf, Split, Zone
from backend.design.model import (
    Design,
    Door,
    FloorPlan,
    FreePlacement,
    PlacedCabinet,
    PlacedItem,
    Point,
    Room,
    Wall,
    WallPlacement,
    Window,
)


def _box_room(name: str, kind: str, width: float, depth: float, openings: dict[str, list[Door | Window]]) -> FloorPlan:
    """A rectangular room walled clockwise on screen, so each wall's inside is its ``right``."""
    c = [(0.0, 0.0), (width, 0.0), (width, depth), (0.0, depth)]
    names = ["wall-top", "wall-right", "wall-bottom", "wall-left"]
    walls = [Wall(id=names[i], start=Point(x=c[i][0], y=c[i][1]), end=Point(x=c[(i + 1) % 4][0], y=c[(i + 1) % 4][1]),
                  thickness_mm=100, openings=openings.get(names[i], [])) for i in range(4)]
    return FloorPlan(walls=walls, rooms=[Room(id=f"room-{kind}", name=name, type=kind,
                                              polygon=[Point(x=x, y=y) for x, y in c])])


class _Units:
    def __init__(self, catalog: Catalog, prefix: str = "cab") -> None:
        self.catalog = catalog
        self.prefix = prefix
        self.cabinets: list[PlacedCabinet] = []

    def add(self, family: str, wall: str, offset: float, *, side: str = "right", width: float | None = None,
            height: float | None = None, depth: float | None = None, interior: Zone | None = None,
            **options: int | str) -> None:
        fam = self.catalog.families[family]
        h = height or fam.height.default
        self.cabinets.append(PlacedCabinet(
            id=f"{self.prefix}-{len(self.cabinets) + 1}", family=family, width_mm=width or fam.width.default,
            height_mm=h, depth_mm=depth or fam.depth.default,
            elevation_mm=default_elevation(fam, self.catalog.rules("CN"), h),
            placement=WallPlacement(wall_id=wall, offset_mm=offset, side=side),
            interior=interior, options=dict(options)))

    def add_free(self, family: str, x: float, y: float, rotation: float) -> None:
        fam = self.catalog.families[family]
        self.cabinets.append(PlacedCabinet(
            id=f"{self.prefix}-{len(self.cabinets) + 1}", family=family, width_mm=fam.width.default,
            height_mm=fam.height.default, depth_mm=fam.depth.default,
            elevation_mm=default_elevation(fam, self.catalog.rules("CN")),
            placement=FreePlacement(x_mm=x, y_mm=y, rotation_deg=rotation)))


def trouser_wardrobe() -> Zone:
    """A sliding-door wardrobe interior edited as a person would: a long hang beside a column split into
    a drawer block, a trouser rack, a short hang and a hat shelf."""
    right = Split(axis="horizontal", zones=[
        Leaf(insert=Insert(kind="drawers", count=3, internal=True), size_mm=420),
        Leaf(insert=Insert(kind="trouser_rack"), size_mm=300),
        Leaf(insert=Insert(kind="rail", hang="short")),
        Leaf(insert=Insert(kind="fixed_shelves", count=1), size_mm=350)])
    left = Split(axis="horizontal", zones=[Leaf(insert=Insert(kind="rail", hang="long")),
                                           Leaf(insert=Insert(kind="fixed_shelves", count=1), size_mm=400)])
    return Split(axis="vertical", zones=[left, right], front=Front(kind="sliding", leaves=2, overlap_mm=40))


def bedroom_design(catalog: Catalog | None = None) -> Design:
    """A 4.2 × 3.6 m bedroom: a wardrobe wall (a hinged wardrobe with a top box to the ceiling, an edited
    sliding-door wardrobe, a one-door wardrobe) opposite the window, a bed in front."""
    catalog = catalog or load_catalog()
    plan = _box_room("Bedroom", "bedroom", 4200, 3600, {
        "wall-top": [Window(id="win-bed", offset_mm=1400, width_mm=1500, sill_mm=900)],
        "wall-right": [Door(id="door-bed", offset_mm=200, width_mm=800, hinge="start", swing="right")]})
    u = _Units(catalog)
    u.add("wardrobe_hinged_2_top_box", "wall-bottom", 60, height=2600)
    u.add("wardrobe_sliding_2", "wall-bottom", 1060, width=1900, interior=trouser_wardrobe())
    u.add("wardrobe_hinged_1", "wall-bottom", 2960, width=500)
    bed = PlacedItem(id="item-bed", kind="bed", width_mm=1800, height_mm=500, depth_mm=2000,
                     placement=FreePlacement(x_mm=1200, y_mm=150))
    return Design(name="Bedroom with a wardrobe wall", plan=plan, cabinets=u.cabinets, items=[bed])


def hall_design(catalog: Catalog | None = None) -> Design:
    """A 2.4 × 1.6 m entrance hall: a shoe cabinet with a bench niche and a coat wardrobe."""
    catalog = catalog or load_catalog()
    plan = _box_room("Entrance hall", "hall", 2400, 1600, {
        "wall-bottom": [Door(id="door-entrance", offset_mm=200, width_mm=900, hinge="start", swing="right")]})
    u = _Units(catalog)
    u.add("shoe_cabinet_bench", "wall-top", 60, width=1200)
    u.add("wardrobe_hinged_1", "wall-top", 1300, width=600, depth=600)
    return Design(name="Entrance hall with a shoe cabinet", plan=plan, cabinets=u.cabinets)


def apartment_design(catalog: Catalog | None = None) -> Design:
    """The demo apartment (its large kitchen) furnished in every room: bedrooms with wardrobes, a study
    corner, a tatami platform, the living room's TV unit and bookcases, the bathroom's vanity, the hall's
    shoe cabinet and coat wardrobe (≥ 40 units; the scene benchmark)."""
    catalog = catalog or load_catalog()
    base = demo_design(large=True, catalog=catalog)
    u = _Units(catalog, "cab-home")
    # bedroom 1: the sliding-door wardrobe by the window wall (a hinged leaf there would hit the window)
    u.add("wardrobe_sliding_2", "wall-left-1", 120, width=1800, interior=trouser_wardrobe())
    u.add("wardrobe_hinged_2_top_box", "wall-left-1", 1920, height=2600)
    u.add("wardrobe_hinged_1", "wall-left-1", 2920, width=500)
    u.add("wardrobe_sliding_3", "wall-bath-right", 1000, side="left")            # bedroom 2
    u.add("wardrobe_hinged_3", "wall-right", 4460)
    u.add("study_desk", "wall-bottom", 300)
    u.add("study_wall_unit", "wall-bottom", 300)
    u.add_free("tatami_platform", 8600, 6200, 0)
    u.add("tv_unit_low", "wall-living-left", 800, side="left")                  # living room
    u.add("bookcase_glass", "wall-living-left", 2650, side="left", width=700)
    u.add("bookcase_glass", "wall-right", 200, width=800)
    u.add("bookcase_glass", "wall-right", 1000, width=800)
    u.add("vanity_wall_hung", "wall-storage-top", 900, side="left")              # bathroom
    u.add("shoe_cabinet_bench", "wall-hall-top", 1000)                           # hall
    u.add("wardrobe_hinged_1", "wall-hall-top", 380, width=550, depth=550)
    items = [i.model_copy(update={"placement": FreePlacement(x_mm=1500, y_mm=6700)}) if i.id == "item-bed1" else i
             for i in base.items]  # the bed leaves the walkway in front of the wardrobes
    return Design(name="Demo apartment, furnished", plan=base.plan, cabinets=[*base.cabinets, *u.cabinets],
                  items=items, settings=base.settings)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("docs/examples")
    for name, design in (("bedroom.json", bedroom_design()), ("hall.json", hall_design())):
        (out / name).write_text(design.model_dump_json(indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
