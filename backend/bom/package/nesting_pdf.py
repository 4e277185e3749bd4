"""``nesting.pdf``: one A4 landscape page per sheet, parts to scale with their ids, grain arrows,
the saw cuts numbered by stage, and the offcuts worth keeping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from backend.bom import nesting
from backend.bom.package._pdf import FONT, arrow, fit_font, new_canvas, text
from backend.bom.parts import PartsList
from backend.bom.printing import ENGLISH, N_, Print

ToPage = Callable[[float, float], tuple[float, float]]
STAGE_COLOURS = ("#888888", "#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98")
CUT_DIRECTIONS = {"horizontal": N_("horizontal"), "vertical": N_("vertical")}


def write_nesting_pdf(path: Path, result: nesting.NestResult, plist: PartsList, title: str,
                      lang: Print = ENGLISH) -> int:
    """Write the layouts in the language of ``lang``; returns the page count (= the number of sheets)."""
    c = new_canvas(path, landscape(A4), lang(N_("{title}: nesting"), title=title))
    total = result.sheet_count
    page = 0
    for mat in result.materials:
        for index, sheet in enumerate(mat.sheets, 1):
            page += 1
            _sheet_page(c, mat, index, sheet, plist,
                        lang(N_("{title} · sheet {page} of {total}"), title=title, page=page, total=total), lang)
            c.showPage()
    if page == 0:  # a valid PDF needs a page; an order without board parts says so
        text(c, 40, 500, lang(N_("{title}: no board parts to nest"), title=title), 12, lang.bold)
        c.showPage()
    c.save()
    return max(page, 1)


def _sheet_page(c: Canvas, mat: nesting.MaterialResult, index: int, sheet: nesting.Sheet, plist: PartsList,
                heading: str, lang: Print) -> None:
    pw, ph = landscape(A4)
    margin = 30.0
    board = sheet.board
    text(c, margin, ph - margin, heading, 11, lang.bold)
    remnant = lang(N_("remnant {id} · "), id=sheet.remnant_id) if sheet.remnant_id else ""
    first = str(sheet.first_cut)
    line = lang(N_("{material} · {remnant}board {length} × {width} mm · sheet {index} of {count} of this material "
                   "· {n} parts · yield {yield_} · first cut {first_cut}"),
                material=_material(mat.material, plist, lang), remnant=remnant, length=f"{board.length:g}",
                width=f"{board.width:g}",
                index=index, count=mat.sheet_count, n=len(sheet.placements), yield_=f"{sheet.yield_:.1%}",
                first_cut=lang(CUT_DIRECTIONS[first]) if first in CUT_DIRECTIONS else first)
    text(c, margin, ph - margin - 14, line, 8, lang.font)
    scale = min((pw - 2 * margin) / board.length, (ph - 2 * margin - 50) / board.width)
    ox, oy = margin, margin + 10

    def pt(x: float, y: float) -> tuple[float, float]:  # board y grows downwards on the page
        return ox + x * scale, oy + (board.width - y) * scale

    c.setLineWidth(0.6)
    c.setStrokeColor(colors.black)
    c.setFillColor(colors.HexColor("#fbfaf7"))
    c.rect(ox, oy, board.length * scale, board.width * scale, stroke=1, fill=1)
    for off in sheet.offcuts:
        x, y = pt(off.x, off.y + off.height)
        c.setFillColor(colors.HexColor("#e3e3e3"))
        c.rect(x, y, off.width * scale, off.height * scale, stroke=0, fill=1)
        c.setFillColor(colors.HexColor("#555555"))
        label = lang(N_("offcut {width} × {height}"), width=f"{off.width:g}", height=f"{off.height:g}")
        text(c, x + 2, y + 2, label, fit_font(label, lang.font, 6, off.width * scale - 4), lang.font)
    for pl in sheet.placements:
        _placement(c, pl, plist, pt, scale)
    _cuts(c, sheet, pt)


def _material(code: str, plist: PartsList, lang: Print) -> str:
    """The board as the reader reads it: its code in English (as the sheets always printed it), its
    catalog name in another language."""
    if lang.english:
        return code
    name = next((p.material_name for p in plist.parts if p.material == code), code)
    return lang(name)


def _placement(c: Canvas, pl: nesting.Placement, plist: PartsList, pt: ToPage, scale: float) -> None:
    x, y = pt(pl.x, pl.y + pl.height)
    w, h = pl.width * scale, pl.height * scale
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.4)
    c.setFillColor(colors.HexColor("#f5deb3"))
    c.rect(x, y, w, h, stroke=1, fill=1)
    part = plist.part(pl.part_id)
    c.setFillColor(colors.black)
    label = part.number or part.id  # the number on its label (P07): short enough for small parts
    size = fit_font(label, FONT, 6, w - 4)
    if h > size + 2:
        text(c, x + 2, y + h - size - 1, label, size)
    dims = f"{part.cut_length_mm:g} × {part.cut_width_mm:g}"
    if h > 2 * size + 4:
        text(c, x + 2, y + h - 2 * size - 2, dims, fit_font(dims, FONT, 5, w - 4))
    if part.grain == "locked":  # the grain runs along the part's length: along x unless turned
        cx, cy = x + w / 2, y + h / 3
        half = min(w, h) / 4 if pl.rotated else min(w / 4, 20.0)
        if pl.rotated:
            arrow(c, cx, cy - half, cx, cy + half, 2.5)
        else:
            arrow(c, cx - half, cy, cx + half, cy, 2.5)


def _cuts(c: Canvas, sheet: nesting.Sheet, pt: ToPage) -> None:
    for n, cut in enumerate(sheet.cuts, 1):
        colour = STAGE_COLOURS[min(cut.stage, len(STAGE_COLOURS) - 1)]
        c.setStrokeColor(colors.HexColor(colour))
        c.setFillColor(colors.HexColor(colour))
        c.setLineWidth(0.3 if cut.kind == "edge-trim" else 0.7)
        x1, y1 = pt(cut.x1, cut.y1)
        x2, y2 = pt(cut.x2, cut.y2)
        c.line(x1, y1, x2, y2)
        if cut.kind != "edge-trim":
            text(c, (x1 + x2) / 2 + 1, (y1 + y2) / 2 + 1, f"{cut.stage}.{n}", 4)
    c.setFillColor(colors.black)
