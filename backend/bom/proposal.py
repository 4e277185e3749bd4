"""The customer's proposal as a PDF: the plan, a 3D view, an elevation per wall and the itemized quote.

Pure: a design, the catalog and a quote in, PDF bytes out (reportlab). The 3D view is an
isometric drawing of the same panel boxes the configurator builds for the 3D scene and the
factory cuts (painter's algorithm, far boxes first), so the proposal never shows anything the
order would not make. Drawn by hand because no well-kept library renders a trimesh scene to a
vector PDF without a GPU or a display.

``locale`` is the customer's language: every word on the pages (titles, headings, room types, the
quote's sections and lines, catalog names) is in it, drawn with a font that has its glyphs
(:class:`backend.bom.printing.Print`); English by default.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from shapely.geometry import LineString
from shapely.geometry import box as rectangle

from backend.bom.pricing import Quote
from backend.bom.printing import ENGLISH, N_, Print
from backend.configurator.catalog import Catalog
from backend.configurator.construction import CabinetBuild, Panel, build_cabinet
from backend.configurator.placement import Frame, frame_of, rect_in_frame
from backend.design.model import Design, Door, Wall, WallPlacement
from backend.design.walls import named_walls

PAGE = landscape(A4)
MARGIN = 36.0
WALL_COLOUR = colors.HexColor("#3c4348")
ROOM_COLOUR = colors.HexColor("#f1ede4")
CUTAWAY_WALL_MM = 300.0
"""Walls are cut at this height in the 3D view so they never hide the cabinets."""

Point3 = tuple[float, float, float]


@dataclass(frozen=True)
class Box3:
    """An axis-aligned box in the cabinet frame placed in the room: 8 plan-space corners (mm)."""

    corners: tuple[Point3, ...]
    colour: str
    label: str = ""

    @property
    def depth_key(self) -> float:
        """Distance along the viewing direction (the viewer looks from +x, +y, +z): far first."""
        cx = sum(c[0] for c in self.corners) / 8
        cy = sum(c[1] for c in self.corners) / 8
        cz = sum(c[2] for c in self.corners) / 8
        return cx + cy + cz * 0.5


def proposal_pdf(design: Design, catalog: Catalog, quote: Quote, *, customer: str = "",
                 when: date | None = None, renders: Sequence[bytes] = (), locale: str | None = None) -> bytes:
    """The proposal for ``design``: plan, its photoreal renders (PNG/JPEG bytes, one page each, when
    there are any), 3D view, one elevation per wall with cabinets, quote; in the language of
    ``locale`` (the customer's; English when None or unknown)."""
    lang = Print.of(locale)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, invariant=True)
    canvas.setTitle(lang(N_("Roomwright proposal: {name}"), name=design.name))
    canvas.setAuthor("Roomwright")
    builds = {cab.id: build_cabinet(cab, catalog, design.settings) for cab in design.cabinets}
    heading = f"{design.name}" + (f" · {customer}" if customer else "") + f" · {(when or date.today()).isoformat()}"
    numbers = unit_numbers(design)
    wall_titles = named_walls(design.plan, _working_room(design), lang.gettext)
    _plan_page(canvas, design, heading, quote, lang, numbers)
    for image in renders:
        _render_page(canvas, image, heading, lang)
    _iso_page(canvas, design, builds, catalog, heading, lang)
    for wall in design.plan.walls:
        on_wall = [c for c in design.cabinets if isinstance(c.placement, WallPlacement)
                   and c.placement.wall_id == wall.id]
        if on_wall:
            _elevation_page(canvas, design, wall, [c.id for c in on_wall], builds, catalog, heading, lang,
                            wall_titles.get(wall.id, ""), numbers)
    _quote_page(canvas, design, builds, catalog, quote, heading, lang, numbers)
    canvas.save()
    return buffer.getvalue()


def unit_numbers(design: Design) -> dict[str, int]:
    """Each unit's number on the proposal (1, 2, … in the design's order), by cabinet id: the key that the
    plan, the elevations and the quote share, so that no internal id reaches the customer."""
    return {cab.id: n for n, cab in enumerate(design.cabinets, start=1)}


def _working_room(design: Design) -> str | None:
    """The room whose side of each wall names it: the kitchen where there is one (as in the editor)."""
    return next((r.id for r in design.plan.rooms if r.type == "kitchen"), None)


def _render_page(canvas: Canvas, image: bytes, heading: str, lang: Print = ENGLISH) -> None:
    """One render, as large as the page allows, keeping its proportions."""
    _title(canvas, lang(N_("Your room")), heading, lang)
    reader = ImageReader(io.BytesIO(image))
    iw, ih = reader.getSize()
    box_w, box_h = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - 36
    scale = min(box_w / iw, box_h / ih)
    w, h = iw * scale, ih * scale
    canvas.drawImage(reader, (PAGE[0] - w) / 2, MARGIN + (box_h - h) / 2, w, h)
    canvas.showPage()


def _title(canvas: Canvas, title: str, heading: str, lang: Print = ENGLISH) -> None:
    canvas.setFont(lang.bold, 16)
    canvas.drawString(MARGIN, PAGE[1] - MARGIN, title)
    canvas.setFont(lang.font, 9)
    canvas.setFillColor(colors.HexColor("#4f5b62"))
    canvas.drawRightString(PAGE[0] - MARGIN, PAGE[1] - MARGIN, heading)
    canvas.setFillColor(colors.black)


def _fit(points: Iterable[tuple[float, float]], box: tuple[float, float, float, float],
         flip_y: bool = True) -> tuple[float, float, float, float]:
    """(scale, offset x, offset y, sign y) mapping mm points into the page box (x0, y0, x1, y1)."""
    pts = list(points) or [(0.0, 0.0), (1000.0, 1000.0)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    width, height = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    x0, y0, x1, y1 = box
    scale = min((x1 - x0) / width, (y1 - y0) / height)
    if flip_y:  # plan y runs down the page
        return scale, x0 - min(xs) * scale, y1 + min(ys) * scale, -1.0
    return scale, x0 - min(xs) * scale, y0 - min(ys) * scale, 1.0


def _plan_page(canvas: Canvas, design: Design, heading: str, quote: Quote, lang: Print,
               numbers: dict[str, int]) -> None:
    _title(canvas, lang(N_("Floor plan")), heading, lang)
    walls = design.plan.walls
    points = [(p.x, p.y) for w in walls for p in (w.start, w.end)]
    points += [(p.x, p.y) for r in design.plan.rooms for p in r.polygon]
    scale, ox, oy, sy = _fit(points, (MARGIN, MARGIN + 30, PAGE[0] - MARGIN, PAGE[1] - MARGIN - 30))

    def to_page(x: float, y: float) -> tuple[float, float]:
        return ox + x * scale, oy + sy * y * scale

    for room in design.plan.rooms:
        _polygon(canvas, [to_page(p.x, p.y) for p in room.polygon], fill=ROOM_COLOUR, stroke=None)
        centre = room.shape().representative_point()
        cx, cy = to_page(centre.x, centre.y)
        canvas.setFont(lang.font, 8)
        canvas.drawCentredString(cx, cy, f"{room.name or lang(room.type)} {room.area_m2:.1f} m²")
    for wall in walls:
        _wall_plan(canvas, wall, to_page, scale)
    walls_by_id = {w.id: w for w in walls}
    for cab in design.cabinets:
        frame = frame_of(cab.placement, cab.width_mm, cab.elevation_mm, walls_by_id)
        footprint = rect_in_frame(frame, 0, 0, cab.width_mm, cab.depth_mm)
        shade = colors.HexColor("#c9d6db") if cab.elevation_mm < 1000 else colors.HexColor("#e3eaec")
        _polygon(canvas, [to_page(x, y) for x, y in footprint.exterior.coords[:-1]], fill=shade,
                 stroke=colors.HexColor("#1f4e5f"))
        c = footprint.centroid
        canvas.setFont(lang.font, 7)
        canvas.drawCentredString(*to_page(c.x, c.y), str(numbers[cab.id]))
    canvas.setFont(lang.font, 10)
    total = lang(N_("Total {currency} {amount}"), currency=quote.currency, amount=f"{quote.total_cents / 100:,.2f}")
    canvas.drawString(MARGIN, MARGIN, total)
    canvas.showPage()


def _wall_plan(canvas: Canvas, wall: Wall, to_page: object, scale: float) -> None:
    convert = to_page  # (x, y) → page point
    assert callable(convert)
    canvas.setStrokeColor(WALL_COLOUR)
    canvas.setLineWidth(max(wall.thickness_mm * scale, 1.0))
    canvas.setLineCap(2)
    dx, dy = wall.direction
    cuts = sorted((o.offset_mm, o.offset_mm + o.width_mm, o) for o in wall.openings)
    start = 0.0
    pieces = []
    for a, b, _ in cuts:
        pieces.append((start, a))
        start = b
    pieces.append((start, wall.length_mm))
    for a, b in pieces:
        if b - a > 1:
            p = convert(wall.start.x + dx * a, wall.start.y + dy * a)
            q = convert(wall.start.x + dx * b, wall.start.y + dy * b)
            canvas.line(p[0], p[1], q[0], q[1])
    canvas.setLineWidth(0.6)
    for a, b, opening in cuts:
        p = convert(wall.start.x + dx * a, wall.start.y + dy * a)
        q = convert(wall.start.x + dx * b, wall.start.y + dy * b)
        canvas.setStrokeColor(colors.HexColor("#3f88c5") if not isinstance(opening, Door) else colors.black)
        canvas.line(p[0], p[1], q[0], q[1])
    canvas.setStrokeColor(colors.black)


def _polygon(canvas: Canvas, points: Sequence[tuple[float, float]], fill: colors.Color | None,
             stroke: colors.Color | None, width: float = 0.5) -> None:
    if len(points) < 3:
        return
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    if fill is not None:
        canvas.setFillColor(fill)
    if stroke is not None:
        canvas.setStrokeColor(stroke)
        canvas.setLineWidth(width)
    canvas.drawPath(path, fill=int(fill is not None), stroke=int(stroke is not None))
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)


def _panel_colour(panel: Panel, catalog: Catalog) -> str:
    material = catalog.materials.get(panel.material)
    return material.colour if material else "#cccccc"


def _panel_box(frame: Frame, panel: Panel, colour: str) -> Box3:
    (x0, y0, z0), (sx, sy, sz) = panel.box.origin, panel.box.size
    corners = []
    for x in (x0, x0 + sx):
        for y in (y0, y0 + sy):
            px, py = frame.to_plan(x, y)
            for z in (z0, z0 + sz):
                corners.append((px, py, frame.elevation_mm + z))
    return Box3(tuple(corners), colour, panel.id)


def scene_boxes(design: Design, builds: dict[str, CabinetBuild], catalog: Catalog) -> list[Box3]:
    """Every panel of every cabinet as a box in room coordinates (plan mm, z up), plus cut-away walls."""
    walls_by_id = {w.id: w for w in design.plan.walls}
    boxes: list[Box3] = []
    for cab in design.cabinets:
        frame = frame_of(cab.placement, cab.width_mm, cab.elevation_mm, walls_by_id)
        for panel in builds[cab.id].panels:
            boxes.append(_panel_box(frame, panel, _panel_colour(panel, catalog)))
    if boxes:
        xs = [c[0] for b in boxes for c in b.corners]
        ys = [c[1] for b in boxes for c in b.corners]
        area = rectangle(min(xs) - 600, min(ys) - 600, max(xs) + 600, max(ys) + 600)
    for wall in design.plan.walls:
        if boxes and not LineString([(wall.start.x, wall.start.y), (wall.end.x, wall.end.y)]).intersects(area):
            continue  # the 3D view shows the cabinets' surroundings, not the whole apartment
        dx, dy = wall.direction
        nx, ny = -dy * wall.thickness_mm / 2, dx * wall.thickness_mm / 2
        base = [(wall.start.x + nx, wall.start.y + ny), (wall.end.x + nx, wall.end.y + ny),
                (wall.start.x - nx, wall.start.y - ny), (wall.end.x - nx, wall.end.y - ny)]
        corners = tuple((x, y, z) for x, y in base for z in (0.0, CUTAWAY_WALL_MM))
        boxes.append(Box3(corners, "#d8d2c6", wall.id))
    return boxes


def _iso(point: Point3) -> tuple[float, float]:
    x, y, z = point
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    return (x - y) * c, -(x + y) * s + z


def _iso_page(canvas: Canvas, design: Design, builds: dict[str, CabinetBuild], catalog: Catalog,
              heading: str, lang: Print = ENGLISH) -> None:
    _title(canvas, lang(N_("3D view")), heading, lang)
    boxes = scene_boxes(design, builds, catalog)
    projected = [_iso(c) for b in boxes for c in b.corners]
    scale, ox, oy, sy = _fit(projected, (MARGIN, MARGIN, PAGE[0] - MARGIN, PAGE[1] - MARGIN - 30), flip_y=False)
    for box in sorted(boxes, key=lambda b: b.depth_key):
        pts = [_iso(c) for c in box.corners]
        page = [(ox + x * scale, oy + sy * y * scale) for x, y in pts]
        base = colors.HexColor(box.colour)
        # corners are ordered (x, y, z) bits: index = 4*ix + 2*iy + iz in the panel's own frame
        for face, shade in (((1, 3, 7, 5), 1.0), ((4, 5, 7, 6), 0.85), ((2, 3, 7, 6), 0.7)):
            fill = colors.Color(base.red * shade, base.green * shade, base.blue * shade)
            _polygon(canvas, [page[i] for i in face], fill=fill, stroke=colors.HexColor("#555555"), width=0.2)
    canvas.showPage()


def _elevation_page(canvas: Canvas, design: Design, wall: Wall, cabinet_ids: list[str],
                    builds: dict[str, CabinetBuild], catalog: Catalog, heading: str, lang: Print,
                    wall_title: str, numbers: dict[str, int]) -> None:
    """The wall seen from the room (named in words: "Kitchen, north wall, 3,553 mm"): cabinets' panels
    projected on the wall plane, fronts drawn last, each unit's width and number below it."""
    _title(canvas, lang(N_("Elevation: {wall}"), wall=wall_title or f"{wall.length_mm:,.0f} mm"), heading, lang)
    side = next(c.placement.side for c in design.cabinets
                if c.id in cabinet_ids and isinstance(c.placement, WallPlacement))
    height = design.settings.ceiling_height_mm
    scale, ox, oy, _ = _fit([(0, 0), (wall.length_mm, height)],
                            (MARGIN, MARGIN + 30, PAGE[0] - MARGIN, PAGE[1] - MARGIN - 30), flip_y=False)
    dx, dy = wall.direction

    def along(px: float, py: float) -> float:
        s = (px - wall.start.x) * dx + (py - wall.start.y) * dy
        return s if side == "right" else wall.length_mm - s

    def to_page(s: float, z: float) -> tuple[float, float]:
        return ox + s * scale, oy + z * scale

    _polygon(canvas, [to_page(0, 0), to_page(wall.length_mm, 0), to_page(wall.length_mm, height),
                      to_page(0, height)], fill=colors.HexColor("#fbfaf7"), stroke=WALL_COLOUR, width=1)
    for opening in wall.openings:
        a, b = opening.offset_mm, opening.offset_mm + opening.width_mm
        lo = 0.0 if isinstance(opening, Door) else opening.sill_mm
        s0, s1 = sorted((a, b) if side == "right" else (wall.length_mm - b, wall.length_mm - a))
        _polygon(canvas, [to_page(s0, lo), to_page(s1, lo), to_page(s1, lo + opening.height_mm),
                          to_page(s0, lo + opening.height_mm)], fill=colors.HexColor("#dcebf5"),
                 stroke=colors.HexColor("#3f88c5"))
    walls_by_id = {w.id: w for w in design.plan.walls}
    canvas.setFont(lang.font, 7)
    for cab in design.cabinets:
        if cab.id not in cabinet_ids:
            continue
        frame = frame_of(cab.placement, cab.width_mm, cab.elevation_mm, walls_by_id)
        for panel in sorted(builds[cab.id].panels, key=lambda p: -(p.box.origin[1] + p.box.size[1])):
            (x0, y0, z0), (sx, _sy, sz) = panel.box.origin, panel.box.size
            s_a = along(*frame.to_plan(x0, y0))
            s_b = along(*frame.to_plan(x0 + sx, y0))
            lo, hi = sorted((s_a, s_b))
            z_lo, z_hi = cab.elevation_mm + z0, cab.elevation_mm + z0 + sz
            _polygon(canvas, [to_page(lo, z_lo), to_page(hi, z_lo), to_page(hi, z_hi), to_page(lo, z_hi)],
                     fill=colors.HexColor(_panel_colour(panel, catalog)), stroke=colors.HexColor("#555555"),
                     width=0.3)
        left = min(along(*frame.to_plan(0, 0)), along(*frame.to_plan(cab.width_mm, 0)))
        x, y = to_page(left + cab.width_mm / 2, cab.elevation_mm - 60)
        canvas.drawCentredString(x, y, f"{numbers[cab.id]} · {cab.width_mm:.0f}")
    canvas.showPage()


def _quote_page(canvas: Canvas, design: Design, builds: dict[str, CabinetBuild], catalog: Catalog, quote: Quote,
                heading: str, lang: Print, numbers: dict[str, int]) -> None:
    _title(canvas, lang(N_("Quote")), heading, lang)
    y = PAGE[1] - MARGIN - 30
    canvas.setFont(lang.bold, 9)
    for x, text in ((MARGIN, lang(N_("Unit no."))), (MARGIN + 90, lang(N_("Type"))),
                    (MARGIN + 300, lang(N_("W × H × D mm"))), (MARGIN + 420, lang(N_("Parts")))):
        canvas.drawString(x, y, text)
    canvas.drawRightString(MARGIN + 560, y, lang(N_("Price ({currency})"), currency=quote.currency))
    canvas.setFont(lang.font, 9)
    prices = {c.cabinet_id: c.price_cents for c in quote.cabinets}
    for cab in design.cabinets:
        y -= 13
        if y < MARGIN + 120:
            canvas.showPage()
            _title(canvas, lang(N_("Quote (continued)")), heading, lang)
            y = PAGE[1] - MARGIN - 30
        family = catalog.families.get(cab.family)
        canvas.drawString(MARGIN, y, str(numbers[cab.id]))
        canvas.drawString(MARGIN + 90, y, lang(family.name) if family else cab.family)
        canvas.drawString(MARGIN + 300, y, f"{cab.width_mm:.0f} × {cab.height_mm:.0f} × {cab.depth_mm:.0f}")
        canvas.drawString(MARGIN + 420, y, str(len(builds[cab.id].panels)))
        cents = prices.get(cab.id)
        canvas.drawRightString(MARGIN + 560, y, "–" if cents is None else f"{cents / 100:,.2f}")
    y -= 24
    canvas.setFont(lang.bold, 9)
    canvas.drawString(MARGIN, y, lang(N_("Price breakdown")))
    canvas.setFont(lang.font, 9)
    for section, cents in quote.subtotals.items():
        y -= 13
        canvas.drawString(MARGIN, y, lang(section))
        canvas.drawRightString(MARGIN + 300, y, f"{cents / 100:,.2f}")
    if quote.tax_cents:
        y -= 13
        canvas.drawString(MARGIN, y, lang(quote.tax_name))
        canvas.drawRightString(MARGIN + 300, y, f"{quote.tax_cents / 100:,.2f}")
    y -= 16
    canvas.setFont(lang.bold, 11)
    canvas.drawString(MARGIN, y, lang(N_("Total ({currency})"), currency=quote.currency))
    canvas.drawRightString(MARGIN + 300, y, f"{quote.total_cents / 100:,.2f}")
    canvas.setFont(lang.font, 8)
    y -= 14
    for line in quote.lines:
        if line.used_quantity is not None and line.offcut_share is not None:
            canvas.drawString(MARGIN, y, lang(N_("{line}: {used} m² of parts + {share} % offcut = {quantity} m² × "
                                                 "{price}"),
                                              line=lang(line.description), used=f"{line.used_quantity:g}",
                                              share=f"{line.offcut_share * 100:g}", quantity=f"{line.quantity:g}",
                                              price=f"{line.unit_price_cents / 100:,.2f}"))
            y -= 11
    canvas.drawString(MARGIN, y - 3, lang(N_("Boards are charged by the area of the parts plus the offcut share "
                                             "above; a partly used sheet is not charged whole. The order charges "
                                             "this same price.")))
    canvas.showPage()
