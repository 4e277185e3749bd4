"""Chinese floor plans drawn with their printed text known exactly: room names, areas (㎡, 平方米, m²),
room sizes in millimetres and a millimetre dimension chain, clean or degraded like a phone photo.

Like the Chinese plans of tests/floorplan/test_ocr.py (drawn with PIL and the WenQuanYi font), more
of them and more varied: the OCR benchmark's Chinese set (no real Chinese plan is in ../shared).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
NAMES: list[tuple[str, str]] = [
    ("客厅", "living"),
    ("主卧", "bedroom"),
    ("次卧", "bedroom"),
    ("卧室", "bedroom"),
    ("厨房", "kitchen"),
    ("卫生间", "bathroom"),
    ("餐厅", "dining"),
    ("阳台", "balcony"),
    ("书房", "study"),
    ("玄关", "hall"),
    ("储藏室", "storage"),
    ("衣帽间", "closet"),
    ("客餐厅", "living"),
    ("儿童房", "bedroom"),
    ("洗衣房", "laundry"),
]


@dataclass
class Plan:
    """A drawn plan and what is printed on it (boxes in its pixels, kinds as in truth.json)."""

    name: str
    data: bytes
    truth: list[dict[str, Any]] = field(default_factory=list)


def _text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, font: Any) -> list[float]:
    draw.text(xy, text, fill=0, font=font)
    return [float(v) for v in draw.textbbox(xy, text, font=font)]


def plan(seed: int) -> Plan:
    """A plan of 2 × 2 or 3 × 2 rooms (10 mm per px before degrading), each named, with an area or a
    size in mm under its name, a dimension chain over the top wall; odd seeds are degraded (blur,
    noise, JPEG) and even seeds above 3 are shrunk to small print."""
    rng = np.random.default_rng(seed)
    cols, rows = (3, 2) if seed % 2 else (2, 2)
    widths = [int(rng.integers(28, 46)) * 10 for _ in range(cols)]
    heights = [int(rng.integers(26, 40)) * 10 for _ in range(rows)]
    x0, y0, t = 80, 130, 12
    w, h = sum(widths) + 2 * x0, sum(heights) + y0 + 80
    image = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(image)
    xs = np.cumsum([x0, *widths]).tolist()
    ys = np.cumsum([y0, *heights]).tolist()
    for x in xs:
        draw.rectangle((x - t // 2, ys[0] - t // 2, x + t // 2, ys[-1] + t // 2), fill=0)
    for y in ys:
        draw.rectangle((xs[0] - t // 2, y - t // 2, xs[-1] + t // 2, y + t // 2), fill=0)
    size = int(rng.integers(22, 34))
    font, small = ImageFont.truetype(str(CJK_FONT), size), ImageFont.truetype(str(CJK_FONT), max(16, size - 6))
    truth: list[dict[str, Any]] = []
    names = rng.permutation(len(NAMES))
    for k, (col, row) in enumerate((c, r) for r in range(rows) for c in range(cols)):
        text, room_type = NAMES[int(names[k])]
        cx, cy = (xs[col] + xs[col + 1]) // 2, (ys[row] + ys[row + 1]) // 2
        box = _text(draw, (cx - size * len(text) // 2, cy - size), text, font)
        truth.append({"kind": "label", "text": text, "box": box, "types": [room_type]})
        w_mm, h_mm = widths[col] * 10, heights[row] * 10
        style = int(rng.integers(0, 4))
        if style == 3:
            size_text = f"{w_mm}×{h_mm}"
            box = _text(draw, (cx - 60, cy + 8), size_text, small)
            truth.append({"kind": "dims", "text": size_text, "box": box, "value": [w_mm / 1000, h_mm / 1000]})
        else:
            area = round(w_mm * h_mm / 1e6 * float(rng.uniform(0.85, 0.95)), 2)
            area_text = f"{area:.2f}" + ("㎡", "平方米", "m²")[style]
            box = _text(draw, (cx - 55, cy + 8), area_text, small)
            truth.append({"kind": "area", "text": area_text, "box": box, "value": area})
    line_y = ys[0] - 60
    draw.line((xs[0], line_y, xs[-1], line_y), fill=0, width=1)
    for x in xs:
        draw.line((x, line_y - 12, x, line_y + 12), fill=0, width=2)
    for col in range(cols):
        text = str(widths[col] * 10)
        box = _text(draw, ((xs[col] + xs[col + 1]) // 2 - 25, line_y - 32), text, small)
        truth.append({"kind": "length", "text": text, "box": box, "value": float(text)})
    gray = np.asarray(image, dtype=np.uint8)
    scale = 1.0
    if seed % 2:
        gray = cv2.GaussianBlur(gray, (0, 0), float(rng.uniform(0.6, 1.1)))
        gray = np.clip(gray + rng.normal(0, 6, gray.shape), 0, 255).astype(np.uint8)
    elif seed > 3:
        scale = 0.6
        gray = np.asarray(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), np.uint8)
    for entry in truth:
        entry["box"] = [round(v * scale, 1) for v in entry["box"]]
    return Plan(f"zh_{seed}", _encode(gray, "JPEG" if seed % 2 else "PNG"), truth)


def _walled(size: tuple[int, int], walls: tuple[tuple[int, int, int, int], ...]) -> tuple[Image.Image, Any]:
    """A white sheet of ``size`` px with the wall rectangles ``walls`` filled black, and its drawing context."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for box in walls:
        draw.rectangle(box, fill=0)
    return image, draw


def chinese_area_plan() -> Plan:
    """Two rooms named in Chinese with their areas printed as ㎡ and 平方米 (tests/floorplan/test_ocr.py
    reads this very image)."""
    image, draw = _walled(
        (1100, 700),
        ((50, 50, 1050, 62), (50, 362, 1050, 374), (50, 50, 62, 374), (1038, 50, 1050, 374), (462, 50, 474, 374)),
    )
    font = ImageFont.truetype(str(CJK_FONT), 32)
    truth = [
        {"kind": "label", "text": "厨房", "box": _text(draw, (200, 150), "厨房", font), "types": ["kitchen"]},
        {"kind": "area", "text": "12.00㎡", "box": _text(draw, (180, 190), "12.00㎡", font), "value": 12.0},
        {"kind": "label", "text": "卧室", "box": _text(draw, (700, 150), "卧室", font), "types": ["bedroom"]},
        {"kind": "area", "text": "16.92平方米", "box": _text(draw, (680, 190), "16.92平方米", font), "value": 16.92},
    ]
    return Plan("zh_test_areas", _encode(np.asarray(image, np.uint8), "PNG"), truth)


def chinese_chain_plan() -> Plan:
    """A living room, a bathroom and a balcony named in Chinese, no areas, and a dimension chain in mm over
    the top wall (tests/floorplan/test_ocr.py reads this very image)."""
    image, draw = _walled(
        (1100, 760),
        (
            (50, 110, 1050, 122),
            (50, 422, 1050, 434),
            (50, 110, 62, 434),
            (1038, 110, 1050, 434),
            (462, 110, 474, 434),
            (462, 300, 1050, 312),
        ),
    )
    font = ImageFont.truetype(str(CJK_FONT), 32)
    truth = [
        {"kind": "label", "text": t, "box": _text(draw, xy, t, font), "types": [k]}
        for t, xy, k in (
            ("客厅", (200, 240), "living"),
            ("卫生间", (680, 180), "bathroom"),
            ("阳台", (700, 340), "balcony"),
        )
    ]
    draw.line((56, 60, 1044, 60), fill=0, width=1)
    for x in (56, 468, 1044):
        draw.line((x, 48, x, 72), fill=0, width=2)
    small = ImageFont.truetype(str(CJK_FONT), 24)
    truth += [
        {"kind": "length", "text": t, "box": _text(draw, xy, t, small), "value": float(t)}
        for t, xy in (("4120", (230, 28)), ("5760", (720, 28)))
    ]
    return Plan("zh_test_chain", _encode(np.asarray(image, np.uint8), "PNG"), truth)


def test_plans() -> list[Plan]:
    """The two Chinese plans of tests/floorplan/test_ocr.py."""
    return [chinese_area_plan(), chinese_chain_plan()]


def _encode(gray: NDArray[np.uint8], fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(gray).save(buffer, fmt, quality=75)
    return buffer.getvalue()
