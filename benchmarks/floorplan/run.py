"""Accuracy and speed of the floor-plan vectorizer.

Run: ``.venv/bin/python -m benchmarks.floorplan.run [--quick] [--seeds held-out]``. Prints a markdown
table and writes ``benchmarks/results/floorplan.json`` (``floorplan-held-out.json`` for held-out seeds).
Real images are read from ``../shared/floorplans/real`` and ``../shared/floorplans/r3d_train`` (never
copied into the project).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import cv2
import numpy as np
from PIL import Image
from shapely.geometry import LineString, Polygon
from shapely.ops import unary_union

from backend.errors import DomainError
from backend.floorplan import FloorplanResult, ScaleLine, vectorize
from benchmarks.floorplan import metrics, synth

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "floorplans").is_dir()), ROOT.parent / "shared")
"""The ``shared`` folder beside the project, or beside a folder holding it (a git worktree)."""
REAL = SHARED / "floorplans" / "real"
R3D_TRAIN = SHARED / "floorplans" / "r3d_train"
HELD_OUT_EVERY = 5
"""Every fifth R3D training plan (in name order) is held out: measured, never tuned on."""
RESULTS = ROOT / "benchmarks" / "results" / "floorplan.json"
GT_MM_PER_PX = 10.0
"""Raster resolution for synthetic wall IoU (mm per raster pixel)."""


def _apply(h: np.ndarray, p: tuple[float, float]) -> tuple[float, float]:
    v = h @ np.array([p[0], p[1], 1.0])
    return float(v[0] / v[2]), float(v[1] / v[2])


CLICK_PX = 3.0
"""How far (photo px) each end of a benchmark scale line lands from the true corner, as a person's click."""


def _line_on(sample: synth.Sample, wall: synth.GtWall, click_px: float = 0.0) -> ScaleLine:
    """A scale line over a true wall, its ends moved up to ``click_px`` as clicks would (seeded by the wall)."""
    rng = np.random.default_rng(round(wall.start[0] + 7 * wall.start[1] + 13 * wall.end[0]))
    a, b = _apply(sample.mm_to_image, wall.start), _apply(sample.mm_to_image, wall.end)
    (ax, ay), (bx, by) = (np.array(p) + rng.uniform(-click_px, click_px, 2) for p in (a, b))
    return ScaleLine(x1=float(ax), y1=float(ay), x2=float(bx), y2=float(by), length_mm=wall.length)


def _direction(w: synth.GtWall) -> tuple[float, float]:
    return ((w.end[0] - w.start[0]) / w.length, (w.end[1] - w.start[1]) / w.length)


def _across(a: synth.GtWall, b: synth.GtWall) -> bool:
    (ax, ay), (bx, by) = _direction(a), _direction(b)
    return abs(ax * bx + ay * by) <= 0.5


def _line_walls(sample: synth.Sample) -> tuple[synth.GtWall, synth.GtWall]:
    """The walls the benchmark's scale lines go over: the longest, and the longest across it."""
    first = max(sample.plan.walls, key=lambda w: w.length)
    return first, max((w for w in sample.plan.walls if _across(first, w)), key=lambda w: w.length)


def scale_line_for(sample: synth.Sample, click_px: float = 0.0) -> ScaleLine:
    """A scale line along the longest true wall (exact, or clicked within ``click_px``)."""
    return _line_on(sample, _line_walls(sample)[0], click_px)


def second_line_for(sample: synth.Sample, click_px: float = 0.0) -> ScaleLine:
    """A second scale line across the first: along the longest true wall at least 60° from it."""
    return _line_on(sample, _line_walls(sample)[1], click_px)


def length_error(sample: synth.Sample, result: FloorplanResult, wall: synth.GtWall) -> float:
    """Relative error of a true wall's length measured in the predicted plan (its true ends mapped
    through the photo into the plan's millimetres)."""
    ends = [result.to_plan_mm(_apply(sample.mm_to_image, p)) for p in (wall.start, wall.end)]
    return abs(math.dist(*ends) / wall.length - 1.0)


def scale_error(sample: synth.Sample, result: FloorplanResult) -> float:
    """Relative error of the longest true wall's length measured in the predicted plan."""
    return length_error(sample, result, max(sample.plan.walls, key=lambda w: w.length))


def shape_error(sample: synth.Sample, result: FloorplanResult) -> float:
    """The worst relative length error over the walls at least 1 m long, with the scale set along the
    longest wall: what is left is the plan stretched one way more than the other (rectification)."""
    return max(length_error(sample, result, w) for w in sample.plan.walls if w.length >= 1000)


def axes_error(sample: synth.Sample, result: FloorplanResult) -> float:
    """The scale error along both axes, on walls no scale line went over: for each direction (along the
    longest wall, and across it) the median relative length error of the other walls ≥ 1 m in that
    direction, and the worse of the two (a wardrobe along either wall is ordered to it)."""
    first, second = _line_walls(sample)
    errors = []
    for axis in (first, second):
        walls = [w for w in sample.plan.walls if w.length >= 1000 and w not in (first, second)
                 and not _across(axis, w)]
        walls = walls or [axis]
        errors.append(statistics.median(length_error(sample, result, w) for w in walls))
    return max(errors)


def score_synthetic(sample: synth.Sample, result: FloorplanResult) -> dict[str, float]:
    """Wall IoU, room F1/area error and door/window F1 of one synthetic sample."""
    to_gt_mm = np.linalg.inv(sample.mm_to_image)
    minx, miny, maxx, maxy = sample.plan.outline.buffer(2000).bounds
    shape = (math.ceil((maxy - miny) / GT_MM_PER_PX), math.ceil((maxx - minx) / GT_MM_PER_PX))

    def gt_raster(p: tuple[float, float]) -> tuple[float, float]:
        return ((p[0] - minx) / GT_MM_PER_PX, (p[1] - miny) / GT_MM_PER_PX)

    def pred_to_gt(p: tuple[float, float]) -> tuple[float, float]:
        return _apply(to_gt_mm, result.to_photo_px(p))

    truth_bands = [
        metrics._band(
            w.start[0],
            w.start[1],
            (w.end[0] - w.start[0]) / w.length,
            (w.end[1] - w.start[1]) / w.length,
            a,
            b,
            w.thickness_mm,
        )
        for w in sample.plan.walls
        for a, b in _solid_spans(w)
    ]
    truth = metrics.rasterize(truth_bands, gt_raster, shape)
    pred = metrics.rasterize(metrics.wall_bands(result.plan), lambda p: gt_raster(pred_to_gt(p)), shape)
    pred_rooms = [Polygon([pred_to_gt((q.x, q.y)) for q in r.polygon]).buffer(0) for r in result.plan.rooms]
    matches = metrics.match_polygons(pred_rooms, sample.plan.rooms)
    area_err = [abs(result.plan.rooms[i].area_m2 * 1e6 / sample.plan.rooms[j].area - 1) for i, j in matches]
    out = {
        "wall_iou": metrics.iou(pred, truth),
        "room_f1": metrics.f1(len(matches), len(pred_rooms), len(sample.plan.rooms)),
        "room_area_err": statistics.median(area_err) if area_err else float("nan"),
    }
    for kind in ("door", "window"):
        truth_pts = [
            w.point_at(o.offset_mm + o.width_mm / 2) for w in sample.plan.walls for o in w.openings if o.kind == kind
        ]
        pred_pts = [pred_to_gt(p) for p in metrics.opening_centres(result, kind)]
        out[f"{kind}_f1"] = metrics.f1(metrics.match_points(pred_pts, truth_pts, 400.0), len(pred_pts), len(truth_pts))
    return out


def _solid_spans(wall: synth.GtWall) -> list[tuple[float, float]]:
    spans, pos = [], -wall.thickness_mm / 2 if wall.exterior else 0.0
    for o in sorted(wall.openings, key=lambda o: o.offset_mm):
        spans.append((pos, o.offset_mm))
        pos = o.offset_mm + o.width_mm
    spans.append((pos, wall.length + (wall.thickness_mm / 2 if wall.exterior else 0.0)))
    return [(a, b) for a, b in spans if b > a]


def run_synthetic(name: str, make: Callable[[int], synth.Sample], seeds: range) -> dict[str, Any]:
    rows: list[dict[str, float]] = []
    crashes, seconds = 0, []
    for seed in seeds:
        sample = make(seed)
        try:
            start = time.perf_counter()
            auto = vectorize(sample.encoded)
            seconds.append(time.perf_counter() - start)
            first, second = scale_line_for(sample, CLICK_PX), second_line_for(sample, CLICK_PX)
            lined = vectorize(sample.encoded, scale_line=first)
            two = vectorize(sample.encoded, scale_line=first, second_line=second)
        except Exception:
            crashes += 1
            traceback.print_exc()
            continue
        row = score_synthetic(sample, lined)
        row["scale_err_auto"] = axes_error(sample, auto)
        row["scale_err_line"] = axes_error(sample, lined)
        row["scale_err_two_lines"] = axes_error(sample, two)
        row["shape_err"] = shape_error(sample, lined)
        rows.append(row)
    return _summary(name, rows, seconds, crashes, len(seeds))


def _summary(name: str, rows: list[dict[str, float]], seconds: list[float], crashes: int, n: int) -> dict[str, Any]:
    keys = sorted({k for r in rows for k in r})
    out: dict[str, Any] = {
        "set": name,
        "images": n,
        "crashes": crashes,
        "median_s": statistics.median(seconds) if seconds else float("nan"),
    }
    auto = [r["scale_err_auto"] for r in rows if "scale_err_auto" in r and not math.isnan(r["scale_err_auto"])]
    if auto:  # the target: automatic scale within 5 % on at least 80 % of the plans that print dimensions
        out["scale_auto_within_2pct"] = sum(e <= 0.02 for e in auto) / len(auto)
        out["scale_auto_within_5pct"] = sum(e <= 0.05 for e in auto) / len(auto)
    for key in keys:
        values = [r[key] for r in rows if key in r and not math.isnan(r[key])]
        if not values:
            out[key] = float("nan")
        elif key.startswith("scale_err") or key in ("room_area_err", "shape_err"):
            out[key] = statistics.median(values)
        else:
            out[key] = statistics.fmean(values)
    return out


def _read_mask(path: Path) -> np.ndarray:
    arr = np.asarray(Image.open(path).convert("RGB"))
    return np.asarray(arr.max(axis=2) > 127)


def _gt_rooms(path: Path) -> list[Polygon]:
    """Room polygons of an R3D ``rooms.png``: one per connected region of a room colour (the legend's
    colours are all light; near-black codes such as (1, 1, 1) are background noise, not rooms)."""
    arr = np.asarray(Image.open(path).convert("RGB")).astype(np.int32)
    code = arr[..., 0] * 65536 + arr[..., 1] * 256 + arr[..., 2]
    code[arr.min(axis=2) < 64] = 0
    polys = []
    for value in np.unique(code):
        if value == 0:
            continue
        count, labels, stats, _ = cv2.connectedComponentsWithStats((code == value).astype(np.uint8), connectivity=4)
        for label in range(1, count):
            if stats[label, 4] < 150:
                continue
            contours, _ = cv2.findContours(
                (labels == label).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
            )
            c = max(contours, key=cv2.contourArea).reshape(-1, 2)
            if len(c) >= 3:
                polys.append(Polygon(c).buffer(0))
    return polys


def r3d_train_split() -> tuple[list[Path], list[Path]]:
    """The R3D training plans split once, for good: (tuning part, held-out part). The plans are taken in
    name order and every ``HELD_OUT_EVERY``-th (the 5th, 10th, ...) is held out; tune only on the first
    part, and report the second."""
    folders = sorted(p for p in R3D_TRAIN.iterdir() if (p / "image.jpg").is_file()) if R3D_TRAIN.is_dir() else []
    held = [f for i, f in enumerate(folders) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    return [f for f in folders if f not in held], held


def _gt_openings(path: Path) -> list[tuple[float, float, float]]:
    """Openings of an R3D ``close.png`` as (x, y, radius) px: the centre of each connected opening band
    and half its longer side plus 5 px (the masks are off by a px or two), within which a predicted
    opening centre counts as the same opening."""
    count, _, stats, centres = cv2.connectedComponentsWithStats(_read_mask(path).astype(np.uint8), connectivity=8)
    return [
        (float(centres[k, 0]), float(centres[k, 1]), max(stats[k, 2], stats[k, 3]) / 2 + 5.0)
        for k in range(1, count)
        if stats[k, 4] >= 10
    ]


def score_r3d(folder: Path, result: FloorplanResult) -> dict[str, float]:
    """Wall F1 (3 px tolerance) and IoU, room F1 and opening F1 (doors and windows together: the masks do
    not tell them apart) of one R3D plan against its masks."""
    truth = _read_mask(folder / "wall.png")
    pred = metrics.rasterize(metrics.wall_bands(result.plan), result.to_photo_px, truth.shape)
    pred_rooms = [Polygon([result.to_photo_px(q) for q in r.polygon]).buffer(0) for r in result.plan.rooms]
    gt_rooms = _gt_rooms(folder / "rooms.png")
    matches = metrics.match_polygons(pred_rooms, gt_rooms)
    row = {
        "wall_f1": metrics.tolerant_f1(pred, truth, 3),
        "wall_iou": metrics.iou(pred, truth),
        "room_f1": metrics.f1(len(matches), len(pred_rooms), len(gt_rooms)),
    }
    if (folder / "close.png").is_file():
        gt_openings = _gt_openings(folder / "close.png")
        ours = [result.to_photo_px(p) for p in metrics.opening_centres(result, "any")]
        row["opening_f1"] = metrics.f1(metrics.match_regions(ours, gt_openings), len(ours), len(gt_openings))
    return row


def run_r3d(name: str, folders: list[Path], per_plan: bool = False) -> dict[str, Any]:
    """Plans with R3D masks (``image.jpg``, ``wall.png``, ``rooms.png``, ``close.png``): no printed scale
    to check, so no scale error. ``per_plan``: print each plan's figures as it is scored (to find the
    worst plans to look at)."""
    rows, seconds, crashes = [], [], 0
    for folder in folders:
        data = (folder / "image.jpg").read_bytes()
        try:
            start = time.perf_counter()
            result = vectorize(data)
            seconds.append(time.perf_counter() - start)
        except Exception:
            crashes += 1
            traceback.print_exc()
            continue
        rows.append(score_r3d(folder, result))
        if per_plan:
            print(f"{folder.name}: " + ", ".join(f"{k} {v:.3f}" for k, v in rows[-1].items()), flush=True)
    return _summary(name, rows, seconds, crashes, len(folders))


def run_real_r3d(limit: int | None) -> dict[str, Any]:
    return run_r3d("real R3D masked plans", sorted(p for p in REAL.glob("r3d_*") if p.is_dir())[:limit])


def run_real_other() -> dict[str, Any]:
    """Other real images: only crashes and time (their ground truth is in other formats)."""
    files = sorted(p for p in REAL.glob("*/image.*") if not p.parent.name.startswith("r3d_"))
    seconds, crashes = [], 0
    for path in files:
        try:
            start = time.perf_counter()
            vectorize(path.read_bytes())
            seconds.append(time.perf_counter() - start)
        except DomainError:
            seconds.append(time.perf_counter() - start)
        except Exception:
            crashes += 1
            traceback.print_exc()
    return _summary("real other (crash/time only)", [], seconds, crashes, len(files))


def _svg_groups(path: Path, prefix: str, scale_px: float) -> list[Polygon]:
    """First polygon of every CubiCasa SVG group whose class starts with ``prefix``, in image px."""
    polys = []
    for group in ElementTree.parse(path).iter("{http://www.w3.org/2000/svg}g"):
        if not group.get("class", "").startswith(prefix):
            continue
        polygon = group.find("{http://www.w3.org/2000/svg}polygon")
        if polygon is None:
            continue
        numbers = [float(v) for v in polygon.get("points", "").replace(",", " ").split()]
        pts = [(x * scale_px, y * scale_px) for x, y in zip(numbers[::2], numbers[1::2], strict=True)]
        if len(pts) >= 3:
            polys.append(Polygon(pts).buffer(0))
    return polys


def _centreline_f1(result: FloorplanResult, truth: list[LineString], tol_px: float) -> float:
    """F1 of wall centrelines (photo px): the share of our centreline length within ``tol_px`` of a true
    one (precision) and of the true length within ``tol_px`` of ours (recall)."""
    ours = unary_union([LineString([result.to_photo_px(w.start), result.to_photo_px(w.end)])
                        for w in result.plan.walls])
    theirs = unary_union(truth)
    if ours.length == 0 or theirs.length == 0:
        return 0.0
    precision = ours.intersection(theirs.buffer(tol_px)).length / ours.length
    recall = theirs.intersection(ours.buffer(tol_px)).length / theirs.length
    return 2 * precision * recall / max(precision + recall, 1e-9)


def run_real_vector() -> dict[str, Any]:
    """The real plans annotated as vectors: the R2V (LIFULL) plan's wall centrelines, and the CubiCasa
    scan's wall outlines and room polygons (SVG scaled into the image by its transform.json)."""
    rows, seconds, crashes = [], [], 0
    r2v = REAL / "r2v_lifull_floorplan_1"
    cubi = REAL / "cubicasa_scan_pen_fi"
    for folder in (r2v, cubi):
        try:
            start = time.perf_counter()
            result = vectorize((folder / "image.png").read_bytes())
            seconds.append(time.perf_counter() - start)
        except Exception:
            crashes += 1
            traceback.print_exc()
            continue
        if folder == r2v:
            lines = (folder / "popup_gt.txt").read_text().split("\n")
            walls = [LineString([(float(a), float(b)), (float(c), float(d))])
                     for a, b, c, d, *_ in (row.split() for row in lines[2 : 2 + int(lines[1])])]
            rows.append({"wall_f1": _centreline_f1(result, walls, R2V_TOL_PX)})
            continue
        k = json.loads((folder / "transform.json").read_text())["svg_to_image_scale"]
        shape = np.asarray(Image.open(folder / "image.png")).shape[:2]
        truth = np.zeros(shape, np.uint8)
        for wall in _svg_groups(folder / "model.svg", "Wall", k):
            for poly in getattr(wall, "geoms", [wall]):
                cv2.fillPoly(truth, [np.rint(np.asarray(poly.exterior.coords)).astype(np.int32)], 1)
        pred = metrics.rasterize(metrics.wall_bands(result.plan), result.to_photo_px, shape)
        gt_rooms = _svg_groups(folder / "model.svg", "Space", k)
        pred_rooms = [Polygon([result.to_photo_px(q) for q in r.polygon]).buffer(0) for r in result.plan.rooms]
        matches = metrics.match_polygons(pred_rooms, gt_rooms)
        rows.append({"wall_f1": metrics.tolerant_f1(pred, truth > 0, 3),
                     "room_f1": metrics.f1(len(matches), len(pred_rooms), len(gt_rooms))})
    return _summary("real vector-annotated (R2V walls, CubiCasa walls+rooms)", rows, seconds, crashes, 2)


R2V_TOL_PX = 5.0
"""Centreline tolerance on the 425 px R2V plan (its walls are 6–8 px thick)."""
PRINTED_CHAINS = {
    "cvcfp_scan_fr_attic": [(((488, 24), (918, 27)), 7800.0), (((1025, 134), (1021, 697)), 10280.0)],
}
"""Printed dimension chains of real plans: their outer ticks (photo px, located by hand in the image)
and the length they print (mm, from the plan's weak_gt.json)."""
PRINTED_AREAS = {"ftb_example_se_areas": {"bedroom": 13.0, "balcony": 8.0, "closet": 3.0}}
"""Printed room areas (m², from weak_gt.json) by the room type the plan's label names."""


def run_real_scale() -> dict[str, Any]:
    """Automatic scale on the real plans that print dimensions: the relative error of the printed
    chains (measured between their hand-located ticks) and of the printed room areas (by the
    length, i.e. the square root of the area ratio)."""
    errors: list[float] = []
    methods: list[str] = []
    for name, chains in PRINTED_CHAINS.items():
        result = vectorize((REAL / name / "image.png").read_bytes())
        methods.append(f"{name}: {result.scale.method}")
        for (a, b), printed in chains:
            errors.append(abs(math.dist(result.to_plan_mm(a), result.to_plan_mm(b)) / printed - 1))
    for name, areas in PRINTED_AREAS.items():
        result = vectorize((REAL / name / "image.png").read_bytes())
        methods.append(f"{name}: {result.scale.method}")
        traced = {room.type: room.area_m2 for room in result.plan.rooms}
        errors += [abs(math.sqrt(traced[kind] / area) - 1) if kind in traced else 1.0 for kind, area in areas.items()]
    return {"set": "real plans printing dimensions (scale)", "images": len(PRINTED_CHAINS) + len(PRINTED_AREAS),
            "crashes": 0, "scale_err_auto": statistics.median(errors),
            "scale_auto_within_2pct": sum(e <= 0.02 for e in errors) / len(errors),
            "scale_auto_within_5pct": sum(e <= 0.05 for e in errors) / len(errors), "methods": methods}


COLUMNS = [
    "images",
    "wall_iou",
    "wall_f1",
    "room_f1",
    "room_area_err",
    "opening_f1",
    "door_f1",
    "window_f1",
    "scale_err_line",
    "scale_err_two_lines",
    "scale_err_auto",
    "scale_auto_within_2pct",
    "scale_auto_within_5pct",
    "shape_err",
    "median_s",
    "crashes",
]


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| set | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for r in results:
        cells = []
        for key in COLUMNS:
            value = r.get(key)
            cells.append(
                "–"
                if value is None or (isinstance(value, float) and math.isnan(value))
                else f"{value:.3f}"
                if isinstance(value, float)
                else str(value)
            )
        lines.append(f"| {r['set']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


SEED_BASES = {"tune": 0, "held-out": 5000}
"""First seed of the synthetic sets (scans from it, photos from +100, close-ups +200, cropped +300):
the tuning range, looked at while tuning, and a held-out range measured only to report."""
SETS = ("synthetic", "real", "r3d-tune", "r3d-held-out")
"""Sets the benchmark can run (``--set``, repeatable; all by default)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a few images per set")
    parser.add_argument("--set", action="append", choices=SETS, dest="sets", help="run only these sets")
    parser.add_argument("--per-plan", action="store_true", help="print every R3D training plan's figures")
    parser.add_argument("--seeds", choices=tuple(SEED_BASES), default="tune",
                        help="synthetic seeds: the tuning range (default) or the held-out range")
    args = parser.parse_args(argv)
    chosen = set(args.sets or SETS)
    n_scan, n_photo, n_close = (6, 3, 2) if args.quick else (30, 12, 8)
    limit = 4 if args.quick else None
    base = SEED_BASES[args.seeds]
    tag = "" if args.seeds == "tune" else ", held-out seeds"
    cv2.setNumThreads(2)
    results = []
    if "synthetic" in chosen:
        results += [
            run_synthetic(f"synthetic scans{tag}", synth.scan_sample, range(base, base + n_scan)),
            run_synthetic(f"synthetic photos (12 MP){tag}", synth.photo_sample,
                          range(base + 100, base + 100 + n_photo)),
            run_synthetic(f"synthetic close-up photos (no whole sheet){tag}", synth.closeup_sample,
                          range(base + 200, base + 200 + n_close)),
            run_synthetic(f"synthetic cropped photos (principal point off-centre){tag}", synth.cropped_sample,
                          range(base + 300, base + 300 + n_close)),
        ]
    if "real" in chosen and REAL.is_dir():
        results.append(run_real_r3d(limit))
        results.append(run_real_other())
        results.append(run_real_scale())
        results.append(run_real_vector())
    tune, held = r3d_train_split()
    if "r3d-tune" in chosen and tune:
        results.append(run_r3d(f"R3D train, tuning part ({len(tune)})", tune[:limit], args.per_plan))
    if "r3d-held-out" in chosen and held:
        results.append(run_r3d(f"R3D train, held-out part ({len(held)}, every {HELD_OUT_EVERY}th)", held[:limit],
                               args.per_plan))
    print(table(results))
    out = RESULTS if args.seeds == "tune" else RESULTS.with_name(f"{RESULTS.stem}-{args.seeds}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
