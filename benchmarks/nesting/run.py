"""Nesting benchmark: sheets against the best-known results and against rectpack.

Run from the project root (one process, single core; do not run two at once)::

    .venv/bin/python -m benchmarks.nesting.run            # all 300 2BP instances (~10 min)
    .venv/bin/python -m benchmarks.nesting.run --quick    # every 10th instance

Sets:

- ``2bp-3nho``: the 300 Berkey–Wang / Martello–Vigo instances (classes 1–10, n = 20/40/60),
  3 stages + trim, no rotation, no kerf, against ``bks_data_bin_packing_3nho.csv``;
- ``2bp-3nhr``: the same with rotation, against ``_3nhr``;
- ``kitchens3``: the 327-panel batch per material (board 2800×2070, trim 10, kerf 4, grain
  locks), against the area lower bound (target ≤ bound + 1);
- ``kitchens3-stock``: the same batch on a factory's stock (issue #14): two sizes (2800×2070 and
  2440×1220), and three remnants per material (1400×900, 2070×800, 900×600, used first) with the two
  sizes; sheets (remnants and new), new-sheet area, the area bound on the largest size, checker
  violations (each sheet on its own board);
- speed: one 12-cabinet kitchen (K1, 110 parts), the first 150 parts of the batch, and a
  600-part batch (the batch twice, cut at 600), against 2 s / 2 s / 30 s.

rectpack (the usual Python choice) runs with every guillotine algorithm (3 selections × 6
splits) × 7 sort orders × 2 bin choices (BFF, BBF), on bins of the instance size; the best
sheet count counts.  rectpack knows no kerf, trim or grain: for the kitchens its parts and bin
are inflated by the kerf and the bin reduced by the trim, and rotation is off for a material
with grain-locked parts.  Its best layouts are also run through our 3-stage checker (rectpack
does not limit stages, so some fail).  Every one of our layouts is checked by the independent
checker ``backend.bom.layout_check``; any violation is counted and listed.

Prints markdown tables and writes ``benchmarks/results/nesting.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rectpack
from rectpack import guillotine

from backend.bom.layout_check import check_layout
from backend.bom.nesting import Board, BoardStock, NestResult, NestSettings, Part, Stock, nest
from backend.cli.nest import read_cutlist

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ROOMWRIGHT_SHARED") or ROOT.parent / "shared") / "nesting"
RESULTS = ROOT / "benchmarks" / "results" / "nesting.json"

RP_ALGOS = [
    getattr(guillotine, f"Guillotine{s}{p}")
    for s in ("Baf", "Blsf", "Bssf")
    for p in ("Sas", "Las", "Slas", "Llas", "Maxas", "Minas")
]
RP_SORTS = {
    "area": rectpack.SORT_AREA,
    "peri": rectpack.SORT_PERI,
    "diff": rectpack.SORT_DIFF,
    "sside": rectpack.SORT_SSIDE,
    "lside": rectpack.SORT_LSIDE,
    "ratio": rectpack.SORT_RATIO,
    "none": rectpack.SORT_NONE,
}
_CPU: list[float] = []
RP_BINS = {"BFF": rectpack.PackingBin.BFF, "BBF": rectpack.PackingBin.BBF}


def _plain(parts: list[Part]) -> list[dict[str, Any]]:
    return [
        {"id": p.id, "width": p.width, "height": p.height, "grain_locked": p.grain_locked, "material": p.material}
        for p in parts
    ]


def rectpack_best(
    rects: list[tuple[str, float, float]],
    bin_w: float,
    bin_h: float,
    rotate: bool,
    stages: int,
    kerf: float = 0.0,
    trim: float = 0.0,
) -> dict[str, Any]:
    """Best bin count over rectpack's guillotine settings (sizes already inflated as needed)."""
    t0 = time.perf_counter()
    best: tuple[int, str, Any] | None = None
    for bname, bin_algo in RP_BINS.items():
        for algo in RP_ALGOS:
            for sname, sort in RP_SORTS.items():
                packer = rectpack.newPacker(
                    mode=rectpack.PackingMode.Offline,
                    bin_algo=bin_algo,
                    pack_algo=algo,
                    sort_algo=sort,
                    rotation=rotate,
                )
                for rid, w, h in rects:
                    packer.add_rect(w, h, rid)
                packer.add_bin(bin_w, bin_h, count=float("inf"))
                packer.pack()
                if len(packer.rect_list()) != len(rects):
                    continue
                if best is None or len(packer) < best[0]:
                    best = (len(packer), f"{algo.__name__}/{sname}/{bname}", packer)
    seconds = time.perf_counter() - t0
    assert best is not None
    # Are rectpack's best layouts cuttable in ``stages`` stages (our checker)?
    layout: dict[str, Any] = {
        "settings": {"trim": trim, "kerf": kerf, "stages": stages, "rotate": rotate},
        "materials": [
            {
                "material": "",
                "board": {"length": bin_w + 2 * trim - kerf, "width": bin_h + 2 * trim - kerf},
                "sheets": [],
            }
        ],
    }
    sheets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for b, x, y, w, h, rid in best[2].rect_list():
        sheets[b].append(
            {"part_id": rid, "x": x + trim, "y": y + trim, "width": w - kerf, "height": h - kerf, "rotated": False}
        )
    layout["materials"][0]["sheets"] = [{"placements": sheets[b]} for b in sorted(sheets)]
    bad = sum(
        1 for sh in layout["materials"][0]["sheets"] if any("cannot be cut" in p for p in _sheet_problems(layout, sh))
    )
    return {"sheets": best[0], "setting": best[1], "seconds": seconds, "sheets_not_staged": bad}


def _sheet_problems(layout: dict[str, Any], sheet: dict[str, Any]) -> list[str]:
    from backend.bom.layout_check import check_sheet

    cfg = layout["settings"]
    board = layout["materials"][0]["board"]
    return check_sheet(
        board["length"], board["width"], sheet["placements"], trim=cfg["trim"], kerf=cfg["kerf"], stages=cfg["stages"]
    )


def _ours(
    parts: list[Part], board: BoardStock | dict[str, BoardStock], s: NestSettings
) -> tuple[NestResult, float, list[str]]:
    t0, c0 = time.perf_counter(), time.process_time()
    result = nest(parts, board, s)
    seconds = time.perf_counter() - t0
    _CPU.append(time.process_time() - c0)  # the machine is shared: CPU time is the steadier figure
    problems = check_layout(result.to_dict(), _plain(parts))
    return result, seconds, problems


def load_2bp(quick: bool) -> list[tuple[str, list[tuple[str, int, int]], tuple[int, int]]]:
    out = []
    files = sorted((SHARED / "2bp").glob("*/*_items.csv"))
    if quick:
        files = files[::10]
    for f in files:
        key = f"{f.parent.name}/{f.name[: -len('_items.csv')]}"
        with f.open() as fh:
            items = [(r["ID"], int(r["WIDTH"]), int(r["HEIGHT"])) for r in csv.DictReader(fh)]
        with (f.parent / f.name.replace("_items.csv", "_bins.csv")).open() as fh:
            b = next(csv.DictReader(fh))
        out.append((key, items, (int(b["WIDTH"]), int(b["HEIGHT"]))))
    return out


def _bks(name: str) -> dict[str, int]:
    with (SHARED / "2bp" / name).open() as fh:
        return {r["Path"]: int(r["Best known solution value"]) for r in csv.DictReader(fh)}


def bench_2bp(quick: bool, rotate: bool) -> dict[str, Any]:
    bks = _bks("bks_data_bin_packing_3nhr.csv" if rotate else "bks_data_bin_packing_3nho.csv")
    rows = []
    s = NestSettings(trim=0, kerf=0, stages=3, rotate=rotate, min_offcut=(math.inf, math.inf))
    for key, items, (bw, bh) in load_2bp(quick):
        parts = [Part(i, float(w), float(h)) for i, w, h in items]
        result, seconds, problems = _ours(parts, Board(float(bw), float(bh)), s)
        rp = rectpack_best(list(items), bw, bh, rotate, 3)
        m = result.materials[0]
        rows.append(
            {
                "instance": key,
                "class": key.split("/")[1][:8],
                "ours": m.sheet_count,
                "bks": bks[key],
                "lower_bound": m.lower_bound,
                "rectpack": rp["sheets"],
                "rectpack_setting": rp["setting"],
                "rectpack_not_3stage_sheets": rp["sheets_not_staged"],
                "yield": m.yield_,
                "seconds": seconds,
                "cpu_seconds": _CPU[-1],
                "rectpack_seconds": rp["seconds"],
                "violations": problems,
            }
        )
        print(f"  {key}: ours {m.sheet_count} bks {bks[key]} rectpack {rp['sheets']} ({seconds:.2f}s)", flush=True)
    return _summarise(rows)


def _summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def agg(rs: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "instances": len(rs),
            "ours": sum(r["ours"] for r in rs),
            "bks": sum(r["bks"] for r in rs),
            "rectpack": sum(r["rectpack"] for r in rs),
            "lower_bound": sum(r["lower_bound"] for r in rs),
            "violations": sum(len(r["violations"]) for r in rs),
            "rectpack_not_3stage_sheets": sum(r["rectpack_not_3stage_sheets"] for r in rs),
            "yield": sum(r["yield"] for r in rs) / max(1, len(rs)),
            "seconds": sum(r["seconds"] for r in rs),
            "cpu_seconds": sum(r["cpu_seconds"] for r in rs),
            "max_seconds": max((r["seconds"] for r in rs), default=0.0),
            "rectpack_seconds": sum(r["rectpack_seconds"] for r in rs),
        }

    classes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        classes[r["class"]].append(r)
    return {"total": agg(rows), "classes": {c: agg(rs) for c, rs in sorted(classes.items())}, "instances": rows}


def kitchen_parts() -> list[Part]:
    return read_cutlist((SHARED / "kitchens" / "kitchens3_cutlist.csv").read_text(encoding="utf-8"))


KITCHEN = NestSettings(trim=10, kerf=4, stages=3, rotate=True)


def bench_kitchens() -> dict[str, Any]:
    parts = kitchen_parts()
    board = Board(2800, 2070)
    result, seconds, problems = _ours(parts, board, KITCHEN)
    rows = []
    k, t = KITCHEN.kerf, KITCHEN.trim
    for m in result.materials:
        mine = [p for p in parts if p.material == m.material]
        locked = any(p.grain_locked for p in mine)
        rects = [(p.id, p.width + k, p.height + k) for p in mine]
        rp = rectpack_best(rects, board.length - 2 * t + k, board.width - 2 * t + k, not locked, 3, k, t)
        rows.append(
            {
                "material": m.material,
                "parts": len(mine),
                "ours": m.sheet_count,
                "lower_bound": m.lower_bound,
                "target": m.lower_bound + 1,
                "rectpack": rp["sheets"],
                "rectpack_setting": rp["setting"],
                "rectpack_not_3stage_sheets": rp["sheets_not_staged"],
                "yield": m.yield_,
                "rectpack_seconds": rp["seconds"],
            }
        )
    return {"seconds": seconds, "violations": problems, "materials": rows}


STOCK_SETS: dict[str, tuple[list[tuple[str, Board]], list[Board]]] = {
    "two sizes": ([], [Board(2800, 2070), Board(2440, 1220)]),
    "remnants + two sizes": (
        [("R1", Board(1400, 900)), ("R2", Board(2070, 800)), ("R3", Board(900, 600))],
        [Board(2800, 2070), Board(2440, 1220)],
    ),
}


def bench_stock() -> list[dict[str, Any]]:
    parts = kitchen_parts()
    materials = sorted({p.material for p in parts})
    rows = []
    for name, (remnants, sizes) in STOCK_SETS.items():
        stocks: dict[str, BoardStock] = {
            m: [*(Stock(b, f"{m}-{rid}") for rid, b in remnants), *(Stock(b) for b in sizes)] for m in materials
        }
        result, seconds, problems = _ours(parts, stocks, KITCHEN)
        sheets = [s for m in result.materials for s in m.sheets]
        new = [s for s in sheets if s.remnant_id is None]
        rows.append(
            {
                "stock": name,
                "sheets": len(sheets),
                "stock_sheets": len(new),
                "remnants_used": len(sheets) - len(new),
                "stock_area_m2": sum(s.board.length * s.board.width for s in new) / 1e6,
                "lower_bound": sum(m.lower_bound for m in result.materials),
                "seconds": seconds,
                "cpu_seconds": _CPU[-1],
                "violations": problems,
            }
        )
    return rows


def bench_speed() -> list[dict[str, Any]]:
    parts = kitchen_parts()
    k1 = [p for p in parts if p.id.startswith("K1-")]
    doubled = parts + [Part(f"{p.id}/b", p.width, p.height, p.grain_locked, p.material) for p in parts]
    out = []
    for name, job, target in (
        ("kitchen K1 (12 cabinets)", k1, 2.0),
        ("first 150 parts", parts[:150], 2.0),
        ("600-part batch", doubled[:600], 30.0),
    ):
        result, seconds, problems = _ours(job, Board(2800, 2070), KITCHEN)
        out.append(
            {
                "job": name,
                "parts": len(job),
                "sheets": result.sheet_count,
                "lower_bound": sum(m.lower_bound for m in result.materials),
                "seconds": seconds,
                "cpu_seconds": _CPU[-1],
                "target_seconds": target,
                "violations": problems,
            }
        )
    return out


def _pct(ours: int, ref: int) -> str:
    return f"{100.0 * (ours - ref) / ref:+.2f}%" if ref else "n/a"


def print_tables(report: dict[str, Any]) -> None:
    print("\n## 2BP instances (3 stages + trim, sheets summed over the instances run)\n")
    print(
        "| set | instances | ours | best-known | vs best-known | rectpack best | area LB | "
        "checker violations | rectpack sheets not 3-stage | mean yield | ours s (CPU) | rectpack s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in [n for n in ("2bp-3nho", "2bp-3nhr") if n in report]:
        t = report[name]["total"]
        print(
            f"| {name} | {t['instances']} | {t['ours']} | {t['bks']} | {_pct(t['ours'], t['bks'])} | "
            f"{t['rectpack']} | {t['lower_bound']} | {t['violations']} | {t['rectpack_not_3stage_sheets']} | "
            f"{t['yield']:.3f} | {t['seconds']:.1f} ({t['cpu_seconds']:.1f}) | {t['rectpack_seconds']:.1f} |"
        )
    for name in [n for n in ("2bp-3nho", "2bp-3nhr") if n in report]:
        print(f"\n### {name} per class\n")
        print("| class | ours | best-known | rectpack | area LB | max s |")
        print("|---|---|---|---|---|---|")
        for c, t in report[name]["classes"].items():
            print(f"| {c} | {t['ours']} | {t['bks']} | {t['rectpack']} | {t['lower_bound']} | {t['max_seconds']:.2f} |")
    if "kitchens3" in report:
        _print_kitchens(report["kitchens3"])
    if "kitchens3-stock" in report:
        _print_stock(report["kitchens3-stock"])
    if "speed" in report:
        _print_speed(report["speed"])


def _print_kitchens(kit: dict[str, Any]) -> None:
    print(
        f"\n## Kitchen batch (327 parts, 2800×2070, trim 10, kerf 4; ours {kit['seconds']:.1f} s, "
        f"checker violations {len(kit['violations'])})\n"
    )
    print("| material | parts | ours | area LB | target (LB+1) | rectpack best | yield |")
    print("|---|---|---|---|---|---|---|")
    for r in kit["materials"]:
        print(
            f"| {r['material']} | {r['parts']} | {r['ours']} | {r['lower_bound']} | {r['target']} | "
            f"{r['rectpack']} | {r['yield']:.3f} |"
        )


def _print_stock(rows: list[dict[str, Any]]) -> None:
    print("\n## Kitchen batch on the factory's stock (saw: trim 10, kerf 4, 3 stages)\n")
    print(
        "| stock | sheets | of them remnants | new sheets | new-sheet area m² | area LB | wall s | CPU s | violations |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['stock']} | {r['sheets']} | {r['remnants_used']} | {r['stock_sheets']} | "
            f"{r['stock_area_m2']:.2f} | {r['lower_bound']} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
            f"{len(r['violations'])} |"
        )


def _print_speed(rows: list[dict[str, Any]]) -> None:
    print("\n## Speed\n")
    print("| job | parts | sheets | area LB | wall s | CPU s | target s | violations |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['job']} | {r['parts']} | {r['sheets']} | {r['lower_bound']} | {r['seconds']:.2f} | "
            f"{r['cpu_seconds']:.2f} | "
            f"{r['target_seconds']:.0f} | {len(r['violations'])} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Nesting benchmark")
    parser.add_argument("--quick", action="store_true", help="every 10th 2BP instance")
    parser.add_argument(
        "--sets",
        default="kitchens3,kitchens3-stock,speed,2bp-3nho,2bp-3nhr",
        help="comma-separated sets to run, in order",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    report: dict[str, Any] = {"quick": args.quick}
    runners: dict[str, Callable[[], Any]] = {
        "kitchens3": bench_kitchens,
        "kitchens3-stock": bench_stock,
        "speed": bench_speed,
        "2bp-3nho": lambda: bench_2bp(args.quick, rotate=False),
        "2bp-3nhr": lambda: bench_2bp(args.quick, rotate=True),
    }
    for name in args.sets.split(","):
        print(f"running {name}", flush=True)
        report[name] = runners[name]()
        report["seconds"] = time.perf_counter() - t0
        # written after every set, so a long run leaves its finished sets behind
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    print_tables(report)
    print(f"\nwrote {RESULTS.relative_to(ROOT)} ({report['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
