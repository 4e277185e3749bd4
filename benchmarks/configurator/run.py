"""Configurator benchmark: scene GLB build (cold and after a one-cabinet edit), GLB size, validation.

Run: ``.venv/bin/python -m benchmarks.configurator.run`` — prints a table and writes
``benchmarks/results/configurator.json``.  Aims (issue 4, on the 2-core machine): cold ≤ 300 ms,
after an edit ≤ 50 ms, GLB ≤ 2 MB, validation of 50 cabinets ≤ 20 ms.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from backend.configurator.catalog import load_catalog
from backend.configurator.commands import ResizeCabinet, apply
from backend.configurator.construction import clear_build_cache
from backend.configurator.demo import demo_design, fifty_cabinet_design
from backend.configurator.scene import GeometryCache, build_scene_glb
from backend.configurator.validation import validate

RESULTS = Path(__file__).resolve().parents[1] / "results" / "configurator.json"
AIMS = {"scene_cold_ms": 300.0, "scene_after_edit_ms": 50.0, "glb_bytes": 2_000_000, "validation_50_ms": 20.0}


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def run(repeats: int = 7) -> dict[str, object]:
    catalog = load_catalog()
    kitchen = demo_design(large=True, catalog=catalog)
    build_scene_glb(kitchen, catalog, GeometryCache())  # warm up imports and code paths

    def cold_scene() -> bytes:
        clear_build_cache()  # the builds are shared with the validation: a cold scene builds every cabinet
        return build_scene_glb(kitchen, catalog, GeometryCache())

    cold = [_ms(cold_scene) for _ in range(repeats)]
    cache = GeometryCache()
    glb = build_scene_glb(kitchen, catalog, cache)
    edits = []
    for i in range(repeats):  # each edit is a new width, so the edited cabinet really rebuilds
        edited, _ = apply(kitchen, ResizeCabinet(cabinet_id="cab-3", width_mm=560 + i))
        misses = cache.misses
        edits.append(_ms(lambda edited=edited: build_scene_glb(edited, catalog, cache)))  # type: ignore[misc]
        assert cache.misses == misses + 1

    fifty = fifty_cabinet_design(catalog)
    validate(fifty, catalog)
    checks = [_ms(lambda: validate(fifty, catalog)) for _ in range(repeats * 3)]
    return {
        "design": kitchen.name,
        "rooms": len(kitchen.plan.rooms),
        "kitchen_units": len(kitchen.cabinets),
        "scene_cold_ms": round(statistics.median(cold), 1),
        "scene_cold_min_ms": round(min(cold), 1),
        "scene_after_edit_ms": round(statistics.median(edits), 1),
        "scene_after_edit_min_ms": round(min(edits), 1),
        "glb_bytes": len(glb),
        "validation_units": len(fifty.cabinets) + len(fifty.items),
        "validation_50_ms": round(statistics.median(checks), 2),
        "validation_50_min_ms": round(min(checks), 2),
        "repeats": repeats,
        "aims": AIMS,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "catalog": catalog.version,
    }


def main() -> None:
    result = run()
    rows = [
        ("scene GLB, cold", "scene_cold_ms", "ms", "≤ 300 ms"),
        ("scene GLB after a one-cabinet edit", "scene_after_edit_ms", "ms", "≤ 50 ms"),
        (f"validation, {result['validation_units']} units", "validation_50_ms", "ms", "≤ 20 ms"),
    ]
    print(f"{result['design']}: {result['rooms']} rooms, {result['kitchen_units']} kitchen units")
    print(f"{'measure':40} {'median (min)':>20} {'aim':>10}  ok")
    for name, key, unit, aim in rows:
        value = f"{result[key]} ({result[key.replace('_ms', '_min_ms')]}) {unit}"
        ok = float(result[key]) <= AIMS[key]  # type: ignore[arg-type]
        print(f"{name:40} {value:>20} {aim:>10}  {'yes' if ok else 'NO'}")
    size = result["glb_bytes"]
    assert isinstance(size, int)
    ok_size = "yes" if size <= AIMS["glb_bytes"] else "NO"
    print(f"{'GLB size':40} {size / 1e6:>17.3f} MB {'≤ 2 MB':>10}  {ok_size}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
