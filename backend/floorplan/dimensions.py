"""Printed dimension strings along dimension lines: the most exact scale a plan carries by itself.

A dimension string is a number ("3600", "3.60", "12'6\\"") printed beside a thin straight line that
ends in ticks, slashes, arrows or extension lines; chains of them run along the sides of most
architects' and developers' plans. The number over the line's length between the ticks around it
is millimetres per plan pixel. Works in plan pixels on the (faint) ink mask, (H, W) bool, with the
words OCR read (:mod:`ocr`); horizontal text only (Tesseract reads plans' upright text).

Written here rather than taken from a library: no maintained package measures dimension lines in
raster plans (the CAD libraries read them from vector drawings, where they are objects already).
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import median_filter

from backend.design.model import ScaleInfo
from backend.floorplan.ocr import Word

Mask = NDArray[np.bool_]

MM_PER_FOOT = 304.8
MM_PER_INCH = 25.4
MIN_VALUE_MM = 100.0
"""Shorter printed lengths are wall thicknesses or notes, too short to measure a scale on."""
MAX_VALUE_MM = 100_000.0
AGREE = 0.03
"""Readings within 3 % of one another measure the same scale (ticks are found to a pixel or two)."""
CENTRED = 0.06
"""Dimension text stands within 6 % of its span from the span's middle (drawing programs centre it)."""
MAX_TILT = 0.01
"""A dimension line drifts at most 1 px per 100 px (0.6°) from the horizontal in the deskewed plan."""

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "”": '"', "“": '"', "″": '"', "′": "'"})
_FEET = re.compile(r"^(\d{1,3})'\s*-?\s*(?:(\d{1,2}(?:\.\d+)?)\s*(?:\"|'')?)?$")
_METRES = re.compile(r"^(\d{1,2})[.,](\d{1,2})\s*m?$")
_THOUSANDS = re.compile(r"^(\d{1,2})[.,](\d{3})$")
_INTEGER = re.compile(r"^(\d{3,5})\s*(mm|cm)?$")


def lengths_mm(text: str) -> list[float]:
    """The lengths (mm) a printed dimension may mean, most likely first; empty when it is no length.

    "3600" and "3600mm" are millimetres (a bare 3-digit number may also be centimetres, as in
    French and Italian plans: both readings are returned and the walls decide); "3.60", "3,60 m"
    are metres; "12.100" is 12 100 mm (a thousands point) or 12.1 m, the same; "12'6\\"" and "12' - 6"
    are feet and inches.
    """
    clean = text.strip().translate(_APOSTROPHES).strip(".,:;|()[]")
    values: list[float] = []
    if (m := _FEET.match(clean)) is not None:
        values = [int(m.group(1)) * MM_PER_FOOT + float(m.group(2) or 0) * MM_PER_INCH]
    elif (m := _THOUSANDS.match(clean)) is not None:
        values = [float(m.group(1) + m.group(2))]
    elif (m := _METRES.match(clean)) is not None:
        values = [float(f"{m.group(1)}.{m.group(2)}") * 1000]
    elif (m := _INTEGER.match(clean)) is not None:
        number, unit = float(m.group(1)), m.group(2)
        if unit == "cm":
            values = [number * 10]
        else:  # 4+ digits are millimetres; 3 may be centimetres too
            values = [number] if unit == "mm" or number >= 1000 else [number, number * 10]
    return [v for v in values if MIN_VALUE_MM <= v <= MAX_VALUE_MM]


@dataclass(frozen=True)
class Dimension:
    """A printed length and the line it measures: ``start``/``end`` are the ticks, in plan pixels."""

    text: str
    values_mm: tuple[float, ...]
    start: tuple[float, float]
    end: tuple[float, float]

    @property
    def span_px(self) -> float:
        return math.dist(self.start, self.end)


def _follow(ink: Mask, row: int, col: int, step: int, max_gap: int) -> tuple[list[int], list[int]]:
    """Follow a thin, straight, nearly horizontal line from (row, col) in direction ``step`` (±1):
    the ink may move a pixel up or down per column but not leave the straight course (at most
    ``MAX_TILT`` of drift, so a door arc touching the line is not followed); gaps up to ``max_gap``
    columns are bridged. Returns the columns and rows of the line pixels found, in order."""
    h, w = ink.shape
    cols: list[int] = []
    rows: list[int] = []
    gap, c, r = 0, col, row
    while 0 <= c < w:
        allowed = 1.5 + MAX_TILT * abs(c - col)
        hit = next((r + d for d in (0, -1, 1)
                    if 0 <= r + d < h and abs(r + d - row) <= allowed and ink[r + d, c]), None)
        if hit is None:
            gap += 1
            if gap > max_gap:
                break
        else:
            gap, r = 0, hit
            cols.append(c)
            rows.append(r)
        c += step
    return cols, rows


@dataclass(frozen=True)
class _Line:
    """A traced thin line: per column, the top and bottom row of its ink."""

    cols: list[int]
    tops: list[int]
    bottoms: list[int]


def _line_near(ink: Mask, word: Word, max_width: float) -> _Line | None:
    """The thin line (at most ``max_width`` px across) running under or over a word, longer than the
    word on both sides; None when there is none. Rows are tried outwards from the text, below first
    (dimension text usually sits on its line)."""
    _, left, top, width, height = word
    h, w = ink.shape
    x0, x1 = int(left), math.ceil(left + width)
    centre = (x0 + x1) // 2
    reach = max(4, round(1.2 * height))
    below = range(max(0, int(top + height)), min(h, int(top + height) + reach))
    above = range(min(h - 1, int(top) - 1), max(-1, int(top) - 1 - reach), -1)
    if not 0 <= centre < w:
        return None
    for rows in (below, above):
        for row in rows:
            if not ink[row, centre] or _run(ink, row, centre)[1] - _run(ink, row, centre)[0] + 1 > max_width:
                continue
            gap = max(2, round(0.4 * height))
            back = _follow(ink, row, centre, -1, gap)
            ahead = _follow(ink, row, centre + 1, 1, gap)
            cols = back[0][::-1] + ahead[0]
            hits = back[1][::-1] + ahead[1]
            if cols and cols[0] < x0 - 0.15 * width and cols[-1] > x1 + 0.15 * width:
                runs = [_run(ink, r, c) for r, c in zip(hits, cols, strict=True)]
                return _Line(cols, [a for a, _ in runs], [b for _, b in runs])
    return None


def _run(ink: Mask, row: int, col: int) -> tuple[int, int]:
    """Top and bottom row of the vertical run of ink through (row, col)."""
    top, bottom = row, row
    while top > 0 and ink[top - 1, col]:
        top -= 1
    while bottom < ink.shape[0] - 1 and ink[bottom + 1, col]:
        bottom += 1
    return top, bottom


def _crosses(ink: Mask, top: int, bottom: int, col: int, reach: int) -> bool:
    """Whether a tick crosses a line (whose ink spans rows ``top``..``bottom``) at ``col``: a stroke
    reaching ``reach`` px beyond both edges, upright (a tick or an extension line) or at 45° (an
    architect's slash)."""
    h, w = ink.shape
    ks = np.arange(1, reach + 1)

    def inked(rows: NDArray[np.int64], cols: NDArray[np.int64]) -> float:
        hits = np.zeros(len(ks), bool)
        for spread in (-1, 0, 1):
            r, c = rows, cols + spread
            ok = (r >= 0) & (r < h) & (c >= 0) & (c < w)
            hits[ok] |= ink[r[ok], c[ok]]
        return float(hits.mean())

    for slope in (0, 1, -1):
        if inked(top - ks, col + slope * ks) >= 0.75 and inked(bottom + ks, col - slope * ks) >= 0.75:
            return True
    return False


def _ticks(ink: Mask, line: _Line, skip: tuple[float, float], reach: int) -> list[float]:
    """Columns (centres of runs) along a traced line where a tick crosses it, outside ``skip``."""
    # the line's own edges, column by column, without the ticks that widen it (a running median)
    window = 4 * reach + 1
    tops = median_filter(np.asarray(line.tops), size=window, mode="nearest")
    bottoms = median_filter(np.asarray(line.bottoms), size=window, mode="nearest")
    found = [(c, int(t), int(b)) for c, t, b in zip(line.cols, tops, bottoms, strict=True)
             if not skip[0] <= c <= skip[1] and _crosses(ink, int(t), int(b), c, reach)]
    runs: list[list[tuple[int, int, int]]] = []
    for hit in found:
        if runs and hit[0] - runs[-1][-1][0] <= 2:
            runs[-1].append(hit)
        else:
            runs.append([hit])
    return [_tick_centre(ink, run, reach) for run in runs]


def _tick_centre(ink: Mask, run: list[tuple[int, int, int]], reach: int) -> float:
    """Where a tick crosses the line: the mean of its ink columns halfway out above and below
    (symmetric for upright ticks and for slashes alike), from a run of (col, top, bottom) hits."""
    c0, c1 = run[0][0], run[-1][0]
    _, top, bottom = run[len(run) // 2]
    k = max(1, reach // 2)
    centres = []
    for row in (top - k, bottom + k):
        if 0 <= row < ink.shape[0]:
            lo, hi = max(0, c0 - 1 - k), min(ink.shape[1], c1 + 2 + k)
            cols = np.flatnonzero(ink[row, lo:hi]) + lo
            if cols.size:
                centres.append(float(cols.mean()))
    return statistics.fmean(centres) if centres else (c0 + c1) / 2


def measure(ink: Mask, word: Word, wall_px: float) -> Dimension | None:
    """The dimension a printed word gives, measured between the ticks around it; None when the word
    is not a length or has no dimension line beside it. ``wall_px``: the traced wall thickness (a
    dimension line is thinner than half of it).

    The span is the nearest pair of ticks (or line ends) around the text with the text at its
    middle (within ``CENTRED``): a stroke crossing the line off-centre (a door leaf, a wall drawn through) is skipped.
    """
    values = lengths_mm(word[0])
    if not values:
        return None
    line = _line_near(ink, word, max(3.0, 0.5 * wall_px))
    if line is None:
        return None
    _, left, _, width, height = word
    ticks = _ticks(ink, line, (left - 1, left + width + 1), max(3, round(0.4 * height)))
    centre = left + width / 2
    lefts = [*sorted((t for t in ticks if t < left), reverse=True), float(line.cols[0])]
    rights = [*sorted(t for t in ticks if t > left + width), float(line.cols[-1])]
    pairs = sorted(((a, b) for a in lefts for b in rights), key=lambda ab: ab[1] - ab[0])
    span = next(((a, b) for a, b in pairs if abs((a + b) / 2 - centre) <= CENTRED * (b - a)), None)
    if span is None or span[1] - span[0] < 1.2 * width:
        return None
    a, b = span
    row_of = {c: (t + bt) / 2 for c, t, bt in zip(line.cols, line.tops, line.bottoms, strict=True)}
    return Dimension(word[0], tuple(values), (a, row_of.get(round(a), line.tops[0])),
                     (b, row_of.get(round(b), line.tops[-1])))


def find(ink: Mask, words: list[Word], wall_px: float) -> list[Dimension]:
    """Every word that prints a length along a dimension line (see :func:`measure`)."""
    found = [measure(ink, word, wall_px) for word in words]
    return [dim for dim in found if dim is not None]


def scale_from(dims: list[Dimension], plausible: Callable[[float], bool]) -> ScaleInfo | None:
    """The scale the printed dimensions agree on; None when there are none.

    Each dimension offers its readings (units); readings that give an implausible scale (see
    :class:`scale.Plausible`) are dropped; the largest group of agreeing readings wins (a misread
    digit is an outlier). One reading alone gives confidence 0.7, two 0.9, more 0.95.
    """
    scales = [value / d.span_px for d in dims for value in d.values_mm
              if d.span_px > 0 and plausible(value / d.span_px)]
    best: list[float] = []
    for centre in scales:
        group = [s for s in scales if abs(s - centre) <= AGREE * centre]
        if len(group) > len(best):
            best = group
    if not best:
        return None
    confidence = 0.7 if len(best) == 1 else 0.9 if len(best) == 2 else 0.95
    return ScaleInfo(method="dimension_line", mm_per_px=statistics.median(best), confidence=confidence)
