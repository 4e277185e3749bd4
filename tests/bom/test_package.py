"""The order package opens: DXF outlines = cut sizes, PDF pages = sheets/parts, CSV rows = parts."""

from __future__ import annotations

import argparse
import base64
import csv
import dataclasses
import hashlib
import io
import json
import re
import zipfile
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import ezdxf
import openpyxl
import pytest

from backend.bom.checks import CheckRules
from backend.bom.layout_check import check_layout
from backend.bom.package import OrderInfo, Package, build_package, make_package
from backend.bom.package.dxf import op_layer
from backend.cli import order as order_cli
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.demo import demo_design
from backend.design.model import Design
from backend.errors import InvalidInput

ORDER = OrderInfo(number="R2611", date=date(2026, 11, 24), base_url="https://rw.example")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def small(catalog: Catalog) -> Design:
    """Two cabinets of the demo kitchen (a corner base unit and a 3-drawer unit)."""
    design = demo_design(catalog=catalog)
    return design.model_copy(update={"cabinets": [design.cabinet("cab-1"), design.cabinet("cab-3")]})


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> tuple[Path, Package]:
    out = tmp_path_factory.mktemp("order")
    return out, make_package(demo_design(catalog=catalog), catalog, ORDER, out)


def _pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def _pdf_texts(path: Path) -> list[str]:
    """The strings each content stream (page) of a reportlab PDF shows (standard fonts, compressed pages)."""
    pages: list[str] = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", path.read_bytes(), re.S):
        data = stream.strip()
        try:
            content = zlib.decompress(base64.a85decode(data.removesuffix(b"~>"))).decode("latin-1")
        except (ValueError, zlib.error):
            continue
        shown = [re.sub(r"\\([0-7]{3}|.)", lambda m: chr(int(m.group(1), 8)) if len(m.group(1)) == 3
                        else m.group(1), raw) for raw in re.findall(r"\(((?:\\.|[^\\)])*)\)\s*Tj", content)]
        pages.append("\n".join(shown))
    return pages


def _csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_every_file_is_written_and_zipped(package: tuple[Path, Package]) -> None:
    out, pkg = package
    names = {p.relative_to(out).as_posix() for p in pkg.files}
    for name in ("order.json", "cutlist.csv", "cutlist.xlsx", "nesting.pdf", "labels.pdf", "labels.csv",
                 "hardware.csv", "edgebanding.csv", "R2611.zip"):
        assert name in names
    assert all(p.is_file() and p.stat().st_size > 0 for p in pkg.files)
    assert pkg.files[-1] == pkg.zip_path
    with zipfile.ZipFile(pkg.zip_path) as zf:
        assert sorted(zf.namelist()) == sorted(names - {"R2611.zip"})
        assert zf.testzip() is None


def test_dxf_outline_is_the_cut_size_and_holds_the_machining(package: tuple[Path, Package]) -> None:
    out, pkg = package
    for part in pkg.parts.parts:
        path = out / "parts" / part.material / f"{part.id}.dxf"
        doc = ezdxf.readfile(path)  # type: ignore[attr-defined]
        msp = doc.modelspace()
        outlines = msp.query('LWPOLYLINE[layer=="OUTLINE"]')
        assert len(outlines) == 1
        pts = [(x, y) for x, y, *_ in outlines[0].get_points()]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        assert (min(xs), min(ys)) == (0, 0)
        assert max(xs) == pytest.approx(part.cut_length_mm) and max(ys) == pytest.approx(part.cut_width_mm)
        face_drills = [op for op in part.machining if op.kind == "drill" and not op.is_edge]
        circles = msp.query("CIRCLE")
        assert len(circles) == len(face_drills)
        assert all(c.dxf.layer.startswith("DRILL_V_D") for c in circles)
        lines = msp.query("LINE")
        assert len(lines) == sum(op.kind == "groove" or op.is_edge for op in part.machining)
        # every op on its own layer: a layer per (kind, diameter, depth, face), entities counted per layer
        want: dict[str, int] = {}
        for op in part.machining:
            name = op_layer(op, part.thickness_mm)
            want[name] = want.get(name, 0) + 1
        got = {name: len(msp.query(f'*[layer=="{name}"]')) for name in want}
        assert got == want


def test_dxf_layers_follow_the_naming(package: tuple[Path, Package]) -> None:
    out, pkg = package
    side = pkg.parts.part("R2611-cab-3-side-l")
    doc = ezdxf.readfile(out / "parts" / side.material / f"{side.id}.dxf")  # type: ignore[attr-defined]
    layers = {layer.dxf.name for layer in doc.layers}
    assert {"OUTLINE", "DRILL_V_D5_Z11_FB", "DRILL_V_D8_Z12_FB", "DRILL_V_D5_Z12_FB", "GROOVE_W8_Z8_FB"} <= layers
    bottom = pkg.parts.part("R2611-cab-3-bottom-1")
    doc = ezdxf.readfile(out / "parts" / bottom.material / f"{bottom.id}.dxf")  # type: ignore[attr-defined]
    layers = {layer.dxf.name for layer in doc.layers}
    assert {"DRILL_H_D8_Z40_W1", "DRILL_H_D8_Z19_W2", "DRILL_V_D15_Z13.5_FB", "DRILL_V_D10_Z12"} <= layers
    top = next(p for p in pkg.parts.parts if p.role == "countertop" and p.ops)
    doc = ezdxf.readfile(out / "parts" / top.material / f"{top.id}.dxf")  # type: ignore[attr-defined]
    assert len(doc.modelspace().query('LWPOLYLINE[layer=="CUTOUT_Z20_FB"]')) == 1


def test_nesting_pdf_has_one_page_per_sheet(package: tuple[Path, Package]) -> None:
    out, pkg = package
    assert pkg.nesting.sheet_count > 0
    assert _pdf_pages(out / "nesting.pdf") == pkg.nesting.sheet_count == pkg.pages["nesting.pdf"]


def test_the_packaged_layout_passes_the_independent_checker(package: tuple[Path, Package],
                                                            catalog: Catalog) -> None:
    out = package[0]
    doc = json.loads((out / "order.json").read_text(encoding="utf-8"))
    board_parts = [p for p in doc["parts"] if catalog.materials[p["material"]].kind != "countertop"]
    plain = [{"id": p["id"], "width": p["cut_length_mm"], "height": p["cut_width_mm"],
              "grain_locked": p["grain"] == "locked", "material": p["material"]} for p in board_parts]
    assert check_layout(doc["nesting"], plain) == []


def test_labels_one_per_physical_part(package: tuple[Path, Package]) -> None:
    out, pkg = package
    n = len(pkg.parts.parts)
    assert _pdf_pages(out / "labels.pdf") == n == pkg.pages["labels.pdf"]
    rows = _csv(out / "labels.csv")
    assert [r["part_id"] for r in rows] == [p.id for p in pkg.parts.parts]
    assert [r["qr_data"] for r in rows] == [p.id for p in pkg.parts.parts]  # scan-and-load opens <part id>.dxf
    # people read the part number; the part page's QR code leads to it
    assert [r["part_no"] for r in rows[:2]] == ["R2611 · P001", "R2611 · P002"]  # 132 parts: three digits
    assert rows[0]["url"] == "https://rw.example/p/R2611-P001"
    assert len({r["part_no"] for r in rows}) == len(rows)
    assert all(r["unit"].startswith("The ") and " mm " in r["unit"] for r in rows), rows[0]
    assert not any("cab-" in r["unit"] for r in rows)


def test_labels_print_the_part_number_and_plain_name(package: tuple[Path, Package]) -> None:
    """The number and the unit's name are on the label (the PDF's text), and the part's page is the URL."""
    out, pkg = package
    texts = _pdf_texts(out / "labels.pdf")
    assert len(texts) == len(pkg.parts.parts)
    first = texts[0]
    part = pkg.parts.parts[0]
    assert "R2611 · P001" in first and part.name in first
    assert "rw.example/p/R2611-P001" in first
    assert part.cabinet_id not in first.replace(part.id, "")


def _pdf_streams(path: Path) -> list[str]:
    """Each page's content stream of a reportlab PDF, decompressed (drawing operators and text)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", path.read_bytes(), re.S):
        try:
            out.append(zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>"))).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return out


def test_labels_draw_the_machining_and_name_the_face_to_load_up(package: tuple[Path, Package]) -> None:
    """Each label's sketch draws the part's holes (red: filled into face A, open into face B, every one a
    circle of four Bézier curves) and says which face goes up on the machine."""
    from backend.bom.package.labels import machining_side

    out, pkg = package
    texts, streams = _pdf_texts(out / "labels.pdf"), _pdf_streams(out / "labels.pdf")
    assert len(texts) == len(streams) == len(pkg.parts.parts)
    red = ".690196 0 .12549 RG"  # the sketch's stroke colour (#b00020), set before the part's machining
    for part, words, page in zip(pkg.parts.parts, texts, streams, strict=True):
        side = machining_side(part.machining)
        face_holes = sum(1 for op in part.machining if op.kind == "drill" and not op.is_edge)
        if not part.machining:
            assert "machining face" not in words and "edge machining only" not in words
            continue
        assert (f"machining face {side} up" if side != "-" else "edge machining only") in words, part.id
        edges = sorted({op.face for op in part.machining if op.is_edge})
        if edges:
            assert f"edges {' '.join(edges)}" in words
        assert red in page, part.id
        start = page.index(red)
        sketch = page[start:page.index("0 0 0 RG", start)]  # up to the colour's reset after the machining
        # reportlab draws a circle as a closed path of four curves: four per hole into a face
        assert sketch.count(" c\n") == 4 * face_holes, part.id
        ticks = sum(1 for op in part.machining if op.is_edge)
        assert sketch.count(" l S") >= ticks, part.id  # a tick per edge hole (and the lines of grooves)


def test_cutlist_csv_and_xlsx_have_a_row_per_part(package: tuple[Path, Package]) -> None:
    out, pkg = package
    rows = _csv(out / "cutlist.csv")
    assert len(rows) == len(pkg.parts.parts)
    for row, part in zip(rows, pkg.parts.parts, strict=True):
        assert row["part_id"] == part.id and row["part_no"] == part.label and row["qty"] == "1"
        assert float(row["cut_length_mm"]) == pytest.approx(part.cut_length_mm)
        assert float(row["cut_width_mm"]) == pytest.approx(part.cut_width_mm)
    wb = openpyxl.load_workbook(out / "cutlist.xlsx", read_only=True)
    sheet = wb["Cut list"]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == len(pkg.parts.parts) + 1
    assert values[0][0] == "part_id" and values[1][0] == pkg.parts.parts[0].id
    assert {"Hardware", "Edge bands"} <= set(wb.sheetnames)
    wb.close()


def test_hardware_and_edgebanding_csv(package: tuple[Path, Package]) -> None:
    out, pkg = package
    hardware = _csv(out / "hardware.csv")
    assert sum(int(r["total_cents"]) for r in hardware) == pkg.quote.subtotals["hardware"]
    assert {r["article"] for r in hardware} == {h.article for h in pkg.parts.hardware}
    bands = _csv(out / "edgebanding.csv")
    assert sum(int(r["total_cents"]) for r in bands) == pkg.quote.subtotals["edge_bands"]


def test_assembly_sheet_per_cabinet(package: tuple[Path, Package]) -> None:
    out, pkg = package
    sheets = sorted((out / "assembly").glob("*.pdf"))
    assert len(sheets) == len(pkg.parts.builds)
    assert all(_pdf_pages(p) == 1 for p in sheets)


def test_order_json_holds_the_design_and_every_part(package: tuple[Path, Package], catalog: Catalog) -> None:
    out, pkg = package
    doc: dict[str, Any] = json.loads((out / "order.json").read_text(encoding="utf-8"))
    assert doc["format"] == "roomwright-order/1"
    assert doc["order"]["number"] == "R2611" and doc["order"]["date"] == "2026-11-24"
    assert Design.model_validate(doc["design"]["document"]) == demo_design(catalog=catalog)
    assert [p["id"] for p in doc["parts"]] == [p.id for p in pkg.parts.parts]
    assert all((out / p["dxf"]).is_file() for p in doc["parts"])
    volume = sum(p["length_mm"] * p["width_mm"] * p["thickness_mm"] for p in doc["parts"])
    assert volume == pytest.approx(doc["totals"]["panel_volume_mm3"])
    assert doc["quote"]["total_cents"] == pkg.quote.total_cents
    assert doc["nesting"]["sheet_count"] == pkg.nesting.sheet_count
    assert set(doc["files"]) == {p.relative_to(out).as_posix() for p in pkg.files[:-1]}


def test_the_package_is_reproducible(tmp_path: Path, small: Design, catalog: Catalog) -> None:
    def digests(out: Path) -> dict[str, str]:
        files = build_package(small, catalog, ORDER, out)
        return {f.relative_to(out).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}

    first, second = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert first == second
    assert len(first) > 10


def test_check_errors_block_the_order(tmp_path: Path, small: Design, catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as info:
        make_package(small, catalog, ORDER, tmp_path, check_rules=CheckRules(min_width_mm=600))
    assert info.value.extra["findings"]
    assert not (tmp_path / "order.json").exists()


def test_an_empty_design_cannot_be_ordered(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(InvalidInput):
        build_package(Design(), catalog, ORDER, tmp_path)


def test_order_numbers_are_checked() -> None:
    with pytest.raises(InvalidInput):
        dataclasses.replace(ORDER, number="R 26/11")
    with pytest.raises(InvalidInput):
        dataclasses.replace(ORDER, base_url="ftp://x")


def cli_main(argv: list[str]) -> int:
    """Run ``roomwright order`` in-process.  (``backend.cli.main`` cannot be called in-process:
    its module discovery imports ``backend.cli.__main__``, which runs ``main()`` on ``sys.argv``.)"""
    parser = argparse.ArgumentParser(prog="roomwright")
    order_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def test_cli_writes_the_package_and_prints_a_summary(tmp_path: Path, small: Design,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    design_path = tmp_path / "design.json"
    design_path.write_text(small.model_dump_json(), encoding="utf-8")
    out = tmp_path / "out"
    code = cli_main(["order", str(design_path), "-o", str(out), "--number", "R7", "--date", "2026-11-24"])
    printed = capsys.readouterr().out
    assert code == 0
    assert (out / "R7.zip").is_file() and (out / "order.json").is_file()
    assert "parts" in printed and "sheets" in printed and "Total (itemized)" in printed
    assert cli_main(["order", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
