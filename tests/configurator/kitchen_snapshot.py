"""The snapshot of every kitchen family's panels, hardware and price (used by test_kitchen_snapshot).

``python -m tests.configurator.kitchen_snapshot`` rewrites ``snapshots/kitchen_families.json``; it was
written from the code before the kitchen recipes became presets of the general cabinet model, and is
only to be rewritten on purpose (a fixed bug), saying so in the commit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from backend.bom.pricing import quote
from backend.configurator.catalog import Catalog, Family, load_catalog
from backend.configurator.construction import Panel, build_cabinet
from backend.design.model import Design, DesignSettings, FreePlacement, PlacedCabinet

SNAPSHOT = Path(__file__).with_name("snapshots") / "kitchen_families.json"

ELEVATIONS = {"base": 100.0, "tall": 150.0}


def kitchen_families(catalog: Catalog) -> list[Family]:
    return [f for f in catalog.families.values() if f.room == "kitchen"]


def _sizes(catalog: Catalog, family: Family, which: str) -> dict[str, float]:
    settings = DesignSettings()
    sizes = {dim: float(getattr(getattr(family, dim), which)) for dim in ("width", "height", "depth")}
    if family.body == "panel":
        code = {"front": settings.front_material, "carcass": settings.carcass_material}.get(
            family.recipe.panel_material, settings.countertop_material)
        sizes[{"x": "width", "y": "depth", "z": "height"}[family.recipe.thickness_axis]] = (
            catalog.materials[code].thickness_mm)
    return sizes


def _panel(p: Panel) -> dict[str, Any]:
    """A panel as data; its machining (hundreds of drill points) as a digest of the exact values."""
    data = dataclasses.asdict(p)
    ops = json.dumps([{k: float(v) if isinstance(v, int) else v for k, v in op.items()} for op in data.pop("ops")],
                     sort_keys=True)  # 0 and 0.0 are the same value
    data["ops_count"] = len(p.ops)
    data["ops_sha256"] = hashlib.sha256(ops.encode()).hexdigest()[:16]
    return data


def snapshot(catalog: Catalog) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for family in kitchen_families(catalog):
        for which in ("min", "default", "max"):
            s = _sizes(catalog, family, which)
            cab = PlacedCabinet(id="cab-1", family=family.code, width_mm=s["width"], height_mm=s["height"],
                                depth_mm=s["depth"], elevation_mm=ELEVATIONS.get(family.category, 0.0),
                                placement=FreePlacement(x_mm=0, y_mm=0))
            build = build_cabinet(cab, catalog, DesignSettings())
            q = quote(Design(cabinets=[cab]), catalog)
            out[f"{family.code}@{which}"] = {
                "panels": [_panel(p) for p in build.panels],
                "hardware": [dataclasses.asdict(h) for h in build.hardware],
                "total_cents": q.total_cents,
            }
    return json.loads(json.dumps(out))  # tuples → lists, as read back from the file


if __name__ == "__main__":
    text = json.dumps(snapshot(load_catalog()), sort_keys=True, separators=(",", ":"))
    SNAPSHOT.write_text(text.replace('},{"', '},\n{"') + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
