"""Whole-apartment benchmark: the furnished demo apartment (kitchen, three bedrooms' wardrobes, study, TV unit
and bookcases, vanity, hall; ≥ 40 units, ``configurator.home_demo.apartment_design``): scene GLB cold (no
cached builds or fragments) and after one edit (an insert changed in one wardrobe's zone tree), validation
(cold, after the edit once the scene has built the edited cabinet, and after an edit validated before any
scene build), GLB size.  Wall-clock milliseconds, plus the process CPU milliseconds of the same runs (steadier
on a loaded machine).  See README.md for the figures.

Run: ``.venv/bin/python -m benchmarks apartment`` — prints a table and writes
``benchmarks/results/apartment.json``.  Aims (issue 13, on the 2-core machine): cold ≤ 300 ms, after an
edit ≤ 50 ms, validation ≤ 30 ms, GLB ≤ 4 MB.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from backend.configurator import cabinet_rules
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.commands import SetInsert, apply
from backend.configurator.construction import clear_build_cache
from backend.configurator.home_demo import apartment_design
from backend.configurator.scene import GeometryCache, build_scene_glb
from backend.configurator.validation import validate
from backend.design.interior import Insert
from backend.design.model import Design

RESULTS = Path(__file__).resolve().parents[1] / "results" / "apartment.json"
AIMS = {"scene_cold_ms": 300.0, "scene_after_edit_ms": 50.0, "validation_ms": 30.0, "glb_bytes": 4_000_000}


CPU: dict[str, list[float]] = {}
"""Process CPU ms of each timed run, by measure."""


def _ms(fn: Callable[[], object], measure: str = "") -> float:
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    CPU.setdefault(measure, []).append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def _cold_scene(home: Design, catalog: Catalog) -> bytes:
    clear_build_cache()  # the builds are shared with the validation: a cold scene builds every cabinet
    return build_scene_glb(home, catalog, GeometryCache())


def run(repeats: int = 7) -> dict[str, object]:
    catalog = load_catalog()
    home = apartment_design(catalog)
    _cold_scene(home, catalog)  # warm up imports and code paths
    cold = [_ms(lambda: _cold_scene(home, catalog), "scene_cold_ms") for _ in range(repeats)]
    cache = GeometryCache()
    glb = build_scene_glb(home, catalog, cache)
    edits, checks_after_edit = [], []
    wardrobe = next(c.id for c in home.cabinets if c.family == "wardrobe_sliding_3")
    validate(home, catalog)
    for i in range(repeats):  # each edit is a new shelf count, so the edited wardrobe really rebuilds
        edited, _ = apply(home, SetInsert(cabinet_id=wardrobe, path=[2], insert=Insert(kind="shelves",
                                                                                      count=5 + i)), catalog)
        misses = cache.misses
        edits.append(_ms(lambda edited=edited: build_scene_glb(edited, catalog, cache),  # type: ignore[misc]
                         "scene_after_edit_ms"))
        assert cache.misses == misses + 1
        checks_after_edit.append(_ms(lambda edited=edited: validate(edited, catalog),  # type: ignore[misc]
                                     "validation_ms"))
    checks_first = []
    for i in range(repeats):  # an edit validated before the scene is built: validation builds the wardrobe
        edited, _ = apply(home, SetInsert(cabinet_id=wardrobe, path=[2], insert=Insert(kind="shelves",
                                                                                      count=5 + i)), catalog)
        clear_build_cache()
        validate(home, catalog)  # every cabinet but the edited one is built and cached
        checks_first.append(_ms(lambda edited=edited: validate(edited, catalog),  # type: ignore[misc]
                                "validation_edit_first_ms"))
    cold_checks = []
    for _ in range(3):
        cabinet_rules.clear_build_cache()  # a cold validation builds every cabinet again
        cold_checks.append(_ms(lambda: validate(home, catalog), "validation_cold_ms"))
    return {
        "design": home.name,
        "units": len(home.cabinets),
        "rooms": len({catalog.families[c.family].room for c in home.cabinets}),
        "scene_cold_ms": round(statistics.median(cold), 1),
        "scene_cold_min_ms": round(min(cold), 1),
        "scene_after_edit_ms": round(statistics.median(edits), 1),
        "scene_after_edit_min_ms": round(min(edits), 1),
        "validation_ms": round(statistics.median(checks_after_edit), 1),
        "validation_min_ms": round(min(checks_after_edit), 1),
        "validation_edit_first_ms": round(statistics.median(checks_first), 1),
        "validation_cold_ms": round(statistics.median(cold_checks), 1),
        "cpu_ms": {k: round(statistics.median(v), 1) for k, v in CPU.items() if k},
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "glb_bytes": len(glb),
        "repeats": repeats,
        "aims": AIMS,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "catalog": catalog.version,
    }


def main() -> None:
    result = run()
    rows = [
        ("scene GLB, cold", "scene_cold_ms", "≤ 300 ms"),
        ("scene GLB after a zone edit", "scene_after_edit_ms", "≤ 50 ms"),
        ("validation after the edit", "validation_ms", "≤ 30 ms"),
    ]
    print(f"{result['design']}: {result['units']} units in {result['rooms']} catalog rooms")
    print(f"{'measure':40} {'median (min)':>20} {'aim':>10}  ok")
    for name, key, aim in rows:
        value = f"{result[key]} ({result[key.replace('_ms', '_min_ms')]}) ms"
        ok = float(result[key]) <= AIMS[key]  # type: ignore[arg-type]
        print(f"{name:40} {value:>20} {aim:>10}  {'yes' if ok else 'NO'}")
    print(f"{'validation, edit first (builds the unit)':40} {result['validation_edit_first_ms']:>17} ms")
    print(f"{'validation, cold (every cabinet built)':40} {result['validation_cold_ms']:>17} ms")
    size = result["glb_bytes"]
    assert isinstance(size, int)
    print(f"{'GLB size':40} {size / 1e6:>17.3f} MB {'≤ 4 MB':>10}  {'yes' if size <= AIMS['glb_bytes'] else 'NO'}")
    print(f"CPU ms (median): {result['cpu_ms']}; load average {result['load_average']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
