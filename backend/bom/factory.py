"""Factory production profiles (``assets/models/factory/profiles.json``), validated (pure).

A profile says which line cuts the boards — ``saw`` (the panel saw's 3-stage guillotine,
``backend.bom.nesting``) or ``router`` (free nesting on a CNC router, ``backend.bom.nesting.router``)
— and holds that line's numbers: kerf, trims, guillotine stages, the router's tool diameter and
small-part rules, the stock sizes per material (several; the catalog's board sizes when a material
has none here), remnants from earlier orders (each with a quantity; both lines use them before a new
sheet), and the DXF layer template.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backend.bom import nesting
from backend.bom.machining.layers import template
from backend.bom.nesting import Stock
from backend.bom.nesting.router import RouterResult, RouterSettings, nest_router
from backend.bom.parts import PartsList, nested_materials
from backend.configurator.catalog import Catalog
from backend.errors import InvalidInput
from backend.i18n import SUPPORTED

PROFILES_PATH = Path(__file__).resolve().parents[2] / "assets" / "models" / "factory" / "profiles.json"
Mode = Literal["saw", "router"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StockSize(_Model):
    length_mm: float = Field(gt=0)
    width_mm: float = Field(gt=0)


class Remnant(StockSize):
    id: str = Field(min_length=1)
    material: str
    quantity: int = Field(default=1, ge=1)
    """Pieces of this size kept under this label; each is used once (labelled ``ID/1``, ``ID/2``… when
    there are several)."""

    def labels(self) -> list[str]:
        return [self.id] if self.quantity == 1 else [f"{self.id}/{n}" for n in range(1, self.quantity + 1)]


class FactoryProfile(_Model):
    code: str
    name: str
    mode: Mode
    kerf_mm: float = Field(ge=0)
    trim_mm: float = Field(ge=0)
    stages: int = Field(ge=2, le=4)
    tool_diameter_mm: float = Field(gt=0)
    small_side_mm: float = Field(ge=0)
    small_area_mm2: float = Field(ge=0)
    small_margin_mm: float = Field(ge=0)
    dxf_layers: str | dict[str, str] = "roomwright"
    stock: dict[str, list[StockSize]] = Field(default_factory=dict)
    remnants: list[Remnant] = Field(default_factory=list)
    locale: str | None = None
    """The language of the order package's human-readable files (labels, assembly and nesting sheets,
    the cut list's words): a supported locale (``en``, ``zh_Hans``), or None for the order's language."""

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str | None) -> str | None:
        if value is not None and value not in SUPPORTED:
            raise ValueError(f"locale must be one of {', '.join(SUPPORTED)} or empty (the order's language)")
        return value

    def model_post_init(self, __context: object) -> None:
        template(self.dxf_layers)  # an unknown preset or key is refused at load

    def saw_settings(self, effort: int = 1) -> nesting.NestSettings:
        return nesting.NestSettings(trim=self.trim_mm, kerf=self.kerf_mm, stages=self.stages, effort=effort)

    def router_settings(self) -> RouterSettings:
        return RouterSettings(trim=self.trim_mm, spacing=self.tool_diameter_mm, small_side_mm=self.small_side_mm,
                              small_area_mm2=self.small_area_mm2, small_margin=self.small_margin_mm)

    def sizes(self, catalog: Catalog, material: str) -> list[nesting.Board]:
        """Stock sizes of ``material``: the profile's, else the catalog's."""
        own = self.stock.get(material)
        if own:
            return [nesting.Board(s.length_mm, s.width_mm) for s in own]
        return [nesting.Board(s.length_mm, s.width_mm) for s in catalog.materials[material].board_sizes]

    def stocks(self, catalog: Catalog, material: str) -> list[Stock]:
        """The boards of ``material`` for either line: its remnants first (one ``Stock`` per piece), then
        its stock sizes."""
        rem = [Stock(nesting.Board(r.length_mm, r.width_mm), label)
               for r in self.remnants if r.material == material for label in r.labels()]
        return [*rem, *(Stock(b) for b in self.sizes(catalog, material))]


class FactoryProfiles(_Model):
    default: str
    profiles: list[FactoryProfile]

    def get(self, code: str | None = None) -> FactoryProfile:
        want = code or self.default
        for p in self.profiles:
            if p.code == want:
                return p
        raise InvalidInput(f"unknown factory profile {want!r} (known: {', '.join(p.code for p in self.profiles)})",
                           field="profile")


@lru_cache(maxsize=4)
def _load(path: Path) -> FactoryProfiles:
    with path.open(encoding="utf-8") as f:
        data = json.load(f)
    data.pop("about", None)
    return FactoryProfiles.model_validate(data)


def load_profiles(path: Path | str | None = None) -> FactoryProfiles:
    return _load(Path(path) if path is not None else PROFILES_PATH)


def parse_profile(data: object, code: str) -> FactoryProfile:
    """A profile from plain data (an edit by the factory) for ``code``; bad data raises
    ``InvalidInput`` naming the first field at fault."""
    if not isinstance(data, dict):
        raise InvalidInput("a factory profile is a JSON object", field="profile")
    try:
        return FactoryProfile.model_validate({**data, "code": code})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "profile"
        raise InvalidInput(f"{where}: {err['msg']}", field=where) from None


def profile(code: str | None = None, *, mode: Mode | None = None) -> FactoryProfile:
    """A profile by code (default: the file's default), its mode optionally overridden."""
    p = load_profiles().get(code)
    return p if mode is None or mode == p.mode else p.model_copy(update={"mode": mode})


def nest_router_parts(plist: PartsList, catalog: Catalog, prof: FactoryProfile) -> RouterResult:
    """The router's nesting of the board parts (worktops excluded, as for the saw), named by part id:
    each material on its remnants first, then its stock sizes."""
    items = [nesting.Part(p.id, p.cut_length_mm, p.cut_width_mm, p.grain == "locked", p.material)
             for p in plist.parts if p.material in set(nested_materials(catalog, [q.material for q in plist.parts]))]
    stocks = {m: prof.stocks(catalog, m) for m in {p.material for p in items}}
    return nest_router(items, stocks, prof.router_settings())
