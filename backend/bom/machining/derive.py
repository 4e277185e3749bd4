"""Derive every machining operation of a cabinet from its assembled panels and its hardware (pure).

Joints are found geometrically, so the rules work for any cabinet the configurator builds: a panel
whose *edge* lies on another panel's *face* (their boxes touch, the touching panel's thickness lies
wholly on the face) is a butt joint.  Both panels must have a role listed in the tables'
``joint_roles`` (backs sit in grooves, drawer bottoms in the box, fronts hang on hinges).  Along the
contact line the catalog's connector (cam + dowel, or confirmat + dowel) gets its holes: a face
hole in the face panel and an edge hole in the edge panel at the same assembled point, plus the
cam housing in the edge panel's inner face.

The rest: the configurator's own ops (hinge cups, handle holes, back grooves, cut-outs) are kept;
its full-height line boring is replaced by shelf-pin rows where the adjustable shelves sit, its two
slide holes by the slide's table for the drawer's slide length; hinge mounting plates go on the
panel behind each cup; leg holes under the bottoms; hanger holes in the sides' top back corners.

Rules that cannot be applied (no panel behind a hinge, no table row for a slide length…) are
:class:`Issue` values, reported as blocking findings by ``checks.py``; a rule that *can* be applied
to a panel too thin for it is applied, and the checks say so (never a silent skip).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from backend.bom.machining.checks import collide, hinge_envelope, solid
from backend.bom.machining.model import Face, Issue, MachOp, PartFrame, Purpose, frame_of
from backend.bom.machining.tables import Connector, MachiningTables, ShelfPin
from backend.configurator.catalog import Catalog
from backend.configurator.construction import CabinetBuild, Op, Panel, Vec

CONTACT_TOL = 0.05
"""Panels closer than this (mm) touch."""
HORIZONTAL_ROLES = ("bottom", "top", "fixed_shelf", "rail")
LEGACY_DROPPED = ("system32", "slide")
"""Configurator ops replaced by table-driven rows (line boring → shelf-pin rows, slide holes by length)."""


@dataclass(frozen=True)
class Joint:
    """A butt joint: ``edge_panel``'s ``edge`` lies on ``face_panel``'s ``face``."""

    edge_panel: str
    edge: Face
    face_panel: str
    face: Face
    axis: int
    """Cabinet axis normal to the contact plane."""
    line_axis: int
    """Cabinet axis the contact line runs along."""
    start: float
    end: float
    plane: float
    """Coordinate of the contact plane along ``axis``."""
    mid: float
    """Mid-thickness of the edge panel (cabinet coordinate along its thickness axis)."""

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass
class CabinetMachining:
    """Every operation of one cabinet, per panel id, with the joints and the rules not applied."""

    cabinet_id: str
    ops: dict[str, list[MachOp]] = field(default_factory=dict)
    joints: list[Joint] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def add(self, panel_id: str, op: MachOp) -> None:
        self.ops.setdefault(panel_id, []).append(op)


class _Ctx:
    def __init__(self, build: CabinetBuild, catalog: Catalog, tables: MachiningTables) -> None:
        self.build, self.catalog, self.t = build, catalog, tables
        self.panels = list(build.panels)
        self.frames = {p.id: frame_of(p) for p in self.panels}
        self.out = CabinetMachining(build.cabinet_id, {p.id: [] for p in self.panels})
        self.centre = (build.width_mm / 2, build.depth_mm / 2, build.height_mm / 2)
        self.envelopes: list[list[tuple[float, float]]] = []
        """Boxes (cabinet frame) of the hinges behind the doors, for the shelves to keep clear of."""

    def codes(self, category: str) -> list[str]:
        return [h.code for h in self.build.hardware if h.category == category]

    def drill(self, panel: Panel, face: Face, at: Vec, purpose: Purpose, diameter: float, depth: float | str, *,
              hardware: str | None = None, joint: str | None = None, mate: str | None = None, detail: str = "",
              optional: bool = False) -> None:
        """A drill whose mouth is at cabinet point ``at`` on ``face`` (``depth`` "through" = the part's
        extent under that face)."""
        fr = self.frames[panel.id]
        through = depth == "through"
        d = _inward_extent(fr, face) if through else float(depth)
        u, v, w = fr.to_part(at)
        self.out.add(panel.id, MachOp("drill", purpose, face, u, v, w, depth_mm=d, diameter_mm=diameter,
                                      tool=f"D{diameter:g}", hardware=hardware, joint=joint, mate=mate,
                                      detail="through" if through else detail, optional=optional))


def derive(build: CabinetBuild, catalog: Catalog, tables: MachiningTables) -> CabinetMachining:
    """All machining of one assembled cabinet."""
    c = _Ctx(build, catalog, tables)
    for p in c.panels:
        for op in p.ops:
            if op.purpose not in LEGACY_DROPPED:
                c.out.add(p.id, legacy_op(op, c.frames[p.id], tables))
    _hinge_plates(c)
    c.out.joints = find_joints(c.panels, c.frames, tables.joint_rows.joint_roles)
    for j in c.out.joints:
        _connectors(c, j)
    _shelf_pins(c)
    _slides(c)
    _legs(c)
    _hangers(c)
    for pid, ops in c.out.ops.items():
        c.out.ops[pid] = drop_colliding_optional(ops, c.frames[pid])
    return c.out


def drop_colliding_optional(ops: Sequence[MachOp], fr: PartFrame) -> list[MachOp]:
    """Without the optional ops (shelf-pin adjustment holes) that would collide with a kept op: the
    hinge plates and slides take the front row's place there, as on any 32 mm line."""
    kept = [op for op in ops if not op.optional]
    solids = [solid(op, fr) for op in kept]
    for op in ops:
        if op.optional:
            s = solid(op, fr)
            if not any(collide(s, other) for other in solids):
                kept.append(op)
                solids.append(s)
    order = {id(op): n for n, op in enumerate(ops)}
    return sorted(kept, key=lambda op: order[id(op)])


# ------------------------------------------------------------------------------------------------
# the configurator's ops


def legacy_op(op: Op, fr: PartFrame, tables: MachiningTables) -> MachOp:
    """A configurator op (faces A/B, rectangle extents) as a :class:`MachOp`."""
    w = 0.0 if op.face == "A" else fr.thickness
    purpose: Purpose = {"sink_cutout": "cutout", "hob_cutout": "cutout", "duct_cutout": "cutout",
                        "system32": "shelf_pin"}.get(op.purpose, op.purpose)  # type: ignore[assignment]
    if op.kind == "drill":
        through = op.depth_mm >= fr.thickness - 1e-6
        return MachOp("drill", purpose, op.face, op.u_mm, op.v_mm, w, op.depth_mm, op.diameter_mm,
                      tool=f"D{op.diameter_mm:g}", detail="through" if through else "")
    if op.kind == "groove":
        if op.length_mm >= op.width_mm:
            path = ((op.u_mm, op.v_mm + op.width_mm / 2), (op.u_mm + op.length_mm, op.v_mm + op.width_mm / 2))
            width = op.width_mm
        else:
            path = ((op.u_mm + op.length_mm / 2, op.v_mm), (op.u_mm + op.length_mm / 2, op.v_mm + op.width_mm))
            width = op.length_mm
        return MachOp("groove", purpose, op.face, path[0][0], path[0][1], w, op.depth_mm, width_mm=width,
                      path=path, tool=tables.tools.groove_tool)
    u0, v0, u1, v1 = op.u_mm, op.v_mm, op.u_mm + op.length_mm, op.v_mm + op.width_mm
    return MachOp("cutout", purpose, op.face, u0, v0, w, op.depth_mm,
                  path=((u0, v0), (u1, v0), (u1, v1), (u0, v1)),
                  tool=f"R{tables.tools.router_diameter_mm:g}", detail=op.purpose)


# ------------------------------------------------------------------------------------------------
# joints


def find_joints(panels: Sequence[Panel], frames: dict[str, PartFrame], roles: Iterable[str]) -> list[Joint]:
    """Every butt joint between panels of ``roles``: an edge of one lying on a face of the other."""
    keep = [p for p in panels if p.role in set(roles)]
    out = []
    for p in keep:
        for q in keep:
            if p.id != q.id:
                j = _contact(frames[p.id], frames[q.id], p.id, q.id)
                if j is not None:
                    out.append(j)
    return out


def _contact(fp: PartFrame, fq: PartFrame, pid: str, qid: str) -> Joint | None:
    a = fq.lw
    if fp.lw == a:
        return None
    if abs(fp.hi(a) - fq.lo(a)) < CONTACT_TOL:
        high_on_p, plane, qface = True, fq.lo(a), fq.face_at(a, high=False)
    elif abs(fp.lo(a) - fq.hi(a)) < CONTACT_TOL:
        high_on_p, plane, qface = False, fq.hi(a), fq.face_at(a, high=True)
    else:
        return None
    t_axis = fp.lw
    line = 3 - a - t_axis
    if min(fp.hi(t_axis), fq.hi(t_axis)) - max(fp.lo(t_axis), fq.lo(t_axis)) < fp.thickness - CONTACT_TOL:
        return None  # the edge is not wholly on the face
    start, end = max(fp.lo(line), fq.lo(line)), min(fp.hi(line), fq.hi(line))
    if end - start < 1.0:
        return None
    return Joint(pid, fp.face_at(a, high=high_on_p), qid, qface, a, line, start, end, plane,
                 fp.centre(t_axis))


def joint_positions(length: float, tables: MachiningTables) -> tuple[list[float], list[float]]:
    """(connector, partner) positions along a joint of ``length`` from its start."""
    r = tables.joint_rows
    if length < r.short_joint_mm:
        mid = length / 2
        partner = mid + r.pitch_mm / 2
        return [mid - r.pitch_mm / 2], [partner] if partner <= length - r.pitch_mm / 4 else []
    e, p = r.end_offset_mm, r.pitch_mm
    return [e, length - e], [e + p, length - e - p]


def connector_code(c: _Ctx) -> str:
    """The cabinet's connector: its hardware line (cam or confirmat), else the catalog's default."""
    for code in c.codes("connector"):
        con = c.t.connectors.get(code)
        if con is not None and con.purpose != "dowel":
            return code
    return c.catalog.construction.connector


SHIFTS_MM = (0.0, 16.0, 32.0, 48.0, 64.0)
"""How far a connector position may move towards the joint's middle to clear a hinge plate or handle hole."""


def _connectors(c: _Ctx, j: Joint) -> None:
    code = connector_code(c)
    con = c.t.connectors.get(code)
    if con is None:
        c.out.issues.append(Issue(j.edge_panel, "connector_without_table", (("hardware", code),)))
        return
    partner_code = con.partner
    partner = c.t.connectors.get(partner_code) if partner_code else None
    mains, partners = joint_positions(j.length, c.t)
    rows = [(code, con, s) for s in mains]
    face_role = next(p.role for p in c.panels if p.id == j.face_panel)
    if partner is not None and partner_code is not None and face_role not in c.t.joint_rows.connector_only_roles:
        rows += [(partner_code, partner, s) for s in partners]
    for n, (item, spec, s) in enumerate(rows, 1):
        inward = 1.0 if s <= j.length / 2 else -1.0
        for shift in SHIFTS_MM:
            if _one_connector(c, j, item, spec, j.start + s + inward * shift, f"{j.edge_panel}|{j.face_panel}|{n}",
                              keep_if_clear=shift != SHIFTS_MM[-1]):
                break


def _one_connector(c: _Ctx, j: Joint, code: str, con: Connector, s: float, joint_id: str,
                   keep_if_clear: bool) -> bool:
    """Drill one connector position; with ``keep_if_clear``, only if its holes collide with nothing
    already on either part (else nothing is drilled and False returned)."""
    by_id = {p.id: p for p in c.panels}
    ep, fp = by_id[j.edge_panel], by_id[j.face_panel]
    fe = c.frames[ep.id]
    before = {pid: len(c.out.ops[pid]) for pid in (ep.id, fp.id)}
    pt = [0.0, 0.0, 0.0]
    pt[j.axis], pt[j.line_axis], pt[fe.lw] = j.plane, s, j.mid
    at: Vec = (pt[0], pt[1], pt[2])
    c.drill(fp, j.face, at, con.purpose, con.face_hole.diameter_mm, con.face_hole.depth_mm,
            hardware=code, joint=joint_id, mate=ep.id, detail="face")
    c.drill(ep, j.edge, at, con.purpose, con.edge_hole.diameter_mm, con.edge_hole.depth_mm,
            hardware=code, joint=joint_id, mate=fp.id, detail="edge")
    if con.cam is not None:
        _, sign = fe.inward(j.edge)
        inner_high = fe.centre(fe.lw) < c.centre[fe.lw]
        cam = list(at)
        cam[j.axis] += sign * con.cam.inset_mm
        cam[fe.lw] = fe.hi(fe.lw) if inner_high else fe.lo(fe.lw)
        c.drill(ep, "B" if inner_high else "A", (cam[0], cam[1], cam[2]), "cam", con.cam.diameter_mm,
                con.cam.depth_mm, hardware=code, joint=joint_id, detail="cam_housing")
    if not keep_if_clear:
        return True
    for pid, n in before.items():
        fr = c.frames[pid]
        old = [solid(b, fr) for b in c.out.ops[pid][:n] if not b.optional]
        new = [solid(a, fr) for a in c.out.ops[pid][n:]]
        if any(collide(a, b) for a in new for b in old):
            for q, m in before.items():
                del c.out.ops[q][m:]
            return False
    return True


# ------------------------------------------------------------------------------------------------
# hinges


def hinge_code(c: _Ctx) -> str:
    for code in c.codes("hinge"):
        h = c.t.hinges.get(code)
        if h is not None and h.plate.holes > 0:
            return code
    return c.catalog.construction.default_hinge


def hinge_support(c: _Ctx, door: Panel, cup: Vec) -> tuple[Panel, int] | None:
    """The carcass panel a hinge's plate mounts on, and the hinge axis: the side/top/bottom (or a fixed
    partition of the zone tree, between two doors) whose
    front edge is at the door's back and whose plane is nearest the cup."""
    fd = c.frames[door.id]
    td = fd.lw
    best: tuple[float, Panel, int] | None = None
    for q in c.panels:
        if q.role not in ("side", "top", "bottom", "partition", "filler_support"):
            continue
        fq = c.frames[q.id]
        ta = fq.lw
        if ta == td or abs(fq.hi(td) - fd.lo(td)) > 5.0:
            continue
        r = 3 - ta - td
        if not fq.lo(r) - 1 <= cup[r] <= fq.hi(r) + 1:
            continue
        dist = abs(cup[ta] - fq.centre(ta))
        if dist <= 45.0 and (best is None or dist < best[0]):
            best = (dist, q, r)
    return None if best is None else (best[1], best[2])


def _hinge_plates(c: _Ctx) -> None:
    code = hinge_code(c)
    hinge = c.t.hinges.get(code)
    for door in c.panels:
        cups = [op for op in c.out.ops[door.id] if op.purpose == "hinge_cup"]
        if not cups:
            continue
        if hinge is None:
            c.out.issues.append(Issue(door.id, "hinge_without_table", (("hardware", code),)))
            continue
        fd = c.frames[door.id]
        c.out.ops[door.id] = [_with(op, hardware=code) if op.purpose == "hinge_cup" else op
                              for op in c.out.ops[door.id]]
        for op in cups:
            cup = fd.to_cabinet(op.u_mm, op.v_mm, op.w_mm)
            found = hinge_support(c, door, cup)
            if found is None:
                c.out.issues.append(Issue(door.id, "hinge_plate_no_support", ()))
                continue
            q, r = found
            fq = c.frames[q.id]
            if hinge.envelope.depth_mm > 0:
                c.envelopes.append(hinge_envelope(fd, cup, fq, hinge.envelope))
            pl = hinge.plate
            face = fq.face_at(fq.lw, high=cup[fq.lw] > fq.centre(fq.lw))
            for k in range(pl.holes):
                pt = list(cup)
                pt[fd.lw] = fq.hi(fd.lw) - pl.setback_mm
                pt[r] = cup[r] + (k - (pl.holes - 1) / 2) * pl.pitch_mm
                pt[fq.lw] = fq.hi(fq.lw) if face == "B" else fq.lo(fq.lw)
                c.drill(q, face, (pt[0], pt[1], pt[2]), "hinge_plate", pl.diameter_mm, pl.depth_mm,
                        hardware=code, mate=door.id)


# ------------------------------------------------------------------------------------------------
# shelf pins, slides, legs, hangers


def _facing(c: _Ctx, panel: Panel, roles: tuple[str, ...], gap: float,
            parallel: bool = False) -> list[tuple[Panel, Face]]:
    """Panels of ``roles`` within ``gap`` (mm) of ``panel`` along their thickness axis, with their face
    towards it: facing its edges (``parallel`` false: a shelf between sides) or its faces (a drawer
    side beside a cabinet side)."""
    fp = c.frames[panel.id]
    out = []
    for q in c.panels:
        if q.role not in roles or q.id == panel.id:
            continue
        fq = c.frames[q.id]
        a = fq.lw
        if (a == fp.lw) != parallel:
            continue
        others = [ax for ax in range(3) if ax != a]
        if any(min(fp.hi(ax), fq.hi(ax)) - max(fp.lo(ax), fq.lo(ax)) <= 0 for ax in others):
            continue
        if 0 <= fp.lo(a) - fq.hi(a) <= gap:
            out.append((q, fq.face_at(a, high=True)))
        elif 0 <= fq.lo(a) - fp.hi(a) <= gap:
            out.append((q, fq.face_at(a, high=False)))
    return out


def _fixed_bounds(c: _Ctx, shelf: Panel) -> tuple[float, float]:
    """The top of the fixed panel below an adjustable shelf and the underside of the one above."""
    fs = c.frames[shelf.id]
    z = fs.lw
    lo, hi = 0.0, c.build.height_mm
    for q in c.panels:
        fq = c.frames[q.id]
        if q.role not in HORIZONTAL_ROLES or fq.lw != z:
            continue
        if any(min(fs.hi(ax), fq.hi(ax)) - max(fs.lo(ax), fq.lo(ax)) <= 0 for ax in range(3) if ax != z):
            continue
        if fq.hi(z) <= fs.lo(z) + 1e-6:
            lo = max(lo, fq.hi(z))
        elif fq.lo(z) >= fs.hi(z) - 1e-6:
            hi = min(hi, fq.lo(z))
    return lo, hi


def _shelf_pins(c: _Ctx) -> None:
    code = c.catalog.construction.shelf_pin
    pin = c.t.shelf_pins.get(code)
    for shelf in (p for p in c.panels if p.role == "shelf"):
        if pin is None:
            c.out.issues.append(Issue(shelf.id, "shelf_pin_without_table", (("hardware", code),)))
            continue
        fs = c.frames[shelf.id]
        lo, hi = _fixed_bounds(c, shelf)
        supports = _facing(c, shelf, ("side", "partition"), 5.0)
        if len(supports) < 2:
            c.out.issues.append(Issue(shelf.id, "shelf_pin_support", (("supports", float(len(supports))),)))

        def seat_clear(bottom: float, shelf: Panel = shelf, pin: ShelfPin = pin, code: str = code,
                       supports: list[tuple[Panel, Face]] = supports) -> bool:
            """The seat holes for a shelf underside at ``bottom`` meet nothing already on the supports
            (a hinge plate on a partition's other face)."""
            for q, face in supports:
                fr = c.frames[q.id]
                kept = [solid(o, fr) for o in c.out.ops[q.id] if not o.optional]
                for at in _pin_points(c, shelf, q, face, pin, bottom - pin.below_shelf_mm):
                    u, v, w = fr.to_part(at)
                    hole = MachOp("drill", "shelf_pin", face, u, v, w, depth_mm=pin.depth_mm,
                                  diameter_mm=pin.diameter_mm, hardware=code)
                    if any(collide(solid(hole, fr), k) for k in kept):
                        return False
            return True

        main = _seat(c, fs, lo, hi, pin.pitch_mm, seat_clear) - pin.below_shelf_mm
        heights = [(main, False)]
        for k in range(1, pin.adjust_holes_each_way + 1):
            heights += [(main - k * pin.pitch_mm, True), (main + k * pin.pitch_mm, True)]
        for q, face in supports:
            for zz, optional in sorted(heights):
                if optional and not lo + pin.clear_of_fixed_panels_mm <= zz <= hi - pin.clear_of_fixed_panels_mm:
                    continue
                for at in _pin_points(c, shelf, q, face, pin, zz):
                    c.drill(q, face, at, "shelf_pin", pin.diameter_mm, pin.depth_mm,
                            hardware=code, mate=shelf.id, optional=optional, detail="" if optional else "seat")


def _pin_points(c: _Ctx, shelf: Panel, q: Panel, face: Face, pin: ShelfPin, zz: float) -> list[Vec]:
    """The mouths (cabinet frame) of one height's pin holes for ``shelf`` in support ``q``: a front
    row ``setback_mm`` from the support's front edge and a back row ``setback_mm`` in from the
    shelf's back.  A partition carries shelves on both faces: its B face's rows sit half a pitch
    further in, so that pins at one height on either face never meet inside the board."""
    fs, fq = c.frames[shelf.id], c.frames[q.id]
    z = fs.lw
    d = 3 - fq.lw - z
    stagger = pin.pitch_mm / 2 if q.role == "partition" and face == "B" else 0.0
    out: list[Vec] = []
    for y in (fq.hi(d) - pin.setback_mm - stagger, fs.lo(d) + pin.setback_mm + stagger):
        pt = [0.0, 0.0, 0.0]
        pt[fq.lw] = fq.hi(fq.lw) if face == "B" else fq.lo(fq.lw)
        pt[d], pt[z] = y, zz
        out.append((pt[0], pt[1], pt[2]))
    return out


def _seat(c: _Ctx, fs: PartFrame, lo: float, hi: float, pitch: float,
          clear: Callable[[float], bool] = lambda _bottom: True) -> float:
    """Where an adjustable shelf's underside sits: the configurator's height, else the nearest
    height a whole number of pitches away (within its zone) whose shelf clears every hinge and
    whose seat holes are ``clear``."""
    z = fs.lw
    for k in (0, -1, 1, -2, 2, -3, 3):
        bottom = fs.lo(z) + k * pitch
        if bottom < lo or bottom + fs.thickness > hi:
            continue
        box = [(fs.lo(i), fs.hi(i)) for i in range(3)]
        box[z] = (bottom, bottom + fs.thickness)
        if not any(all(min(e[i][1], box[i][1]) - max(e[i][0], box[i][0]) > 1e-6 for i in range(3))
                   for e in c.envelopes) and clear(bottom):
            return bottom
    return fs.lo(z)


def _slides(c: _Ctx) -> None:
    codes = c.codes("slide") or [c.catalog.construction.default_slide]
    code = codes[0]
    slide = c.t.slides.get(code)
    for ds in (p for p in c.panels if p.role == "drawer_side"):
        if slide is None:
            c.out.issues.append(Issue(ds.id, "slide_without_table", (("hardware", code),)))
            continue
        fd = c.frames[ds.id]
        key = f"{fd.length:g}"
        if key not in slide.cabinet_holes_by_length:
            c.out.issues.append(Issue(ds.id, "slide_length_without_table", (("hardware", code),
                                                                           ("length", fd.length))))
            continue
        z_axis = 3 - fd.lw - fd.lu
        zz = fd.lo(z_axis) + slide.above_box_bottom_mm
        for q, face in _facing(c, ds, ("side",), 30.0, parallel=True):
            fq = c.frames[q.id]
            d = fd.lu
            for pos in slide.cabinet_holes_by_length[key]:
                pt = [0.0, 0.0, 0.0]
                pt[fq.lw] = fq.hi(fq.lw) if face == "B" else fq.lo(fq.lw)
                pt[d], pt[z_axis] = fq.hi(d) - pos, zz
                c.drill(q, face, (pt[0], pt[1], pt[2]), "slide", slide.diameter_mm, slide.depth_mm,
                        hardware=code, mate=ds.id, detail="cabinet")
            ds_face = fd.face_at(fd.lw, high=fq.centre(fq.lw) > fd.centre(fd.lw))
            for pos in slide.drawer_holes_by_length[key]:
                pt = [0.0, 0.0, 0.0]
                pt[fd.lw] = fd.hi(fd.lw) if ds_face == "B" else fd.lo(fd.lw)
                pt[d], pt[z_axis] = fd.hi(d) - pos, zz
                c.drill(ds, ds_face, (pt[0], pt[1], pt[2]), "slide", slide.drawer_diameter_mm,
                        slide.drawer_depth_mm, hardware=code, mate=q.id, detail="drawer")


def leg_points(fb: PartFrame, count: int, x0: float, x1: float, inset_side: float, inset_front: float,
               inset_back: float) -> list[tuple[float, float]]:
    """(x, y) of ``count`` legs under a bottom whose cabinet spans x0..x1: corners first, then
    pairs spread along the width, a single one at the middle."""
    xa, xb = x0 + inset_side, x1 - inset_side
    yb, yf = fb.lo(1) + inset_back, fb.hi(1) - inset_front
    if count == 0:
        return []
    pairs = count // 2
    xs = [(xa + xb) / 2] if pairs == 1 else [xa + (xb - xa) * i / (pairs - 1) for i in range(pairs)]
    pts = [(x, y) for x in xs for y in (yb, yf)] if pairs else []
    if count % 2:
        pts.append(((fb.lo(0) + fb.hi(0)) / 2, (fb.lo(1) + fb.hi(1)) / 2))
    return pts


def _legs(c: _Ctx) -> None:
    lines = [h for h in c.build.hardware if h.category == "leg"]
    bottoms = sorted((p for p in c.panels if p.role == "bottom" and c.frames[p.id].lw == 2),
                     key=lambda p: -p.area_m2)
    if not lines or not bottoms:
        return
    code, count = lines[0].code, sum(h.quantity for h in lines)
    leg = c.t.legs.get(code)
    if leg is None:
        c.out.issues.append(Issue(bottoms[0].id, "leg_without_table", (("hardware", code),)))
        return
    xs = [c.frames[p.id].lo(0) for p in c.panels if p.role == "side"] + [0.0]
    xe = [c.frames[p.id].hi(0) for p in c.panels if p.role == "side"] + [c.build.width_mm]
    shares = [count] if len(bottoms) == 1 else [min(count, 4)] + [0] * (len(bottoms) - 1)
    for i in range(len(bottoms) * 8):
        if sum(shares) >= count:
            break
        shares[1 + i % (len(bottoms) - 1)] += 1
    for bottom, n in zip(bottoms, shares, strict=True):
        fb = c.frames[bottom.id]
        x0, x1 = max(x for x in xs if x <= fb.lo(0) + 1e-6), min(x for x in xe if x >= fb.hi(0) - 1e-6)
        if n and bottom is not bottoms[0]:
            x0, x1 = fb.lo(0), fb.hi(0)
        for x, y in leg_points(fb, n, x0, x1, leg.inset_side_mm, leg.inset_front_mm, leg.inset_back_mm):
            c.drill(bottom, "A", (x, y, fb.lo(2)), "leg", leg.diameter_mm, leg.depth_mm, hardware=code)


def _hangers(c: _Ctx) -> None:
    lines = [h for h in c.build.hardware if h.category == "hanger"]
    if not lines:
        return
    code = lines[0].code
    hanger = c.t.hangers.get(code)
    sides = [p for p in c.panels if p.role == "side" and c.frames[p.id].lw == 0]
    if hanger is None or len(sides) < 2:
        c.out.issues.append(Issue((sides or c.panels)[0].id, "hanger_without_table", (("hardware", code),)))
        return
    for side in sides:
        fs = c.frames[side.id]
        face: Face = "B" if fs.centre(0) < c.centre[0] else "A"
        x = fs.hi(0) if face == "B" else fs.lo(0)
        for dz in hanger.from_top_mm:
            c.drill(side, face, (x, fs.lo(1) + hanger.from_back_mm, fs.hi(2) - dz), "hanger",
                    hanger.diameter_mm, hanger.depth_mm, hardware=code)


# ------------------------------------------------------------------------------------------------


def _inward_extent(fr: PartFrame, face: Face) -> float:
    axis, _ = fr.inward(face)
    return fr.size[axis]


def _with(op: MachOp, **changes: object) -> MachOp:
    return replace(op, **changes)  # type: ignore[arg-type]
