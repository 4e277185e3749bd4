"""Printed text on the plan: room names, room sizes and areas.

What is read is used three ways: rooms get their printed name and a room type; printed room sizes
("3.10 x 2.74m") or areas ("13 m²") give the scale when the user drew no scale line; and with a scale
line, the printed areas cross-check it.

Two OCR engines read the plan, behind one interface (:func:`engine_words`): RapidOCR (PP-OCR models
run by onnxruntime, shipped inside the ``rapidocr`` wheel; reads Chinese and small print better, see
docs/ocr.md) and Tesseract through pytesseract (``apt-get install tesseract-ocr tesseract-ocr-chi-sim``).
``ROOMWRIGHT_OCR_ENGINE`` (``rapidocr`` or ``tesseract``) picks the first choice; the other is the
fallback when the first is not installed, and everything degrades to "nothing read" when neither is.
The small dimension snippets (:func:`read_snippets`) stay with Tesseract (a character whitelist).
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import NDArray
from shapely.geometry import Point as SPoint

from backend.design.model import Room, RoomType, ScaleInfo
from backend.floorplan.result import Notice, notice

MIN_CONFIDENCE = 40.0
"""Tesseract word confidence (0–100) below which a word is ignored."""
MIN_RAPID_SCORE = 0.5
"""RapidOCR line score (0–1) below which a line is ignored (RapidOCR's own default)."""
Engine = Literal["rapidocr", "tesseract"]
ENGINES: tuple[Engine, ...] = get_args(Engine)
"""The OCR engines, the default first choice first."""
ENGINE_SETTING = "ROOMWRIGHT_OCR_ENGINE"
"""Environment variable naming the first-choice engine (the other is the fallback)."""
MAX_OCR_SIDE_PX = 1600
"""Larger plan images are read at this size (printed labels stay readable, the time stays under a second)."""

ROOM_WORDS: dict[str, RoomType] = {
    "kitchen": "kitchen", "kitchn": "kitchen", "kitch": "kitchen", "kök": "kitchen", "kok": "kitchen",
    "küche": "kitchen", "cuisine": "kitchen",
    "bedroom": "bedroom", "bed": "bedroom", "master": "bedroom", "sovrum": "bedroom", "chambre": "bedroom",
    "bathroom": "bathroom", "bath": "bathroom", "shower": "bathroom", "badrum": "bathroom",
    "wc": "toilet", "toilet": "toilet",
    "living": "living", "lounge": "living", "reception": "living", "sitting": "living", "vardagsrum": "living",
    "dining": "dining", "matplats": "dining",
    "hall": "hall", "hallway": "hall", "corridor": "hall", "landing": "hall", "entrance": "hall", "entre": "hall",
    "hall.": "hall",
    "closet": "closet", "wardrobe": "closet", "cupboard": "storage", "store": "storage", "storage": "storage",
    "förråd": "storage",
    "balcony": "balcony", "terrace": "balcony", "balkong": "balcony",
    "study": "study", "office": "study",
    "utility": "laundry", "laundry": "laundry", "tvätt": "laundry",
}
"""Room names, one word each, as they are printed in English, Swedish, German and French plans."""
CHINESE_ROOM_WORDS: dict[str, RoomType] = {
    "厨房": "kitchen", "厨": "kitchen",
    "卧室": "bedroom", "主卧": "bedroom", "次卧": "bedroom", "客卧": "bedroom", "卧房": "bedroom",
    "儿童房": "bedroom", "老人房": "bedroom", "卧": "bedroom",
    "卫生间": "bathroom", "主卫": "bathroom", "次卫": "bathroom", "客卫": "bathroom", "公卫": "bathroom",
    "卫浴": "bathroom", "浴室": "bathroom", "淋浴间": "bathroom", "卫": "bathroom",
    "洗手间": "toilet", "厕所": "toilet",
    "客厅": "living", "起居室": "living", "客餐厅": "living", "起居": "living",
    "餐厅": "dining", "饭厅": "dining",
    "玄关": "hall", "门厅": "hall", "走廊": "hall", "过道": "hall", "走道": "hall", "入户": "hall",
    "储藏室": "storage", "储物间": "storage", "杂物间": "storage", "储藏": "storage",
    "衣帽间": "closet",
    "阳台": "balcony", "露台": "balcony",
    "书房": "study",
    "洗衣房": "laundry",
    "厅": "living",
}
"""Room names printed in Chinese plans (not separated by spaces, so found anywhere in a line, the
longest first: 客餐厅 is a living room, not a dining room)."""
DIMENSIONS = re.compile(r"(\d{1,2}[.,]\d{1,2})\s*m?\s*[x×*]\s*(\d{1,2}[.,]\d{1,2})\s*m")
DIMENSIONS_MM = re.compile(r"(?<![\d.])(\d{4,5})\s*(?:mm)?\s*[x×*]\s*(\d{4,5})(?![\d.])")
"""A room size printed in millimetres, as Chinese plans do ("3600×4200")."""
AREA = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:m2|m\^2|m\?|sq\.?\s?m|平方米|平米|平方)", re.IGNORECASE)
"""An area in square metres; the text is NFKC-normalized first, which makes ㎡ and m² "m2"."""
AREA_CJK_M = re.compile(r"(\d{1,3}[.,]\d{1,2})\s*m(?![a-z0-9])", re.IGNORECASE)
"""An area whose ㎡ Tesseract read as a bare "m" ("8.5m"): taken as an area only on plans printed in
Chinese, whose lengths are millimetres (GB/T 50001), so that a decimal in metres is no length there."""
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


@dataclass(frozen=True)
class Label:
    """A printed line of text, in plan pixels, with what it says about a room."""

    text: str
    x: float
    y: float
    height: float
    room_type: RoomType | None = None
    dims_m: tuple[float, float] | None = None
    area_m2: float | None = None


def available(engine: Engine | None = None) -> bool:
    """True when ``engine`` (by default: any engine) is installed: for Tesseract both the ``tesseract``
    binary and the ``pytesseract`` package, for RapidOCR the ``rapidocr`` and ``onnxruntime`` packages."""
    if engine is None:
        return any(available(e) for e in ENGINES)
    if engine == "tesseract":
        return shutil.which("tesseract") is not None and importlib.util.find_spec("pytesseract") is not None
    return importlib.util.find_spec("rapidocr") is not None and importlib.util.find_spec("onnxruntime") is not None


def chosen_engine(preferred: str | None = None) -> Engine | None:
    """The engine that reads plans: ``preferred`` (default: the ``ROOMWRIGHT_OCR_ENGINE`` setting, else
    the first of :data:`ENGINES`) when it is installed, else the other one; None when neither is."""
    first = preferred or os.environ.get(ENGINE_SETTING, "") or ENGINES[0]
    order = sorted(ENGINES, key=lambda e: e != first.strip().lower())
    return next((e for e in order if available(e)), None)


Word = tuple[str, float, float, float, float]
"""A word (or, from RapidOCR, a run of words) read off the plan: (text, left, top, width, height) in pixels."""


@dataclass(frozen=True)
class Reading:
    """What OCR read off a plan: lines of words, what each line says (its label), and any warnings."""

    lines: list[list[Word]]
    labels: list[Label]
    notes: list[Notice]

    def loose_words(self) -> list[Word]:
        """Words of lines that name no room and give no room size or area (dimension strings among them)."""
        return [w for line, label in zip(self.lines, self.labels, strict=True)
                if label.room_type is None and label.dims_m is None and label.area_m2 is None for w in line]


class OcrFailed(RuntimeError):
    """The engine ran but failed (a timeout, a damaged install)."""


def engine_words(image: NDArray[np.uint8], engine: Engine) -> list[Word]:
    """The words ``engine`` reads in ``image`` ((h, w) uint8), in its pixels, confident ones only.
    Raises :class:`OcrFailed`."""
    if engine == "rapidocr":
        return _rapidocr_words(image)
    return _tesseract_words(image)


def _tesseract_words(image: NDArray[np.uint8]) -> list[Word]:
    pytesseract = _tesseract()
    langs = "eng+chi_sim" if "chi_sim" in _languages() else "eng"
    try:
        data: dict[str, list[Any]] = pytesseract.image_to_data(
            image, lang=langs, config="--psm 11", output_type=pytesseract.Output.DICT, timeout=20)
    except (RuntimeError, pytesseract.TesseractError) as exc:
        raise OcrFailed(str(exc)) from exc
    return [(str(t).strip(), float(data["left"][i]), float(data["top"][i]), float(data["width"][i]),
             float(data["height"][i]))
            for i, t in enumerate(data["text"]) if str(t).strip() and float(data["conf"][i]) >= MIN_CONFIDENCE]


RAPID_THREADS = 1
"""onnxruntime threads per RapidOCR run: one, like Tesseract's, as the workers give the parallelism."""
RAPID_DETECT_SIDE_PX = 960
"""RapidOCR finds text boxes on the view shrunk to this longer side (it reads them at full size): the
detector's time grows with the pixels, and at 960 px it finds the same boxes on plans for half the CPU
time of 1600 px (docs/ocr.md)."""


@cache
def _rapidocr() -> Any:
    """The RapidOCR engine, loaded once per process (about a second: three ONNX models)."""
    from rapidocr import RapidOCR

    return RapidOCR(params={
        "Global.log_level": "critical", "Global.text_score": MIN_RAPID_SCORE,
        "Global.use_cls": False,  # the view is upright: no 180° turn to find
        "Det.limit_type": "max", "Det.limit_side_len": RAPID_DETECT_SIDE_PX,
        "EngineConfig.onnxruntime.intra_op_num_threads": RAPID_THREADS,
        "EngineConfig.onnxruntime.inter_op_num_threads": RAPID_THREADS})


def _rapidocr_words(image: NDArray[np.uint8]) -> list[Word]:
    """RapidOCR's text lines as words: each detected line's text and the upright box around its
    four corners."""
    try:
        out = _rapidocr()(image)
    except Exception as exc:  # onnxruntime raises its own exception types
        raise OcrFailed(str(exc)) from exc
    if out.boxes is None or out.txts is None:
        return []
    words: list[Word] = []
    for box, text, score in zip(out.boxes, out.txts, out.scores, strict=True):
        corners = np.asarray(box, dtype=np.float64)
        x0, y0 = corners.min(axis=0)
        x1, y1 = corners.max(axis=0)
        if str(text).strip() and float(score) >= MIN_RAPID_SCORE:
            words.append((str(text).strip(), float(x0), float(y0), float(x1 - x0), float(y1 - y0)))
    return words


def read_text(gray: NDArray[np.uint8], px_per_plan_px: float = 1.0, engine: Engine | None = None) -> Reading:
    """The printed words and labels of the plan, in plan pixels: ``gray`` is the rectified plan image,
    (h, w) uint8, at ``px_per_plan_px`` of its pixels per plan pixel; ``engine`` by default
    :func:`chosen_engine`."""
    engine = engine or chosen_engine()
    if engine is None or not available(engine):
        return Reading([], [], [notice("ocr_missing")])
    shrink = min(1.0, MAX_OCR_SIDE_PX / max(gray.shape))
    image = gray if shrink == 1.0 else _resize(gray, shrink)
    factor = shrink * px_per_plan_px
    try:
        read = engine_words(image, engine)
    except OcrFailed as exc:
        return Reading([], [], [notice("ocr_failed", error=str(exc)[:200])])
    words: list[Word] = [(t, x / factor, y / factor, w / factor, h / factor) for t, x, y, w, h in read]
    lines = group_lines(words)
    texts = [line_text(line) for line in lines]
    chinese = any(is_chinese(t[0]) for t in texts)
    return Reading(lines, [parse(*t, chinese_plan=chinese) for t in texts], [])


SNIPPET_GAP_PX = 24
"""White space between snippets stacked for one Tesseract run."""
MIN_SNIPPET_CONFIDENCE = 50.0


@dataclass(frozen=True)
class SnippetWord:
    """A word read in a snippet: its text, confidence and extent (snippet pixels)."""

    text: str
    confidence: float
    left: float
    right: float
    top: float
    bottom: float


def read_snippets(images: list[NDArray[np.uint8]], whitelist: str) -> list[list[SnippetWord]]:
    """The words in each of many small images (uint8, (h, w)), with only ``whitelist``'s characters:
    the images are stacked, with white space between them, and read in one Tesseract run (one
    process instead of one per snippet). Empty lists when OCR is not installed."""
    if not images or not available("tesseract"):
        return [[] for _ in images]
    pytesseract = _tesseract()
    width = max(img.shape[1] for img in images) + 2 * SNIPPET_GAP_PX
    tops = np.cumsum([SNIPPET_GAP_PX] + [img.shape[0] + SNIPPET_GAP_PX for img in images])
    sheet = np.full((int(tops[-1]), width), 255, np.uint8)
    for img, top in zip(images, tops, strict=False):
        sheet[top : top + img.shape[0], SNIPPET_GAP_PX : SNIPPET_GAP_PX + img.shape[1]] = img
    try:
        data: dict[str, list[Any]] = pytesseract.image_to_data(
            sheet, lang="eng", config=f"--psm 6 -c tessedit_char_whitelist={whitelist}",
            output_type=pytesseract.Output.DICT, timeout=20)
    except (RuntimeError, pytesseract.TesseractError):
        return [[] for _ in images]
    out: list[list[SnippetWord]] = [[] for _ in images]
    for i, text in enumerate(data["text"]):
        if not str(text).strip() or float(data["conf"][i]) < MIN_SNIPPET_CONFIDENCE:
            continue
        left, top, w, h = (float(data[key][i]) for key in ("left", "top", "width", "height"))
        k = int(np.searchsorted(tops, top + h / 2, side="right")) - 1
        if 0 <= k < len(images) and top + h / 2 < tops[k] + images[k].shape[0]:
            x0, y0 = left - SNIPPET_GAP_PX, top - float(tops[k])
            out[k].append(SnippetWord(str(text).strip(), float(data["conf"][i]), x0, x0 + w, y0, y0 + h))
    return out


def _tesseract() -> Any:
    """The pytesseract module, with Tesseract held to one thread: its OpenMP threads oversubscribe
    small machines (twice as slow on 2 cores) and the parallelism comes from the workers
    (pytesseract hands os.environ to the tesseract process)."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    return pytesseract


def _resize(gray: NDArray[np.uint8], factor: float) -> NDArray[np.uint8]:
    import cv2

    return np.asarray(cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _languages() -> set[str]:
    import pytesseract

    try:
        return set(pytesseract.get_languages(config=""))
    except (RuntimeError, pytesseract.TesseractError):
        return {"eng"}


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Words (text, left, top, width, height) joined into lines, each in reading order: rows of words
    whose centres are level, split where the gap between neighbours is wide."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w[2] + w[4] / 2):
        centre, height = word[2] + word[4] / 2, word[4]
        row = next((r for r in rows if abs(centre - sum(w[2] + w[4] / 2 for w in r) / len(r))
                    < 0.5 * max(height, max(w[4] for w in r))), None)
        if row is None:
            rows.append([word])
        else:
            row.append(word)
    out: list[list[Word]] = []
    for row in rows:
        line: list[Word] = []
        for word in sorted(row, key=lambda w: w[1]):
            if line and word[1] - (line[-1][1] + line[-1][3]) > 1.5 * max(word[4], line[-1][4]):
                out.append(line)
                line = []
            line.append(word)
        out.append(line)
    return out


def line_text(words: list[Word]) -> tuple[str, float, float, float]:
    """A line's text, centre x, centre y and height."""
    x0, x1 = min(w[1] for w in words), max(w[1] + w[3] for w in words)
    y0, y1 = min(w[2] for w in words), max(w[2] + w[4] for w in words)
    return " ".join(w[0] for w in words), (x0 + x1) / 2, (y0 + y1) / 2, y1 - y0


def normalize(text: str) -> str:
    """A printed line as the parsers read it: NFKC (full-width digits and signs to ASCII, ㎡ and m² to
    "m2") and no spaces between Chinese characters (Tesseract splits 卫生间 into "卫 生 间")."""
    return _CJK_SPACE.sub("", unicodedata.normalize("NFKC", text)).strip()


def is_chinese(text: str) -> bool:
    """Whether a line has Chinese characters in it."""
    return re.search(f"[{_CJK}]", text) is not None


def parse(text: str, x: float, y: float, height: float, chinese_plan: bool = False) -> Label:
    """What a printed line says: a room name (and type), a size in metres (or millimetres), an area in m².

    ``chinese_plan``: the plan is printed in Chinese, so a decimal followed by a bare "m" is an area
    whose ㎡ was read as "m" (see ``AREA_CJK_M``)."""
    text = _CJK_SPACE.sub("", text).strip()
    clean = normalize(text).replace(",", ".").replace("×", "x").replace("X", "x")
    dims = None
    if (match := DIMENSIONS.search(clean)) is not None:
        dims = (float(match.group(1)), float(match.group(2)))
    elif (match := DIMENSIONS_MM.search(clean)) is not None:
        dims = (float(match.group(1)) / 1000, float(match.group(2)) / 1000)
    if dims is not None and not (0.5 <= dims[0] <= 30 and 0.5 <= dims[1] <= 30):
        dims = None
    area = None
    match = AREA.search(clean) or (AREA_CJK_M.search(clean) if chinese_plan and dims is None else None)
    if match is not None and 1 <= float(match.group(1)) <= 300:
        area = float(match.group(1))
    room_type = None
    for token in re.split(r"[\s/&,()]+", text.lower()):
        token = token.strip(".:-")
        if token in ROOM_WORDS:
            room_type = ROOM_WORDS[token]
            break
    if room_type is None:  # Chinese names are not separated by spaces: the longest name in the line
        found = [word for word in CHINESE_ROOM_WORDS if word in clean]
        if found:
            room_type = CHINESE_ROOM_WORDS[max(found, key=len)]
    return Label(text, x, y, height, room_type, dims, area)


def room_name(text: str) -> str:
    """The name a printed label gives its room: its words without sizes and areas ("厨房8.5㎡" → 厨房,
    "BEDROOM 1 3.10 x 2.74m" → Bedroom)."""
    clean = unicodedata.normalize("NFKC", text)
    for pattern in (AREA, DIMENSIONS, DIMENSIONS_MM):
        clean = pattern.sub(" ", clean)
    words = []
    for word in clean.split():
        if _is_size(word):  # a number, or Chinese glued to one ("卧室3.6m"): only the Chinese is kept
            word = "".join(re.findall(f"[{_CJK}]+", word))
        word = word.strip("/\\|-:;,.")
        if word and word not in ("x", "X", "×", "*"):
            words.append(word.capitalize() if word.isascii() else word)
    return " ".join(words)[:120]


def _room_of(label: Label, rooms: list[Room], mm_per_px: float) -> Room | None:
    point = SPoint(label.x * mm_per_px, label.y * mm_per_px)
    return next((room for room in rooms if room.shape().contains(point)), None)


def scale_from_labels(labels: list[Label], rooms: list[Room], mm_per_px: float,
                      plausible: Callable[[float], bool] = lambda _: True) -> ScaleInfo | None:
    """A scale from printed room sizes (preferred) or printed areas, compared with the traced rooms
    (built at ``mm_per_px``). Needs two agreeing rooms whose scale is ``plausible``; None when the
    print says too little. An area printed without a decimal point that gives an implausible scale
    is tried once more as if the point had been lost in reading ("95 m2" for 9.5 m²)."""
    from_dims: list[float] = []
    from_area: list[float] = []
    for label in labels:
        room = _room_of(label, rooms, mm_per_px)
        if room is None:
            continue
        minx, miny, maxx, maxy = room.shape().bounds
        side_px = sorted(((maxx - minx) / mm_per_px, (maxy - miny) / mm_per_px))
        if label.dims_m is not None and side_px[0] > 0:
            printed = sorted(label.dims_m)
            from_dims += [v for v in (printed[0] * 1000 / side_px[0], printed[1] * 1000 / side_px[1]) if plausible(v)]
        area_px = room.shape().area / mm_per_px**2
        if label.area_m2 is not None and area_px > 0:
            readings = [label.area_m2] + ([label.area_m2 / 10] if label.area_m2.is_integer() else [])
            from_area += [s for s in (math.sqrt(a * 1e6 / area_px) for a in readings) if plausible(s)][:1]
    candidates: tuple[tuple[list[float], Literal["dimension_text", "room_area"], float], ...] = (
        (from_dims, "dimension_text", 0.85), (from_area, "room_area", 0.7))
    for values, method, confidence in candidates:
        agreeing = _agreeing(values)
        if len(agreeing) >= 2:
            return ScaleInfo(method=method, mm_per_px=statistics.median(agreeing), confidence=confidence)
    return None


def _agreeing(values: list[float], spread: float = 0.08) -> list[float]:
    """The largest group of values within ``spread`` of one another's centre (a room traced wrongly, e.g.
    merged with the hall, gives outliers; the rooms traced right agree)."""
    best: list[float] = []
    for centre in values:
        group = [v for v in values if abs(v - centre) <= spread * centre]
        if len(group) > len(best) or (len(group) == len(best) and group and
                                       statistics.pstdev(group) < statistics.pstdev(best)):
            best = group
    return best


def name_rooms(rooms: list[Room], labels: list[Label], mm_per_px: float
               ) -> tuple[list[Room], list[tuple[str, str, float | None]]]:
    """Rooms with the printed name and type that stands inside them; and (room id, text, printed area)."""
    named: dict[str, Room] = {room.id: room for room in rooms}
    found: list[tuple[str, str, float | None]] = []
    for label in labels:
        room = _room_of(label, rooms, mm_per_px)
        if room is None:
            continue
        if label.room_type is not None and not named[room.id].name:
            named[room.id] = named[room.id].model_copy(update={"name": room_name(label.text), "type": label.room_type})
        if label.room_type is not None or label.area_m2 is not None or label.dims_m is not None:
            found.append((room.id, label.text, label.area_m2))
    return [named[room.id] for room in rooms], found


def _is_size(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def area_warnings(rooms: list[Room], labels: list[Label], mm_per_px: float, tolerance: float = 0.15) -> list[Notice]:
    """Printed areas that disagree with the traced rooms (a wrong scale line shows up here)."""
    notes = []
    for label in labels:
        room = _room_of(label, rooms, mm_per_px)
        off = room is not None and label.area_m2 is not None and room.area_m2 > 0 and \
            abs(room.area_m2 - label.area_m2) > tolerance * label.area_m2
        if off and room is not None and label.area_m2 is not None:
            notes.append(notice("area_mismatch", room=room.name or room.id, printed=label.area_m2,
                                traced=round(room.area_m2, 1)))
    return notes
