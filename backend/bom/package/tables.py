"""Tabular files: ``cutlist.csv`` / ``cutlist.xlsx``, ``labels.csv``, ``hardware.csv``,
``edgebanding.csv``.  CSVs are semicolon-separated UTF-8 with a byte-order mark (what spreadsheet
programs and factory software in Europe and China open directly), one header row, ``\\r\\n`` lines,
decimal point.  The headings and codes (what factory software reads) are the same in every language;
the words people read (the part, the unit, hardware and edge band names, the workbook's sheet names)
are in the document's language (:class:`backend.bom.printing.Print`)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from backend.bom.machining.model import MachOp
from backend.bom.package.labels import part_url, unit_words
from backend.bom.parts import EDGE_NAMES, HardwareItem, Part, PartsList
from backend.bom.printing import ENGLISH, N_, Print
from backend.configurator import wording

Cell = str | int | float

CUTLIST_COLUMNS = (
    "part_id", "part_no", "cabinet", "cabinet_type", "position", "part", "role", "material", "thickness_mm",
    "length_mm", "width_mm", "qty", "grain", "edge_L1", "edge_L2", "edge_W1", "edge_W2",
    "cut_length_mm", "cut_width_mm", "group", "machining", "note",
)


def _num(value: float) -> Cell:
    return int(value) if float(value).is_integer() else round(value, 2)


def machining_summary(ops: Sequence[MachOp]) -> str:
    """E.g. ``shelf_pin D5×20; hinge_cup D35×2; back_groove W8×1``."""
    counts: dict[str, int] = {}
    for op in ops:
        if op.kind == "drill":
            key = f"{op.purpose} D{op.diameter_mm:g}"
        elif op.kind == "groove":
            key = f"{op.purpose} W{op.width_mm:g}"
        else:
            key = op.purpose
        counts[key] = counts.get(key, 0) + 1
    return "; ".join(f"{k}×{n}" for k, n in counts.items())


def part_words(p: Part, lang: Print) -> str:
    """The ``part`` column: the panel's name (``Drawer 1 left side``) in the document's language."""
    return wording.panel_name(p.name, lang.gettext)


def cutlist_rows(plist: PartsList, lang: Print = ENGLISH) -> list[list[Cell]]:
    """One row per physical part (qty 1); ``group`` numbers identical parts (1-based); the ``part``
    column in the language of ``lang``."""
    group_of = {pid: n for n, g in enumerate(plist.groups, 1) for pid in g.ids}
    families = {b.cabinet_id: b.family for b in plist.builds}
    rows: list[list[Cell]] = []
    for p in plist.parts:
        rows.append([
            p.id, p.label, p.cabinet_id, families.get(p.cabinet_id, ""), p.position, part_words(p, lang), p.role,
            p.material,
            _num(p.thickness_mm), _num(p.length_mm), _num(p.width_mm), 1, "L" if p.grain == "locked" else "none",
            *(p.band(e) or "" for e in EDGE_NAMES), _num(p.cut_length_mm), _num(p.cut_width_mm),
            group_of[p.id], machining_summary(p.machining), "",
        ])
    return rows


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def write_cutlist_csv(path: Path, plist: PartsList, lang: Print = ENGLISH) -> None:
    write_csv(path, CUTLIST_COLUMNS, cutlist_rows(plist, lang))


LABEL_COLUMNS = ("part_id", "part_no", "qr_data", "url", "order", "cabinet", "position", "part", "unit",
                 "material", "thickness_mm", "length_mm", "width_mm", "cut_length_mm", "cut_width_mm", "grain",
                 "edge_L1", "edge_L2", "edge_W1", "edge_W2")


def label_rows(parts: Sequence[Part], order_number: str, base_url: str,
               units: Mapping[str, Mapping[str, Any]] | None = None, lang: Print = ENGLISH) -> list[list[Cell]]:
    """What each label prints: ``part_no`` is the part number people read (``RW2612-0001 · P07``),
    ``url`` the part page behind the small QR code (``/p/RW2612-0001-P07``), ``qr_data`` the label id
    for scan-and-load, ``unit`` the unit the part belongs to in words."""
    return [[p.id, p.label, p.id, part_url(base_url, p.ref or p.id), order_number, p.cabinet_id, p.position,
             part_words(p, lang), unit_words((units or {}).get(p.cabinet_id), lang.gettext), p.material,
             _num(p.thickness_mm), _num(p.length_mm),
             _num(p.width_mm), _num(p.cut_length_mm), _num(p.cut_width_mm), "L" if p.grain == "locked" else "none",
             *(p.band(e) or "" for e in EDGE_NAMES)]
            for p in parts]


HARDWARE_COLUMNS = ("code", "article", "name", "category", "qty", "unit_price_cents", "total_cents", "cabinets")


def hardware_rows(plist: PartsList, lang: Print = ENGLISH,
                  accessories: Sequence[HardwareItem] = ()) -> list[list[Cell]]:
    """The design's hardware, then the accessories bought with the order (packed loose: no cabinets)."""
    return [[h.code, h.article, lang(h.name), h.category, h.quantity, h.unit_price_cents, h.total_cents,
             " ".join(f"{cab}:{n}" for cab, n in h.per_cabinet)] for h in (*plist.hardware, *accessories)]


EDGEBAND_COLUMNS = ("code", "name", "thickness_mm", "width_mm", "edges", "edge_length_m", "overlength_mm_per_edge",
                    "order_length_m", "price_per_m_cents", "total_cents")


def edgeband_rows(plist: PartsList, lang: Print = ENGLISH) -> list[list[Cell]]:
    return [[b.code, lang(b.name), _num(b.thickness_mm), _num(b.width_mm), b.edges, round(b.edge_length_mm / 1000, 3),
             _num(b.overlength_mm), b.metres, b.price_per_m_cents, b.total_cents] for b in plist.edge_bands]


def write_cutlist_xlsx(path: Path, plist: PartsList, order_number: str, order_date: date,
                       lang: Print = ENGLISH, accessories: Sequence[HardwareItem] = ()) -> None:
    """The cut list (plus hardware and edge bands) as a workbook; byte-for-byte reproducible."""
    wb = Workbook()
    sheets = ((lang(N_("Cut list")), CUTLIST_COLUMNS, cutlist_rows(plist, lang)),
              (lang(N_("Hardware")), HARDWARE_COLUMNS, hardware_rows(plist, lang, accessories)),
              (lang(N_("Edge bands")), EDGEBAND_COLUMNS, edgeband_rows(plist, lang)))
    for i, (title, header, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))
        ws.freeze_panes = "A2"
        for col, name in zip(ws.iter_cols(min_row=1, max_row=1), header, strict=True):
            width = max([len(str(name))] + [len(str(r[header.index(name)])) for r in rows[:500]])
            ws.column_dimensions[col[0].column_letter].width = min(60, width + 2)
    when = datetime(order_date.year, order_date.month, order_date.day)
    wb.properties.creator = "Roomwright"
    wb.properties.title = lang(N_("Order {number}: cut list"), number=order_number)
    wb.properties.created = when
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_reproducible_zip(buf.getvalue(), when))


def _reproducible_zip(data: bytes, when: datetime) -> bytes:
    """Re-pack an OOXML zip with fixed entry dates and the ``modified`` property set to ``when``."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()
