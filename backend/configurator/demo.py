"""A realistic demo design: an 8-room apartment (12 × 9 m) with an L-shaped kitchen.

Used by the seed command, the tests and the benchmark.  ``demo_design()`` has an L-shaped kitchen
of 16 catalog units (base, tall, corner, wall, filler, worktops) plus a dishwasher;
``demo_design(large=True)`` turns it into a U-shaped kitchen of 24 units (the benchmark's kitchen).
"""

from __future__ import annotations

from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.placement import default_elevation
from backend.design.model import (
    Design,
    DesignSettings,
    Door,
    FloorPlan,
    FreePlacement,
    OptionValue,
    PlacedCabinet,
    PlacedItem,
    Point,
    Room,
    Wall,
    WallPlacement,
    Window,
)

EXTERIOR_MM = 200
INTERIOR_MM = 100


def _wall(wall_id: str, a: tuple[float, float], b: tuple[float, float], thickness: float,
          openings: list[Door | Window] | None = None) -> Wall:
    return Wall(id=wall_id, start=Point(x=a[0], y=a[1]), end=Point(x=b[0], y=b[1]), thickness_mm=thickness,
                openings=openings or [])


def _room(room_id: str, name: str, kind: str, x0: float, y0: float, x1: float, y1: float) -> Room:
    pts = [Point(x=x0, y=y0), Point(x=x1, y=y0), Point(x=x1, y=y1), Point(x=x0, y=y1)]
    return Room(id=room_id, name=name, type=kind, polygon=pts)


def demo_plan() -> FloorPlan:
    """The apartment: walls on their centrelines, rooms on the wall centrelines."""
    walls = [
        _wall("wall-top-1", (0, 0), (3600, 0), EXTERIOR_MM,
              [Window(id="win-kitchen", offset_mm=1200, width_mm=1200, height_mm=1300, sill_mm=1000)]),
        _wall("wall-top-2", (3600, 0), (7200, 0), EXTERIOR_MM, [Window(id="win-dining", offset_mm=1000,
                                                                       width_mm=1600)]),
        _wall("wall-top-3", (7200, 0), (12000, 0), EXTERIOR_MM, [Window(id="win-living", offset_mm=1200,
                                                                        width_mm=2400, sill_mm=500)]),
        _wall("wall-right", (12000, 0), (12000, 9000), EXTERIOR_MM, [Window(id="win-bed2", offset_mm=6000,
                                                                            width_mm=1500)]),
        _wall("wall-bottom", (12000, 9000), (0, 9000), EXTERIOR_MM, [Window(id="win-bed1", offset_mm=9600,
                                                                            width_mm=1400)]),
        _wall("wall-left-1", (0, 9000), (0, 3200), EXTERIOR_MM),
        _wall("wall-left-2", (0, 3200), (0, 0), EXTERIOR_MM),
        _wall("wall-kitchen-dining", (3600, 0), (3600, 3200), INTERIOR_MM),
        _wall("wall-hall-top", (0, 3200), (7200, 3200), INTERIOR_MM,
              [Door(id="door-kitchen", offset_mm=2600, width_mm=800, hinge="start", swing="left"),
               Door(id="door-dining", offset_mm=4400, width_mm=1400, swing="none")]),
        _wall("wall-living-left", (7200, 0), (7200, 4400), INTERIOR_MM,
              [Door(id="door-living", offset_mm=3400, width_mm=900, swing="none")]),
        _wall("wall-hall-bottom", (0, 4400), (12000, 4400), INTERIOR_MM,
              [Door(id="door-bed1", offset_mm=2600, width_mm=800, swing="right"),
               Door(id="door-bath", offset_mm=4400, width_mm=700, swing="right"),
               Door(id="door-bed2", offset_mm=6000, width_mm=800, swing="right")]),
        _wall("wall-bed1-right", (3600, 4400), (3600, 9000), INTERIOR_MM),
        _wall("wall-bath-right", (5400, 4400), (5400, 9000), INTERIOR_MM),
        _wall("wall-storage-top", (3600, 6800), (5400, 6800), INTERIOR_MM,
              [Door(id="door-storage", offset_mm=500, width_mm=700, swing="right")]),
    ]
    rooms = [
        _room("room-kitchen", "Kitchen", "kitchen", 0, 0, 3600, 3200),
        _room("room-dining", "Dining", "dining", 3600, 0, 7200, 3200),
        _room("room-living", "Living room", "living", 7200, 0, 12000, 4400),
        _room("room-hall", "Hall", "hall", 0, 3200, 7200, 4400),
        _room("room-bed1", "Bedroom 1", "bedroom", 0, 4400, 3600, 9000),
        _room("room-bath", "Bathroom", "bathroom", 3600, 4400, 5400, 6800),
        _room("room-storage", "Storage", "storage", 3600, 6800, 5400, 9000),
        _room("room-bed2", "Bedroom 2", "bedroom", 5400, 4400, 12000, 9000),
    ]
    return FloorPlan(walls=walls, rooms=rooms)


class _Kitchen:
    def __init__(self, catalog: Catalog, settings: DesignSettings) -> None:
        self.catalog = catalog
        self.rules = catalog.rules(settings.region)
        self.cabinets: list[PlacedCabinet] = []

    def add(self, family: str, wall: str, offset: float, width: float, *, height: float | None = None,
            depth: float | None = None, elevation: float | None = None, **options: OptionValue) -> None:
        fam = self.catalog.families[family]
        h = height if height is not None else fam.height.default
        elev = elevation if elevation is not None else default_elevation(fam, self.rules, h)
        self.cabinets.append(PlacedCabinet(
            id=f"cab-{len(self.cabinets) + 1}", family=family, width_mm=width, height_mm=h,
            depth_mm=depth if depth is not None else fam.depth.default,
            elevation_mm=elev, placement=WallPlacement(wall_id=wall, offset_mm=offset, side="right"),
            options=dict(options)))

    def add_free(self, family: str, x: float, y: float, rotation: float, width: float, *, height: float,
                 depth: float, elevation: float = 0.0) -> None:
        self.cabinets.append(PlacedCabinet(
            id=f"cab-{len(self.cabinets) + 1}", family=family, width_mm=width, height_mm=height, depth_mm=depth,
            elevation_mm=elevation, placement=FreePlacement(x_mm=x, y_mm=y, rotation_deg=rotation)))


def demo_design(large: bool = False, catalog: Catalog | None = None) -> Design:
    """The demo apartment with its kitchen (see the module docstring)."""
    catalog = catalog or load_catalog()
    settings = DesignSettings()
    k = _Kitchen(catalog, settings)
    top, left, right = "wall-top-1", "wall-left-2", "wall-kitchen-dining"
    # base run under the window wall; the sink sits under the window (1200–2400)
    k.add("corner_blind_base", top, 100, 1100, blind_width_mm=650, blind_side="left")
    k.add("base_sink", top, 1200, 800)
    k.add("base_3_drawers", top, 2600, 600)
    k.add("base_1_door", top, 3200, 350)
    # the left wall, from the hall towards the corner: fridge, oven, hob, drawers, filler
    k.add("tall_fridge", left, 50, 600)
    k.add("tall_oven", left, 650, 600)
    k.add("base_hob_drawers", left, 1250, 800)
    k.add("base_2_drawers", left, 2050, 400)
    plinth = k.rules.plinth_height_mm.value_mm
    k.add("filler", left, 2450, 72, elevation=plinth)
    # wall units
    k.add("corner_blind_wall", top, 100, 700, blind_width_mm=400, blind_side="left")
    k.add("wall_2_doors", top, 2750, 800)
    k.add("wall_hood", left, 1350, 600)
    k.add("wall_1_door", left, 1950, 450)
    # worktops (quartz slabs are at most 3.2 m)
    k.add("countertop", top, 100, 2200, sink_center_mm=1500)
    k.add("countertop", top, 2300, 1250)
    k.add("countertop", left, 1250, 1250, hob_center_mm=400)
    if large:  # a third run, clear of the corner unit's door and of the kitchen door's swing
        k.add("base_2_doors", right, 1100, 800)
        k.add("base_1_door", right, 1900, 300)
        k.add("end_panel", right, 2200, 18, height=plinth + 720 + 20, elevation=0)
        k.add("wall_2_doors", right, 1100, 800)
        k.add("wall_open", right, 1900, 300)
        k.add("countertop", right, 1100, 1100)
        # plinth boards 40 mm behind the base fronts (free-standing boards on the floor)
        front = 100 + 578 - 40 - 18
        k.add_free("plinth", 100, front, 0, 1900, height=plinth, depth=18)
        k.add_free("plinth", 2600, front, 0, 950, height=plinth, depth=18)
        k.add_free("plinth", front, 1950, -90, 1200, height=plinth, depth=18)
    items = [
        PlacedItem(id="item-dishwasher", kind="dishwasher", width_mm=600, height_mm=820, depth_mm=560,
                   placement=WallPlacement(wall_id=top, offset_mm=2000, side="right")),
        PlacedItem(id="item-table", kind="table", width_mm=1600, height_mm=750, depth_mm=900,
                   placement=FreePlacement(x_mm=4600, y_mm=1200)),
        PlacedItem(id="item-sofa", kind="sofa", width_mm=2400, height_mm=800, depth_mm=950,
                   placement=FreePlacement(x_mm=10800, y_mm=3100, rotation_deg=180)),
        PlacedItem(id="item-bed1", kind="bed", width_mm=1600, height_mm=500, depth_mm=2100,
                   placement=FreePlacement(x_mm=1000, y_mm=6700, rotation_deg=0)),
    ]
    name = "Demo apartment, U-shaped kitchen" if large else "Demo apartment, L-shaped kitchen"
    return Design(name=name, plan=demo_plan(), cabinets=k.cabinets, items=items, settings=settings)


def fifty_cabinet_design(catalog: Catalog | None = None) -> Design:
    """The U-shaped demo kitchen plus storage units in the living room and a bedroom: 50 units."""
    catalog = catalog or load_catalog()
    design = demo_design(large=True, catalog=catalog)
    k = _Kitchen(catalog, design.settings)
    k.cabinets = list(design.cabinets)
    for i in range(7):  # living room: a sideboard run with wall units above, along the right wall
        k.add("base_2_doors", "wall-right", 100 + 600 * i, 600)
        k.add("wall_2_doors", "wall-right", 100 + 600 * i, 600)
    for i in range(10):  # bedroom 2: a wall of wardrobes along the bottom wall
        k.add("tall_pantry", "wall-bottom", 150 + 600 * i, 600)
    k.add("base_1_door", "wall-right", 4500, 500)
    return design.model_copy(update={"cabinets": k.cabinets, "name": "Demo apartment, 50 units"})
