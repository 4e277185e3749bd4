"""Printed documents in the reader's language: the example kitchen's order package (labels, assembly and
nesting sheets, cut list and tables) and its proposal in Chinese show Chinese words and no English ones;
the English documents are what they were."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from backend.bom import printing
from backend.bom.package import OrderInfo, Package, make_package
from backend.bom.package.labels import write_labels_pdf
from backend.bom.pricing import quote
from backend.bom.printing import Print
from backend.bom.proposal import proposal_pdf
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.demo import demo_design
from backend.design.model import Design
from support.pdf_text import page_texts, pdf_text
from tests.bom.test_package import cli_main

ORDER = OrderInfo(number="R2611", date=date(2026, 11, 24), base_url="https://rw.example")
HAN = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(r"\S*[\d_\-/]\S*")
"""Identifiers: order and part numbers, part and cabinet ids, catalog and article codes, URLs (they are
the same in every language: machines and people match them)."""
UNITS = {"mm", "CNY"}


def english_words(text: str) -> list[str]:
    """Words of two or more Latin letters that are not part of an identifier or a unit."""
    plain = CODE.sub(" ", text)
    return sorted({w for w in re.findall(r"[A-Za-z]{2,}", plain) if w not in UNITS})


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def kitchen(catalog: Catalog) -> Design:
    """The example kitchen with its rooms left unnamed (a person's own names are printed as typed; the
    room types are words to translate)."""
    design = demo_design(catalog=catalog)
    plan = design.plan.model_copy(update={"rooms": [r.model_copy(update={"name": ""}) for r in design.plan.rooms]})
    return design.model_copy(update={"plan": plan, "name": "我的厨房"})


@pytest.fixture(scope="module")
def zh_package(tmp_path_factory: pytest.TempPathFactory, kitchen: Design, catalog: Catalog) -> tuple[Path, Package]:
    out = tmp_path_factory.mktemp("order-zh")
    return out, make_package(kitchen, catalog, ORDER, out, locale="zh_Hans")


def test_the_chinese_font_is_embedded() -> None:
    lang = Print.of("zh-CN")
    assert lang.locale == "zh_Hans" and lang.font == printing.CJK_FONT and not lang.note, lang.note
    assert Print.of("en").font == "Helvetica" and Print.of("fr").locale == "en" and Print.of(None).english


def test_without_the_font_file_the_fallback_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "CJK_FONT_FILES", (Path("/nonexistent/wqy-zenhei.ttc"),))
    font, note = printing.cjk_font.__wrapped__()
    assert font == printing.CJK_FALLBACK and "fonts-wqy-zenhei" in note


def test_labels_in_chinese(zh_package: tuple[Path, Package]) -> None:
    out, pkg = zh_package
    assert pkg.locale == "zh_Hans"
    pages = page_texts((out / "labels.pdf").read_bytes())
    assert len(pages) == len(pkg.parts.parts)
    for page, part in zip(pages, pkg.parts.parts, strict=True):
        assert part.label in page and "rw.example/p/" + part.ref in page
        assert HAN.search(page) and "成品" in page and "开料" in page, page
        assert not english_words(page), (english_words(page), page)


def test_assembly_and_nesting_sheets_in_chinese(zh_package: tuple[Path, Package]) -> None:
    out, pkg = zh_package
    sheets = sorted((out / "assembly").glob("*.pdf"))
    assert len(sheets) == len(pkg.parts.builds)
    for sheet in sheets:
        text = pdf_text(sheet.read_bytes())
        assert "正视图" in text and "侧视图" in text and "序号" in text, text[:300]
        assert not english_words(text), (sheet.name, english_words(text))
    nesting = page_texts((out / "nesting.pdf").read_bytes())
    assert len(nesting) == pkg.nesting.sheet_count
    assert all("利用率" in page and not english_words(page) for page in nesting), nesting[0][:300]


def test_cut_list_and_tables_in_chinese(zh_package: tuple[Path, Package], catalog: Catalog) -> None:
    out, pkg = zh_package
    rows = list(csv.DictReader(io.StringIO((out / "cutlist.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r["part_id"] for r in rows] == [p.id for p in pkg.parts.parts]  # what machines read is unchanged
    assert all(HAN.search(r["part"]) and not english_words(r["part"]) for r in rows), rows[0]
    labels = list(csv.DictReader(io.StringIO((out / "labels.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert all(HAN.search(r["unit"]) and not english_words(r["unit"] + r["part"]) for r in labels), labels[0]
    hardware = list(csv.DictReader(io.StringIO((out / "hardware.csv").read_text(encoding="utf-8-sig")),
                                   delimiter=";"))
    assert all(HAN.search(r["name"]) for r in hardware), hardware[0]
    wb = openpyxl.load_workbook(out / "cutlist.xlsx", read_only=True)
    assert wb.sheetnames == ["开料单", "五金", "封边条"]
    wb.close()


def test_proposal_in_chinese(kitchen: Design, catalog: Catalog) -> None:
    pdf = proposal_pdf(kitchen, catalog, quote(kitchen, catalog), customer="李女士", when=date(2026, 12, 1),
                       locale="zh_Hans")
    pages = page_texts(pdf)
    assert pages[0].startswith("户型图") and "厨房" in pages[0]
    assert any(p.startswith("报价") and "价格明细" in p and "合计" in p for p in pages)
    for page in pages:
        assert HAN.search(page) and not english_words(page), (english_words(page), page[:200])


def test_english_documents_are_unchanged(tmp_path: Path, kitchen: Design, catalog: Catalog) -> None:
    """English stays the default, drawn in Helvetica with the words it always had."""
    parts = list(make_package(kitchen, catalog, ORDER, tmp_path / "en").parts.parts[:3])
    default, english = tmp_path / "default.pdf", tmp_path / "en.pdf"
    write_labels_pdf(default, parts, ORDER.number, ORDER.base_url)
    write_labels_pdf(english, parts, ORDER.number, ORDER.base_url, lang=Print.of("en"))
    assert default.read_bytes() == english.read_bytes()
    first = page_texts(default.read_bytes())[0]
    assert {"scan: part page", "Left side", "Finished 720 × 560 × 18 mm", "Cut 720 × 559 mm",
            "machining face B up"} <= set(first.splitlines()), first
    assert not HAN.search(pdf_text((tmp_path / "en" / "assembly" / "cab-3.pdf").read_bytes()))
    q = quote(kitchen, catalog)
    en = proposal_pdf(kitchen, catalog, q, when=date(2026, 12, 1))
    assert en == proposal_pdf(kitchen, catalog, q, when=date(2026, 12, 1), locale="en")
    text = pdf_text(en)
    assert "Floor plan" in text and "Price breakdown" in text and "edge bands" in text and not HAN.search(
        text.replace(kitchen.name, ""))


def test_the_order_command_prints_in_the_locale_asked_for(tmp_path: Path, catalog: Catalog) -> None:
    design = demo_design(catalog=catalog)
    small = design.model_copy(update={"cabinets": [design.cabinet("cab-3")]})
    path = tmp_path / "design.json"
    path.write_text(small.model_dump_json(), encoding="utf-8")
    for locale, word in (("zh_Hans", "成品"), ("en", "Finished")):
        out = tmp_path / locale
        assert cli_main(["order", str(path), "-o", str(out), "--number", "R7", "--locale", locale]) == 0
        assert word in pdf_text((out / "labels.pdf").read_bytes())


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_proposal_names_units_and_walls_without_internal_ids(kitchen: Design, catalog: Catalog,
                                                                 locale: str) -> None:
    """The customer reads unit numbers (the key shared by the plan, the elevations and the quote) and walls
    in words, never a cabinet's or a wall's id."""
    text = pdf_text(proposal_pdf(kitchen, catalog, quote(kitchen, catalog), when=date(2026, 12, 1), locale=locale))
    ids = {c.id for c in kitchen.cabinets} | {w.id for w in kitchen.plan.walls}
    assert not [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    quote_page = page_texts(proposal_pdf(kitchen, catalog, quote(kitchen, catalog), when=date(2026, 12, 1),
                                         locale=locale))[-1]
    assert all(re.search(rf"(?m)\b{n}\b", quote_page) for n in range(1, len(kitchen.cabinets) + 1))
    wall = "Kitchen" if locale == "en" else "厨房"
    assert wall in text
