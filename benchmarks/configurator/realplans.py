"""Auto-fill on real traced plans: blocking findings after each room's (or wall's) top alternative.

Run: ``.venv/bin/python -m benchmarks.configurator.realplans [--split held|tune] [--limit N]``.
The R3D training plans (``../shared/floorplans/r3d_train``, never copied into the project) are traced
once without OCR and cached as design documents under ``$ROOMWRIGHT_PLAN_CACHE`` (default
``/tmp/roomwright-traced``). Every fifth plan (sorted by folder name, index 0, 5, 10 …) is held out:
tune on ``--split tune``, report on ``--split held``.

The requests (``autofill_real.requests``): for each room of at least 4 m² (a plan's four largest), its
longest wall, and its two longest walls where they meet at a corner (an L). For each request, the
number of blocking findings (errors) that the top alternative adds, how many requests got no
alternative, and the metres of base units proposed.

Before/after: ``--requests FILE`` writes the requests; run again from an older checkout's directory
with ``--before --requests FILE`` (wall ids only, that checkout's auto-fill and validation; set
``ROOMWRIGHT_R3D`` to the plans' folder) to measure the same requests the old way. ``--no-prune``
keeps the units auto-fill would leave out for a blocking finding (what the room-aware runs do alone).

Held-out figures (36 plans, 98 requests over 118 walls), blocking findings added by the top
alternative: before (wall ids, old tolerances) 455 in 67 requests (outside_room 385,
unit_in_front_of_window 57, overlap 12, door_swing 1; 569 m of base units); old auto-fill with the new
tolerances 131; room-aware runs without leaving units out 38 (windows and doors); now 0, every request
answered.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from backend.configurator.catalog import load_catalog
from backend.design.model import Design, FloorPlan

ROOT = Path(__file__).resolve().parents[2]
_FOUND = [Path(os.environ.get("ROOMWRIGHT_R3D", "/nonexistent"))]
_FOUND += [p / "shared" / "floorplans" / "r3d_train" for p in ROOT.parents]
R3D = next((p for p in _FOUND if p.is_dir()), _FOUND[-1])
CACHE = Path(os.environ.get("ROOMWRIGHT_PLAN_CACHE", "/tmp/roomwright-traced"))


def folders(split: str) -> list[Path]:
    all_ = sorted(p for p in R3D.iterdir() if p.is_dir())
    return [p for i, p in enumerate(all_) if (i % 5 == 0) == (split == "held")]


def traced(folder: Path) -> Design | None:
    """The plan traced from the folder's image (cached), or None if tracing failed."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{folder.name}.json"
    if path.exists():
        text = path.read_text()
        return Design.model_validate_json(text) if text.strip() != "null" else None
    from backend.floorplan import vectorize
    from backend.floorplan.result import VectorizeOptions

    try:
        result = vectorize((folder / "image.jpg").read_bytes(), options=VectorizeOptions(use_ocr=False))
        plan: FloorPlan = result.to_floor_plan()
        design = Design(name=folder.name, plan=plan)
    except Exception as exc:  # a benchmark counts failures, it does not stop on them
        print(f"{folder.name}: tracing failed ({exc})")
        path.write_text("null")
        return None
    path.write_text(design.model_dump_json())
    return design


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("held", "tune"), default="held")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--trace-only", action="store_true")
    parser.add_argument("--requests", type=Path, default=None,
                        help="write the requests here (or, with --before, read them from here)")
    parser.add_argument("--no-prune", action="store_true",
                        help="keep the units that take part in a blocking finding (what the room alone does)")
    parser.add_argument("--before", action="store_true",
                        help="measure with wall ids only (an older checkout on PYTHONPATH)")
    args = parser.parse_args()
    chosen = folders(args.split)[: args.limit]
    designs = []
    for folder in chosen:
        start = time.perf_counter()
        d = traced(folder)
        if args.trace_only:
            print(f"{folder.name}: {'ok' if d else 'failed'} {time.perf_counter() - start:.1f} s", flush=True)
        if d is not None:
            designs.append(d)
    if args.trace_only:
        return
    from benchmarks.configurator.autofill_real import measure, requests

    if args.before:
        assert args.requests is not None, "--before needs --requests"
        reqs = json.loads(args.requests.read_text())
    else:
        reqs = requests(designs)
        if args.requests is not None:
            args.requests.write_text(json.dumps(reqs))
    if args.no_prune:
        from backend.configurator import autofill

        autofill._keep_valid = lambda *_: ""  # type: ignore[attr-defined]
    out: dict[str, Any] = measure(designs, load_catalog(), reqs, with_room=not args.before)
    out["split"], out["plans"] = args.split, len(designs)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
