"""Printed dimension strings along dimension lines: the most exact scale a plan carries by itself.

A dimension string is a number ("3600", "3.60", "12'6\\"") printed beside a thin straight line that
ends in ticks, slashes, arrows or extension lines; chains of them run along the sides of most
architects' and developers' plans. The number over the line's length between the ticks around it
is millimetres per plan pixel. Works in plan pixels on the (faint) ink mask, (H, W) bool, two ways
in: from the words the plan's general OCR read (:func:`find`: upright text, a line beside it), and
from the lines (:func:`dimension_lines`, :func:`read_lines`: every thin line with ticks, the strips
beside it read on their own, vertical chains turned to read).

Written here rather than taken from a library: no maintained package measures dimension lines in
raster plans (the CAD libraries read them from vector drawings, where they are objects already).
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import median_filter

from backend.design.model import ScaleInfo
from backend.floorplan import ocr, scale
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
    are feet and inches. Full-width digits ("３６００", Chinese plans) read as their ASCII twins; an area
    ("13.5m²", "13.5㎡", "12平方米") is no length.
    """
    clean = unicodedata.normalize("NFKC", text).strip().translate(_APOSTROPHES).strip(".,:;|()[]")
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
            line = _trace(ink, row, centre, max(2, round(0.4 * height)))
            if line.cols[0] < x0 - 0.15 * width and line.cols[-1] > x1 + 0.15 * width:
                return line
    return None


def _trace(ink: Mask, row: int, col: int, max_gap: int) -> _Line:
    """The thin horizontal line through the inked pixel (row, col), both ways (see :func:`_follow`)."""
    back = _follow(ink, row, col, -1, max_gap)
    ahead = _follow(ink, row, col + 1, 1, max_gap)
    cols, hits = back[0][::-1] + ahead[0], back[1][::-1] + ahead[1]
    runs = [_run(ink, r, c) for r, c in zip(hits, cols, strict=True)]
    return _Line(cols, [a for a, _ in runs], [b for _, b in runs])


def _run(ink: Mask, row: int, col: int) -> tuple[int, int]:
    """Top and bottom row of the vertical run of ink through (row, col)."""
    top, bottom = row, row
    while top > 0 and ink[top - 1, col]:
        top -= 1
    while bottom < ink.shape[0] - 1 and ink[bottom + 1, col]:
        bottom += 1
    return top, bottom


def _crossed(ink: Mask, cols: NDArray[np.int64], tops: NDArray[np.int64], bottoms: NDArray[np.int64],
             reach: int) -> NDArray[np.bool_]:
    """For each column of a line (whose ink spans rows ``tops``..``bottoms`` there), whether a tick
    crosses it: a stroke reaching ``reach`` px beyond both edges, upright (a tick or an extension
    line) or at 45° (an architect's slash). Vectorized over the columns."""
    h, w = ink.shape
    ks = np.arange(1, reach + 1)[None, :]

    def inked(rows: NDArray[np.int64], at: NDArray[np.int64]) -> NDArray[np.float64]:
        hits = np.zeros(rows.shape, bool)
        for spread in (-1, 0, 1):
            c = at + spread
            ok = (rows >= 0) & (rows < h) & (c >= 0) & (c < w)
            hits[ok] |= ink[rows[ok], c[ok]]
        return np.asarray(hits.mean(axis=1), dtype=np.float64)

    crossed = np.zeros(len(cols), bool)
    c = cols[:, None]
    for slope in (0, 1, -1):
        up = inked(tops[:, None] - ks, c + slope * ks)
        down = inked(bottoms[:, None] + ks, c - slope * ks)
        crossed |= (up >= 0.75) & (down >= 0.75)
    return crossed


def _ticks(ink: Mask, line: _Line, skip: tuple[float, float], reach: int) -> list[float]:
    """Columns (centres of runs) along a traced line where a tick crosses it, outside ``skip``."""
    # the line's own edges, column by column, without the ticks that widen it (a running median)
    window = 4 * reach + 1
    cols = np.asarray(line.cols, dtype=np.int64)
    tops = np.asarray(median_filter(np.asarray(line.tops), size=window, mode="nearest"), dtype=np.int64)
    bottoms = np.asarray(median_filter(np.asarray(line.bottoms), size=window, mode="nearest"), dtype=np.int64)
    hit = _crossed(ink, cols, tops, bottoms, reach) & ~((cols >= skip[0]) & (cols <= skip[1]))
    found = [(int(c), int(t), int(b)) for c, t, b in zip(cols[hit], tops[hit], bottoms[hit], strict=True)]
    runs: list[list[tuple[int, int, int]]] = []
    for item in found:
        if runs and item[0] - runs[-1][-1][0] <= 2:
            runs[-1].append(item)
        else:
            runs.append([item])
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
    span = _span_around(line, ticks, left, left + width)
    if span is None:
        return None
    return Dimension(word[0], tuple(values), _at(line, span[0]), _at(line, span[1]))


def _span_around(line: _Line, ticks: list[float], left: float, right: float) -> tuple[float, float] | None:
    """The stretch of a line that text from ``left`` to ``right`` (columns) dimensions: the nearest
    pair of ticks (or line ends) around it with the text at its middle (within ``CENTRED``), so a
    stroke crossing the line off-centre (a door leaf, a wall drawn through) is skipped; None if none."""
    centre = (left + right) / 2
    lefts = [*sorted((t for t in ticks if t < left), reverse=True), float(line.cols[0])]
    rights = [*sorted(t for t in ticks if t > right), float(line.cols[-1])]
    pairs = sorted(((a, b) for a in lefts for b in rights), key=lambda ab: ab[1] - ab[0])
    span = next(((a, b) for a, b in pairs if abs((a + b) / 2 - centre) <= CENTRED * (b - a)), None)
    if span is None or span[1] - span[0] < 1.2 * (right - left):
        return None
    return span


def _at(line: _Line, col: float) -> tuple[float, float]:
    """The point of a traced line at a column: its middle row there, as the median over the columns
    around it (a tick there widens the line's ink)."""
    cols = np.asarray(line.cols)
    near = np.abs(cols - col) <= max(10, 0.02 * len(cols))
    mids = (np.asarray(line.tops)[near] + np.asarray(line.bottoms)[near]) / 2
    return (col, float(np.median(mids)) if mids.size else float(line.tops[0]))


def find(ink: Mask, words: list[Word], wall_px: float) -> list[Dimension]:
    """Every word that prints a length along a dimension line (see :func:`measure`)."""
    found = [measure(ink, word, wall_px) for word in words]
    return [dim for dim in found if dim is not None]


STRONG_AGREEMENT = 3
"""Readings agreeing this often outweigh doubtful door widths (door tracing fails on busy drawings)."""


def scale_from(dims: list[Dimension], plausible: scale.Plausible) -> ScaleInfo | None:
    """The scale the printed dimensions agree on; None when there are none.

    Each dimension offers its readings (units); readings that make the walls implausible are
    dropped (see :class:`scale.Plausible`), and the largest group of agreeing readings wins (a
    misread digit is an outlier), unless it also makes the traced doors implausible with fewer than
    ``STRONG_AGREEMENT`` readings: then the largest group the doors agree with. One reading alone
    gives confidence 0.7, two 0.9, more 0.95.
    """
    unique = {(d.text, *(round(v / 4) for v in (*d.start, *d.end))): d for d in dims}  # read twice: once
    scales = [value / d.span_px for d in unique.values() for value in d.values_mm
              if d.span_px > 0 and plausible.walls(value / d.span_px)]
    groups = [[s for s in scales if abs(s - centre) <= AGREE * centre] for centre in scales]
    groups.sort(key=len, reverse=True)
    best = next((g for g in groups if len(g) >= STRONG_AGREEMENT or plausible.doors(statistics.median(g))), None)
    if not best:
        return None
    confidence = 0.7 if len(best) == 1 else 0.9 if len(best) == 2 else 0.95
    return ScaleInfo(method="dimension_line", mm_per_px=statistics.median(best), confidence=confidence)


MIN_LINE_WALLS = 6.0
"""Dimension lines are at least this many wall thicknesses long (shorter thin strokes are symbols)."""
MAX_LINES = 24
"""At most this many lines are read (the longest first): enough for chains on four sides."""
SNIPPET_CHARS = "0123456789.,"
"""What a dimension snippet may say (feet and inches are read from the plan's general OCR)."""


@dataclass(frozen=True)
class DimensionLine:
    """A thin straight line with at least two ticks: a candidate dimension line (or chain). In its
    own frame (``vertical`` lines are traced on the transposed image) ``line`` runs along columns."""

    line: _Line
    ticks: list[float]
    vertical: bool

    def point(self, along: float) -> tuple[float, float]:
        """The plan-pixel point (x, y) of the line at a distance ``along`` its columns."""
        col, row = _at(self.line, along)
        return (row, col) if self.vertical else (col, row)

    def strips(self, depth: float) -> list[tuple[Box, str]]:
        """The strips ``depth`` deep on both sides of the line where its numbers stand (plan pixels),
        each with the side of the strip the line runs along: "bottom"/"top" for horizontal lines,
        "right"/"left" for vertical ones."""
        a, b = self.line.cols[0], self.line.cols[-1]
        mid = round(float(np.median(np.asarray(self.line.tops) + np.asarray(self.line.bottoms))) / 2)
        d, gap = round(depth), 2
        near, far = (mid - gap - d, mid - gap), (mid + gap, mid + gap + d)
        if self.vertical:
            return [((near[0], a, near[1], b), "right"), ((far[0], a, far[1], b), "left")]
        return [((a, near[0], b, near[1]), "bottom"), ((a, far[0], b, far[1]), "top")]


Box = tuple[int, int, int, int]
"""A rectangle (x0, y0, x1, y1) in plan pixels."""


def dimension_lines(ink: Mask, walls: Mask, wall_px: float) -> list[DimensionLine]:
    """The thin, long, straight lines off the walls (``walls``: wall pixels), horizontal and vertical,
    that two or more ticks cross, longest first: the candidates for dimension lines and chains."""
    free = ink & ~walls
    traced = [*((line, False) for line in _lines_along(ink, free, wall_px)),
              *((line, True) for line in _lines_along(ink.T, free.T, wall_px))]
    unique: dict[tuple[bool, int, int, int], tuple[_Line, bool]] = {}  # a broken line is traced per piece
    for line, vertical in sorted(traced, key=lambda item: -len(item[0].cols)):
        mid = round(float(np.median(line.tops)) / 4)
        unique.setdefault((vertical, mid, round(line.cols[0] / 8), round(line.cols[-1] / 8)), (line, vertical))
    reach = max(3, round(0.5 * wall_px))
    out = []
    for line, vertical in unique.values():
        ticks = _ticks(ink.T if vertical else ink, line, (math.inf, -math.inf), reach)
        if len(ticks) >= 2:
            out.append(DimensionLine(line, ticks, vertical))
            if len(out) == MAX_LINES:
                break
    return out


def _lines_along(ink: Mask, free: Mask, wall_px: float) -> list[_Line]:
    """The long thin horizontal lines of ``ink`` (``free``: the ink off the walls); vertical ones are
    found on the transposed images."""
    length = max(25, round(MIN_LINE_WALLS * wall_px))
    thin = max(4.0, 0.6 * wall_px)
    opened = cv2.morphologyEx(free.astype(np.uint8), cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    out: list[_Line] = []
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if w < length or h > thin + MAX_TILT * w:
            continue
        col = x + w // 2
        line = _trace(ink, y + int(np.argmax(labels[y : y + h, col] == i)), col, 2)
        if np.median(np.asarray(line.bottoms) - np.asarray(line.tops)) + 1 <= thin:  # not a hatched band
            out.append(line)
    return out


def read_lines(view: NDArray[np.uint8], px_per_plan_px: float, found: list[DimensionLine],
               depth: float) -> list[Dimension]:
    """The numbers printed along dimension lines, read from ``view`` (the plan rectified for OCR,
    ``px_per_plan_px`` of its pixels per plan pixel; ``depth``: how far from its line a number may
    stand, plan pixels): the strips on both sides of every line are read in one OCR run (those of
    vertical lines turned a quarter both ways), and each number is measured between the ticks around
    it (:func:`_span_around`)."""
    k = px_per_plan_px
    snippets: list[NDArray[np.uint8]] = []
    owners: list[tuple[DimensionLine, Box, bool | None]] = []  # line, strip, turned clockwise?
    for dim in found:
        for box, _side in dim.strips(depth):
            x0, y0, x1, y1 = (max(0, round(v * k)) for v in box)
            crop = view[y0:y1, x0:x1]
            if crop.size == 0 or crop.min() > 128:  # nothing printed there
                continue
            for clockwise in (True, False) if dim.vertical else (None,):
                turned = crop if clockwise is None else cv2.rotate(
                    crop, cv2.ROTATE_90_CLOCKWISE if clockwise else cv2.ROTATE_90_COUNTERCLOCKWISE)
                snippets.append(np.ascontiguousarray(turned))
                owners.append((dim, box, clockwise))
    out: list[Dimension] = []
    for (dim, box, clockwise), image, words in zip(owners, snippets, ocr.read_snippets(snippets, SNIPPET_CHARS),
                                                  strict=True):
        for word in words:
            values = lengths_mm(word.text)
            if not values:
                continue
            a, b = word.left, word.right
            if clockwise:  # turned clockwise, the strip's rows run right to left
                a, b = image.shape[1] - word.right, image.shape[1] - word.left
            start = (box[1] if dim.vertical else box[0]) + a / k
            span = _span_around(dim.line, dim.ticks, start, start + (b - a) / k)
            if span is not None:
                out.append(Dimension(word.text, tuple(values), dim.point(span[0]), dim.point(span[1])))
    return out
