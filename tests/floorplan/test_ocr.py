"""Printed text: room names and types, sizes and areas, and the scale they give."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from backend.design.model import Point, Room
from backend.floorplan import ocr, vectorize
from benchmarks.ocr import zh

SHARED = (
    next((p / "shared" for p in Path(__file__).resolve().parents if (p / "shared").is_dir()), Path("/nonexistent"))
    / "floorplans"
    / "real"
)


@pytest.mark.parametrize(
    ("text", "room_type", "dims", "area"),
    [
        ("Reception Room/ Kitchen", "living", None, None),
        ("BEDROOM", "bedroom", None, None),
        ("6.22 x 4.67m", None, (6.22, 4.67), None),
        ('10\'2" x 7" 3,10 × 2,13 m', None, (3.10, 2.13), None),
        ("SOVRUM 1 13m?", "bedroom", None, 13.0),
        ("厨房 8.5㎡", "kitchen", None, 8.5),
        ("BH=700", None, None, None),
        ("卫 生 间 5.2㎡", "bathroom", None, 5.2),  # Tesseract spaces out Chinese characters
        ("主卧 12.36 平方米", "bedroom", None, 12.36),
        ("客餐厅 28.5m²", "living", None, 28.5),  # the longest name: a living-dining room, not a dining room
        ("餐厅", "dining", None, None),
        ("卧室 3600×4200", "bedroom", (3.6, 4.2), None),  # room sizes in millimetres
        ("１２．５㎡ 阳台", "balcony", None, 12.5),  # full-width digits
        ("玄关 4平米", "hall", None, 4.0),
        ("8.5m", None, None, None),  # a length, unless the plan is printed in Chinese
    ],
)
def test_parse(text: str, room_type: str | None, dims: tuple[float, float] | None, area: float | None) -> None:
    label = ocr.parse(text, 0, 0, 10)
    assert (label.room_type, label.dims_m, label.area_m2) == (room_type, dims, area)


def test_on_a_chinese_plan_a_bare_m_after_a_decimal_is_square_metres() -> None:
    assert ocr.parse("12.00 m’", 0, 0, 10, chinese_plan=True).area_m2 == 12.0  # ㎡ as Tesseract reads it
    assert ocr.parse("3.60 x 2.40m", 0, 0, 10, chinese_plan=True).area_m2 is None  # still a room size
    assert ocr.parse("12.00 m", 0, 0, 10).area_m2 is None
    assert ocr.is_chinese("卧室 12㎡") and not ocr.is_chinese("BEDROOM 12m2")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("厨房8.5㎡", "厨房"),
        ("卫 生 间 5.2 平方米", "卫生间"),
        ("卧室 3600×4200", "卧室"),
        ("卧室3.6m", "卧室"),
        ("BEDROOM 1 3.10 x 2.74m", "Bedroom"),
        ("Reception Room/ Kitchen", "Reception Room Kitchen"),
    ],
)
def test_room_names_leave_sizes_and_areas_out(text: str, name: str) -> None:
    assert ocr.room_name(ocr.parse(text, 0, 0, 10).text) == name


def test_words_join_into_lines_by_row_and_gap() -> None:
    words = [
        ("x", 330, 262, 8, 14),
        ("4.67m", 340, 258, 30, 22),
        ("6.22", 300, 262, 25, 14),
        ("Bedroom", 300, 340, 60, 14),
        ("far", 600, 262, 20, 14),
    ]
    lines = {ocr.line_text(line)[0] for line in ocr.group_lines(words)}
    assert lines == {"6.22 x 4.67m", "Bedroom", "far"}


def test_scale_comes_from_the_rooms_that_agree() -> None:
    def room(rid: str, w: float, h: float) -> Room:
        return Room(id=rid, polygon=[Point(x=0, y=0), Point(x=w, y=0), Point(x=w, y=h), Point(x=0, y=h)])

    mm = 10.0  # provisional mm per px: rooms of 300×200 px, 150×100 px and one merged with a hall (600×200)
    rooms = [room("room-1", 3000, 2000), room("room-2", 6000, 2000)]
    rooms.append(
        Room(
            id="room-3", polygon=[Point(x=7000, y=0), Point(x=8500, y=0), Point(x=8500, y=1000), Point(x=7000, y=1000)]
        )
    )
    labels = [
        ocr.Label("6.00 x 4.00m", 150, 100, 10, dims_m=(6.0, 4.0)),
        ocr.Label("3.00 x 2.00m", 775, 50, 10, dims_m=(3.0, 2.0)),
        ocr.Label("6.00 x 4.00m", 450, 100, 10, dims_m=(6.0, 4.0)),
    ]  # printed for a room merged with a hall
    info = ocr.scale_from_labels(labels, rooms, mm)
    assert info is not None and info.method == "dimension_text"
    assert info.mm_per_px == pytest.approx(20.0)  # 6 m over 300 px, 4 m over 200 px, 3 m / 150 px, 2 m / 100 px
    assert ocr.scale_from_labels([], rooms, mm) is None


def drawn_plan_with_labels() -> bytes:
    """A room drawn at 10 mm per px (4.0 × 3.0 m inside) with a printed name and size, another with its area."""
    image = Image.new("L", (1100, 700), 255)
    draw = ImageDraw.Draw(image)
    for box in (
        (50, 50, 1050, 62),
        (50, 362, 1050, 374),
        (50, 50, 62, 374),
        (1038, 50, 1050, 374),
        (462, 50, 474, 374),
    ):
        draw.rectangle(box, fill=0)
    font = ImageFont.load_default(size=26)
    draw.text((170, 150), "KITCHEN", fill=0, font=font)
    draw.text((150, 190), "4.00 x 3.00m", fill=0, font=font)
    draw.text((650, 150), "BEDROOM", fill=0, font=font)
    draw.text((650, 190), "3.00 x 3.00m", fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_printed_names_and_sizes_name_the_rooms_and_set_the_scale() -> None:
    assert ocr.available(), "RapidOCR is in requirements.lock; Tesseract comes with `make test`"
    result = vectorize(drawn_plan_with_labels())
    scale = result.plan.source.scale if result.plan.source else None
    assert scale is not None and scale.method == "dimension_text"
    rooms = {room.type: room for room in result.plan.rooms}
    assert rooms["kitchen"].name == "Kitchen" and rooms["bedroom"].name == "Bedroom"
    assert rooms["kitchen"].area_m2 == pytest.approx(12.0, rel=0.05)
    assert any(label.text.startswith("4.00") for label in result.room_labels)


@pytest.mark.skipif(not (SHARED / "r3d_31074492").exists(), reason="../shared is not beside the project")
def test_real_plan_scale_from_printed_room_sizes() -> None:
    result = vectorize((SHARED / "r3d_31074492" / "image.jpg").read_bytes())
    assert result.plan.source is not None and result.plan.source.scale is not None
    assert result.plan.source.scale.method == "dimension_text"
    bedrooms = sorted(room.area_m2 for room in result.plan.rooms if room.type == "bedroom")
    assert bedrooms and any(abs(a - 3.10 * 2.74) < 0.1 * 8.49 for a in bedrooms)  # printed 3.10 x 2.74 m


CJK_FONT = zh.CJK_FONT


def drawn_chinese_plan() -> bytes:
    """Two rooms drawn at 10 mm per px, named in Chinese and with their areas printed (12.00 and 16.92 m²)
    in the two ways Chinese plans print them, ㎡ and 平方米 (drawn by the OCR benchmark, which scores it too)."""
    return zh.chinese_area_plan().data


@pytest.mark.skipif(not CJK_FONT.exists(), reason="no CJK font (apt-get install fonts-wqy-zenhei)")
def test_a_chinese_plan_names_its_rooms_and_its_areas_set_the_scale() -> None:
    assert ocr.available(), "RapidOCR is in requirements.lock; Tesseract comes with `make test`"
    if ocr.chosen_engine() == "tesseract" and "chi_sim" not in ocr._languages():
        pytest.skip("Tesseract has no Chinese (apt-get install tesseract-ocr-chi-sim)")
    result = vectorize(drawn_chinese_plan())
    scale = result.plan.source.scale if result.plan.source else None
    assert scale is not None and scale.method == "room_area"
    rooms = {room.type: room for room in result.plan.rooms}
    assert rooms["kitchen"].name == "厨房" and rooms["bedroom"].name == "卧室"
    assert rooms["kitchen"].area_m2 == pytest.approx(12.0, rel=0.05)
    assert rooms["bedroom"].area_m2 == pytest.approx(16.92, rel=0.05)


def drawn_chinese_chain_plan() -> bytes:
    """A second Chinese plan, drawn at 10 mm per px: a living room (客厅), a bathroom (卫生间) and a balcony
    (阳台), no areas printed, and a dimension chain in millimetres over the top wall (4120 | 5760 between
    the wall centres, ticks on a thin line) — how Chinese plans give their size."""
    return zh.chinese_chain_plan().data


@pytest.mark.skipif(not CJK_FONT.exists(), reason="no CJK font (apt-get install fonts-wqy-zenhei)")
def test_a_chinese_plan_with_a_millimetre_chain_names_its_rooms_and_sets_the_scale() -> None:
    assert ocr.available(), "RapidOCR is in requirements.lock; Tesseract comes with `make test`"
    if ocr.chosen_engine() == "tesseract" and "chi_sim" not in ocr._languages():
        pytest.skip("Tesseract has no Chinese (apt-get install tesseract-ocr-chi-sim)")
    result = vectorize(drawn_chinese_chain_plan())
    assert result.scale.method == "dimension_line"
    width = max(w.end.x for w in result.plan.walls) - min(w.start.x for w in result.plan.walls)
    assert width == pytest.approx(9880, rel=0.02)  # wall centre to wall centre, 4120 + 5760
    types = {room.type for room in result.plan.rooms}
    assert {"living", "bathroom", "balcony"} <= types


def drawn_label_and_size() -> NDArray[np.uint8]:
    """A Chinese room name, a room size in metres and an area, as printed in a plan (gray, 1 px = 1 plan px)."""
    image = Image.new("L", (700, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.text((60, 60), "卫生间", fill=0, font=ImageFont.truetype(str(CJK_FONT), 34))
    draw.text((60, 170), "3.10 x 2.74m", fill=0, font=ImageFont.load_default(size=30))
    draw.text((400, 170), "12.5㎡", fill=0, font=ImageFont.truetype(str(CJK_FONT), 30))
    return np.asarray(image, dtype=np.uint8)


@pytest.mark.skipif(not CJK_FONT.exists(), reason="no CJK font (apt-get install fonts-wqy-zenhei)")
@pytest.mark.parametrize("engine", ocr.ENGINES)
def test_each_engine_reads_a_chinese_name_a_size_and_an_area_where_they_are_printed(engine: ocr.Engine) -> None:
    if engine == "tesseract" and not ocr.available("tesseract"):
        pytest.skip("Tesseract is the fallback engine, installed by `make test` (apt-get install tesseract-ocr)")
    if engine == "tesseract" and "chi_sim" not in ocr._languages():
        pytest.skip("Tesseract has no Chinese (apt-get install tesseract-ocr-chi-sim)")
    assert ocr.available(engine), f"{engine} is the default OCR engine: it is in requirements.lock"
    reading = ocr.read_text(drawn_label_and_size(), 0.5, engine)  # the view at 2 px per plan px
    assert not reading.notes
    named = [lb for lb in reading.labels if lb.room_type == "bathroom"]
    assert named and ocr.room_name(named[0].text) == "卫生间"
    assert named[0].x == pytest.approx(2 * (60 + 51), abs=40) and named[0].y == pytest.approx(2 * 77, abs=30)
    assert any(lb.dims_m == (3.10, 2.74) for lb in reading.labels)
    if engine == "rapidocr":  # Tesseract reads ㎡ as "m?" or drops it (docs/ocr.md)
        assert any(lb.area_m2 == 12.5 for lb in reading.labels)


def test_the_setting_picks_the_engine_and_the_other_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = set(ocr.ENGINES)
    monkeypatch.setattr(ocr, "available", lambda engine=None: engine in installed if engine else bool(installed))
    monkeypatch.delenv(ocr.ENGINE_SETTING, raising=False)
    assert ocr.chosen_engine() == "rapidocr"
    monkeypatch.setenv(ocr.ENGINE_SETTING, "tesseract")
    assert ocr.chosen_engine() == "tesseract"
    installed.discard("tesseract")
    assert ocr.chosen_engine() == "rapidocr"
    installed.clear()
    assert ocr.chosen_engine() is None
    reading = ocr.read_text(drawn_label_and_size())
    assert (reading.lines, [n.code for n in reading.notes]) == ([], ["ocr_missing"])
