"""``roomwright nest CUTLIST.csv`` — nest any cut list onto boards and write ``layout.json``.

Two CSV shapes are read (headers are case-insensitive):

- the factory cut list (``part_id, material, thickness_mm, qty, grain, cut_length_mm,
  cut_width_mm`` …, as ``kitchens3_cutlist.csv``): ``cut_length_mm`` runs along the grain,
  i.e. the board's length; parts are nested per ``material`` + ``thickness_mm``;
- a plain list ``ID, WIDTH, HEIGHT`` with optional ``QTY, GRAIN, MATERIAL``: ``WIDTH`` along
  the board's length.

``GRAIN``: ``L``/``locked``/``yes``/``1`` = locked along the board's length, ``W`` = locked
across it, empty/``none``/``free``/``no``/``0`` = free.  A quantity of N gives N parts with ids
``ID#1`` … ``ID#N``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backend.bom.nesting import Board, NestSettings, Part, nest
from backend.bom.nesting.model import MaterialSheets
from backend.bom.nesting.router import RouterSettings, Stock, nest_router
from backend.errors import InvalidInput

_LOCKED = {"l", "locked", "yes", "true", "1", "length"}
_ACROSS = {"w", "width"}
_FREE = {"", "none", "free", "no", "false", "0", "-"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("nest", help="nest a cut list onto boards (panel saw: 3-stage guillotine; "
                              "CNC router: free nesting)",
                              description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("cutlist", type=Path, help="CSV cut list")
    p.add_argument("--board", action="append", default=None, metavar="[MATERIAL=]LxW",
                   help="stock board size, e.g. 2800x2070; repeat for several sizes (each new sheet takes the "
                        "size wasting least), with MATERIAL= for per-material sizes")
    p.add_argument("--remnant", action="append", default=[], metavar="[MATERIAL=]ID:LxW",
                   help="a remnant (offcut of an earlier order) used before new sheets, e.g. RM-1:1400x900; "
                        "repeatable; with MATERIAL= for that material, else one piece offered to each material")
    p.add_argument("--trim", type=float, default=10.0, help="trim per board edge, mm (default 10)")
    p.add_argument("--kerf", type=float, default=4.0, help="saw kerf, mm (default 4)")
    p.add_argument("--stages", type=int, default=3, choices=(2, 3, 4), help="guillotine stages (default 3)")
    p.add_argument("--rotate", action=argparse.BooleanOptionalAction, default=True,
                   help="turn grain-free parts when it helps (default on)")
    p.add_argument("--min-offcut", default="200x200", metavar="LxW", help="smallest offcut to report")
    p.add_argument("--first-cut", default="auto", choices=("auto", "horizontal", "vertical"),
                   help="direction of the stage-1 cuts (horizontal = along the board's length)")
    p.add_argument("--effort", type=int, default=1, help="search effort (iterations scale), default 1")
    p.add_argument("--mode", default="saw", choices=("saw", "router"),
                   help="saw: 3-stage guillotine for the panel saw (default); router: free nesting for a CNC router")
    p.add_argument("--tool", type=float, default=12.0, help="router: tool diameter = gap between parts, mm (12)")
    p.add_argument("--small-margin", type=float, default=60.0,
                   help="router: how far small parts keep from the trimmed board's edges, mm (60)")
    p.add_argument("-o", "--output", type=Path, default=None, help="layout.json (default: stdout)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        text = _read_text(args.cutlist)
        parts = read_cutlist(text, source=str(args.cutlist))
        default, per_material = _parse_boards(args.board or ["2800x2070"])
        remnants = _parse_remnants(args.remnant)
        mins = _parse_size(args.min_offcut, "--min-offcut")
        settings = NestSettings(trim=args.trim, kerf=args.kerf, stages=args.stages, rotate=args.rotate,
                                min_offcut=mins, first_cut=args.first_cut, effort=args.effort)
        materials = sorted({p.material for p in parts})
        boards = {m: [*(Stock(b, rid) for mat, rid, b in remnants if mat in (None, m)),
                      *(Stock(b) for b in per_material.get(m, default))] for m in materials}
        if args.mode == "router":
            return _router(args, parts, boards)
        result = nest(parts, boards, settings)
    except InvalidInput as exc:
        print(f"roomwright nest: error: {exc}", file=sys.stderr)
        return 2
    _write(args.output, json.dumps(result.to_dict(), indent=1))
    for m in result.materials:
        print(f"{m.material or '(no material)'}: {m.sheet_count} sheets{_of_boards(m)}, lower bound "
              f"{m.lower_bound}, yield {m.yield_:.1%}", file=sys.stderr)
    return 0


def _router(args: argparse.Namespace, parts: list[Part], boards: dict[str, list[Stock]]) -> int:
    settings = RouterSettings(trim=args.trim, spacing=args.tool, small_margin=args.small_margin, rotate=args.rotate)
    result = nest_router(parts, boards, settings)
    _write(args.output, json.dumps(result.to_dict(), indent=1))
    for m in result.materials:
        print(f"{m.material or '(no material)'}: {m.sheet_count} sheets{_of_boards(m)}, lower bound {m.lower_bound}",
              file=sys.stderr)
    return 0


def _of_boards(m: MaterialSheets[Any]) -> str:
    """`` (2 × 2800x2070, remnant RM-1)`` when the sheets are not all of one stock size, else empty."""
    counts = m.board_counts()
    if len(counts) == 1 and counts[0][1] is None:
        return ""
    return " (" + ", ".join(f"remnant {r}" if r else f"{n} × {b.length:g}x{b.width:g}" for b, r, n in counts) + ")"


def _write(output: Path | None, doc: str) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(doc + "\n")
    else:
        output.write_text(doc + "\n", encoding="utf-8")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read the cut list: {exc.strerror}", field=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput("the cut list is not UTF-8 text", field=str(path)) from exc


def _parse_size(text: str, what: str) -> tuple[float, float]:
    bits = text.lower().replace("×", "x").split("x")
    try:
        a, b = (float(v) for v in bits)
    except ValueError:
        raise InvalidInput(f"expected LENGTHxWIDTH in mm, got {text!r}", field=what) from None
    if a <= 0 or b <= 0:
        raise InvalidInput(f"sizes must be positive, got {text!r}", field=what)
    return a, b


def _parse_boards(specs: list[str]) -> tuple[list[Board], dict[str, list[Board]]]:
    """Stock sizes for every material and per material (a material's own sizes replace the common ones)."""
    default: list[Board] = []
    per: dict[str, list[Board]] = {}
    for spec in specs:
        name, _, size = spec.rpartition("=")
        board = Board(*_parse_size(size, "--board"))
        (per.setdefault(name, []) if name else default).append(board)
    return default or [Board(2800.0, 2070.0)], per


def _parse_remnants(specs: list[str]) -> list[tuple[str | None, str, Board]]:
    """(material or None for all, id, board) per ``[MATERIAL=]ID:LxW``."""
    out = []
    for spec in specs:
        name, _, rest = spec.rpartition("=")
        rid, sep, size = rest.rpartition(":")
        if not sep or not rid:
            raise InvalidInput(f"expected [MATERIAL=]ID:LxW for a remnant, got {spec!r}", field="--remnant")
        out.append((name or None, rid, Board(*_parse_size(size, "--remnant"))))
    return out


def read_cutlist(text: str, source: str = "cutlist") -> list[Part]:
    """Parts from CSV text in either accepted shape; ``InvalidInput`` names the row and column."""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","  # our own cutlist.csv uses semicolons
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    if not reader.fieldnames:
        raise InvalidInput("the cut list is empty", field=source)
    header = {h.strip().lower(): h for h in reader.fieldnames if h}
    factory = "cut_length_mm" in header or "length_mm" in header
    need = ("part_id", "material") if factory else ("id", "width", "height")
    missing = [c for c in need if c not in header]
    if missing:
        raise InvalidInput(
            f"missing column(s) {', '.join(missing)}; expected ID,WIDTH,HEIGHT[,QTY,GRAIN,MATERIAL] "
            "or the factory cut-list columns", field=source)
    parts: list[Part] = []
    for line, row in enumerate(reader, start=2):
        cells = {k: (row.get(v) or "").strip() for k, v in header.items()}
        if not any(cells.values()):
            continue
        parts += _factory_row(cells, line, source) if factory else _plain_row(cells, line, source)
    if not parts:
        raise InvalidInput("the cut list has no parts", field=source)
    seen: set[str] = set()
    for p in parts:
        if p.id in seen:
            raise InvalidInput(f"part id {p.id!r} appears twice", field=source)
        seen.add(p.id)
    return parts


def _number(cells: Mapping[str, str], col: str, line: int, source: str) -> float:
    raw = cells.get(col, "")
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(
            f"row {line}, column {col}: {raw!r} is not a number", field=f"{source}:{line}"
        ) from None
    if not value > 0 or value != value or value == float("inf"):
        raise InvalidInput(f"row {line}, column {col}: must be a positive size, got {raw!r}",
                           field=f"{source}:{line}")
    return value


def _qty(cells: Mapping[str, str], col: str, line: int, source: str) -> int:
    raw = cells.get(col, "") or "1"
    try:
        q = int(raw)
    except ValueError:
        q = -1
    if q < 1:
        raise InvalidInput(f"row {line}, column {col}: quantity must be a whole number ≥ 1, got {raw!r}",
                           field=f"{source}:{line}")
    return q


def _grain(cells: Mapping[str, str], col: str, line: int, source: str) -> str:
    raw = cells.get(col, "").lower()
    if raw in _LOCKED:
        return "L"
    if raw in _ACROSS:
        return "W"
    if raw in _FREE:
        return ""
    raise InvalidInput(f"row {line}, column {col}: grain must be L, W or none, got {raw!r}",
                       field=f"{source}:{line}")


def _expand(pid: str, qty: int, w: float, h: float, grain: str, material: str) -> list[Part]:
    if grain == "W":
        w, h = h, w
    ids = [pid] if qty == 1 else [f"{pid}#{i}" for i in range(1, qty + 1)]
    return [Part(i, w, h, grain != "", material) for i in ids]


def _plain_row(cells: Mapping[str, str], line: int, source: str) -> list[Part]:
    pid = cells["id"]
    if not pid:
        raise InvalidInput(f"row {line}, column ID: empty part id", field=f"{source}:{line}")
    w = _number(cells, "width", line, source)
    h = _number(cells, "height", line, source)
    return _expand(pid, _qty(cells, "qty", line, source), w, h, _grain(cells, "grain", line, source),
                   cells.get("material", ""))


def _factory_row(cells: Mapping[str, str], line: int, source: str) -> list[Part]:
    pid = cells["part_id"]
    if not pid:
        raise InvalidInput(f"row {line}, column part_id: empty part id", field=f"{source}:{line}")
    lcol = "cut_length_mm" if cells.get("cut_length_mm") else "length_mm"
    wcol = "cut_width_mm" if cells.get("cut_width_mm") else "width_mm"
    length = _number(cells, lcol, line, source)
    width = _number(cells, wcol, line, source)
    material = cells["material"]
    if cells.get("thickness_mm"):
        material = f"{material}/{cells['thickness_mm']}"
    return _expand(pid, _qty(cells, "qty", line, source), length, width,
                   _grain(cells, "grain", line, source), material)
