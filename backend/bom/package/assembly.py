"""``assembly/<cabinet id>.pdf``: one assembly sheet per cabinet (A4 landscape).

A front view (x–z, fronts drawn translucent over the carcass) and a side view (y–z, the wall on
the left) drawn to scale from the configurator's panel boxes, the cabinet's parts list with
positions, and its hardware."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from backend.bom.package._pdf import fit_font, new_canvas, text
from backend.bom.parts import Part, PartsList
from backend.bom.printing import ENGLISH, N_, Print
from backend.configurator import wording
from backend.configurator.construction import CabinetBuild

FRONT_ROLES = {"door", "drawer_front", "blind_panel", "filler"}
_FILL = {"front": "#bcd4e6", "back": "#d9d9d9", "drawer": "#cfe8c4", "other": "#f3e3c3"}


def _kind(role: str) -> str:
    if role in FRONT_ROLES:
        return "front"
    if role == "back":
        return "back"
    return "drawer" if role.startswith("drawer") else "other"


def write_assembly_pdf(path: Path, build: CabinetBuild, parts: list[Part], plist: PartsList, heading: str,
                       lang: Print = ENGLISH, family: str = "") -> int:
    """One sheet for the cabinet ``build``; ``lang``: the sheet's language, ``family``: the unit's family
    as the reader reads it (its catalog name in that language; the family's code when empty)."""
    c = new_canvas(path, landscape(A4), lang(N_("{heading}: assembly {cabinet}"), heading=heading,
                                             cabinet=build.cabinet_id))
    ph = landscape(A4)[1]
    m = 30.0
    text(c, m, ph - m, f"{heading} · {build.cabinet_id} · {family or build.family}", 12, lang.bold)
    text(c, m, ph - m - 14, lang(N_("W {width} × H {height} × D {depth} mm · {n} parts"),
                                 width=f"{build.width_mm:g}", height=f"{build.height_mm:g}",
                                 depth=f"{build.depth_mm:g}", n=len(parts)), 9, lang.font)
    span_w, span_h = 400.0, ph - 2 * m - 60
    gap = 30.0
    scale = min((span_w - gap) / (build.width_mm + build.depth_mm), span_h / build.height_mm)
    y0 = m + 10
    _view(c, parts, "front", m, y0, scale)
    _view(c, parts, "side", m + build.width_mm * scale + gap, y0, scale)
    text(c, m, y0 + build.height_mm * scale + 4, lang(N_("Front view")), 8, lang.bold)
    text(c, m + build.width_mm * scale + gap, y0 + build.height_mm * scale + 4,
         lang(N_("Side view (wall on the left)")), 8, lang.bold)
    _table(c, parts, build, 460.0, ph - m - 40, lang)
    c.showPage()
    c.save()
    return 1


def _view(c: Canvas, parts: list[Part], view: str, x0: float, y0: float, scale: float) -> None:
    """Panel boxes projected on x–z (front) or y–z (side); drawn back to front."""
    axis = 0 if view == "front" else 1
    depth_axis = 1 if view == "front" else 0
    order = sorted(parts, key=lambda p: (p.box.origin[depth_axis] + p.box.size[depth_axis], p.position))
    c.setLineWidth(0.4)
    for p in order:
        kind = _kind(p.role)
        c.setStrokeColor(colors.black)
        c.setFillColor(colors.HexColor(_FILL[kind]))
        c.setFillAlpha(0.45 if kind == "front" and view == "front" else 1.0)
        x = x0 + p.box.origin[axis] * scale
        y = y0 + p.box.origin[2] * scale
        w, h = p.box.size[axis] * scale, p.box.size[2] * scale
        c.rect(x, y, w, h, stroke=1, fill=1)
        c.setFillAlpha(1.0)
        if view == "front" and w > 8 and h > 8:
            c.setFillColor(colors.black)
            label = str(p.position)
            text(c, x + w / 2 - 2, y + h / 2 - 2, label, 5)


def _table(c: Canvas, parts: list[Part], build: CabinetBuild, x: float, top: float, lang: Print) -> None:
    cols = ((lang(N_("Pos")), 0), (lang(N_("Part no.")), 22), (lang(N_("Name")), 150),
            (lang(N_("L × W × T mm")), 245), (lang(N_("Material")), 320))
    right = 812.0
    c.setFillColor(colors.black)
    for name, dx in cols:
        text(c, x + dx, top, name, 7, lang.bold)
    row = min(9.0, (top - 150) / max(1, len(parts)))
    size = min(6.5, row - 1)
    y = top - row
    for p in parts:
        number = p.label if p.number else p.id
        material = p.material if lang.english else lang(p.material_name)
        cells = (str(p.position), number, wording.panel_name(p.name, lang.gettext),
                 f"{p.length_mm:g} × {p.width_mm:g} × {p.thickness_mm:g}", material)
        for (_, dx), (i, value) in zip(cols, enumerate(cells), strict=True):
            limit = (cols[i + 1][1] if i + 1 < len(cols) else right - x) - dx - 3
            text(c, x + dx, y, value, fit_font(value, lang.font, size, limit, 2.5), lang.font)
        y -= row
    y -= 10
    text(c, x, y, lang(N_("Hardware")), 7, lang.bold)
    for h in build.hardware:
        y -= 8.5
        line = f"{h.quantity} × {h.article}  {lang(h.name)}"
        text(c, x, y, line, fit_font(line, lang.font, 6.5, right - x, 3), lang.font)
