"""``sawlist.csv``: the panel-saw list in the manner of the PTX exchange format (CSV records).

PTX ("pattern exchange", the CSV that panel-saw optimisers and saw controllers exchange) is a set of
records, one per line, each starting with its type.  We write the records a saw needs to run *our*
patterns without optimising again (fields in PTX order; the ones we have no value for are empty):

- ``HEADER,VERSION,TITLE,UNITS,ORIGIN,TRIM_TYPE`` (units 0 = mm, origin 0 = top left, trim type 1);
- ``JOBS,JOB_INDEX,NAME,DESC,ORD_DATE,CUT_DATE,CUSTOMER,STATUS`` (one job: the order);
- ``MATERIALS,JOB_INDEX,MAT_INDEX,CODE,DESC,THICK,BOOK,KERF_RIP,KERF_XCT,TRIM_FRIP,TRIM_VRIP,TRIM_FXCT,TRIM_VXCT``;
- ``BOARDS,JOB_INDEX,BRD_INDEX,CODE,MAT_INDEX,LENGTH,WIDTH,QTY_STOCK,QTY_USED``: one per stock size
  used (code ``MATERIAL-LxW``) and one per remnant (code ``MATERIAL-LxW-REMNANT_ID``, quantity 1),
  in the order the sheets use them;
- ``PARTS_REQ,JOB_INDEX,PART_INDEX,CODE,MAT_INDEX,LENGTH,WIDTH,QTY_REQ,QTY_OVER,QTY_UNDER,GRAIN,QTY_PROD``
  (cut sizes; grain 1 = the part's length stays along the board's length);
- ``PATTERNS,JOB_INDEX,PTN_INDEX,BRD_INDEX,TYPE,QTY_RUN,QTY_CYCLES,MAX_BOOK`` (one per sheet, naming
  the board record of its own size or remnant; type 0 = first cuts along the board's length, 1 = across);
- ``CUTS,JOB_INDEX,PTN_INDEX,CUT_INDEX,SEQUENCE,FUNCTION,DIMENSION,QTY_RPT,PART_INDEX,QTY_PARTS,COMMENT``:
  the sheet's guillotine tree, depth first; ``FUNCTION`` is the stage (1 rip, 2 cross, 3 recut, 4…)
  or 90 + stage for a waste strip; ``DIMENSION`` the strip's size (relative, never a coordinate);
  ``PART_INDEX`` the part the strip is, else 0.

The tree is re-derived from the placed parts (the layout checker proves it exists within the stages).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from backend.bom import nesting
from backend.bom.parts import PartsList
from backend.configurator.catalog import Catalog

TOL = 1e-6


class Box(NamedTuple):
    pid: str
    c: tuple[float, float, float, float]
    """x0, y0, x1, y1: the low end along axis a is ``c[a]``, the high end ``c[a + 2]``."""


def _n(v: float) -> str:
    return f"{round(v, 2):g}"


def cut_tree(sheet: nesting.Sheet, trim: float, kerf: float) -> list[tuple[int, float, str | None]]:
    """(function, dimension, part id or None) of every cut, depth first."""
    rects = [Box(p.part_id, (p.x, p.y, p.x + p.width, p.y + p.height)) for p in sheet.placements]
    region = (trim, trim, sheet.board.length - trim, sheet.board.width - trim)
    axis = 1 if sheet.first_cut == "horizontal" else 0  # the coordinate a stage-1 cut sits at
    out: list[tuple[int, float, str | None]] = []
    _split(rects, region, axis, 1, kerf, out)
    return out


def _groups(rects: Sequence[Box], axis: int, kerf: float) -> list[list[Box]]:
    out: list[list[Box]] = []
    end = -1e18
    for r in sorted(rects, key=lambda r: r.c[axis]):
        if out and r.c[axis] < end + kerf - TOL:
            out[-1].append(r)
            end = max(end, r.c[axis + 2])
        else:
            out.append([r])
            end = r.c[axis + 2]
    return out


def _split(rects: Sequence[Box], region: tuple[float, float, float, float], axis: int, stage: int, kerf: float,
           out: list[tuple[int, float, str | None]]) -> None:
    other = 1 - axis
    pos = region[axis]
    for g in _groups(rects, axis, kerf):
        g0, g1 = min(r.c[axis] for r in g), max(r.c[axis + 2] for r in g)
        if g0 - pos - kerf > TOL:
            out.append((90 + stage, round(g0 - pos - kerf, 3), None))
        fills = len(g) == 1 and all(abs(g[0].c[other + k] - region[other + k]) < TOL for k in (0, 2))
        if fills:
            out.append((stage, round(g1 - g0, 3), g[0].pid))
        else:
            out.append((stage, round(g1 - g0, 3), None))
            sub = (g0, region[1], g1, region[3]) if axis == 0 else (region[0], g0, region[2], g1)
            _split(g, sub, other, stage + 1, kerf, out)
        pos = g1 + kerf


def sawlist_rows(plist: PartsList, result: nesting.NestResult, catalog: Catalog, order_number: str,
                 order_date: date) -> list[list[str]]:
    s = result.settings
    rows = [["HEADER", "1", f"Roomwright order {order_number}", "0", "0", "1"],
            ["JOBS", "1", order_number, "", order_date.strftime("%Y%m%d"), "", "", "0"]]
    index = {p.id: n for n, p in enumerate(plist.parts, 1)}
    by_id = {p.id: p for p in plist.parts}
    board_rows: list[list[str]] = []
    patterns: list[list[str]] = []
    cuts: list[list[str]] = []
    parts: list[list[str]] = []
    for m_index, m in enumerate(result.materials, 1):
        mat = catalog.materials[m.material]
        rows.append(["MATERIALS", "1", str(m_index), m.material, mat.name, _n(mat.thickness_mm), "1", _n(s.kerf),
                     _n(s.kerf), _n(s.trim), _n(s.trim), _n(s.trim), _n(s.trim)])
        boards: dict[tuple[nesting.Board, str | None], int] = {}
        for board, remnant, count in m.board_counts():
            boards[(board, remnant)] = brd = len(board_rows) + 1
            code = f"{m.material}-{_n(board.length)}x{_n(board.width)}" + (f"-{remnant}" if remnant else "")
            board_rows.append(["BOARDS", "1", str(brd), code, str(m_index), _n(board.length), _n(board.width),
                               str(count), str(count)])
        rows += board_rows[len(board_rows) - len(boards):]
        for sheet in m.sheets:
            for pl in sheet.placements:
                p = by_id[pl.part_id]
                parts.append(["PARTS_REQ", "1", str(index[p.id]), p.id, str(m_index), _n(p.cut_length_mm),
                              _n(p.cut_width_mm), "1", "0", "0", "1" if p.grain == "locked" else "0", "1"])
            ptn = len(patterns) + 1
            brd = boards[(sheet.board, sheet.remnant_id)]
            patterns.append(["PATTERNS", "1", str(ptn), str(brd), "0" if sheet.first_cut == "horizontal" else "1",
                             "1", "1", "1"])
            for n, (fn, dim, pid) in enumerate(cut_tree(sheet, s.trim, s.kerf), 1):
                cuts.append(["CUTS", "1", str(ptn), str(n), str(n), str(fn), _n(dim), "1",
                             str(index[pid]) if pid else "0", "1" if pid else "0", pid or ""])
    parts.sort(key=lambda r: int(r[2]))
    return rows + parts + patterns + cuts


def write_sawlist(path: Path, plist: PartsList, result: nesting.NestResult, catalog: Catalog, order_number: str,
                  order_date: date) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(sawlist_rows(plist, result, catalog, order_number, order_date))
    path.write_text(buf.getvalue(), encoding="ascii", errors="replace")
