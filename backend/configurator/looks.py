"""How every finish looks: the physically based material of each catalog board, handle and room finish.

``assets/models/catalog/finishes.json`` says, per catalog material code and handle code, which
texture *pattern* it has (wood, lacquer, quartz, brushed metal…) with its roughness and metalness;
colours stay in the catalog (``materials.json``, ``hardware.json``), so a colour is said once.  The
room's own finishes (wall paint, floors by room type, frames, glass, appliances) carry their colour.

A :class:`Look` is plain data.  The generated textures for it (``backend.configurator.textures``)
are listed in ``assets/textures/manifest.json``; :class:`Looks` joins both so the scene writer
and the renderer ask one object "what does ``oak_veneer_19`` look like".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from backend.configurator.catalog import CATALOG_DIR, Catalog

Pattern = Literal["wood", "melamine", "lacquer_matt", "lacquer_gloss", "quartz", "compact", "brushed_metal",
                  "matt_metal", "paint", "floor_wood", "floor_tile", "glass", "plain"]
PATTERNS: tuple[str, ...] = Pattern.__args__  # type: ignore[attr-defined]
FINISHES_FILE = CATALOG_DIR / "finishes.json"
TEXTURE_DIR = CATALOG_DIR.parents[1] / "textures"
TEXTURE_URL = "textures/"
"""Image URIs in a GLB, relative to the viewers' resource path ``/static/`` (the web app serves
``assets/textures`` at ``/static/textures/``, content-hashed names cached for a year)."""

TILE_MM = {"wood": 800.0, "melamine": 400.0, "lacquer_matt": 400.0, "lacquer_gloss": 400.0, "quartz": 600.0,
           "compact": 400.0, "brushed_metal": 200.0, "matt_metal": 200.0, "paint": 1000.0, "floor_wood": 1200.0,
           "floor_tile": 1200.0, "glass": 1000.0, "plain": 1000.0}
"""Default size of one texture tile on the surface (mm): the texture repeats every this many mm."""


@dataclass(frozen=True)
class Look:
    """One finish as a PBR material: ``colour`` sRGB '#rrggbb', roughness and metalness 0..1."""

    name: str
    pattern: str
    colour: str
    roughness: float
    metallic: float = 0.0
    alpha: float = 1.0
    tile_mm: float = 1000.0
    params: dict[str, float] = field(default_factory=dict)
    textures: dict[str, str] = field(default_factory=dict)
    """Map name (``base``, ``normal``, ``mr``) → file name in ``assets/textures`` (empty: factors only)."""

    @property
    def grain(self) -> bool:
        return self.pattern in ("wood", "brushed_metal")


class Looks:
    """Every finish of a catalog, resolved: by material code, handle code or room finish name."""

    def __init__(self, looks: dict[str, Look], floors: dict[str, str], texture_dir: Path) -> None:
        self.looks = looks
        self.floors = floors
        self.texture_dir = texture_dir

    def material(self, code: str) -> Look:
        return self.looks[f"material:{code}"]

    def handle(self, code: str) -> Look:
        return self.looks[f"handle:{code}"]

    def fitting(self, code: str) -> Look:
        """A bought fitting drawn in 3D (a hanging rail, a wire basket…)."""
        return self.looks[f"fitting:{code}"]

    def room(self, name: str) -> Look:
        return self.looks[f"room:{name}"]

    def floor(self, room_type: str) -> Look:
        return self.room(self.floors.get(room_type, self.floors["default"]))

    def texture_bytes(self, file_name: str) -> bytes:
        return (self.texture_dir / file_name).read_bytes()


def _look(name: str, entry: dict[str, Any], colour: str) -> Look:
    pattern = str(entry["pattern"])
    if pattern not in PATTERNS:
        raise ValueError(f"finish '{name}': unknown pattern '{pattern}'")
    params = {k: float(v) for k, v in entry.items() if k in ("rings", "contrast")}
    return Look(name=name, pattern=pattern, colour=str(entry.get("colour", colour)),
                roughness=float(entry["roughness"]), metallic=float(entry.get("metallic", 0.0)),
                alpha=float(entry.get("alpha", 1.0)), tile_mm=float(entry.get("tile_mm", TILE_MM[pattern])),
                params=params)


def finish_entries(catalog: Catalog, path: Path = FINISHES_FILE) -> dict[str, Look]:
    """Every look the catalog needs, without textures: ``material:CODE``, ``handle:CODE``, ``fitting:CODE``
    (the fittings drawn in 3D, each with its colour), ``room:NAME``.

    Raises ``ValueError`` naming a catalog material or handle that has no finish entry.
    """
    data = json.loads(path.read_text())
    out: dict[str, Look] = {}
    for code, material in catalog.materials.items():
        if code not in data["materials"]:
            raise ValueError(f"material '{code}' has no entry in {path.name}")
        out[f"material:{code}"] = _look(code, data["materials"][code], material.colour)
    for code, handle in catalog.handles.items():
        if code not in data["handles"]:
            raise ValueError(f"handle '{code}' has no entry in {path.name}")
        out[f"handle:{code}"] = _look(code, data["handles"][code], handle.colour)
    for code, entry in data.get("fittings", {}).items():
        if code not in catalog.fittings:
            raise ValueError(f"{path.name}: fitting '{code}' is not in the catalog's hardware")
        out[f"fitting:{code}"] = _look(code, entry, "#c8cacc")
    for name, entry in data["room"].items():
        out[f"room:{name}"] = _look(name, entry, "#ffffff")
    return out


def floors_of(path: Path = FINISHES_FILE) -> dict[str, str]:
    floors: dict[str, str] = json.loads(path.read_text())["floors"]
    return floors


def load_looks(catalog: Catalog, texture_dir: Path = TEXTURE_DIR, path: Path = FINISHES_FILE) -> Looks:
    """The catalog's looks with their generated textures (``texture_dir/manifest.json``; none if absent)."""
    key = (catalog.version, texture_dir, path)
    if key not in _CACHE:
        _CACHE[key] = _load(catalog, texture_dir, path)
    return _CACHE[key]


_CACHE: dict[tuple[str, Path, Path], Looks] = {}


def _load(catalog: Catalog, texture_dir: Path, path: Path) -> Looks:
    manifest_path = texture_dir / "manifest.json"
    manifest: dict[str, dict[str, str]] = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    looks = {}
    for key, look in finish_entries(catalog, path).items():
        looks[key] = Look(**{**look.__dict__, "textures": manifest.get(key, {})})
    return Looks(looks, floors_of(path), texture_dir)
