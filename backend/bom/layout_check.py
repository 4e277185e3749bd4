"""An independent checker of nesting layouts.

It shares no code with the optimizer (``backend.bom.nesting``): it reads the plain JSON layout
(``NestResult.to_dict()`` or ``roomwright nest -o``) and plain part dicts, and re-derives
everything from the placed rectangles, so a bug in the optimizer cannot hide itself.

Checked, with human-readable messages:

- every part is placed exactly once, on a sheet of its material, at its size (turned sizes
  only if ``rotated`` is true, never for a grain-locked part or when rotation is off);
- every part lies within the trimmed board (``trim`` .. size − ``trim`` on both axes) of its own
  sheet (a sheet's ``board``, else its material's: stock sizes may mix, remnants are smaller);
- a remnant (``remnant_id``) is used at most once;
- no two parts overlap or come closer than one ``kerf`` along the cut that must separate them;
- the parts can be cut free by a panel saw in at most ``stages`` guillotine stages plus one
  trimming cut per part (the "N-stage non-exact" convention), whichever direction stage 1 runs;
- every cut listed in the layout (if any) stays clear of the parts and has a valid stage.

The guillotine test is the recursive decomposition: in a region, project the parts on the axis
of the current stage, merge projections closer than one kerf, and cut between the groups (and
off any waste at the ends); recurse into each group with the other axis.  Cutting at every
possible place in a stage never hurts later stages, so this finds the fewest stages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

TOL = 1e-6

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


def check_layout(
    layout: Mapping[str, Any],
    parts: Iterable[Mapping[str, Any]],
    *,
    stages: int | None = None,
    kerf: float | None = None,
    trim: float | None = None,
    rotate: bool | None = None,
) -> list[str]:
    """Check a whole layout document against the parts it should contain.

    ``parts``: dicts with ``id``, ``width`` (along x unrotated), ``height``, optional
    ``grain_locked`` and ``material``.  Settings default to the layout's own ``settings``.
    """
    cfg = layout.get("settings", {})
    stages = int(cfg.get("stages", 3)) if stages is None else stages
    kerf = float(cfg.get("kerf", 0.0)) if kerf is None else kerf
    trim = float(cfg.get("trim", 0.0)) if trim is None else trim
    rotate = bool(cfg.get("rotate", True)) if rotate is None else rotate
    wanted = {str(p["id"]): p for p in parts}
    seen: dict[str, int] = {}
    problems: list[str] = []
    remnants: set[str] = set()
    for block in layout.get("materials", []):
        material = str(block.get("material", ""))
        for n, sheet in enumerate(block.get("sheets", []), 1):
            where = f"material {material!r} sheet {n}"
            board = sheet.get("board") or block["board"]
            rid = sheet.get("remnant_id")
            if rid is not None:
                if str(rid) in remnants:
                    problems.append(f"{where}: remnant {rid} is used twice")
                remnants.add(str(rid))
            placements = list(sheet.get("placements", []))
            for pl in placements:
                pid = str(pl["part_id"])
                seen[pid] = seen.get(pid, 0) + 1
                problems += _check_part(where, pl, wanted.get(pid), material, rotate)
            problems += check_sheet(
                float(board["length"]), float(board["width"]), placements,
                trim=trim, kerf=kerf, stages=stages, cuts=sheet.get("cuts"), where=where,
            )
    for pid in wanted:
        if pid not in seen:
            problems.append(f"part {pid!r} is not placed")
    for pid, count in seen.items():
        if count > 1:
            problems.append(f"part {pid!r} is placed {count} times")
    return problems


def _check_part(
    where: str, pl: Mapping[str, Any], part: Mapping[str, Any] | None, material: str, rotate: bool
) -> list[str]:
    pid = pl["part_id"]
    if part is None:
        return [f"{where}: placed part {pid!r} is not in the cut list"]
    out = []
    w, h = float(part["width"]), float(part["height"])
    pw, ph = float(pl["width"]), float(pl["height"])
    rotated = bool(pl.get("rotated", False))
    expect = (h, w) if rotated else (w, h)
    if abs(pw - expect[0]) > TOL or abs(ph - expect[1]) > TOL:
        out.append(
            f"{where}: part {pid!r} placed as {pw:g}×{ph:g} but is {w:g}×{h:g}"
            + (" (rotated)" if rotated else "")
        )
    if rotated and part.get("grain_locked", False):
        out.append(f"{where}: grain-locked part {pid!r} is rotated")
    elif rotated and not rotate:
        out.append(f"{where}: part {pid!r} is rotated but rotation is off")
    if "material" in part and str(part["material"]) != material:
        out.append(f"{where}: part {pid!r} of material {part['material']!r} is on the wrong board")
    return out


def check_sheet(
    length: float,
    width: float,
    placements: Sequence[Mapping[str, Any]],
    *,
    trim: float,
    kerf: float,
    stages: int,
    cuts: Sequence[Mapping[str, Any]] | None = None,
    where: str = "sheet",
) -> list[str]:
    """Geometry of one sheet: bounds, kerf spacing, guillotine stages, listed cuts."""
    rects = [
        (str(p["part_id"]), float(p["x"]), float(p["y"]),
         float(p["x"]) + float(p["width"]), float(p["y"]) + float(p["height"]))
        for p in placements
    ]
    out = []
    lo_x, lo_y, hi_x, hi_y = trim, trim, length - trim, width - trim
    for pid, x0, y0, x1, y1 in rects:
        if x0 < lo_x - TOL or y0 < lo_y - TOL or x1 > hi_x + TOL or y1 > hi_y + TOL:
            out.append(
                f"{where}: part {pid!r} at ({x0:g}, {y0:g})–({x1:g}, {y1:g}) leaves the trimmed "
                f"board ({lo_x:g}, {lo_y:g})–({hi_x:g}, {hi_y:g})"
            )
    out += _spacing(where, rects, kerf)
    if not out:
        boxes = [r[1:] for r in rects]
        region = (lo_x, lo_y, hi_x, hi_y)
        if not any(_cuttable(boxes, region, axis, 1, stages, kerf) for axis in (0, 1)):
            out.append(
                f"{where}: the parts cannot be cut with {stages} guillotine stages plus trimming "
                f"(kerf {kerf:g})"
            )
    if cuts:
        out += _check_cuts(where, cuts, rects, kerf, stages)
    return out


def _spacing(where: str, rects: Sequence[tuple[str, float, float, float, float]], kerf: float) -> list[str]:
    out = []
    ordered = sorted(rects, key=lambda r: r[1])
    for i, (pa, ax0, ay0, ax1, ay1) in enumerate(ordered):
        for pb, bx0, by0, bx1, by1 in ordered[i + 1:]:
            if bx0 >= ax1 + kerf - TOL:
                break  # sorted by x0: every later part is clear of this one along x
            apart_x = bx0 >= ax1 + kerf - TOL or ax0 >= bx1 + kerf - TOL
            apart_y = by0 >= ay1 + kerf - TOL or ay0 >= by1 + kerf - TOL
            if apart_x or apart_y:
                continue
            overlap = min(ax1, bx1) > max(ax0, bx0) + TOL and min(ay1, by1) > max(ay0, by0) + TOL
            what = "overlap" if overlap else f"are closer than the kerf ({kerf:g})"
            out.append(f"{where}: parts {pa!r} and {pb!r} {what}")
    return out


def _groups(boxes: Sequence[Rect], axis: int, kerf: float) -> list[list[Rect]]:
    """Split boxes into groups separable by cuts of width ``kerf`` across ``axis``."""
    ordered = sorted(boxes, key=lambda r: (r[axis], r[axis + 2]))
    groups: list[list[Rect]] = []
    end = 0.0
    for r in ordered:
        if groups and r[axis] < end + kerf - TOL:
            groups[-1].append(r)
            end = max(end, r[axis + 2])
        else:
            groups.append([r])
            end = r[axis + 2]
    return groups


def _cuttable(boxes: Sequence[Rect], region: Rect, axis: int, depth: int, limit: int, kerf: float) -> bool:
    """Can ``boxes`` be cut from ``region`` when stage ``depth`` cuts across ``axis``
    (0: cuts at constant x, 1: at constant y) and at most ``limit`` stages + a trim follow?"""
    if not boxes:
        return True
    if len(boxes) == 1 and all(abs(boxes[0][i] - region[i]) <= TOL for i in range(4)):
        return True
    if depth > limit:
        # The trimming cut: one cut across ``axis`` frees a single part spanning the other axis.
        other = 1 - axis
        box = boxes[0]
        return (
            depth == limit + 1
            and len(boxes) == 1
            and abs(box[other] - region[other]) <= TOL
            and abs(box[other + 2] - region[other + 2]) <= TOL
        )
    groups = _groups(boxes, axis, kerf)
    for group in groups:
        lo = min(r[axis] for r in group)
        hi = max(r[axis + 2] for r in group)
        sub = (lo, region[1], hi, region[3]) if axis == 0 else (region[0], lo, region[2], hi)
        if not _cuttable(group, sub, 1 - axis, depth + 1, limit, kerf):
            return False
    return True


def _check_cuts(
    where: str,
    cuts: Sequence[Mapping[str, Any]],
    rects: Sequence[tuple[str, float, float, float, float]],
    kerf: float,
    stages: int,
) -> list[str]:
    out = []
    for n, c in enumerate(cuts, 1):
        stage = int(c["stage"])
        kind = str(c.get("kind", "cut"))
        if kind != "edge-trim" and not 1 <= stage <= stages + 1:
            out.append(f"{where}: cut {n} has stage {stage}, outside 1..{stages + 1}")
        if stage == stages + 1 and kind != "trim":
            out.append(f"{where}: cut {n} at stage {stage} is not a trimming cut")
        x1, y1, x2, y2 = (float(c[k]) for k in ("x1", "y1", "x2", "y2"))
        if abs(x1 - x2) <= TOL:  # vertical cut, blade over [x1, x1 + kerf]
            blade = (x1, min(y1, y2), x1 + kerf, max(y1, y2))
        elif abs(y1 - y2) <= TOL:
            blade = (min(x1, x2), y1, max(x1, x2), y1 + kerf)
        else:
            out.append(f"{where}: cut {n} is not straight along x or y")
            continue
        for pid, px0, py0, px1, py1 in rects:
            if _crosses(blade[0], blade[2], px0, px1) and _crosses(blade[1], blade[3], py0, py1):
                out.append(f"{where}: cut {n} (stage {stage}) runs through part {pid!r}")
    return out


def _crosses(b0: float, b1: float, p0: float, p1: float) -> bool:
    """Does the closed blade interval [b0, b1] reach into the open part interval (p0, p1)?"""
    return b0 < p1 - TOL and b1 > p0 + TOL
