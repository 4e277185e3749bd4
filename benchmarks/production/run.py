"""Production-line benchmark: panel saw and CNC router nesting, and a side-by-side with packingsolver.

Run from the project root (single process; packingsolver runs from a separate Python 3.12 venv)::

    ~/.pyenv/versions/3.12*/bin/python -m venv /tmp/ps312 && /tmp/ps312/bin/pip install packingsolver
    .venv/bin/python -m benchmarks production --quick          # every 10th 2BP instance (30)
    .venv/bin/python -m benchmarks production                  # all 300 2BP instances
    .venv/bin/python -m benchmarks production --ps-python /path/to/python3.12

Sets:

- ``batch``: the factory batch ``../shared/nesting/kitchens/kitchens3_cutlist.csv`` (read in place,
  never copied) per material on 2800×2070 boards, trim 10: the panel saw (3-stage guillotine, kerf 4,
  ``backend.bom.nesting``) and the CNC router (12 mm tool between parts, small parts 60 mm inside and
  cut last, ``backend.bom.nesting.router``), sheets against the area lower bound and time; every
  layout passes its independent checker (``layout_check`` / ``router_check``) or is counted;
- ``stock``: the same batch on the factory's stock (issue #14), both lines: (a) one size 2800×2070,
  (b) two sizes 2800×2070 + 2440×1220, (c) three remnants per material (1400×900, 2070×800,
  900×600, used first) with one size and (d) with the two sizes; stock sheets, stock area (what the
  batch consumes), yield over every board used and over the stock sheets, time, checker violations;
- ``own5``: a five-kitchen batch of the project's own orders, as the factory receives it (the parts each
  order's package nests, ids made unique per order): two layouts, the demo L kitchen (16 units) and the
  large U kitchen (25), ordered five times with the carcass in white, grey, oak decor or birch ply
  (other boards, as repeat orders of a popular layout come in);
  each material on its catalog board (trim 10, kerf 4 for the saw; 12 mm tool for the router): sheets
  against the area bound, time, checker violations;
- ``2bp``: the Berkey–Wang / Martello–Vigo instances (oriented: no rotation, no kerf, no trim):
  our router vs packingsolver ``rectangle`` against ``bks_data_bin_packing_oriented.csv``, and our
  3-stage saw vs packingsolver ``rectangleguillotine`` (3 stages, non-exact) against
  ``bks_data_bin_packing_3nho.csv``.  *Equal time*: each packingsolver run gets as its time limit
  the wall time our solver took on that instance (at least ``--min-seconds``, default 0.05 s).

Prints markdown tables and writes ``benchmarks/results/production.json``.
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import math
import subprocess
import time
from pathlib import Path
from typing import Any

from backend.bom.layout_check import check_layout
from backend.bom.nesting import Board, NestSettings, Part, nest
from backend.bom.nesting.router import RouterSettings, Stock, nest_router
from backend.bom.router_check import check_router_layout
from backend.cli.nest import read_cutlist

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path("/work/shared/nesting") if Path("/work/shared/nesting").is_dir() else ROOT.parent / "shared" / "nesting"
RESULTS = ROOT / "benchmarks" / "results" / "production.json"
RUNNER = Path(__file__).with_name("ps_runner.py")


def _plain(parts: list[Part]) -> list[dict[str, Any]]:
    return [{"id": p.id, "width": p.width, "height": p.height, "grain_locked": p.grain_locked,
             "material": p.material} for p in parts]


def bench_batch() -> dict[str, Any]:
    parts = read_cutlist((SHARED / "kitchens" / "kitchens3_cutlist.csv").read_text(encoding="utf-8"))
    board = Board(2800, 2070)
    materials = sorted({p.material for p in parts})
    t0 = time.perf_counter()
    saw = nest(parts, {m: board for m in materials}, NestSettings(trim=10, kerf=4, stages=3))
    saw_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    router = nest_router(parts, {m: [Stock(board)] for m in materials}, RouterSettings(trim=10, spacing=12))
    router_s = time.perf_counter() - t0
    saw_errors = check_layout(saw.to_dict(), _plain(parts))
    router_errors = check_router_layout(router.to_dict(), _plain(parts))
    rows = []
    for m_saw, m_rt in zip(saw.materials, router.materials, strict=True):
        rows.append({"material": m_saw.material, "parts": sum(len(s.placements) for s in m_saw.sheets),
                     "lower_bound_saw": m_saw.lower_bound, "saw_sheets": m_saw.sheet_count,
                     "lower_bound_router": m_rt.lower_bound, "router_sheets": m_rt.sheet_count})
    return {"parts": len(parts), "rows": rows, "saw_seconds": saw_s, "router_seconds": router_s,
            "saw_sheets": saw.sheet_count, "router_sheets": router.sheet_count,
            "lower_bound": sum(r["lower_bound_saw"] for r in rows),
            "saw_violations": len(saw_errors), "router_violations": len(router_errors)}


STOCK_SETS: dict[str, tuple[list[tuple[str, Board]], list[Board]]] = {
    "one size": ([], [Board(2800, 2070)]),
    "two sizes": ([], [Board(2800, 2070), Board(2440, 1220)]),
    "remnants + one size": ([("R1", Board(1400, 900)), ("R2", Board(2070, 800)), ("R3", Board(900, 600))],
                            [Board(2800, 2070)]),
    "remnants + two sizes": ([("R1", Board(1400, 900)), ("R2", Board(2070, 800)), ("R3", Board(900, 600))],
                             [Board(2800, 2070), Board(2440, 1220)]),
}


def bench_stock() -> list[dict[str, Any]]:
    parts = read_cutlist((SHARED / "kitchens" / "kitchens3_cutlist.csv").read_text(encoding="utf-8"))
    materials = sorted({p.material for p in parts})
    area = {p.id: p.width * p.height for p in parts}
    rows = []
    for name, (remnants, sizes) in STOCK_SETS.items():
        stocks = {m: [*(Stock(b, f"{m}-{rid}") for rid, b in remnants), *(Stock(b) for b in sizes)] for m in materials}
        for line in ("saw", "router"):
            t0 = time.perf_counter()
            if line == "saw":
                res: Any = nest(parts, stocks, NestSettings(trim=10, kerf=4, stages=3))
                seconds = time.perf_counter() - t0
                bad = len(check_layout(res.to_dict(), _plain(parts)))
            else:
                res = nest_router(parts, stocks, RouterSettings(trim=10, spacing=12))
                seconds = time.perf_counter() - t0
                bad = len(check_router_layout(res.to_dict(), _plain(parts)))
            sheets = [s for m in res.materials for s in m.sheets]
            new = [s for s in sheets if s.remnant_id is None]
            stock_area = sum(s.board.length * s.board.width for s in new)
            on_stock = sum(area[pl.part_id] for s in new for pl in s.placements)
            sizes_used: dict[str, int] = {}
            for s in new:
                key = f"{s.board.length:g}×{s.board.width:g}"
                sizes_used[key] = sizes_used.get(key, 0) + 1
            rows.append({"stock": name, "line": line, "sheets": len(sheets), "stock_sheets": len(new),
                         "remnants_used": len(sheets) - len(new), "sizes": sizes_used,
                         "stock_area_m2": stock_area / 1e6,
                         "yield": sum(area.values()) / sum(s.board.length * s.board.width for s in sheets),
                         "stock_yield": on_stock / stock_area if stock_area else 0.0,
                         "seconds": seconds, "violations": bad})
    return rows


def own_kitchens() -> list[tuple[str, Any]]:
    """The five kitchen orders of ``own5`` as (name, design)."""
    from backend.configurator.catalog import load_catalog
    from backend.configurator.demo import demo_design

    catalog = load_catalog()

    def carcass(design: Any, material: str) -> Any:
        return design.model_copy(update={"settings": design.settings.model_copy(
            update={"carcass_material": material})})

    return [("L kitchen", demo_design(catalog=catalog)),
            ("U kitchen", demo_design(large=True, catalog=catalog)),
            ("L kitchen, birch ply carcass", carcass(demo_design(catalog=catalog), "ply_birch_18")),
            ("L kitchen, grey carcass", carcass(demo_design(catalog=catalog), "pb_grey_18")),
            ("U kitchen, oak carcass", carcass(demo_design(large=True, catalog=catalog), "pb_oak_18"))]


def bench_own5() -> dict[str, Any]:
    from backend.bom.parts import board_of, nesting_parts, parts_list
    from backend.configurator.catalog import load_catalog

    catalog = load_catalog()
    parts: list[Part] = []
    orders = []
    for n, (name, design) in enumerate(own_kitchens(), start=1):
        mine = nesting_parts(parts_list(design, catalog).parts, catalog)
        parts += [Part(f"K{n}-{p.id}", p.width, p.height, p.grain_locked, p.material) for p in mine]
        orders.append({"order": name, "units": len(design.cabinets), "parts": len(mine)})
    materials = sorted({p.material for p in parts})
    boards = {m: board_of(catalog, m) for m in materials}
    t0 = time.perf_counter()
    saw = nest(parts, boards, NestSettings(trim=10, kerf=4, stages=3))
    saw_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    router = nest_router(parts, {m: [Stock(b)] for m, b in boards.items()}, RouterSettings(trim=10, spacing=12))
    router_s = time.perf_counter() - t0
    rows = [{"material": a.material, "parts": sum(len(s.placements) for s in a.sheets), "lower_bound": a.lower_bound,
             "saw_sheets": a.sheet_count, "router_sheets": b.sheet_count}
            for a, b in zip(saw.materials, router.materials, strict=True)]
    return {"orders": orders, "parts": len(parts), "rows": rows, "lower_bound": sum(r["lower_bound"] for r in rows),
            "saw_sheets": saw.sheet_count, "router_sheets": router.sheet_count, "saw_seconds": saw_s,
            "router_seconds": router_s, "saw_violations": len(check_layout(saw.to_dict(), _plain(parts))),
            "router_violations": len(check_router_layout(router.to_dict(), _plain(parts)))}


def _instances(quick: bool) -> list[tuple[str, list[tuple[int, int]], tuple[int, int]]]:
    out = []
    for items_path in sorted(glob.glob(str(SHARED / "2bp" / "*" / "*_items.csv"))):
        name = items_path.removesuffix("_items.csv")
        rel = str(Path(name).relative_to(SHARED / "2bp"))
        with open(items_path, encoding="utf-8") as f:
            items = [(int(r["WIDTH"]), int(r["HEIGHT"])) for r in csv.DictReader(f)]
        with open(name + "_bins.csv", encoding="utf-8") as f:
            b = next(csv.DictReader(f))
        out.append((rel, items, (int(b["WIDTH"]), int(b["HEIGHT"]))))
    return out[::10] if quick else out


def _bks(name: str) -> dict[str, int]:
    with open(SHARED / "2bp" / name, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # a few entries are empty or fractional (a bound, not a solution): no best-known count there
    return {r["Path"]: int(r["Best known solution value"]) for r in rows
            if r["Best known solution value"].strip().isdigit()}


def _ours(items: list[tuple[int, int]], bin_: tuple[int, int], mode: str) -> tuple[int, float, int]:
    parts = [Part(f"i{n}", w, h, True, "") for n, (w, h) in enumerate(items)]
    board = Board(*bin_)
    t0 = time.perf_counter()
    if mode == "router":
        settings = RouterSettings(trim=0, spacing=0, small_side_mm=0, small_area_mm2=0, small_margin=0, rotate=False)
        res = nest_router(parts, {"": [Stock(board)]}, settings)
        seconds = time.perf_counter() - t0
        bad = len(check_router_layout(res.to_dict(), _plain(parts)))
        return res.sheet_count, seconds, bad
    nres = nest(parts, board, NestSettings(trim=0, kerf=0, stages=3, rotate=False))
    seconds = time.perf_counter() - t0
    return nres.sheet_count, seconds, len(check_layout(nres.to_dict(), _plain(parts)))


def bench_2bp(quick: bool, ps_python: str, min_seconds: float) -> dict[str, Any]:
    bks = {"router": _bks("bks_data_bin_packing_oriented.csv"), "saw": _bks("bks_data_bin_packing_3nho.csv")}
    jobs, ours = [], []
    for name, items, bin_ in _instances(quick):
        for mode, solver in (("router", "rectangle"), ("saw", "rectangleguillotine")):
            sheets, seconds, bad = _ours(items, bin_, mode)
            ours.append({"name": name, "mode": mode, "sheets": sheets, "seconds": seconds, "violations": bad,
                         "bks": bks[mode].get(name), "area_bound": math.ceil(sum(w * h for w, h in items)
                                                                              / (bin_[0] * bin_[1]))})
            jobs.append({"name": name, "solver": solver, "bin": list(bin_), "items": [list(i) for i in items],
                         "time_limit": max(seconds, min_seconds)})
    try:
        proc = subprocess.run([ps_python, str(RUNNER)], input=json.dumps(jobs), capture_output=True, text=True,
                              check=True, timeout=7200)
        ps = json.loads(proc.stdout)
        ps_error = None
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        ps, ps_error = [], f"packingsolver did not run: {exc!s}"[:2000]
    by = {(r["name"], r["solver"]): r for r in ps}
    summary: dict[str, Any] = {}
    for mode, solver in (("router", "rectangle"), ("saw", "rectangleguillotine")):
        rows = [o for o in ours if o["mode"] == mode]
        theirs = [by.get((o["name"], solver)) for o in rows]
        summary[mode] = {
            "instances": len(rows),
            "ours_sheets": sum(o["sheets"] for o in rows),
            "ours_at_bks": sum(o["sheets"] <= (o["bks"] or 0) for o in rows),
            "ours_seconds": sum(o["seconds"] for o in rows),
            "ours_violations": sum(o["violations"] for o in rows),
            "bks_sheets": sum(o["bks"] or 0 for o in rows),
            "ps_solver": solver,
            "ps_sheets": sum(t["bins"] for t in theirs if t and t["bins"] is not None) if ps else None,
            "ps_at_bks": sum(1 for o, t in zip(rows, theirs, strict=True)
                             if t and t["bins"] is not None and t["bins"] <= (o["bks"] or 0)) if ps else None,
            "ps_incomplete": sum(1 for t in theirs if not t or t["bins"] is None) if ps else None,
            "ps_seconds": sum(t["seconds"] for t in theirs if t) if ps else None,
            # on the instances packingsolver completed within its time: both sides' sheets
            "both_instances": sum(1 for t in theirs if t and t["bins"] is not None),
            "both_ours_sheets": sum(o["sheets"] for o, t in zip(rows, theirs, strict=True)
                                    if t and t["bins"] is not None),
            "both_ps_sheets": sum(t["bins"] for t in theirs if t and t["bins"] is not None),
            "both_bks_sheets": sum(o["bks"] or 0 for o, t in zip(rows, theirs, strict=True)
                                   if t and t["bins"] is not None),
        }
    return {"summary": summary, "ours": ours, "packingsolver": ps, "packingsolver_error": ps_error}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="every 10th 2BP instance")
    ap.add_argument("--ps-python", default="/tmp/ps312/bin/python", help="Python ≥ 3.12 with packingsolver")
    ap.add_argument("--min-seconds", type=float, default=0.05, help="smallest time limit given to packingsolver")
    ap.add_argument("--sets", default="batch,stock,own5,2bp")
    args = ap.parse_args()
    report: dict[str, Any] = {}
    sets = args.sets.split(",")
    if "batch" in sets:
        report["batch"] = b = bench_batch()
        print(f"### Factory batch ({b['parts']} parts, kitchens3_cutlist.csv)\n")
        print("| material | parts | area bound | saw sheets | router sheets |\n|---|---|---|---|---|")
        for r in b["rows"]:
            print(f"| {r['material']} | {r['parts']} | {r['lower_bound_saw']} | {r['saw_sheets']} | "
                  f"{r['router_sheets']} |")
        print(f"| **total** | {b['parts']} | {b['lower_bound']} | {b['saw_sheets']} | {b['router_sheets']} |\n")
        print(f"saw {b['saw_seconds']:.2f} s ({b['saw_violations']} checker violations), router "
              f"{b['router_seconds']:.2f} s ({b['router_violations']} violations)\n")
    if "stock" in sets:
        report["stock"] = rows = bench_stock()
        print("### Factory batch on the factory's stock (remnants first, several sizes)\n")
        print("| stock | line | sheets | of them remnants | new sheets by size | stock area m² | yield (all boards) | "
              "yield (new sheets) | s | violations |\n|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            sizes = ", ".join(f"{n} × {k}" for k, n in r["sizes"].items())
            print(f"| {r['stock']} | {r['line']} | {r['sheets']} | {r['remnants_used']} | {sizes} | "
                  f"{r['stock_area_m2']:.2f} | {r['yield']:.1%} | {r['stock_yield']:.1%} | {r['seconds']:.1f} | "
                  f"{r['violations']} |")
        print()
    if "own5" in sets:
        report["own5"] = o = bench_own5()
        print(f"### Five kitchens of our own ({o['parts']} parts: "
              + ", ".join(f"{r['order']} {r['units']} units / {r['parts']} parts" for r in o["orders"]) + ")\n")
        print("| material | parts | area bound | saw sheets | router sheets |\n|---|---|---|---|---|")
        for r in o["rows"]:
            print(f"| {r['material']} | {r['parts']} | {r['lower_bound']} | {r['saw_sheets']} | {r['router_sheets']} |")
        print(f"| **total** | {o['parts']} | {o['lower_bound']} | {o['saw_sheets']} | {o['router_sheets']} |\n")
        print(f"saw {o['saw_seconds']:.2f} s ({o['saw_violations']} checker violations), router "
              f"{o['router_seconds']:.2f} s ({o['router_violations']} violations)\n")
    if "2bp" in sets:
        report["2bp"] = t = bench_2bp(args.quick, args.ps_python, args.min_seconds)
        if t["packingsolver_error"]:
            print(t["packingsolver_error"])
        print("### 2BP, oriented, equal time\n")
        print("| line | ours vs packingsolver | instances | BKS sheets | ours sheets | ours = BKS | ours s | "
              "ps sheets | ps = BKS | ps incomplete | ps s |\n|---|---|---|---|---|---|---|---|---|---|---|")
        for mode, s in t["summary"].items():
            ps_s = None if s["ps_seconds"] is None else round(s["ps_seconds"], 1)
            print(f"| {mode} | {s['ps_solver']} | {s['instances']} | {s['bks_sheets']} | {s['ours_sheets']} | "
                  f"{s['ours_at_bks']} | {s['ours_seconds']:.1f} | {s['ps_sheets']} | {s['ps_at_bks']} | "
                  f"{s['ps_incomplete']} | {ps_s} |")
        print("\n| line | instances packingsolver completed | BKS | ours | packingsolver |\n|---|---|---|---|---|")
        for mode, s in t["summary"].items():
            print(f"| {mode} | {s['both_instances']} | {s['both_bks_sheets']} | {s['both_ours_sheets']} | "
                  f"{s['both_ps_sheets']} |")
        print(f"\nours: checker violations router {t['summary']['router']['ours_violations']}, "
              f"saw {t['summary']['saw']['ours_violations']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
