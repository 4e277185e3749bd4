"""The catalog as data: cabinet families, materials, hardware and regional rule packs.

The catalog lives in ``assets/models/catalog/*.json`` and is validated at load by the pydantic
models below.  Lengths are millimetres, money is integer cents in the catalog's currency.
``Catalog.version`` combines the declared version with a hash of the files, so any edit of the
data changes it (derived meshes and prices are cached by it).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.design.interior import Zone as ZoneTree
from backend.errors import InvalidInput

CATALOG_DIR = Path(__file__).resolve().parents[2] / "assets" / "models" / "catalog"
CATALOG_FILES = ("catalog.json", "families.json", "home.json", "materials.json", "hardware.json", "rules.json")
"""``families.json`` holds the kitchen families, ``home.json`` the rest of the home (``home_families``)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Model):
    """Allowed values of one size in mm: ``min``..``max`` in steps of ``step`` from ``min``."""

    min: float = Field(gt=0)
    max: float = Field(gt=0)
    default: float
    step: float = Field(default=1, gt=0)

    @model_validator(mode="after")
    def _check(self) -> Range:
        if not self.min <= self.default <= self.max:
            raise ValueError(f"default {self.default} is outside {self.min}..{self.max}")
        return self

    def allows(self, value: float) -> bool:
        if value < self.min - 1e-6 or value > self.max + 1e-6:
            return False
        steps = (value - self.min) / self.step
        return abs(steps - round(steps)) < 1e-6


class OptionSpec(_Model):
    type: Literal["int", "choice", "bool", "str"]
    default: str | int | float | bool
    min: int | None = None
    max: int | None = None
    choices: list[str] | None = None


ZoneKind = Literal["door", "drawer", "lift", "open", "appliance"]


class Zone(_Model):
    """One horizontal band of a carcass, stacked bottom to top (see docs/construction.md)."""

    kind: ZoneKind
    count: int | Literal["auto"] = 1
    weight: float = Field(default=1, gt=0)
    height_option: str | None = None
    shelves: int = Field(default=0, ge=0, le=10)
    shelves_option: str | None = None


class SinkCutout(_Model):
    """A basin cut-out in the top panel (vanities): size in mm, centred in the width, set back."""

    width_mm: float = Field(gt=0)
    depth_mm: float = Field(gt=0)
    front_margin_mm: float = Field(default=60, ge=0)


class Recipe(_Model):
    """How a family is built.  Carcass families: ``top`` (a panel, rails, none, or lift-up ``lid``s on
    top), ``back`` (in a groove, in a ``rebate`` at the back edges, applied or none), what it stands on
    (``legs``, a ``plinth_mm`` high plinth, or ``hang``-ing on the wall), an optional ``top_box`` (a
    separate box ``options.top_box_mm`` high on top, up to the ceiling) and its interior: the kitchen
    ``zones`` (a stack of bands, bottom to top) or a zone tree (``interior``, see
    ``backend/design/interior.py``).  A kitchen stack is the tree of one horizontal split."""

    top: Literal["panel", "rails", "none", "lid"] = "panel"
    back: Literal["groove", "rebate", "applied", "none"] = "groove"
    legs: bool = False
    hang: bool = False
    plinth_mm: float = Field(default=0, ge=0, le=300)
    top_box: bool = False
    sink_cutout: SinkCutout | None = None
    interior: ZoneTree | None = None
    blind: bool = False
    bottom_cutout: bool = False
    zones: list[Zone] = Field(default_factory=list)
    panel_role: str | None = None
    panel_material: Literal["carcass", "front", "countertop"] = "carcass"
    thickness_axis: Literal["x", "y", "z"] = "x"
    grain_axis: Literal["x", "y", "z"] = "z"


Category = Literal["base", "wall", "tall", "panel", "worktop"]
RoomCategory = Literal["kitchen", "wardrobe", "living", "hall", "study", "bathroom", "bedroom"]
ROOM_CATEGORIES: tuple[RoomCategory, ...] = ("kitchen", "wardrobe", "living", "hall", "study", "bathroom",
                                             "bedroom")


class Family(_Model):
    code: str
    name: str
    category: Category
    """How the unit stands: base (on the floor), wall (hung), tall, panel, worktop."""
    room: RoomCategory = "kitchen"
    """Where it belongs in a home: the catalog's grouping (``roomwright catalog``)."""
    noun: str | None = None
    """The word for it in findings (a key of ``wording.NOUNS``); by default from its category."""
    elevation_mm: float | None = Field(default=None, ge=0)
    """Where it stands by default (mm above the floor); None: by its category and the rule pack."""
    body: Literal["carcass", "l_corner", "panel", "filler"] = "carcass"
    appliance: Literal["sink", "hob", "oven", "fridge", "hood"] | None = None
    width: Range
    height: Range
    depth: Range
    options: dict[str, OptionSpec] = Field(default_factory=dict)
    recipe: Recipe

    @model_validator(mode="after")
    def _check_options(self) -> Family:
        for zone in self.recipe.zones:
            for name in (zone.height_option, zone.shelves_option):
                if name is not None and name not in self.options:
                    raise ValueError(f"family {self.code}: zone refers to unknown option '{name}'")
        if self.recipe.top_box and "top_box_mm" not in self.options:
            raise ValueError(f"family {self.code}: a top box needs the option top_box_mm")
        if self.body in ("panel", "filler") and self.recipe.panel_role is None:
            raise ValueError(f"family {self.code}: a panel family needs recipe.panel_role")
        return self

    @property
    def has_fronts(self) -> bool:
        if self.recipe.interior is not None:
            return True
        return any(z.kind in ("door", "drawer", "lift") for z in self.recipe.zones)


class BoardSize(_Model):
    length_mm: float = Field(gt=0)
    width_mm: float = Field(gt=0)


class Material(_Model):
    code: str
    name: str
    kind: Literal["carcass", "front", "back", "countertop"]
    thickness_mm: float = Field(gt=0, le=100)
    grain: bool
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    texture: str | None = None
    board_sizes: list[BoardSize] = Field(min_length=1)
    price_per_sheet_cents: int | None = Field(default=None, ge=0)
    price_per_m2_cents: int = Field(ge=0)
    price_per_m_cents: int | None = Field(default=None, ge=0)
    max_length_mm: float | None = None
    modulus_mpa: float | None = Field(default=None, gt=0)
    """Long-term bending modulus (MPa) for the shelf-sag rule; None: not used for shelves."""
    density_kg_m3: float = Field(default=700, gt=0)
    """For the weight of doors (hinges per door)."""
    edge_band: str | None = None
    styles: list[str] = Field(default_factory=list)
    """Design styles a front belongs to (modern, Nordic, Chinese…), for browsing the catalog by style."""


class EdgeBand(_Model):
    code: str
    name: str
    thickness_mm: float = Field(gt=0)
    width_mm: float = Field(gt=0)
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    price_per_m_cents: int = Field(ge=0)


class Handle(_Model):
    code: str
    article: str
    name: str
    hole_spacing_mm: float = Field(ge=0)
    length_mm: float = Field(ge=0)
    projection_mm: float = Field(ge=0)
    colour: str
    price_cents: int = Field(ge=0)


class Hinge(_Model):
    code: str
    article: str
    name: str
    opening_deg: float
    price_cents: int = Field(ge=0)


class Slide(_Model):
    code: str
    article: str
    name: str
    lengths_mm: list[int] = Field(min_length=1)
    side_clearance_mm: float = Field(gt=0)
    price_cents: int = Field(ge=0)


class Leg(_Model):
    code: str
    article: str
    name: str
    min_height_mm: float
    max_height_mm: float
    price_cents: int = Field(ge=0)


class Fitting(_Model):
    code: str
    article: str
    name: str
    category: str
    price_cents: int = Field(ge=0)


class CountRule(_Model):
    max_height_mm: float | None = None
    max_width_mm: float | None = None
    count: int = Field(ge=1)


class Construction(_Model):
    """Global construction parameters (frameless 32 mm system), see docs/construction.md."""

    back_material: str
    back_inset_mm: float = Field(ge=0)
    groove_depth_mm: float = Field(gt=0)
    front_gap_mm: float = Field(ge=0)
    rail_width_mm: float = Field(gt=0)
    shelf_front_setback_mm: float = Field(ge=0)
    shelf_side_clearance_mm: float = Field(ge=0)
    drawer_box_material: str
    drawer_bottom_material: str
    drawer_top_clearance_mm: float
    drawer_bottom_clearance_mm: float
    drawer_min_box_height_mm: float
    drawer_box_max_height_mm: float
    system32_first_hole_mm: float
    system32_setback_mm: float
    system32_pitch_mm: float
    system32_hole_diameter_mm: float
    system32_hole_depth_mm: float
    hinge_cup_diameter_mm: float
    hinge_cup_depth_mm: float
    hinge_cup_edge_mm: float
    hinge_end_offset_mm: float
    handle_edge_offset_mm: float
    default_hinge: str
    default_slide: str
    default_leg: str
    shelf_pin: str
    connector: str
    dowel: str
    wall_hanger: str
    lift_stay: str
    bifold_hinge: str
    legs_per_width: list[CountRule]
    hinges_per_door_height: list[CountRule]
    sliding_track_pitch_mm: float = Field(default=28, gt=0)
    """Depth per track of a sliding-door track (a leaf and its running clearance)."""
    sliding_track_margin_mm: float = Field(default=12, ge=0)
    """Depth of the track's profile in front of and behind its channels."""
    internal_drawer_setback_mm: float = Field(default=65, ge=0)
    """How far an internal drawer stands back from the door, for the hinges and the door's thickness: behind
    the body of a 170° hinge (60 mm deep behind the door, assets/models/machining/hardware_machining.json),
    which the factory's machining check otherwise finds running into the drawer's sides."""
    rail_drop_mm: float = Field(default=60, ge=0)
    """How far below the zone's top a hanging rail's centre sits."""
    plinth_setback_mm: float = Field(default=40, ge=0)
    """How far a carcass's own plinth board stands back from the carcass front."""
    shoe_shelf_min_pitch_mm: float = Field(default=120, gt=0)
    shoe_shelf_front_setback_mm: float = Field(default=60, ge=0)
    shoe_shelf_slope_deg: float = Field(default=15, ge=0, le=30)
    """How far the shoe-shelf brackets tilt a shoe shelf (its back up); drawn so in 3D, the board is cut flat."""
    push_latch: str = "none_push"
    """The handle code of push-to-open fronts."""
    glass_front_material: str = "glass_framed_18"
    anti_tip: str = "anti_tip_bracket"
    hanging_rail: str = "wardrobe_rail"
    trouser_rack: str = "trouser_rack_pullout"
    wire_basket: str = "wire_basket_pullout"
    shoe_bracket: str = "shoe_shelf_bracket"
    sliding_track: str = "sliding_track_set"
    sliding_rollers: str = "sliding_roller_set"
    lid_stay: str = "lid_gas_stay"
    machining_cents_per_panel: int = Field(ge=0)
    assembly_cents_per_cabinet: int = Field(ge=0)


class Rule(_Model):
    value_mm: float
    source: str


class RulePack(_Model):
    region: Literal["CN", "EU", "US"]
    name: str
    worktop_height_mm: Rule
    plinth_height_mm: Rule
    base_depth_mm: Rule
    base_height_mm: Rule
    wall_unit_bottom_above_worktop_mm: Rule
    wall_unit_depth_mm: Rule
    tall_height_mm: Rule
    aisle_min_mm: Rule
    work_triangle_min_mm: Rule
    work_triangle_max_mm: Rule
    dishwasher_sink_max_mm: Rule
    corner_filler_min_mm: Rule
    door_clearance_mm: Rule
    hob_window_rule: Rule

    @property
    def wall_unit_elevation_mm(self) -> float:
        """Height of the underside of wall units above the floor."""
        return self.worktop_height_mm.value_mm + self.wall_unit_bottom_above_worktop_mm.value_mm


class CabinetRules(_Model):
    """Limits of the cabinet engineering rules (``cabinet_rules.py``; their sources are named there)."""

    shelf_load_kg_per_m2: float = 50
    """The stated load on a shelf: general storage."""
    book_load_kg_per_m2: float = 100
    """The stated load on a living-room or study shelf: books."""
    shelf_span_ratio: float = 300
    """A shelf may sag at most its span / this."""
    door_max_width_mm: float = 600
    door_max_height_mm: float = 2400
    hinge_capacity_kg: float = 5
    sliding_leaf_max_width_mm: float = 1200
    sliding_overlap_min_mm: float = 30
    long_hang_min_mm: float = 1400
    short_hang_min_mm: float = 900
    rail_depth_min_mm: float = 530
    wall_fixing_height_mm: float = 1600
    tilt_clearance_mm: float = 50
    """Room kept between a unit's diagonal and the ceiling when it is stood up."""
    walkway_min_mm: float = 600
    door_swing_margin_mm: float = 100
    """Clear space in front of a hinged door beyond its leaf width."""


class Catalog(_Model):
    version: str
    currency: str
    construction: Construction
    families: dict[str, Family]
    materials: dict[str, Material]
    edge_bands: dict[str, EdgeBand]
    handles: dict[str, Handle]
    hinges: dict[str, Hinge]
    slides: dict[str, Slide]
    legs: dict[str, Leg]
    fittings: dict[str, Fitting]
    rule_packs: dict[str, RulePack]
    cabinet_rules: CabinetRules = Field(default_factory=CabinetRules)

    @model_validator(mode="after")
    def _check_references(self) -> Catalog:
        c = self.construction
        for code in (c.back_material, c.drawer_box_material, c.drawer_bottom_material):
            if code not in self.materials:
                raise ValueError(f"construction refers to unknown material '{code}'")
        for code in (c.shelf_pin, c.connector, c.dowel, c.wall_hanger, c.lift_stay, c.anti_tip, c.hanging_rail,
                     c.trouser_rack, c.wire_basket, c.shoe_bracket, c.sliding_track, c.sliding_rollers, c.lid_stay):
            if code not in self.fittings:
                raise ValueError(f"construction refers to unknown fitting '{code}'")
        if c.glass_front_material not in self.materials or c.push_latch not in self.handles:
            raise ValueError("construction refers to an unknown glass front material or push latch")
        if c.default_hinge not in self.hinges or c.bifold_hinge not in self.hinges:
            raise ValueError("construction refers to an unknown hinge")
        if c.default_slide not in self.slides or c.default_leg not in self.legs:
            raise ValueError("construction refers to an unknown slide or leg")
        for mat in self.materials.values():
            if mat.edge_band is not None and mat.edge_band not in self.edge_bands:
                raise ValueError(f"material {mat.code} refers to unknown edge band '{mat.edge_band}'")
        return self

    # -- look-ups that raise InvalidInput naming the field at fault --------------------------------

    def family(self, code: str, field: str = "family") -> Family:
        try:
            return self.families[code]
        except KeyError:
            raise InvalidInput(f"unknown cabinet family '{code}'", field=field) from None

    def material(self, code: str, field: str, kinds: tuple[str, ...] | None = None) -> Material:
        mat = self.materials.get(code)
        if mat is None:
            raise InvalidInput(f"unknown material '{code}'", field=field)
        if kinds is not None and mat.kind not in kinds:
            raise InvalidInput(f"material '{code}' is a {mat.kind} material, expected {'/'.join(kinds)}",
                               field=field)
        return mat

    def handle(self, code: str, field: str = "handle") -> Handle:
        try:
            return self.handles[code]
        except KeyError:
            raise InvalidInput(f"unknown handle '{code}'", field=field) from None

    def rules(self, region: str) -> RulePack:
        try:
            return self.rule_packs[region]
        except KeyError:
            raise InvalidInput(f"no rule pack for region '{region}'", field="settings.region") from None


def _keyed(items: list[dict[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in items:
        key = str(item.get("code", item.get("region")))
        if key in out:
            raise ValueError(f"catalog code '{key}' is defined twice")
        out[key] = item
    return out


def _read(path: Path) -> tuple[dict[str, object], str]:
    digest = hashlib.sha256()
    data: dict[str, object] = {}
    for name in CATALOG_FILES:
        raw = (path / name).read_bytes()
        digest.update(raw)
        data.update(json.loads(raw))
    return data, digest.hexdigest()[:12]


@lru_cache(maxsize=8)
def _load(path: Path) -> Catalog:
    data, digest = _read(path)
    data["families"] = [*data["families"], *data.pop("home_families", [])]  # type: ignore[misc]
    hardware_lists = ("families", "materials", "edge_bands", "handles", "hinges", "slides", "legs",
                      "fittings", "rule_packs")
    for key in hardware_lists:
        data[key] = _keyed(data[key])  # type: ignore[arg-type]
    data["version"] = f"{data['version']}+{digest}"
    return Catalog.model_validate(data)


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Load and validate the catalog folder (default ``assets/models/catalog``); cached per path."""
    return _load(Path(path) if path is not None else CATALOG_DIR)
