"""Printed dimension strings along dimension lines: reading the length, measuring the line, the scale."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from backend.floorplan import dimensions, ocr, scale, vectorize


@pytest.mark.parametrize(("text", "values"), [
    ("3600", [3600.0]),
    ("3600mm", [3600.0]),
    ("360", [360.0, 3600.0]),  # millimetres or centimetres: the walls decide
    ("360cm", [3600.0]),
    ("3.60", [3600.0]),
    ("3,60 m", [3600.0]),
    ("12.100", [12100.0]),
    ("12'6\"", [pytest.approx(3810.0)]),
    ("12’ - 6”", [pytest.approx(3810.0)]),
    ("8'", [pytest.approx(2438.4)]),
    ("m2", []),
    ("BEDROOM", []),
    ("12", []),
    ("13.5m2", []),
    ("３６００", [3600.0]),  # full-width digits, as Chinese plans may print them
    ("13.5㎡", []),
    ("13.5m²", []),
    ("12平方米", []),
])
def test_lengths_read_in_their_units(text: str, values: list[float]) -> None:
    assert dimensions.lengths_mm(text) == values


def _ink(draw: Callable[[np.ndarray], None]) -> np.ndarray:
    img = np.full((200, 900), 255, np.uint8)
    draw(img)
    return img < 128


def _word(text: str, left: float, top: float, width: float, height: float = 16.0) -> ocr.Word:
    return (text, left, top, width, height)


def test_a_line_between_upright_ticks_is_measured() -> None:
    def draw(img: np.ndarray) -> None:
        cv2.line(img, (100, 100), (700, 100), 0, 1)
        for x in (100, 700):
            cv2.line(img, (x, 90), (x, 110), 0, 1)

    dim = dimensions.measure(_ink(draw), _word("6000", 370, 78, 60), wall_px=10)
    assert dim is not None and dim.values_mm == (6000.0,)
    assert dim.span_px == pytest.approx(600, abs=1.5)


def test_a_chain_gives_each_number_its_own_span_between_slashes() -> None:
    def draw(img: np.ndarray) -> None:
        cv2.line(img, (80, 100), (820, 100), 0, 1)  # overshoots the outer ticks, as architects draw
        for x in (100, 400, 800):
            cv2.line(img, (x - 8, 108), (x + 8, 92), 0, 2)  # 45° slashes

    ink = _ink(draw)
    first = dimensions.measure(ink, _word("3000", 222, 78, 56), wall_px=10)
    second = dimensions.measure(ink, _word("4000", 572, 78, 56), wall_px=10)
    assert first is not None and first.span_px == pytest.approx(300, abs=2)
    assert second is not None and second.span_px == pytest.approx(400, abs=2)


def test_a_door_leaf_crossing_the_line_is_not_a_tick() -> None:
    def draw(img: np.ndarray) -> None:
        cv2.line(img, (100, 100), (700, 100), 0, 1)
        for x in (100, 700):
            cv2.line(img, (x, 90), (x, 110), 0, 1)
        cv2.line(img, (560, 40), (560, 190), 0, 2)  # an off-centre stroke through the line
        cv2.ellipse(img, (560, 190), (120, 120), 0, 180, 270, 0, 1)

    dim = dimensions.measure(_ink(draw), _word("6000", 370, 78, 60), wall_px=10)
    assert dim is not None and dim.span_px == pytest.approx(600, abs=1.5)


def test_text_over_a_wall_or_over_nothing_is_no_dimension() -> None:
    def wall(img: np.ndarray) -> None:
        cv2.rectangle(img, (100, 96), (700, 108), 0, -1)

    assert dimensions.measure(_ink(wall), _word("6000", 370, 78, 60), wall_px=12) is None
    assert dimensions.measure(_ink(lambda img: None), _word("6000", 370, 78, 60), wall_px=12) is None
    assert dimensions.measure(_ink(wall), _word("KITCHEN", 370, 78, 60), wall_px=12) is None


def _dim(values: tuple[float, ...], span: float) -> dimensions.Dimension:
    return dimensions.Dimension("x", values, (0.0, 0.0), (span, 0.0))


def test_the_scale_is_what_the_readings_agree_on() -> None:
    plausible = scale.Plausible(wall_px=15.0)
    dims = [_dim((3000.0,), 300.0), _dim((4000.0,), 400.0), _dim((9000.0,), 500.0)]  # a misread third
    info = dimensions.scale_from(dims, plausible)
    assert info is not None and info.method == "dimension_line"
    assert info.mm_per_px == pytest.approx(10.0) and info.confidence == 0.9
    single = dimensions.scale_from([_dim((3000.0,), 300.0)], plausible)
    assert single is not None and single.confidence == 0.7
    assert dimensions.scale_from([], plausible) is None


def test_the_walls_decide_between_millimetres_and_centimetres() -> None:
    # "360" over 36 px: 10 mm/px makes 15 px walls 150 mm; 100 mm/px would make them 1.5 m
    info = dimensions.scale_from([_dim((360.0, 3600.0), 36.0)], scale.Plausible(wall_px=15.0))
    assert info is not None and info.mm_per_px == pytest.approx(10.0)
    # 24 px walls and 900 mm doors at 100 px: only centimetres make sense (a 3.6 m span)
    info = dimensions.scale_from([_dim((360.0, 3600.0), 360.0)], scale.Plausible(24.0, (90.0, 90.0)))
    assert info is not None and info.mm_per_px == pytest.approx(10.0)


def drawn_plan_with_dimension_chain() -> bytes:
    """Two rooms drawn at 10 mm per px (walls 120 mm) with a dimension chain over the top wall:
    4000 + 3000 between the wall centrelines, and the 7000 overall below it."""
    image = Image.new("L", (900, 640), 255)
    draw = ImageDraw.Draw(image)
    for box in ((94, 194, 806, 206), (94, 554, 806, 566), (94, 194, 106, 566), (794, 194, 806, 566),
                (494, 194, 506, 566)):
        draw.rectangle(box, fill=0)
    font = ImageFont.load_default(size=22)
    for y, stops in ((90, (100, 500, 800)), (140, (100, 800))):
        draw.line((85, y, 815, y), fill=0, width=1)
        for x in stops:
            draw.line((x - 7, y + 7, x + 7, y - 7), fill=0, width=2)
        for a, b in itertools.pairwise(stops):
            text = str((b - a) * 10)
            width = draw.textlength(text, font=font)
            draw.text(((a + b) / 2 - width / 2, y - 28), text, fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_plan_with_a_dimension_chain_gets_its_scale_from_it() -> None:
    assert ocr.available(), "Tesseract is installed by `make test` (apt-get install tesseract-ocr)"
    result = vectorize(drawn_plan_with_dimension_chain())
    info = result.plan.source.scale if result.plan.source else None
    assert info is not None and info.method == "dimension_line" and info.confidence >= 0.9
    top = max((w for w in result.plan.walls if abs(w.start.y - w.end.y) < 1), key=lambda w: w.length_mm)
    assert top.length_mm == pytest.approx(7000, rel=0.01)
    assert sorted(room.area_m2 for room in result.plan.rooms) == [
        pytest.approx(2.88 * 3.48, rel=0.03), pytest.approx(3.88 * 3.48, rel=0.03)]


def drawn_plan_with_vertical_chain() -> bytes:
    """One room drawn at 10 mm per px (walls 120 mm), dimensioned only by a vertical chain on its
    right side: 2400 + 1600 between the wall centrelines, the numbers turned to read upwards."""
    image = Image.new("L", (760, 620), 255)
    draw = ImageDraw.Draw(image)
    for box in ((94, 94, 606, 106), (94, 494, 606, 506), (94, 94, 106, 506), (594, 94, 606, 506)):
        draw.rectangle(box, fill=0)
    x = 680
    draw.line((x, 85, x, 515), fill=0, width=1)
    for y in (100, 340, 500):
        draw.line((x - 7, y + 7, x + 7, y - 7), fill=0, width=2)
        draw.line((606, y, x + 10, y), fill=0, width=1)  # extension lines from the walls
    font = ImageFont.load_default(size=22)
    for a, b in ((100, 340), (340, 500)):
        text = str((b - a) * 10)
        label = Image.new("L", (round(draw.textlength(text, font=font)) + 4, 28), 255)
        ImageDraw.Draw(label).text((2, 0), text, fill=0, font=font)
        turned = label.rotate(90, expand=True)
        image.paste(turned, (x - 6 - turned.width, round((a + b) / 2 - turned.height / 2)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_dimension_lines_are_found_with_their_ticks() -> None:
    ink = np.asarray(Image.open(io.BytesIO(drawn_plan_with_vertical_chain()))) < 128
    walls = np.zeros_like(ink)
    walls[90:510, 90:610] = True
    found = dimensions.dimension_lines(ink, walls, wall_px=12)
    chain = next(d for d in found if d.vertical)
    assert chain.point(chain.line.cols[0])[0] == pytest.approx(680, abs=1)
    assert sorted(round(t) for t in chain.ticks) == [pytest.approx(100, abs=2), pytest.approx(340, abs=2),
                                                     pytest.approx(500, abs=2)]


def test_a_turned_chain_read_along_its_line_gives_the_scale() -> None:
    assert ocr.available(), "Tesseract is installed by `make test` (apt-get install tesseract-ocr)"
    result = vectorize(drawn_plan_with_vertical_chain())
    assert result.scale.method == "dimension_line" and result.scale.confidence >= 0.9
    side = max((w for w in result.plan.walls if abs(w.start.x - w.end.x) < 1), key=lambda w: w.length_mm)
    assert side.length_mm == pytest.approx(4000, rel=0.01)
