"""Which OCR engine reads floor plans better: each engine reads the same views the floor-plan reader
gives OCR (``pipeline.ocr_view``), its lines are matched to hand-transcribed (``truth.json``) or
drawn-known text by box overlap, and scored with the reader's own parser (``ocr.parse``).

Run: ``.venv/bin/python -m benchmarks.ocr.run [--engine rapidocr --engine tesseract] [--quick]``
(or ``python -m benchmarks ocr``). Prints a markdown table per set (English real, R3D tuning part,
Chinese drawn, synthetic) and writes ``benchmarks/results/ocr.json``. Figures per engine:

* label recall: printed room names whose box holds a read line the parser gives a right room type;
* dims / areas / lengths exact: printed room sizes, areas and loose dimension numbers whose box holds
  a read line the parser turns into the same value;
* text read: printed strings found, spaces and case aside, in the lines read over their box (the OCR
  alone, before the parser);
* false readings: read lines that the parser takes for a room type, size or area where no such
  thing (or another value) is printed;
* OCR time per plan: wall and CPU seconds (CPU includes Tesseract's subprocess), one thread each.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from backend.floorplan import intake, ocr
from backend.floorplan.framing import rectify_photo
from backend.floorplan.pipeline import ocr_view
from backend.floorplan.result import VectorizeOptions
from backend.floorplan.tracing import trace
from benchmarks.floorplan import synth
from benchmarks.floorplan.run import R3D_TRAIN, REAL, ROOT, r3d_train_split
from benchmarks.ocr import zh

TRUTH = Path(__file__).resolve().parent / "truth.json"
RESULTS = ROOT / "benchmarks" / "results" / "ocr.json"
KINDS = ("label", "dims", "area", "length")


@dataclass
class Sample:
    set: str
    name: str
    data: bytes
    truth: list[dict[str, Any]]


def real_samples() -> Iterator[Sample]:
    doc = json.loads(TRUTH.read_text(encoding="utf-8"))
    for name, truth in doc["real"].items():
        path = next((REAL / name).glob("image.*"), None)
        if path is not None:
            yield Sample("real", name, path.read_bytes(), truth)
    tune = {p.name for p in r3d_train_split()[0]}
    for name, truth in doc["r3d_train"].items():
        assert name in tune, f"{name} is in the held-out part of r3d_train: never transcribe or score it here"
        path = R3D_TRAIN / name / "image.jpg"
        if path.is_file():
            yield Sample("r3d-tune", name, path.read_bytes(), truth)


def chinese_samples(count: int) -> Iterator[Sample]:
    if not zh.CJK_FONT.exists():
        return
    for p in [*zh.test_plans(), *(zh.plan(seed) for seed in range(count))]:
        yield Sample("chinese", p.name, p.data, p.truth)


SYNTH_TYPES = {
    "KITCHEN": "kitchen",
    "LIVING": "living",
    "BEDROOM": "bedroom",
    "BATH": "bathroom",
    "HALL": "hall",
    "STUDY": "study",
    "WC": "toilet",
    "DINING": "dining",
    "STORE": "storage",
}


def _synth_truth(clean: synth.Sample, final: synth.Sample, mm_per_px: float) -> list[dict[str, Any]]:
    """What ``synth._draw_text`` prints, with its boxes moved from the clean drawing into the final image."""
    to_final = final.mm_to_image @ np.linalg.inv(clean.mm_to_image)

    def box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], float) @ to_final.T
        xy = pts[:, :2] / pts[:, 2:]
        return [float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max())]

    font = cv2.FONT_HERSHEY_SIMPLEX
    size = 300 / mm_per_px / 22
    minx, _, maxx, _ = clean.plan.outline.bounds
    margin = 1500 / mm_per_px
    out: list[dict[str, Any]] = []
    for room, name in zip(clean.plan.rooms, clean.plan.room_names, strict=True):
        c = room.centroid if room.contains(room.centroid) else room.representative_point()
        room_w = (room.bounds[2] - room.bounds[0]) / mm_per_px
        label_size = size
        while cv2.getTextSize(name, font, label_size, max(1, round(label_size * 1.5)))[0][0] > 0.8 * room_w:
            label_size *= 0.85
        (tw, th), _ = cv2.getTextSize(name, font, label_size, max(1, round(label_size * 1.5)))
        x, y = round(c.x / mm_per_px + margin - tw / 2), round(c.y / mm_per_px + margin)
        out.append({"kind": "label", "text": name, "box": box(x, y - th, x + tw, y), "types": [SYNTH_TYPES[name]]})
        area = f"{room.area / 1e6:.1f} m2"
        (aw, ah), _ = cv2.getTextSize(area, font, size * 0.8, 1)
        ay = y + round(30 * size)
        out.append({"kind": "area", "text": area, "box": box(x, ay - ah, x + aw, ay), "value": float(area[:-3])})
    y = round(margin - 700 / mm_per_px)
    x0, x1 = round(margin), round((maxx - minx) / mm_per_px + margin)
    text = f"{maxx - minx:.0f}"
    (dw, dh), _ = cv2.getTextSize(text, font, size * 0.8, 1)
    tx = (x0 + x1) // 2 - 30
    out.append({"kind": "length", "text": text, "box": box(tx, y - 8 - dh, tx + dw, y - 8), "value": float(text)})
    return out


def synthetic_samples(scans: int, photos: int) -> Iterator[Sample]:
    for seed in range(scans):
        rng = np.random.default_rng(seed + 10_000)
        style = synth.STYLES[seed % 3]
        mm = float(rng.uniform(12, 22))
        clean = synth.render(synth.make_plan(seed), style, mm, seed)
        final = synth.degrade_scan(clean, seed)
        yield Sample("synthetic", f"scan_{seed}", final.encoded, _synth_truth(clean, final, mm))
    for seed in range(photos):
        rng = np.random.default_rng(seed + 20_000)
        mm = float(rng.uniform(8, 14))
        clean = synth.render(synth.make_plan(seed), synth.STYLES[seed % 3], mm, seed)
        final = synth.photo_sample(seed)
        yield Sample("synthetic", f"photo12mp_{seed}", final.encoded, _synth_truth(clean, final, mm))


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower().replace("×", "x").replace(",", ".")


def _overlaps(a: list[float], b: list[float], pad: float) -> bool:
    return a[0] - pad <= b[2] and b[0] <= a[2] + pad and a[1] - pad <= b[3] and b[1] <= a[3] + pad


def _numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", _squash(text))}


def _hit(entry: dict[str, Any], label: ocr.Label) -> bool:
    kind = entry["kind"]
    if kind == "label":
        return label.room_type in entry["types"]
    if kind == "dims":
        return label.dims_m is not None and sorted(label.dims_m) == sorted(entry["value"])
    if kind == "area":
        return label.area_m2 is not None and abs(label.area_m2 - entry["value"]) < 1e-6
    return entry["value"] in _numbers(label.text)


def score(truth: list[dict[str, Any]], lines: list[tuple[ocr.Label, list[float]]]) -> dict[str, Any]:
    """Counts for one plan: per kind, printed / read exactly / text found; and false readings."""
    row: dict[str, Any] = {f"{k}_{m}": 0 for k in KINDS for m in ("n", "ok", "text")}
    row["false"] = 0
    for entry in truth:
        pad = max(4.0, 0.5 * (entry["box"][3] - entry["box"][1]))
        near = [(lb, b) for lb, b in lines if _overlaps(entry["box"], b, pad)]
        kind = entry["kind"]
        row[f"{kind}_n"] += 1
        row[f"{kind}_ok"] += any(_hit(entry, lb) for lb, _ in near)
        row[f"{kind}_text"] += _squash(entry["text"]).strip("()[]") in "".join(_squash(lb.text) for lb, _ in near)
    for lb, b in lines:
        claims = [k for k, v in (("label", lb.room_type), ("dims", lb.dims_m), ("area", lb.area_m2)) if v is not None]
        for kind in claims:
            right = any(
                e["kind"] == kind
                and _overlaps(e["box"], b, max(4.0, 0.5 * (e["box"][3] - e["box"][1])))
                and _hit(e, lb)
                for e in truth
            )
            row["false"] += not right
    return row


def prepare(data: bytes) -> tuple[np.ndarray, float, np.ndarray]:
    """The OCR view of a plan as the reader makes it, its px per plan px, and plan px → image px."""
    gray = intake.decode_gray(data)
    frame = rectify_photo(gray, VectorizeOptions())
    traced = trace(frame)
    view, k = ocr_view(gray, frame, traced.segments, traced.thickness)
    return view, k, np.linalg.inv(frame.photo_to_plan)


def _line_box(line: list[ocr.Word], to_image: np.ndarray) -> list[float]:
    x0, y0 = min(w[1] for w in line), min(w[2] for w in line)
    x1, y1 = max(w[1] + w[3] for w in line), max(w[2] + w[4] for w in line)
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]]) @ to_image.T
    xy = pts[:, :2] / pts[:, 2:]
    return [float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max())]


def run(samples: list[Sample], engines: list[ocr.Engine], per_plan: bool) -> dict[str, Any]:
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for sample in samples:
        view, k, to_image = prepare(sample.data)
        for engine in engines:
            ocr.read_text(np.full((64, 64), 255, np.uint8), 1.0, engine)  # loads the engine outside the timing
            wall, cpu = time.perf_counter(), _cpu()
            reading = ocr.read_text(view, k, engine)
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            lines = [(lb, _line_box(line, to_image)) for line, lb in zip(reading.lines, reading.labels, strict=True)]
            row = {"plan": sample.name, **score(sample.truth, lines), "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}
            if per_plan:
                print(engine, sample.set, json.dumps(row), flush=True)
            rows.setdefault(sample.set, {}).setdefault(engine, []).append(row)
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def share(kind: str, m: str) -> str:
        n = sum(r[f"{kind}_n"] for r in rows)
        return f"{sum(r[f'{kind}_{m}'] for r in rows)}/{n}" if n else "–"

    return {
        "plans": len(rows),
        **{f"{kind} {m}": share(kind, key) for kind in KINDS for m, key in (("exact", "ok"), ("text", "text"))},
        "false readings": sum(r["false"] for r in rows),
        "median wall s": round(statistics.median(r["wall_s"] for r in rows), 2),
        "median cpu s": round(statistics.median(r["cpu_s"] for r in rows), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", choices=ocr.ENGINES, help="default: every installed engine")
    parser.add_argument("--quick", action="store_true", help="fewer drawn plans")
    parser.add_argument("--set", action="append", choices=("real", "r3d-tune", "chinese", "synthetic"))
    parser.add_argument("--per-plan", action="store_true")
    args = parser.parse_args()
    engines = [e for e in (args.engine or ocr.ENGINES) if ocr.available(e)]
    chosen = set(args.set or ("real", "r3d-tune", "chinese", "synthetic"))
    samples = [s for s in real_samples() if s.set in chosen]
    if "chinese" in chosen:
        samples += list(chinese_samples(4 if args.quick else 10))
    if "synthetic" in chosen:
        samples += list(synthetic_samples(3 if args.quick else 8, 1 if args.quick else 3))
    load = os.getloadavg()[0]
    rows = run(samples, engines, args.per_plan)
    table = {s: {e: summary(r) for e, r in per.items()} for s, per in rows.items()}
    print(f"\nOCR engines on the reader's OCR views; load average {load:.1f} on {os.cpu_count()} cores\n")
    for set_name, per in table.items():
        cols = list(next(iter(per.values())))
        print(f"### {set_name}\n\n| engine | " + " | ".join(cols) + " |\n|---|" + "---|" * len(cols))
        for engine, summ in per.items():
            print(f"| {engine} | " + " | ".join(str(summ[c]) for c in cols) + " |")
        print()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"load": load, "summary": table, "plans": rows}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
