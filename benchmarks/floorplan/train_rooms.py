"""Train the check of room parts (:class:`backend.floorplan.rooms.PartCheck`) on the R3D tuning part.

Run: ``ROOMWRIGHT_SHARED=/work/shared .venv/bin/python -m benchmarks.floorplan.train_rooms --cache DIR
[--check]``. Re-runs the room stage with the check switched off on the traces of every plan of the tuning
part (``run.r3d_train_split``; the held-out part is never read), pickled in DIR as
:mod:`benchmarks.floorplan.room_errors` keeps them (traced and written there first when missing), describes
every candidate part (closets, sides of a neck, whole regions), labels it by whether it matches a true room
(IoU >= 0.5 with one of the plan's ``rooms.png`` rooms), fits boosted trees (logistic loss, as
:mod:`benchmarks.floorplan.train_openings`, deterministic), picks the lowest probability threshold whose mean
room F1 over the tuning plans is within ``KEEP_MARGIN`` of the best and writes
``backend/floorplan/room_model.json``. ``--check`` cross-checks by five folds of plans instead (fit on four,
score the fifth) and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import Polygon

from backend.floorplan import rooms
from benchmarks.floorplan import metrics, run
from benchmarks.floorplan.room_errors import capture
from benchmarks.floorplan.train_openings import fit

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4)
"""Probability thresholds tried (each one re-runs the room stage on every tuning plan)."""
ROUNDS = 80
"""Boosting rounds (trees): fewer and shallower than the opening check's, for about 1300 candidates
(cross-checked on the tuning part: 120 trees 3 deep turn down more true rooms)."""
DEPTH = 2
"""Depth of every tree."""
KEEP_MARGIN = 0.005
"""The lowest threshold whose mean room F1 is within this of the best is taken: of two near-equal choices,
the one that turns down fewer parts (true closets and WCs are the rooms most often missed already)."""
FOLDS = 5
"""Folds of plans for ``--check`` (plan i goes to fold i mod FOLDS)."""


def _photo(poly: Polygon, h: np.ndarray) -> Polygon:
    pts = np.asarray(poly.exterior.coords)
    v = np.c_[pts, np.ones(len(pts))] @ h.T
    return Polygon(v[:, :2] / v[:, 2:]).buffer(0)


def load_plan(folder: Path, cache: Path | None) -> dict[str, Any]:
    """The cached trace of one tuning plan (traced and cached first when missing) and its true rooms."""
    path = cache / f"{folder.name}.pkl" if cache is not None else None
    if path is not None and path.is_file():
        entry: dict[str, Any] = pickle.loads(path.read_bytes())
    else:
        entry = capture(folder)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(entry))
    entry["truth"] = run._gt_rooms(folder / "rooms.png")
    record: list[tuple[Polygon, str, np.ndarray]] = []
    rooms.find_rooms(*entry["args"], **{**entry["kwargs"], "model": None, "record": record})
    h = entry["plan_to_photo"]
    labels = []
    for poly, _, _ in record:
        p = _photo(poly, h)
        labels.append(float(any(metrics.match_polygons([p], [t]) for t in entry["truth"] if p.intersects(t))))
    entry["x"] = np.array([f for _, _, f in record]).reshape(len(record), len(rooms.PART_FEATURES))
    entry["y"] = np.array(labels)
    entry["sources"] = [s for _, s, _ in record]
    return entry


def room_f1(entry: dict[str, Any], model: rooms.PartModel | None) -> float:
    """Room F1 of one plan with the room stage re-run with this check (None: the rules alone)."""
    found = rooms.find_rooms(*entry["args"], **{**entry["kwargs"], "model": model})
    pred = [_photo(p, entry["plan_to_photo"]) for p in found]
    return metrics.f1(len(metrics.match_polygons(pred, entry["truth"])), len(pred), len(entry["truth"]))


def train(plans: list[dict[str, Any]],
          thresholds: tuple[float, ...] = THRESHOLDS) -> tuple[rooms.PartModel, dict[float, float]]:
    """The check fitted on these plans' candidates, with the threshold that gives them the best mean room
    F1, and the mean F1 of every threshold tried."""
    x = np.vstack([p["x"] for p in plans if len(p["x"])])
    y = np.concatenate([p["y"] for p in plans if len(p["x"])])
    trees, bias = fit(x, y, ROUNDS, DEPTH)
    scores = {th: float(np.mean([room_f1(p, rooms.PartModel(trees, bias, th)) for p in plans])) for th in thresholds}
    best = min(th for th in scores if scores[th] >= max(scores.values()) - KEEP_MARGIN)
    return rooms.PartModel(trees, bias, best), scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=rooms.PART_MODEL_PATH)
    parser.add_argument("--cache", type=Path, help="the traces pickled by room_errors --cache (made when missing)")
    parser.add_argument("--check", action="store_true", help="cross-check on the tuning part, write nothing")
    args = parser.parse_args(argv)
    tune, _ = run.r3d_train_split()
    if not tune:
        print(f"no R3D training plans under {run.R3D_TRAIN}")
        return 1
    plans = [load_plan(folder, args.cache) for folder in tune]
    y = np.concatenate([p["y"] for p in plans])
    sources = [s for p in plans for s in p["sources"]]
    for source in rooms.PART_SOURCES:
        picked = [yy for yy, s in zip(y, sources, strict=True) if s == source]
        print(f"{source}: {len(picked)} candidates, {np.mean(picked) if picked else 0:.2f} match a true room")
    if args.check:  # fit on four fifths of the tuning part, score the rest (the held-out part stays unread)
        scores = []
        for k in range(FOLDS):
            fold = [p for i, p in enumerate(plans) if i % FOLDS == k]
            model, _ = train([p for i, p in enumerate(plans) if i % FOLDS != k])
            scores.append((np.mean([room_f1(p, model) for p in fold]), np.mean([room_f1(p, None) for p in fold])))
            print(f"fold {k}: threshold {model.threshold}, room F1 {scores[-1][0]:.3f} "
                  f"(rules alone {scores[-1][1]:.3f})", flush=True)
        print(f"cross-checked mean room F1 {np.mean([a for a, _ in scores]):.3f} "
              f"(rules alone {np.mean([b for _, b in scores]):.3f})")
        return 0
    model, by_threshold = train(plans)
    args.out.write_text(json.dumps(model.to_json()) + "\n")
    print(f"{len(plans)} plans, {len(y)} candidates; mean room F1 by threshold "
          + ", ".join(f"{th}: {f:.3f}" for th, f in by_threshold.items())
          + f"; rules alone {np.mean([room_f1(p, None) for p in plans]):.3f}; chose {model.threshold}, "
          f"{args.out.stat().st_size // 1024} kB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
