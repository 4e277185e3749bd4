"""An independent checker of CNC-router nesting layouts (``roomwright-router-nesting/1``).

Shares no code with the packer (``backend.bom.nesting.router``): it reads the plain JSON layout
and plain part dicts (``id, width, height, grain_locked, material``) and re-derives everything from
the placed rectangles.  Checked, with readable messages:

- every part placed exactly once, on a sheet of its material, at its size (turned only when
  ``rotated`` is true, and never a grain-locked part or with rotation off);
- every part inside the trimmed board (``trim`` .. size − ``trim``);
- any two parts at least ``spacing`` (the tool diameter) apart: separated along x or along y by that gap;
- small parts (shorter side < ``small_side_mm`` or area < ``small_area_mm2``) at least
  ``small_margin`` inside the trimmed board, and cut after every large part of their sheet; a small
  part too long to fit that far inside its board in any orientation it may take (a long narrow strip)
  counts as large;
- cut orders 1..n, each once per sheet; a remnant used at most once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

TOL = 1e-6


def check_router_layout(layout: Mapping[str, Any], parts: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every violation found (empty when the layout is valid)."""
    s = layout["settings"]
    trim, gap, margin = float(s["trim"]), float(s["spacing"]), float(s["small_margin"])
    side, area = float(s["small_side_mm"]), float(s["small_area_mm2"])
    want = {str(p["id"]): p for p in parts}
    seen: dict[str, int] = {}
    errors: list[str] = []
    remnants: set[str] = set()
    for m in layout["materials"]:
        for sh in m["sheets"]:
            where = f"{m['material']} sheet {sh['index']}"
            rid = sh.get("remnant_id")
            if rid is not None:
                if rid in remnants:
                    errors.append(f"{where}: remnant {rid} used twice")
                remnants.add(rid)
            errors += _sheet(where, sh, m["material"], want, seen, trim, gap, margin, side, area,
                             bool(s["rotate"]))
    for pid in want:
        if seen.get(pid, 0) != 1:
            errors.append(f"part {pid} placed {seen.get(pid, 0)} times")
    return errors


def _is_small(w: float, h: float, side: float, area: float) -> bool:
    return min(w, h) < side or w * h < area


def _fits_inside(size: tuple[float, float], room_x: float, room_y: float, turn: bool) -> bool:
    """Does a part of ``size`` fit the room (the board less trim and small-part margin), turned if it may be."""
    w, h = size
    return (w <= room_x + TOL and h <= room_y + TOL) or (turn and h <= room_x + TOL and w <= room_y + TOL)


def _sheet(where: str, sh: Mapping[str, Any], material: str, want: Mapping[str, Mapping[str, Any]],
           seen: dict[str, int], trim: float, gap: float, margin: float, side: float, area: float,
           rotate: bool) -> list[str]:
    errors = []
    bl, bw = float(sh["board"]["length"]), float(sh["board"]["width"])
    rects = []
    orders = []
    for pl in sh["placements"]:
        pid = str(pl["part_id"])
        seen[pid] = seen.get(pid, 0) + 1
        x, y, w, h = (float(pl[k]) for k in ("x", "y", "width", "height"))
        part = want.get(pid)
        if part is None:
            errors.append(f"{where}: unknown part {pid}")
            continue
        if str(part.get("material", material)) != material:
            errors.append(f"{where}: part {pid} is {part.get('material')}, not {material}")
        pw, ph = float(part["width"]), float(part["height"])
        if pl["rotated"]:
            if part.get("grain_locked") or not rotate:
                errors.append(f"{where}: part {pid} is turned but may not be")
            pw, ph = ph, pw
        if abs(pw - w) > TOL or abs(ph - h) > TOL:
            errors.append(f"{where}: part {pid} placed as {w:g}×{h:g}, is {pw:g}×{ph:g}")
        small = _is_small(w, h, side, area) and _fits_inside(
            (w, h), bl - 2 * (trim + margin), bw - 2 * (trim + margin), rotate and not part.get("grain_locked"))
        edge = trim + (margin if small else 0.0)
        if x < edge - TOL or y < edge - TOL or x + w > bl - edge + TOL or y + h > bw - edge + TOL:
            what = f"{margin:g} mm inside the trimmed board (small part)" if small else "inside the trimmed board"
            errors.append(f"{where}: part {pid} is not {what}")
        rects.append((pid, x, y, x + w, y + h))
        orders.append((int(pl["order"]), small, pid))
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            dx = max(b[1] - a[3], a[1] - b[3])
            dy = max(b[2] - a[4], a[2] - b[4])
            if max(dx, dy) < gap - TOL:
                errors.append(f"{where}: parts {a[0]} and {b[0]} are closer than the tool ({gap:g} mm)")
    if sorted(o for o, _, _ in orders) != list(range(1, len(orders) + 1)):
        errors.append(f"{where}: cut orders are not 1..{len(orders)}")
    last_large = max((o for o, small, _ in orders if not small), default=0)
    for o, small, pid in orders:
        if small and o < last_large:
            errors.append(f"{where}: small part {pid} is cut (#{o}) before a large part (#{last_large})")
    return errors
