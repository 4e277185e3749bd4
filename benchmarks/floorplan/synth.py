"""Synthetic floor plans with exact ground truth (mm), drawn in several styles and degraded.

``make_plan(seed)`` returns a layout in millimetres; ``render(plan, style, mm_per_px)``
draws it; ``degrade_scan`` / ``degrade_photo`` turn the drawing into a scan-like or
phone-photo-like image. Every image comes with ``mm_to_image`` (3×3), the exact
homography from plan millimetres to image pixels.
"""

from __future__ import annotations

import io
import itertools
import math
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image
from shapely.geometry import LineString, Polygon, box
from shapely.ops import unary_union

Style = Literal["filled", "hatched", "outlined"]
STYLES: tuple[Style, ...] = ("filled", "hatched", "outlined")


@dataclass
class GtOpening:
    kind: Literal["door", "window"]
    offset_mm: float
    """From the wall start to the near edge of the opening."""
    width_mm: float
    hinge: Literal["start", "end"] = "start"
    swing: Literal["left", "right"] = "left"


@dataclass
class GtWall:
    start: tuple[float, float]
    end: tuple[float, float]
    thickness_mm: float
    exterior: bool
    openings: list[GtOpening] = field(default_factory=list)

    @property
    def length(self) -> float:
        return math.dist(self.start, self.end)

    def point_at(self, s: float) -> tuple[float, float]:
        f = s / self.length
        return (
            self.start[0] + f * (self.end[0] - self.start[0]),
            self.start[1] + f * (self.end[1] - self.start[1]),
        )


@dataclass
class GtPlan:
    walls: list[GtWall]
    rooms: list[Polygon]
    room_names: list[str]
    outline: Polygon


@dataclass
class Sample:
    """An image with its ground truth: ``mm_to_image`` maps plan mm to image pixels."""

    image: NDArray[np.uint8]
    plan: GtPlan
    mm_to_image: NDArray[np.float64]
    encoded: bytes = b""


NAMES = ["KITCHEN", "LIVING", "BEDROOM", "BATH", "HALL", "STUDY", "WC", "DINING", "STORE"]


def _split(
    rect: tuple[float, float, float, float],
    rng: np.random.Generator,
    depth: int,
    cuts: list[tuple[tuple[float, float], tuple[float, float]]],
) -> list[tuple[float, float, float, float]]:
    x0, y0, x1, y1 = rect
    w, h = x1 - x0, y1 - y0
    if depth == 0 or (w < 4200 and h < 4200) or rng.random() < 0.12 * (3 - depth):
        return [rect]
    vertical = w > h if abs(w - h) > 800 else bool(rng.random() < 0.5)
    span = w if vertical else h
    if span < 4200:
        vertical = not vertical
        span = w if vertical else h
        if span < 4200:
            return [rect]
    cut = float(np.round(rng.uniform(0.35, 0.65) * span / 50) * 50)
    if vertical:
        cuts.append(((x0 + cut, y0), (x0 + cut, y1)))
        a, b = (x0, y0, x0 + cut, y1), (x0 + cut, y0, x1, y1)
    else:
        cuts.append(((x0, y0 + cut), (x1, y0 + cut)))
        a, b = (x0, y0, x1, y0 + cut), (x0, y0 + cut, x1, y1)
    return _split(a, rng, depth - 1, cuts) + _split(b, rng, depth - 1, cuts)


def make_plan(seed: int, diagonal: bool | None = None) -> GtPlan:
    """A random rectilinear apartment (optionally with one chamfered, diagonal corner)."""
    rng = np.random.default_rng(seed)
    width, height = float(rng.integers(140, 260) * 50), float(rng.integers(110, 200) * 50)
    ext_t = float(rng.choice([200, 240, 300]))
    int_t = float(rng.choice([100, 120, 150]))
    cuts: list[tuple[tuple[float, float], tuple[float, float]]] = []
    cells = _split((0.0, 0.0, width, height), rng, 3, cuts)
    chamfer = float(rng.integers(30, 50) * 50) if (diagonal if diagonal is not None else rng.random() < 0.3) else 0
    pts = [(0.0, 0.0), (width - chamfer, 0.0), (width, chamfer), (width, height), (0.0, height)]
    outline = Polygon([p for i, p in enumerate(pts) if p != pts[i - 1]])
    corners = list(outline.exterior.coords)[:-1]
    walls = [GtWall(corners[i], corners[(i + 1) % len(corners)], ext_t, True) for i in range(len(corners))]
    for a, b in cuts:
        clipped = LineString([a, b]).intersection(outline)
        if clipped.length > 500:
            coords = list(clipped.coords)
            walls.append(GtWall(coords[0], coords[-1], int_t, False))
    bands = unary_union([_band(w, 0.0) for w in walls])
    rooms: list[Polygon] = []
    for cell in cells:
        area = box(*cell).intersection(outline).difference(bands)
        parts = [area] if isinstance(area, Polygon) else list(getattr(area, "geoms", []))
        rooms += [p for p in parts if isinstance(p, Polygon) and p.area > 1.0e6]
    _place_openings(walls, rng)
    names = [str(rng.choice(NAMES)) for _ in rooms]
    return GtPlan(walls, rooms, names, outline)


def _band(wall: GtWall, extend: float) -> Polygon:
    dx, dy = (wall.end[0] - wall.start[0]) / wall.length, (wall.end[1] - wall.start[1]) / wall.length
    nx, ny = dy * wall.thickness_mm / 2, -dx * wall.thickness_mm / 2
    p = (wall.start[0] - dx * extend, wall.start[1] - dy * extend)
    q = (wall.end[0] + dx * extend, wall.end[1] + dy * extend)
    return Polygon([(p[0] + nx, p[1] + ny), (q[0] + nx, q[1] + ny), (q[0] - nx, q[1] - ny), (p[0] - nx, p[1] - ny)])


def _junctions(wall: GtWall, walls: list[GtWall]) -> list[float]:
    """Positions (mm along ``wall``) where another wall meets it, plus both ends."""
    line = LineString([wall.start, wall.end])
    spots = [0.0, wall.length]
    for other in walls:
        if other is wall:
            continue
        hit = line.intersection(LineString([other.start, other.end]).buffer(1.0))
        if not hit.is_empty:
            spots.append(float(line.project(hit.centroid)))
    return sorted(spots)


def _free_intervals(wall: GtWall, walls: list[GtWall], width: float) -> list[tuple[float, float]]:
    spots = _junctions(wall, walls)
    margin = max(w.thickness_mm for w in walls) / 2 + 150
    taken = [(o.offset_mm - 300, o.offset_mm + o.width_mm + 300) for o in wall.openings]
    free = []
    for a, b in itertools.pairwise(spots):
        lo, hi = a + margin, b - margin - width
        if hi > lo and not any(lo < t1 and hi + width > t0 for t0, t1 in taken):
            free.append((lo, hi))
    return free


def _place_openings(walls: list[GtWall], rng: np.random.Generator) -> None:
    for wall in walls:
        count = 1 if not wall.exterior else int(rng.integers(0, 3))
        for _ in range(count):
            door = not wall.exterior or not any(o.kind == "door" for w in walls if w.exterior for o in w.openings)
            door = door and (not wall.exterior or rng.random() < 0.5)
            width = float(rng.integers(15, 19) * 50) if door else float(rng.integers(18, 36) * 50)
            free = _free_intervals(wall, walls, width)
            if not free:
                continue
            lo, hi = free[int(rng.integers(len(free)))]
            offset = float(rng.uniform(lo, hi))
            wall.openings.append(
                GtOpening(
                    "door" if door else "window",
                    offset,
                    width,
                    str(rng.choice(["start", "end"])),  # type: ignore[arg-type]
                    str(rng.choice(["left", "right"])),
                )
            )  # type: ignore[arg-type]


def _poly_px(poly: Polygon, mm_per_px: float, margin: float) -> NDArray[np.int32]:
    pts = np.asarray(poly.exterior.coords)[:-1] / mm_per_px + margin
    return np.rint(pts * 4).astype(np.int32)


def render(plan: GtPlan, style: Style, mm_per_px: float, seed: int = 0, text: bool = True) -> Sample:
    """Draw a plan as a clean digital drawing (white paper, black ink) at ``mm_per_px``."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = plan.outline.bounds
    margin = 1500 / mm_per_px
    w, h = round((maxx - minx) / mm_per_px + 2 * margin), round((maxy - miny) / mm_per_px + 2 * margin)
    img = np.full((h, w), 255, np.uint8)
    solid = unary_union([_band(wl, wl.thickness_mm / 2) for wl in plan.walls]).intersection(
        plan.outline.buffer(max(wl.thickness_mm for wl in plan.walls) / 2, join_style=2)
    )
    holes = unary_union([_opening_box(wl, o) for wl in plan.walls for o in wl.openings])
    solid = solid.difference(holes).buffer(-0.5 * mm_per_px, join_style=2)  # fillPoly covers edge pixels
    mask = np.zeros((h, w), np.uint8)
    for poly in getattr(solid, "geoms", [solid]):
        cv2.fillPoly(mask, [_poly_px(poly, mm_per_px, margin)], 255, cv2.LINE_8, 2)
        for ring in poly.interiors:
            cv2.fillPoly(mask, [_poly_px(Polygon(ring), mm_per_px, margin)], 0, cv2.LINE_8, 2)
    _draw_walls(img, mask, style, rng)
    for wall in plan.walls:
        for op in wall.openings:
            _draw_opening(img, wall, op, mm_per_px, margin)
    if text:
        _draw_text(img, plan, mm_per_px, margin, rng)
    shift = np.array(
        [
            [1 / mm_per_px, 0, margin - minx / mm_per_px],
            [0, 1 / mm_per_px, margin - miny / mm_per_px],
            [0, 0, 1],
        ]
    )
    return Sample(img, plan, shift)


def _opening_box(wall: GtWall, op: GtOpening) -> Polygon:
    a, b = wall.point_at(op.offset_mm), wall.point_at(op.offset_mm + op.width_mm)
    piece = GtWall(a, b, wall.thickness_mm * 1.05 + 2, wall.exterior)
    return _band(piece, 0.0)


def _draw_walls(img: NDArray[np.uint8], mask: NDArray[np.uint8], style: Style, rng: np.random.Generator) -> None:
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    if style == "filled":
        img[mask > 0] = int(rng.integers(0, 60))
        return
    if style == "hatched":
        h, w = img.shape
        spacing = int(rng.integers(4, 7))
        yy, xx = np.mgrid[0:h, 0:w]
        hatch = ((xx + yy) % spacing) < 2
        img[(mask > 0) & hatch] = 0
    cv2.drawContours(img, contours, -1, 0, 2)


def _draw_opening(img: NDArray[np.uint8], wall: GtWall, op: GtOpening, mm_per_px: float, margin: float) -> None:
    def px(p: tuple[float, float]) -> tuple[int, int]:
        return (round((p[0] - 0) / mm_per_px + margin), round((p[1] - 0) / mm_per_px + margin))

    d = ((wall.end[0] - wall.start[0]) / wall.length, (wall.end[1] - wall.start[1]) / wall.length)
    n = (d[1], -d[0])
    half = wall.thickness_mm / 2
    a, b = op.offset_mm, op.offset_mm + op.width_mm
    for s in (a, b):
        c = wall.point_at(s)
        cv2.line(
            img,
            px((c[0] + n[0] * half, c[1] + n[1] * half)),
            px((c[0] - n[0] * half, c[1] - n[1] * half)),
            0,
            1,
        )
    if op.kind == "window":
        for u in (-half, 0.0, half):
            p, q = wall.point_at(a), wall.point_at(b)
            cv2.line(img, px((p[0] + n[0] * u, p[1] + n[1] * u)), px((q[0] + n[0] * u, q[1] + n[1] * u)), 0, 1)
        return
    side = 1.0 if op.swing == "left" else -1.0
    hinge_s, towards = (a, 1.0) if op.hinge == "start" else (b, -1.0)
    c = wall.point_at(hinge_s)
    hinge = (c[0] + n[0] * half * side, c[1] + n[1] * half * side)
    r = op.width_mm
    tip = (hinge[0] + n[0] * side * r, hinge[1] + n[1] * side * r)
    cv2.line(img, px(hinge), px(tip), 0, 2)
    pts = []
    for ang in np.linspace(0, math.pi / 2, 40):
        vx = math.cos(ang) * d[0] * towards + math.sin(ang) * n[0] * side
        vy = math.cos(ang) * d[1] * towards + math.sin(ang) * n[1] * side
        pts.append(px((hinge[0] + r * vx, hinge[1] + r * vy)))
    cv2.polylines(img, [np.array(pts, np.int32)], False, 0, 1, cv2.LINE_AA)


def _draw_text(img: NDArray[np.uint8], plan: GtPlan, mm_per_px: float, margin: float, rng: np.random.Generator) -> None:
    font = cv2.FONT_HERSHEY_SIMPLEX
    size = 300 / mm_per_px / 22
    for room, name in zip(plan.rooms, plan.room_names, strict=True):
        c = room.centroid if room.contains(room.centroid) else room.representative_point()
        room_w = (room.bounds[2] - room.bounds[0]) / mm_per_px
        label_size = size
        while cv2.getTextSize(name, font, label_size, max(1, round(label_size * 1.5)))[0][0] > 0.8 * room_w:
            label_size *= 0.85
        width = cv2.getTextSize(name, font, label_size, max(1, round(label_size * 1.5)))[0][0]
        x, y = round(c.x / mm_per_px + margin - width / 2), round(c.y / mm_per_px + margin)
        cv2.putText(img, name, (x, y), font, label_size, 0, max(1, round(label_size * 1.5)), cv2.LINE_AA)
        cv2.putText(img, f"{room.area / 1e6:.1f} m2", (x, y + round(30 * size)), font, size * 0.8, 0, 1, cv2.LINE_AA)
        if rng.random() < 0.5:
            bx, by = round(c.x / mm_per_px + margin + 20), round(c.y / mm_per_px + margin + 40 * size)
            cv2.rectangle(img, (bx, by), (bx + round(600 / mm_per_px), by + round(400 / mm_per_px)), 0, 1)
    minx, _miny, maxx, _maxy = plan.outline.bounds
    y = round(margin - 700 / mm_per_px)
    x0, x1 = round(margin), round((maxx - minx) / mm_per_px + margin)
    cv2.line(img, (x0, y), (x1, y), 0, 1)
    for x in (x0, x1):
        cv2.line(img, (x, y - 6), (x, y + 6), 0, 1)
    cv2.putText(img, f"{maxx - minx:.0f}", ((x0 + x1) // 2 - 30, y - 8), font, size * 0.8, 0, 1, cv2.LINE_AA)


def encode(img: NDArray[np.uint8], fmt: str = "PNG", quality: int = 90) -> bytes:
    """Encode a greyscale image (PNG, JPEG or WEBP)."""
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format=fmt, quality=quality)
    return buf.getvalue()


def degrade_scan(sample: Sample, seed: int) -> Sample:
    """A flatbed scan: small rotation, a little blur, noise, a faint gradient, JPEG."""
    rng = np.random.default_rng(seed)
    h, w = sample.image.shape
    angle = float(rng.uniform(-3, 3))
    rot = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), [0, 0, 1]])
    img = cv2.warpAffine(sample.image, rot[:2], (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    img = _noise(img, rng, blur=float(rng.uniform(0.3, 1.0)), sigma=float(rng.uniform(2, 6)), light=0.12)
    data = encode(img, "JPEG", int(rng.integers(70, 92)))
    return Sample(img, sample.plan, rot @ sample.mm_to_image, data)


def _noise(
    img: NDArray[np.uint8], rng: np.random.Generator, blur: float, sigma: float, light: float
) -> NDArray[np.uint8]:
    h, w = img.shape
    out = cv2.GaussianBlur(img, (0, 0), blur).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    gradient = 1.0 - light * (0.5 + 0.5 * (gx * xx / w + gy * yy / h))
    out = out * gradient + rng.normal(0, sigma, (h, w)).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


PAPER_RATIOS = (math.sqrt(2.0), 11.0 / 8.5)
"""A-series and US Letter sheets (long side over short side)."""


def on_paper(sample: Sample, rng: np.random.Generator) -> Sample:
    """The drawing printed on an A-series or Letter sheet: white margins pad it to the sheet's ratio."""
    h, w = sample.image.shape
    ratio = float(rng.choice(PAPER_RATIOS))
    long_side, short_side = max(w, h), min(w, h)
    if long_side / short_side < ratio:
        long_side = math.ceil(short_side * ratio)
    else:
        short_side = math.ceil(long_side / ratio)
    pw, ph = (long_side, short_side) if w >= h else (short_side, long_side)
    x0, y0 = (pw - w) // 2, (ph - h) // 2
    page = np.full((ph, pw), 255, np.uint8)
    page[y0 : y0 + h, x0 : x0 + w] = sample.image
    shift = np.array([[1.0, 0, x0], [0, 1.0, y0], [0, 0, 1.0]])
    return Sample(page, sample.plan, shift @ sample.mm_to_image)


def camera_homography(
    sheet: tuple[int, int],
    frame: tuple[int, int],
    rng: np.random.Generator,
    framed: tuple[float, float, float, float] | None = None,
    fill: tuple[float, float] = (0.7, 0.85),
    principal: tuple[float, float] = (0.0, 0.0),
) -> NDArray[np.float64]:
    """A phone camera looking down at a sheet (w, h px) lying flat: the homography sheet px → photo px.

    A pinhole camera with square pixels, the principal point near the centre and a phone's wide lens
    (focal length 0.7–0.9 × the photo's long side), tilted 5–25° off vertical about a random axis,
    turned up to ±8° in the image, at the distance where the ``framed`` part of the sheet (x0, y0,
    x1, y1 in sheet px; default the whole sheet) fills a share of the frame drawn from ``fill``.
    ``principal`` moves the principal point off the centre by those shares of the frame's width and
    height (what cropping a photo does: the camera still looked at the uncropped photo's centre).
    """
    w, h = sheet
    out_w, out_h = frame
    f = float(rng.uniform(0.7, 0.9)) * max(out_w, out_h)
    u0 = out_w * (0.5 + principal[0]) * (1 + rng.uniform(-0.01, 0.01))
    v0 = out_h * (0.5 + principal[1]) * (1 + rng.uniform(-0.01, 0.01))
    k = np.array([[f, 0, u0], [0, f, v0], [0, 0, 1.0]])
    tilt, azimuth, turn = np.radians(rng.uniform(5, 25)), rng.uniform(0, 2 * np.pi), np.radians(rng.uniform(-8, 8))
    axis = np.array([np.cos(azimuth), np.sin(azimuth), 0.0])
    rot = cv2.Rodrigues(axis * tilt)[0] @ cv2.Rodrigues(np.array([0, 0, turn]))[0]
    x0, y0, x1, y1 = framed or (0.0, 0.0, float(w), float(h))
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)
    offset = rng.uniform(-0.04, 0.04, 2)
    share = float(rng.uniform(*fill))

    def homography(distance: float) -> NDArray[np.float64]:
        t = np.array([offset[0] * distance, offset[1] * distance, distance])
        centred = np.array([[1.0, 0, -w / 2], [0, 1.0, -h / 2], [0, 0, 1.0]])
        return np.asarray(k @ np.column_stack([rot[:, 0], rot[:, 1], t]) @ centred, dtype=np.float64)

    def extent(distance: float) -> float:
        pts = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), homography(distance))
        span = pts.reshape(-1, 2).max(axis=0) - pts.reshape(-1, 2).min(axis=0)
        return float(max(span[0] / out_w, span[1] / out_h))

    near, far = 0.05 * f * max(w, h) / max(out_w, out_h), 100.0 * f * max(w, h) / max(out_w, out_h)
    for _ in range(60):  # the sheet's size in the frame shrinks as the camera backs away
        mid = math.sqrt(near * far)
        near, far = (mid, far) if extent(mid) > share else (near, mid)
    return homography(far)


def degrade_photo(
    sample: Sample, seed: int, size: tuple[int, int] = (4000, 3000), closeup: bool = False, cropped: bool = False
) -> Sample:
    """A phone photo (default 12 MP) of the plan printed on paper: the sheet on a darker table, seen
    through a tilted camera (:func:`camera_homography`), unevenly lit, with a soft shadow. A
    ``closeup`` frames the drawing (walls and the dimension line) so tightly that no edge of the
    sheet is in the photo; a ``cropped`` photo is a crop of a larger one (the principal point 8–14 % of
    the frame off its centre in both directions, the sheet filling 55–70 % of the frame)."""
    rng = np.random.default_rng(seed)
    sample = on_paper(sample, rng)
    h, w = sample.image.shape
    out_w, out_h = size if w >= h else size[::-1]
    framed, fill = None, (0.7, 0.85)
    if closeup:
        minx, miny, maxx, maxy = sample.plan.outline.buffer(1000, join_style=2).bounds
        pts = cv2.perspectiveTransform(np.array([[[minx, miny], [maxx, maxy]]]), sample.mm_to_image)[0]
        framed, fill = (pts[0, 0], pts[0, 1], pts[1, 0], pts[1, 1]), (0.9, 0.97)
    principal = (0.0, 0.0)
    if cropped:
        fill = (0.55, 0.7)
        principal = (float(rng.uniform(0.08, 0.14) * rng.choice([-1, 1])),
                     float(rng.uniform(0.08, 0.14) * rng.choice([-1, 1])))
    hom = camera_homography((w, h), (out_w, out_h), rng, framed, fill, principal)
    table = rng.integers(50, 120)
    img = cv2.warpPerspective(sample.image, hom, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=int(table))
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    sx, sy = rng.uniform(0, out_w), rng.uniform(0, out_h)
    shadow = 1.0 - 0.35 * np.exp(-(((xx - sx) / (0.4 * out_w)) ** 2 + ((yy - sy) / (0.4 * out_h)) ** 2))
    img = (img.astype(np.float32) * shadow).astype(np.uint8)
    img = _noise(img, rng, blur=float(rng.uniform(0.8, 1.8)), sigma=float(rng.uniform(3, 8)), light=0.3)
    data = encode(img, "JPEG", int(rng.integers(70, 88)))
    return Sample(img, sample.plan, hom @ sample.mm_to_image, data)


def scan_sample(seed: int, style: Style | None = None) -> Sample:
    """One synthetic scan: random plan, style and resolution, scan degradation."""
    rng = np.random.default_rng(seed + 10_000)
    chosen: Style = style or STYLES[seed % 3]
    clean = render(make_plan(seed), chosen, float(rng.uniform(12, 22)), seed)
    return degrade_scan(clean, seed)


def photo_sample(
    seed: int, style: Style | None = None, size: tuple[int, int] = (4000, 3000), closeup: bool = False
) -> Sample:
    """One synthetic phone photo of a printed plan (``closeup``: no sheet edge in the frame)."""
    rng = np.random.default_rng(seed + 20_000)
    chosen: Style = style or STYLES[seed % 3]
    clean = render(make_plan(seed), chosen, float(rng.uniform(8, 14)), seed)
    return degrade_photo(clean, seed, size, closeup)


def cropped_sample(seed: int, size: tuple[int, int] = (4000, 3000)) -> Sample:
    """A synthetic 12 MP phone photo cropped off-centre: the principal point is not the image centre."""
    rng = np.random.default_rng(seed + 20_000)
    clean = render(make_plan(seed), STYLES[seed % 3], float(rng.uniform(8, 14)), seed)
    return degrade_photo(clean, seed, size, cropped=True)


def closeup_sample(seed: int) -> Sample:
    """A synthetic 12 MP phone photo with the drawing filling the frame (no sheet edge to find)."""
    return photo_sample(seed, closeup=True)
