"""Cabinet construction: a placed cabinet resolves into its panels and hardware (pure).

The panel list is the one truth shared by the 3D view (``mesh.py``) and the factory (``backend.bom``).
Rules are documented in ``docs/construction.md``.  The types live in ``panels.py`` and are
re-exported here; the builder in ``builder.py``; the recipes in ``recipes.py``.

Cabinet frame (mm): x along the width from the cabinet's left side (seen from the front),
y depth from the back (y = 0 at the wall) towards the front, z up from the cabinet's underside.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from dataclasses import replace

from backend.configurator.builder import Builder, check_sizes, resolve_options
from backend.configurator.cabinet import CabinetEngine, ZoneLayout, interior_of
from backend.configurator.catalog import Catalog
from backend.configurator.panels import AXES, Axis, Box, CabinetBuild, EdgeBands, HardwareLine, Op, Panel, Vec
from backend.configurator.recipes import filler, hinge_count, l_corner, single_panel
from backend.design.interior import Zone
from backend.design.model import DesignSettings, PlacedCabinet
from backend.errors import InvalidInput

__all__ = ["AXES", "Axis", "Box", "CabinetBuild", "EdgeBands", "HardwareLine", "Op", "Panel", "Vec",
           "ZoneLayout", "build_cabinet", "cached_build_cabinet", "check_sizes", "hinge_count", "interior_tree",
           "resolve_options"]


def interior_tree(cab: PlacedCabinet, catalog: Catalog, settings: DesignSettings) -> Zone:
    """A carcass cabinet's zone tree: its own, else its preset's (a kitchen stack as one split)."""
    b = Builder(cab, catalog, settings)
    if b.family.body != "carcass":
        raise InvalidInput(f"{b.family.name} has no interior to arrange", field="interior")
    return interior_of(b)


def build_cabinet(cab: PlacedCabinet, catalog: Catalog, settings: DesignSettings) -> CabinetBuild:
    """Resolve a placed cabinet into its panels and hardware.

    Raises :class:`InvalidInput` naming the field at fault (``width_mm``, ``options.shelves``, ...)
    when the family, an option, a material or a size is not possible.
    """
    b = Builder(cab, catalog, settings)
    body = b.family.body
    if cab.interior is not None and body != "carcass":
        raise InvalidInput(f"{b.family.name} has no interior to arrange", field="interior")
    if body == "carcass":
        zones = CabinetEngine(b).build()
        return replace(b.result(), zones=tuple(zones))
    if body == "l_corner":
        l_corner(b)
    elif body == "filler":
        filler(b)
    else:
        single_panel(b)
    return b.result()


_BUILDS: OrderedDict[tuple[str, str, str], CabinetBuild | InvalidInput] = OrderedDict()
_BUILDS_LOCK = threading.Lock()
BUILD_CACHE_SIZE = 1024
"""How many builds (or refusals) :func:`cached_build_cabinet` keeps, least recently used first out."""


def cached_build_cabinet(cab: PlacedCabinet, catalog: Catalog, settings: DesignSettings) -> CabinetBuild:
    """:func:`build_cabinet`, cached by content: the cabinet's parameters (all but its placement in the
    plan; its elevation chooses its legs), the design defaults and the catalog version.  A cabinet the
    catalog refuses raises the same :class:`InvalidInput` every time.  The scene and the validation share
    it, so after an edit the edited cabinet is built once and the others not at all.  The build is
    shared: treat it as read-only (it is a frozen value)."""
    key = (catalog.version, cab.model_dump_json(exclude={"placement"}), settings.model_dump_json())
    with _BUILDS_LOCK:  # requests validate and draw scenes in threads; the build itself runs outside the lock
        found = _BUILDS.get(key)
        if found is not None:
            _BUILDS.move_to_end(key)
    if found is None:
        try:
            found = build_cabinet(cab, catalog, settings)
        except InvalidInput as err:
            found = err
        with _BUILDS_LOCK:
            _BUILDS[key] = found
            if len(_BUILDS) > BUILD_CACHE_SIZE:
                _BUILDS.popitem(last=False)
    if isinstance(found, InvalidInput):
        raise dataclasses.replace(found)
    return found


def clear_build_cache() -> None:
    """Forget every cached build (a cold start, for benchmarks)."""
    with _BUILDS_LOCK:
        _BUILDS.clear()
