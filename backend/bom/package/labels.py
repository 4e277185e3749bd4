"""``labels.pdf``: one 100 × 60 mm label per physical part.

Each label has a QR code of the part id (what scan-and-load CNC software reads to open
``<part id>.dxf``), a smaller QR code of the part's short URL ``{base_url}/p/{part number}``
(``/p/RW2612-0001-P07``: the customer's and fitter's page for the part), the part number in bold
(``RW2612-0001 · P07``, :mod:`backend.bom.part_numbers`), what the part is and the unit it belongs to
("Drawer 1 left side" / "The 600 mm drawer unit at the left end of its run"), finished and cut sizes,
material, a sketch of the part with its banded edges drawn thick, a grain arrow
for grain-locked parts, and its machining drawn in the sketch as seen from face A: holes into face A
filled, into face B open circles, edge holes as ticks on their edge, grooves and cut-outs as lines;
the face to load up on the machine (the one with most face operations) is written under the sketch.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import segno
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from backend.bom.machining.model import MachOp
from backend.bom.package._pdf import arrow, fit_font, new_canvas, text
from backend.bom.parts import Part
from backend.bom.printing import ENGLISH, N_, Print
from backend.configurator import wording

LABEL_SIZE = (100 * mm, 60 * mm)


def part_url(base_url: str, ref: str) -> str:
    """``{base_url}/p/{ref}``: the part page of a part number's key (``RW2612-0001-P07``; the key
    percent-encoded if it holds characters a URL cannot)."""
    return f"{base_url.rstrip('/')}/p/{quote(ref, safe='')}"


def unit_words(unit: Mapping[str, Any] | None, _: wording.Gettext = str) -> str:
    """The unit a part belongs to, in words (English unless ``_`` translates): "The 600 mm base unit
    left of the sink"."""
    words = wording.name(unit, _) if unit else ""
    return words[:1].upper() + words[1:]


def draw_qr(c: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code (segno) as vector squares, ``size`` points wide including a 2-module quiet zone."""
    qr = segno.make(data, error="m", micro=False)
    matrix = qr.matrix
    n = len(matrix)
    module = size / (n + 4)
    c.setFillColor(colors.black)
    for r, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col] & 1:
                start = col
                while col < n and row[col] & 1:
                    col += 1
                c.rect(x + (start + 2) * module, y + size - (r + 3) * module, (col - start) * module, module,
                       stroke=0, fill=1)
            else:
                col += 1


def write_labels_pdf(path: Path, parts: list[Part], order_number: str, base_url: str,
                     units: Mapping[str, Mapping[str, Any]] | None = None, lang: Print = ENGLISH) -> int:
    """Write one page per part; returns the page count. ``units``: every cabinet's name as
    :func:`backend.bom.part_numbers.unit_names` gives it (by cabinet id); ``lang``: the labels' language."""
    c = new_canvas(path, LABEL_SIZE, lang(N_("{order}: part labels"), order=order_number))
    for p in parts:
        _label(c, p, order_number, base_url, (units or {}).get(p.cabinet_id), lang)
        c.showPage()
    c.save()
    return len(parts)


def _label(c: Canvas, p: Part, order_number: str, base_url: str, unit: Mapping[str, Any] | None,
           lang: Print) -> None:
    w, h = LABEL_SIZE
    draw_qr(c, p.id, 2 * mm, h - 32 * mm, 30 * mm)
    url = part_url(base_url, p.ref or p.id)
    draw_qr(c, url, 2 * mm, 4 * mm, 22 * mm)
    text(c, 24 * mm, 4 * mm, lang(N_("scan: part page")), 5, lang.font)
    x = 34 * mm
    right = w - 2 * mm
    number = p.label if p.number else p.id
    text(c, x, h - 6 * mm, number, fit_font(number, lang.bold, 11, right - x), lang.bold)
    rows = [
        wording.panel_name(p.name, lang.gettext),
        unit_words(unit, lang.gettext) or lang(N_("Order {number}"), number=order_number),
        lang(N_("Finished {length} × {width} × {thickness} mm"), length=f"{p.length_mm:g}", width=f"{p.width_mm:g}",
             thickness=f"{p.thickness_mm:g}"),
        lang(N_("Cut {length} × {width} mm"), length=f"{p.cut_length_mm:g}", width=f"{p.cut_width_mm:g}"),
        lang(p.material_name),
    ]
    for i, row in enumerate(rows):
        text(c, x, h - (11 + 4.2 * i) * mm, row, fit_font(row, lang.font, 7, right - x), lang.font)
    _band_sketch(c, p, x, 6 * mm, 40 * mm, 20 * mm, lang)
    short = url.split("://", 1)[-1]
    text(c, 2 * mm, 1.5 * mm, short, fit_font(short, lang.font, 5, w - 4 * mm), lang.font)


def _band_sketch(c: Canvas, p: Part, x: float, y: float, max_w: float, max_h: float, lang: Print) -> None:
    """The part as a rectangle (length across), banded edges thick, with their band codes."""
    ratio = p.width_mm / p.length_mm if p.length_mm else 1.0
    w = max_w
    h = max(4 * mm, min(max_h, w * ratio))
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.3)
    c.rect(x, y, w, h, stroke=1, fill=0)
    c.setLineWidth(2.0)
    edges = {"L1": ((x, y), (x + w, y)), "L2": ((x, y + h), (x + w, y + h)),
             "W1": ((x, y), (x, y + h)), "W2": ((x + w, y), (x + w, y + h))}
    for name, ((x0, y0), (x1, y1)) in edges.items():
        if p.band(name) is not None:
            c.line(x0, y0, x1, y1)
    c.setLineWidth(0.3)
    codes = [f"{e} {p.band(e)}" for e in edges if p.band(e) is not None] or [lang(N_("no edge band"))]
    for i, row in enumerate(codes):
        text(c, x + w + 1 * mm, y + h - (i + 1) * 2.2 * mm, row, fit_font(row, lang.font, 5, 20 * mm), lang.font)
    if p.grain == "locked":
        arrow(c, x + w * 0.3, y + h / 2, x + w * 0.7, y + h / 2, 2.5)
        text(c, x + w * 0.3, y + h / 2 + 1.5, lang(N_("grain")), 5, lang.font)
    _machining_sketch(c, p, x, y, w, h, lang)


def machining_side(ops: tuple[MachOp, ...]) -> str:
    """The face to load up: the one with most face operations (``A``, ``B``), or ``-`` for none."""
    a = sum(1 for o in ops if o.face == "A")
    b = sum(1 for o in ops if o.face == "B")
    return "-" if a == b == 0 else ("B" if b >= a else "A")


def _machining_sketch(c: Canvas, p: Part, x: float, y: float, w: float, h: float, lang: Print) -> None:
    if not p.machining:
        return
    sx, sy = w / p.length_mm, h / p.width_mm
    c.setStrokeColor(colors.HexColor("#b00020"))
    c.setFillColor(colors.HexColor("#b00020"))
    c.setLineWidth(0.25)
    for op in p.machining:
        u, v = x + op.u_mm * sx, y + op.v_mm * sy
        if op.kind == "drill" and not op.is_edge:
            c.circle(u, v, max(0.35 * mm, op.diameter_mm / 2 * sx), stroke=1, fill=1 if op.face == "A" else 0)
        elif op.kind == "drill":
            du, dv = {"W1": (1, 0), "W2": (-1, 0), "L1": (0, 1), "L2": (0, -1)}[op.face]
            c.line(u, v, u + du * 1.2 * mm, v + dv * 1.2 * mm)
        elif op.path:
            pts = [(x + a * sx, y + b * sy) for a, b in op.path]
            closed = op.kind != "groove"
            for (x0, y0), (x1, y1) in zip(pts, pts[1:] + (pts[:1] if closed else []), strict=False):
                c.line(x0, y0, x1, y1)
    c.setFillColor(colors.black)
    c.setStrokeColor(colors.black)
    side = machining_side(p.machining)
    edges = sorted({o.face for o in p.machining if o.is_edge})
    words = lang(N_("machining face {side} up"), side=side) if side != "-" else lang(N_("edge machining only"))
    if edges:
        words += lang(N_("; edges {edges}"), edges=" ".join(edges))
    text(c, x, y - 3 * mm, words, fit_font(words, lang.bold, 6, w + 20 * mm), lang.bold)
