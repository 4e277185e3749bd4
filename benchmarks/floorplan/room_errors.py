"""Where the room F1 of the R3D tuning plans is lost: for every true room, whether it is matched (IoU ≥ 0.5
one-to-one, as the benchmark counts), merged (the predicted room covering most of it covers another true
room as well), split (several predicted rooms cover it), missed (no predicted room reaches 0.2 IoU) or
otherwise poor; for every unmatched predicted room, why (it merges true rooms, is part of a split one,
covers no true room: outside, a wall cavity, furniture...).

Run: ``ROOMWRIGHT_SHARED=/work/shared .venv/bin/python -m benchmarks.floorplan.room_errors [--cache DIR]
[--per-plan] [--limit N]``. With ``--cache`` the traces (the arguments of the last
:func:`backend.floorplan.rooms.find_rooms` call of each plan) are pickled once into DIR (outside the
project: they hold the shared plans' pixels) and the room stage alone is re-run on them, seconds for the
whole tuning part, to iterate on :mod:`backend.floorplan.rooms`.
"""

from __future__ import annotations

import argparse
import pickle
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import Polygon

from backend.floorplan import pipeline, rooms, vectorize
from benchmarks.floorplan import metrics
from benchmarks.floorplan.run import _gt_rooms, r3d_train_split

COVER = 0.2
"""A predicted room covers a true room when it holds at least this share of it (and the reverse)."""


def capture(folder: Path) -> dict[str, Any]:
    """Vectorize a plan and keep the arguments of its last room-stage call and its plan → photo mapping."""
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    original = rooms.find_rooms

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    pipeline.rooms.find_rooms = spy  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        result = vectorize((folder / "image.jpg").read_bytes())
        seconds = time.perf_counter() - start
    finally:
        pipeline.rooms.find_rooms = original  # type: ignore[assignment]
    h = np.asarray(result.homography, dtype=np.float64)
    photo = [Polygon([result.to_photo_px(q) for q in r.polygon]).buffer(0) for r in result.plan.rooms]
    return {"args": calls[-1][0], "kwargs": calls[-1][1], "plan_to_photo": h, "seconds": seconds, "rooms": photo}


def predicted(entry: dict[str, Any]) -> list[Polygon]:
    """The room stage re-run on a cached trace, in photo px."""
    h = entry["plan_to_photo"]
    out = []
    for poly in rooms.find_rooms(*entry["args"], **entry["kwargs"]):
        pts = np.asarray(poly.exterior.coords)
        v = np.c_[pts, np.ones(len(pts))] @ h.T
        out.append(Polygon(v[:, :2] / v[:, 2:]).buffer(0))
    return out


def _share(a: Polygon, b: Polygon) -> float:
    return a.intersection(b).area / max(a.area, 1e-9) if a.intersects(b) else 0.0


def classify(pred: list[Polygon], truth: list[Polygon]) -> tuple[Counter[str], Counter[str], int]:
    """Counts of the true rooms' and the false predicted rooms' buckets, and the matches."""
    matches = metrics.match_polygons(pred, truth)
    matched_p, matched_t = {i for i, _ in matches}, {j for _, j in matches}
    # cover[i][j]: share of true room j inside predicted room i, and of predicted room i inside true j
    t_in_p = np.array([[_share(t, p) for t in truth] for p in pred]).reshape(len(pred), len(truth))
    p_in_t = np.array([[_share(p, t) for t in truth] for p in pred]).reshape(len(pred), len(truth))
    true_buckets: Counter[str] = Counter()
    for j, t in enumerate(truth):
        if j in matched_t:
            true_buckets["matched"] += 1
            continue
        covering = [i for i in range(len(pred)) if t_in_p[i, j] >= COVER and p_in_t[i, j] >= COVER]
        merged = [i for i in covering if p_in_t[i, j] < 0.7
                  and any(t_in_p[i, k] >= 0.5 for k in range(len(truth)) if k != j)]
        ious = [t.intersection(pred[i]).area / max(t.union(pred[i]).area, 1e-9) for i in covering]
        if not covering or max(ious, default=0.0) < COVER:
            area = "small" if t.area < 2500 else "large"
            true_buckets[f"missed ({area})"] += 1
        elif merged:
            true_buckets["merged with another true room"] += 1
        elif sum(t_in_p[i, j] >= COVER for i in covering) >= 2:
            true_buckets["split"] += 1
        else:
            true_buckets["poor outline (0.2-0.5 IoU)"] += 1
    false_buckets: Counter[str] = Counter()
    for i in range(len(pred)):
        if i in matched_p:
            continue
        holds = [j for j in range(len(truth)) if t_in_p[i, j] >= 0.5]
        inside = [j for j in range(len(truth)) if p_in_t[i, j] >= 0.5]
        if len(holds) >= 2:
            false_buckets["merges true rooms"] += 1
        elif inside and any(k != i and p_in_t[k, inside[0]] >= COVER for k in range(len(pred))):
            false_buckets["part of a split true room"] += 1
        elif p_in_t[i].sum() < 0.3:
            false_buckets["covers no true room (outside, cavity, furniture)"] += 1
        else:
            false_buckets["poor outline / other"] += 1
    return true_buckets, false_buckets, len(matches)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cache", type=Path, help="pickle traces here once and re-run only the room stage")
    parser.add_argument("--per-plan", action="store_true")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--held-out", action="store_true", help="the held-out part (measure once, at the end)")
    args = parser.parse_args(argv)
    tune, held = r3d_train_split()
    folders = (held if args.held_out else tune)[: args.limit]
    total_t: Counter[str] = Counter()
    total_f: Counter[str] = Counter()
    f1s, seconds, room_seconds = [], [], []
    for folder in folders:
        path = args.cache / f"{folder.name}.pkl" if args.cache else None
        if path is not None and path.is_file():
            entry = pickle.loads(path.read_bytes())
        else:
            entry = capture(folder)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(pickle.dumps(entry))
        seconds.append(entry["seconds"])
        start = time.perf_counter()
        pred = predicted(entry) if path is not None else entry["rooms"]
        room_seconds.append(time.perf_counter() - start)
        truth = _gt_rooms(folder / "rooms.png")
        t_b, f_b, n = classify(pred, truth)
        total_t += t_b
        total_f += f_b
        f1s.append(metrics.f1(n, len(pred), len(truth)))
        if args.per_plan:
            print(f"{folder.name}: F1 {f1s[-1]:.3f} pred {len(pred)} true {len(truth)} "
                  f"{dict(t_b)} {dict(f_b)}", flush=True)
    print(f"plans {len(folders)}, room F1 {np.mean(f1s):.3f}, room stage {np.median(room_seconds):.3f} s "
          f"median (whole plan when traced {np.median(seconds):.2f} s)")
    print("| true rooms | count |\n|---|---|")
    for key, value in total_t.most_common():
        print(f"| {key} | {value} |")
    print("| false predicted rooms | count |\n|---|---|")
    for key, value in total_f.most_common():
        print(f"| {key} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
