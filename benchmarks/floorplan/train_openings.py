"""Train the opening check (:mod:`backend.floorplan.openings`, "Learned opening check") on the R3D tuning part.

Run: ``.venv/bin/python -m benchmarks.floorplan.train_openings``. Traces every plan of the tuning part
(``run.r3d_train_split``; the held-out part is never read) with the model switched off, describes every
candidate opening (wall gaps and room-closing lines), labels it by whether its centre lies in an opening
band of the plan's ``close.png`` (as the benchmark matches them), fits boosted trees (logistic loss,
deterministic), picks the probability threshold that gives the best mean opening F1 over the tuning plans,
and writes ``backend/floorplan/opening_model.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from backend.floorplan import intake, openings, tracing
from backend.floorplan.framing import rectify_photo
from backend.floorplan.result import VectorizeOptions
from benchmarks.floorplan import metrics, run

THRESHOLDS = np.round(np.arange(0.2, 0.81, 0.025), 3)


def plan_candidates(folder: Path) -> dict[str, Any]:
    """Features, centres (photo px), widths (px) and labels of every candidate opening of one plan."""
    captured: dict[str, Any] = {}
    original = openings.rescore

    def capture(ink, walls, gray, segments, found, closures, t, learned=None):  # type: ignore[no-untyped-def]
        probe = openings.thin_ink(ink, walls, t)
        cands = openings.candidates(segments, found, closures, probe, ink, t)
        gaps = [c.centre for c in cands if c.source == "gap"]
        captured["x"] = np.array([openings.features(c, ink, probe, walls, gray, t, gaps) for c in cands])
        captured["cands"] = cands
        return openings.Checked(found, [[] for _ in segments], [])

    openings.rescore = capture  # type: ignore[assignment]
    try:
        frame = rectify_photo(intake.decode_gray((folder / "image.jpg").read_bytes()), VectorizeOptions())
        tracing.trace(frame)
    finally:
        openings.rescore = original
    inv = np.linalg.inv(frame.photo_to_plan)

    def photo(p: np.ndarray) -> tuple[float, float]:
        v = inv @ np.array([p[0], p[1], 1.0])
        return float(v[0] / v[2]), float(v[1] / v[2])

    cands = captured.get("cands", [])
    gt = run._gt_openings(folder / "close.png")
    centres = [photo(c.centre) for c in cands]
    labels = [float(any(math.dist(c, g[:2]) <= g[2] for g in gt)) for c in centres]
    x = captured.get("x", np.zeros((0, len(openings.FEATURES))))
    return {"x": x, "y": np.array(labels), "centres": centres, "plan_centres": [c.centre for c in cands],
            "widths": [c.b - c.a for c in cands], "gt": gt}


ROUNDS = 120
"""Boosting rounds (trees)."""
DEPTH = 3
"""Depth of every tree."""
RATE = 0.1
"""Shrinkage of every tree's values."""
LAMBDA = 2.0
"""Ridge penalty on a leaf's value (Newton step: -sum g / (sum h + LAMBDA))."""
MIN_HESSIAN = 3.0
"""Least sum of hessians (about 12 candidates at p = 0.5) a leaf must hold."""
BINS = 32
"""Split thresholds tried per feature: quantiles of its values."""


def _grow(x: np.ndarray, g: np.ndarray, h: np.ndarray, rows: np.ndarray, cuts: list[np.ndarray], depth: int,
          tree: list[list[float]]) -> int:
    """Append the node for ``rows`` (and its subtree) to ``tree``; returns its index."""
    index = len(tree)
    value = -float(g[rows].sum()) / (float(h[rows].sum()) + LAMBDA) * RATE
    tree.append([-1.0, 0.0, 0.0, 0.0, value])
    if depth == 0:
        return index
    gs, hs = float(g[rows].sum()), float(h[rows].sum())
    parent = gs * gs / (hs + LAMBDA)
    best = (1e-6, -1, 0.0)
    for f, thresholds in enumerate(cuts):
        values = x[rows, f]
        for thr in thresholds:
            left = values <= thr
            hl = float(h[rows][left].sum())
            hr = hs - hl
            if hl < MIN_HESSIAN or hr < MIN_HESSIAN:
                continue
            gl = float(g[rows][left].sum())
            gain = gl * gl / (hl + LAMBDA) + (gs - gl) ** 2 / (hr + LAMBDA) - parent
            if gain > best[0]:
                best = (gain, f, float(thr))
    if best[1] < 0:
        return index
    _, f, thr = best
    left_rows, right_rows = rows[x[rows, f] <= thr], rows[x[rows, f] > thr]
    left = _grow(x, g, h, left_rows, cuts, depth - 1, tree)
    right = _grow(x, g, h, right_rows, cuts, depth - 1, tree)
    tree[index] = [float(f), thr, float(left), float(right), value]
    return index


def fit(x: np.ndarray, y: np.ndarray, rounds: int = ROUNDS,
        depth: int = DEPTH) -> tuple[list[list[list[float]]], float]:
    """Gradient-boosted trees (logistic loss, Newton leaves; ``rounds`` trees ``depth`` deep): (trees, bias).
    Deterministic."""
    cuts = [np.unique(np.quantile(x[:, f], np.linspace(0, 1, BINS + 1)[1:-1])) for f in range(x.shape[1])]
    rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    bias = math.log(rate / (1 - rate))
    z = np.full(len(y), bias)
    trees: list[list[list[float]]] = []
    rows = np.arange(len(y))
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-z))
        tree: list[list[float]] = []
        _grow(x, p - y, p * (1 - p), rows, cuts, depth, tree)
        trees.append(tree)
        z += openings.tree_values(tree, x)
    return trees, bias


def select(p: np.ndarray, plan_centres: list[np.ndarray], widths: list[float], threshold: float) -> list[int]:
    """Indices kept as openings, as :func:`openings.rescore` keeps them."""
    kept: list[int] = []
    for k in np.argsort(-p):
        if p[k] < threshold:
            break
        reach = [openings.DUPLICATE_W * max(widths[k], widths[o]) for o in kept]
        if any(float(np.linalg.norm(plan_centres[k] - plan_centres[o])) < r for o, r in zip(kept, reach, strict=True)):
            continue
        kept.append(int(k))
    return kept


def mean_f1(plans: list[dict[str, Any]], model: openings.OpeningModel | None, threshold: float) -> float:
    """Mean opening F1 over the plans with the model's choice (None: every wall gap, as without a model)."""
    gap = openings.FEATURES.index("src_gap")
    scores = []
    for plan in plans:
        if not len(plan["x"]):
            scores.append(metrics.f1(0, 0, len(plan["gt"])))
            continue
        if model is None:
            kept = [k for k in range(len(plan["x"])) if plan["x"][k, gap] > 0]
        else:
            kept = select(model.probability(plan["x"]), plan["plan_centres"], plan["widths"], threshold)
        ours = [plan["centres"][k] for k in kept]
        scores.append(metrics.f1(metrics.match_regions(ours, plan["gt"]), len(ours), len(plan["gt"])))
    return float(np.mean(scores))


def train(plans: list[dict[str, Any]]) -> openings.OpeningModel:
    """The model fitted on these plans' candidates, with the threshold that gives them the best mean F1."""
    x = np.vstack([p["x"] for p in plans if len(p["x"])])
    y = np.concatenate([p["y"] for p in plans if len(p["x"])])
    trees, bias = fit(x, y)
    model = openings.OpeningModel(trees, bias)
    scores = {float(th): mean_f1(plans, model, float(th)) for th in THRESHOLDS}
    return openings.OpeningModel(trees, bias, max(scores, key=lambda th: scores[th]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=openings.MODEL_PATH)
    parser.add_argument("--cache", type=Path, help="keep the traced candidates in this file (to try settings)")
    parser.add_argument("--check", action="store_true", help="cross-check on the tuning part, write nothing")
    args = parser.parse_args(argv)
    tune, _ = run.r3d_train_split()
    if not tune:
        print(f"no R3D training plans under {run.R3D_TRAIN}")
        return 1
    if args.cache is not None and args.cache.is_file():
        plans = pickle.loads(args.cache.read_bytes())
    else:
        plans = [plan_candidates(folder) for folder in tune]
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(plans))
    if args.check:  # fit on four fifths of the tuning part, measure on the rest (the held-out part stays unread)
        scores = []
        for k in range(5):
            fold = [p for i, p in enumerate(plans) if i % 5 == k]
            model = train([p for i, p in enumerate(plans) if i % 5 != k])
            scores.append((mean_f1(fold, model, model.threshold), mean_f1(fold, None, 0.0)))
        print("cross-checked mean opening F1 (model, rules alone):",
              " ".join(f"{a:.3f}/{b:.3f}" for a, b in scores), f"mean {np.mean([a for a, _ in scores]):.3f}"
              f"/{np.mean([b for _, b in scores]):.3f}")
        return 0
    model = train(plans)
    args.out.write_text(json.dumps(model.to_json()) + "\n")
    print(f"{len(tune)} plans, {sum(len(p['y']) for p in plans)} candidates; threshold {model.threshold}: "
          f"mean opening F1 {mean_f1(plans, model, model.threshold):.3f} on the tuning part "
          f"(the rules alone: {mean_f1(plans, None, 0.0):.3f}); {args.out.stat().st_size // 1024} kB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
