"""The factory order package: every file a panel-furniture plant needs, and a zip of them all.

``build_package(design, catalog, order, out_dir)`` writes (names relative to ``out_dir``; the
format of each file is in docs/order-format.md):

- ``order.json`` — the design revision and every derived part, machine-readable;
- ``cutlist.csv`` (semicolon, UTF-8 with BOM) and ``cutlist.xlsx`` — one row per part;
- ``nesting.pdf`` — one page per sheet;
- ``parts/<material>/<part id>.dxf`` — outline and machining per part;
- ``labels.pdf`` and ``labels.csv`` — one label per physical part;
- ``hardware.csv``, ``edgebanding.csv``;
- ``assembly/<cabinet id>.pdf`` — an assembly sheet per cabinet;
- ``machining.json`` — every part with all its operations, machine-neutral;
- ``sawlist.csv`` — the panel saw's list and our patterns, PTX-style records;
- ``sheets/<material>/<material>-<n>.dxf`` — the CNC router's sheets: nested blanks with their
  machining, tool paths and cut order (the factory profile's router nesting);
- ``<order number>.zip`` — all of the above.

The output is a pure function of (design, catalog, order info, locale): no clock, no randomness; the
only date inside the files is the order date.  ``locale`` is the language people read the documents
in (labels, assembly sheets, nesting sheets, the cut list's part and unit columns, the tables' names):
English by default; the column headings and codes machines read stay as they are in every language.
The order is refused (``InvalidInput`` with the findings in ``extra["findings"]``) when a
manufacturability check reports an error.
"""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from backend.bom import nesting
from backend.bom.checks import CheckRules, Finding, blocking, check_parts
from backend.bom.factory import FactoryProfile, nest_router_parts, profile
from backend.bom.nesting import Stock
from backend.bom.nesting.router import RouterResult
from backend.bom.package.assembly import write_assembly_pdf
from backend.bom.package.dxf import part_dxf_path, safe_name, write_part_dxf
from backend.bom.package.labels import write_labels_pdf
from backend.bom.package.machining_json import machining_document
from backend.bom.package.nesting_pdf import write_nesting_pdf
from backend.bom.package.order_json import order_document
from backend.bom.package.sawlist import write_sawlist
from backend.bom.package.sheets_dxf import write_sheet_dxfs
from backend.bom.package.tables import (
    EDGEBAND_COLUMNS,
    HARDWARE_COLUMNS,
    LABEL_COLUMNS,
    edgeband_rows,
    hardware_rows,
    label_rows,
    write_csv,
    write_cutlist_csv,
    write_cutlist_xlsx,
)
from backend.bom.part_numbers import unit_names
from backend.bom.parts import HardwareItem, PartsList, board_of, nest_parts, nested_materials, parts_list
from backend.bom.pricing import PricingMode, PricingRules, Quote, quote_parts, rules_for
from backend.bom.printing import N_, Print
from backend.configurator.catalog import Catalog
from backend.design.model import Design
from backend.errors import InvalidInput

__all__ = ["OrderInfo", "Package", "build_package", "make_package"]

_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


@dataclass(frozen=True)
class OrderInfo:
    """What the order adds to the design: its number (becomes the prefix of every part id, so
    letters, digits, ``-``, ``_``, ``.``), date, the design revision it freezes, and where the
    part pages live (``{base_url}/p/{part id}``)."""

    number: str
    date: date
    design_revision: int | str = 1
    base_url: str = "https://roomwright.local"
    customer: str = ""
    delivery_address: str = ""
    notes: str = ""
    pricing_mode: PricingMode | None = None
    accessories: tuple[HardwareItem, ...] = ()
    """Catalog accessories the customer bought with the order (paid in points): packed loose with it, listed
    in the hardware tables after the design's hardware (no cabinet)."""

    def __post_init__(self) -> None:
        if not _NUMBER.match(self.number):
            raise InvalidInput("an order number is 1–40 letters, digits, '-', '_' or '.', starting with a "
                               f"letter or digit; got {self.number!r}", field="number")
        if not self.base_url.startswith(("http://", "https://")):
            raise InvalidInput("base_url must start with http:// or https://", field="base_url")

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "number": self.number, "date": self.date.isoformat(), "design_revision": self.design_revision,
            "base_url": self.base_url, "customer": self.customer, "delivery_address": self.delivery_address,
            "notes": self.notes}
        if self.accessories:
            out["accessories"] = [{"code": a.code, "article": a.article, "name": a.name, "category": a.category,
                                   "qty": a.quantity} for a in self.accessories]
        return out


@dataclass(frozen=True)
class Package:
    files: list[Path]
    """Every file written, the zip last."""
    zip_path: Path
    parts: PartsList
    nesting: nesting.NestResult
    quote: Quote
    findings: list[Finding]
    pages: dict[str, int] = field(default_factory=dict)
    """Page count per PDF (relative name)."""
    router: RouterResult | None = None
    """The CNC router's nesting (``sheets/*.dxf``)."""
    profile: FactoryProfile | None = None
    locale: str = "en"
    """The language of the human-readable files."""


def build_package(design: Design, catalog: Catalog, order: OrderInfo, out_dir: Path | str,
                  locale: str | None = None) -> list[Path]:
    """Write the order package into ``out_dir``; returns the files written, the zip last."""
    return make_package(design, catalog, order, out_dir, locale=locale).files


def make_package(design: Design, catalog: Catalog, order: OrderInfo, out_dir: Path | str, *,
                 check_rules: CheckRules | None = None, pricing_rules: PricingRules | None = None,
                 factory: FactoryProfile | None = None, locale: str | None = None) -> Package:
    """:func:`build_package` returning also the parts, nesting, quote, findings and page counts.

    ``factory`` (default: the default profile of ``assets/models/factory/profiles.json``) names the
    production line the order goes to, the router's stock and tool and the DXF layer template; both
    lines' files are written, so an order can move between the saw and the router unchanged.
    ``locale``: the language of what people read in the files (English when None or unknown)."""
    prof = factory or profile()
    lang = Print.of(locale)
    plist = parts_list(design, catalog, order.number)
    if not plist.parts:
        raise InvalidInput("the design has no cabinets to order", field="cabinets")
    findings = check_parts(plist, catalog, check_rules, prof)
    errors = blocking(findings)
    if errors:
        shown = "; ".join(f"{f.part_id}: {f.message}" for f in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InvalidInput(f"the design cannot be ordered: {shown}{more}", field="design",
                           extra={"findings": [f.to_dict() for f in findings]})
    rules = pricing_rules or rules_for(catalog)
    quoted = _quote_nesting(plist, catalog, rules.nest_settings)
    result = saw_nesting(plist, catalog, prof, rules.nest_settings, quoted)
    q = quote_parts(plist, catalog, order.pricing_mode, rules=rules, nest_result=quoted or result)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    units = unit_names(design, catalog)
    pages = _write_documents(out, plist, result, order, catalog, prof, units, lang)
    _write_tables(out, plist, order, units, lang)
    router = nest_router_parts(plist, catalog, prof)
    (out / "machining.json").write_text(json.dumps(machining_document(plist, catalog, order.number), indent=1,
                                                   ensure_ascii=False) + "\n", encoding="utf-8")
    write_sawlist(out / "sawlist.csv", plist, result, catalog, order.number, order.date)
    sheets = write_sheet_dxfs(out, router, plist, catalog, prof.dxf_layers)
    written = [*_files(out, plist), out / "machining.json", out / "sawlist.csv", *sheets]
    names = [p.relative_to(out).as_posix() for p in written]
    doc = order_document(order=order.to_dict(), design=design, revision=order.design_revision,
                         catalog_version=catalog.version, plist=plist, result=result, quote=q, findings=findings,
                         files=["order.json", *names])
    doc["production"] = {"profile": prof.code, "name": prof.name, "mode": prof.mode,
                         "dxf_layers": prof.dxf_layers, "router_sheets": router.sheet_count,
                         "saw_sheets": result.sheet_count}
    doc["router_nesting"] = router.to_dict()
    (out / "order.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written.insert(0, out / "order.json")
    zip_path = out / f"{order.number}.zip"
    _zip(zip_path, out, written, order.date)
    return Package(files=[*written, zip_path], zip_path=zip_path, parts=plist, nesting=result, quote=q,
                   findings=findings, pages=pages, router=router, profile=prof, locale=lang.locale)


def _quote_nesting(plist: PartsList, catalog: Catalog, settings: nesting.NestSettings) -> nesting.NestResult | None:
    """The quote's nesting (the catalog's first board size per material; information only), or None when
    a part fits only the factory profile's larger stock (the checks passed on the profile's sizes)."""
    try:
        return nest_parts(plist, catalog, settings)
    except InvalidInput:
        return None


def saw_nesting(plist: PartsList, catalog: Catalog, prof: FactoryProfile, quoted_with: nesting.NestSettings,
                quoted: nesting.NestResult | None) -> nesting.NestResult:
    """The panel saw's layout with the profile's kerf, trim, stages and stock per material (its remnants
    first, then its stock sizes, each sheet in the size wasting least): the quote's own nesting run when
    those are the quote's (the default profile: the catalog's one size, no remnants), else a run of its
    own (the quote, and so the price, never depends on the profile)."""
    settings = dataclasses.replace(quoted_with, kerf=prof.kerf_mm, trim=prof.trim_mm, stages=prof.stages)
    materials = set(nested_materials(catalog, [p.material for p in plist.parts]))
    stocks = {m: prof.stocks(catalog, m) for m in materials}
    if quoted is not None and settings == quoted_with and all(
            stocks[m] == [Stock(board_of(catalog, m))] for m in materials):
        return quoted
    return nest_parts(plist, catalog, settings, stocks)


def _heading(order: OrderInfo, lang: Print) -> str:
    return lang(N_("Order {number} · {date}"), number=order.number, date=order.date.isoformat())


def _family_name(catalog: Catalog, code: str, lang: Print) -> str:
    """The family as the sheet's reader reads it: its code in English (as the sheets always printed it),
    its catalog name in another language."""
    family = catalog.families.get(code)
    return "" if lang.english or family is None else lang(family.name)


def _write_documents(out: Path, plist: PartsList, result: nesting.NestResult, order: OrderInfo,
                     catalog: Catalog, prof: FactoryProfile, units: dict[str, dict[str, Any]],
                     lang: Print) -> dict[str, int]:
    pages = {"nesting.pdf": write_nesting_pdf(out / "nesting.pdf", result, plist, _heading(order, lang), lang),
             "labels.pdf": write_labels_pdf(out / "labels.pdf", list(plist.parts), order.number, order.base_url,
                                            units, lang)}
    for part in plist.parts:
        write_part_dxf(part_dxf_path(out, part), part, catalog, prof.dxf_layers)
    (out / "assembly").mkdir(exist_ok=True)
    for build in plist.builds:
        name = f"assembly/{safe_name(build.cabinet_id)}.pdf"
        parts = [p for p in plist.parts if p.cabinet_id == build.cabinet_id]
        pages[name] = write_assembly_pdf(out / name, build, parts, plist, _heading(order, lang), lang,
                                         _family_name(catalog, build.family, lang))
    return pages


def _write_tables(out: Path, plist: PartsList, order: OrderInfo, units: dict[str, dict[str, Any]],
                  lang: Print) -> None:
    write_cutlist_csv(out / "cutlist.csv", plist, lang)
    write_cutlist_xlsx(out / "cutlist.xlsx", plist, order.number, order.date, lang, order.accessories)
    write_csv(out / "labels.csv", LABEL_COLUMNS, label_rows(list(plist.parts), order.number, order.base_url, units,
                                                            lang))
    write_csv(out / "hardware.csv", HARDWARE_COLUMNS, hardware_rows(plist, lang, order.accessories))
    write_csv(out / "edgebanding.csv", EDGEBAND_COLUMNS, edgeband_rows(plist, lang))


def _files(out: Path, plist: PartsList) -> list[Path]:
    fixed = ["cutlist.csv", "cutlist.xlsx", "nesting.pdf", "labels.pdf", "labels.csv", "hardware.csv",
             "edgebanding.csv"]
    assembly = [out / "assembly" / f"{safe_name(b.cabinet_id)}.pdf" for b in plist.builds]
    return [*(out / n for n in fixed), *(part_dxf_path(out, p) for p in plist.parts), *assembly]


def _zip(path: Path, root: Path, files: list[Path], when: date) -> None:
    """A reproducible zip: entries sorted by name, dated the order date."""
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
            entry = zipfile.ZipInfo(f.relative_to(root).as_posix(), date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, f.read_bytes())
