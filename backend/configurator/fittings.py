"""Bought interior fittings drawn in 3D: hanging rails, pull-out trouser racks, wire baskets and the
fences of sloped shoe shelves (pure).

They are hardware (``build.hardware``: the factory buys them, it cuts nothing for them), so they are
never panels: the scene draws them as extra nodes beside the panels, like the handles. Their shapes
are read from the built cabinet's zones (``build.zones``: each leaf's inner rectangle and insert) and
from the carcass boards around them, never from the recipe:

- a **hanging rail** (``hanging_rail``) is an oval tube across the zone between its two boards, its
  centre ``rail_drop_mm`` below the zone's top and halfway through the inner depth, held by an end
  bracket on each side;
- a **pull-out trouser rack** (``trouser_rack``) is a frame near the zone's top (two side runners, a
  front and a back bar) with bars front to back to hang trousers over;
- a **wire basket** (``wire_basket``, ``count`` of them stacked in the zone) is a wire tray: a bottom
  and a top rim, corner posts, bottom wires front to back, on a runner each side; racks and baskets
  slide out when clicked in the 3D view (``motion``, like a drawer);
- each **sloped shoe shelf** turns in the 3D view by ``shoe_shelf_slope_deg`` (its back up, the board
  the factory cuts is the same flat panel) and gets a shoe fence (``shoe_fence``) along its front edge.

All coordinates are mm in the cabinet's *mesh frame* (``x`` along the width, ``−y`` towards the room,
``z`` up; see ``scene``), so a fitting's mesh goes into the cabinet node as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backend.configurator.catalog import Catalog
from backend.configurator.mesh import box_arrays
from backend.configurator.panels import CabinetBuild, Panel
from backend.configurator.uv import box_uvs

FloatArray = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.uint32]
Mesh = tuple[FloatArray, FloatArray, IndexArray, FloatArray, FloatArray]
"""positions (n, 3), normals (n, 3), indices (m,), uvs (n, 2), tangents (n, 4)."""

FITTING_ROLES = ("hanging_rail", "trouser_rack", "wire_basket", "shoe_fence")
"""Scene roles of the fittings (hardware nodes, not panels; the handles' role is ``handle``)."""

RAIL_SECTION_MM = (15.0, 30.0)
"""Oval rail, width (across the depth) × height."""
RAIL_BRACKET_MM = (4.0, 40.0, 50.0)
"""End bracket: thickness against the side, depth, height."""
WIRE_MM = 5.0
BAR_MM = 10.0
"""Diameter of a basket's wires and of a trouser rack's bars."""
RUNNER_MM = (12.0, 35.0)
"""A pull-out's runner: width against the side, height."""
TROUSER_BAR_PITCH_MM = 70.0
BASKET_WIRE_PITCH_MM = 50.0
BASKET_MAX_HEIGHT_MM = 180.0
SEGMENTS = 12
PULL_OUT_TRAVEL = 0.75
"""Share of its depth a trouser rack or a basket slides out on its full-extension runners when clicked."""


@dataclass(frozen=True)
class FittingMesh:
    """One fitting of a cabinet: scene node id (``cab-3/hanging_rail-1``), role, the catalog fitting
    (``wardrobe_rail``) whose look it has, the zone it sits in, and its mesh (mesh frame, mm)."""

    id: str
    role: str
    code: str
    zone: tuple[int, ...]
    mesh: Mesh
    motion: dict[str, object] | None = None
    """How a pull-out slides towards the room when clicked in the 3D view (``motion``'s ``slide``)."""

    @property
    def bounds(self) -> tuple[list[float], list[float]]:
        p = self.mesh[0]
        return p.min(axis=0).tolist(), p.max(axis=0).tolist()


# -- primitives -----------------------------------------------------------------------------------

def cylinder(axis: int, start: float, end: float, centre: tuple[float, float], radii: tuple[float, float],
             tile_mm: float = 200.0, segments: int = SEGMENTS) -> Mesh:
    """A closed (elliptic) cylinder along mesh axis ``axis`` (0, 1, 2) from ``start`` to ``end``, its
    centre and radii given in the two other axes (in increasing axis order). Smooth sides, flat caps;
    u runs along the axis, v around it."""
    a, b = [i for i in range(3) if i != axis]
    theta = np.linspace(0.0, 2 * math.pi, segments + 1)
    ca, cb = np.cos(theta), np.sin(theta)
    ring = np.zeros((segments + 1, 3))
    ring[:, a] = centre[0] + radii[0] * ca
    ring[:, b] = centre[1] + radii[1] * cb
    normal = np.zeros((segments + 1, 3))
    normal[:, a], normal[:, b] = ca / radii[0], cb / radii[1]
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    lo, hi = ring.copy(), ring.copy()
    lo[:, axis], hi[:, axis] = start, end
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(ring, axis=0), axis=1))])
    positions = [lo, hi]
    normals = [normal, normal]
    uvs = [np.column_stack([np.full(segments + 1, start), arc]), np.column_stack([np.full(segments + 1, end), arc])]
    along = np.eye(3)[axis]
    dv = np.zeros((segments + 1, 3))
    dv[:, a], dv[:, b] = -radii[0] * cb, radii[1] * ca
    tangent_w = [np.sign(np.einsum("ij,ij->i", np.cross(normal, along), dv))] * 2
    n = segments + 1
    side = np.array([[i, n + i, n + i + 1, i, n + i + 1, i + 1] for i in range(segments)])
    first = np.vstack([lo, hi])[side[0, :3]]
    if np.dot(np.cross(first[1] - first[0], first[2] - first[0]), normal[0]) < 0:  # outward, counter-clockwise
        side = side.reshape(-1, 3)[:, ::-1]
    idx = [side.reshape(-1)]
    base = 2 * n
    for end_z, sign in ((start, -1.0), (end, 1.0)):
        cap = ring.copy()
        cap[:, axis] = end_z
        centre_pt = np.zeros(3)
        centre_pt[a], centre_pt[b], centre_pt[axis] = centre[0], centre[1], end_z
        pts = np.vstack([centre_pt, cap])
        cap_normal = np.zeros(3)
        cap_normal[axis] = sign
        positions.append(pts)
        normals.append(np.tile(cap_normal, (n + 1, 1)))
        uvs.append(np.column_stack([pts[:, a], pts[:, b]]))
        cap_dv = np.tile(np.eye(3)[b], (n + 1, 1))
        t = np.eye(3)[a]
        tangent_w.append(np.sign(np.einsum("ij,ij->i", np.cross(np.tile(cap_normal, (n + 1, 1)), t), cap_dv)))
        tris = np.array([[0, i + 1, i + 2] for i in range(segments)])
        # counter-clockwise seen from outside (along the cap's normal)
        e1 = pts[tris[0, 1]] - pts[0]
        e2 = pts[tris[0, 2]] - pts[0]
        if np.dot(np.cross(e1, e2), cap_normal) < 0:
            tris = tris[:, ::-1]
        idx.append((tris + base).reshape(-1))
        base += n + 1
    pos = np.vstack(positions)
    tangents = np.zeros((len(pos), 4))
    tangents[:2 * n, :3] = along
    tangents[2 * n:, :3] = np.eye(3)[a]
    tangents[:, 3] = np.where(np.concatenate(tangent_w) < 0, -1.0, 1.0)
    return (pos.astype(np.float32), np.vstack(normals).astype(np.float32),
            np.concatenate(idx).astype(np.uint32), (np.vstack(uvs) / tile_mm).astype(np.float32),
            tangents.astype(np.float32))


def boxes(lo: npt.ArrayLike, hi: npt.ArrayLike, tile_mm: float = 200.0) -> Mesh:
    """Axis-aligned boxes from (n, 3) min and max corners (mesh frame, mm)."""
    lo_a = np.asarray(lo, dtype=np.float64).reshape(-1, 3)
    hi_a = np.asarray(hi, dtype=np.float64).reshape(-1, 3)
    positions, normals, indices = box_arrays(lo_a, hi_a - lo_a)
    uvs, tangents = box_uvs(positions, None, tile_mm)
    return positions, normals, indices, uvs, tangents


def merge(*meshes: Mesh) -> Mesh:
    """One mesh from several (indices renumbered)."""
    offsets = np.cumsum([0] + [len(m[0]) for m in meshes[:-1]])
    return (np.vstack([m[0] for m in meshes]), np.vstack([m[1] for m in meshes]),
            np.concatenate([m[2] + np.uint32(o) for m, o in zip(meshes, offsets, strict=True)]).astype(np.uint32),
            np.vstack([m[3] for m in meshes]), np.vstack([m[4] for m in meshes]))


def _bar(axis: int, start: float, end: float, centre: tuple[float, float], d: float) -> Mesh:
    return cylinder(axis, start, end, centre, (d / 2, d / 2), segments=8)


# -- the fittings -----------------------------------------------------------------------------------

def _depth(build: CabinetBuild) -> tuple[float, float]:
    """The inner depth in the mesh frame: (front, back) y (front is the more negative)."""
    sides = [p for p in build.panels if p.role == "side"]
    backs = [p for p in build.panels if p.role == "back"]
    front = max((p.box.max[1] for p in sides), default=build.depth_mm)
    back = max((p.box.max[1] for p in backs), default=0.0)
    return -front, -back


def hanging_rail(x0: float, x1: float, z: float, y: float) -> Mesh:
    """An oval rail from x0 to x1 (the inner faces of the boards it spans), centre at (y, z), with an
    end bracket against each board."""
    bt, bd, bh = RAIL_BRACKET_MM
    rw, rh = RAIL_SECTION_MM
    tube = cylinder(0, x0 + bt, x1 - bt, (y, z), (rw / 2, rh / 2))
    brackets = boxes([[x0, y - bd / 2, z - bh / 2 - 5], [x1 - bt, y - bd / 2, z - bh / 2 - 5]],
                     [[x0 + bt, y + bd / 2, z + bh / 2 - 5], [x1, y + bd / 2, z + bh / 2 - 5]])
    return merge(tube, brackets)


def trouser_rack(x0: float, x1: float, top: float, front: float, back: float) -> Mesh:
    """A pull-out frame whose top is at ``top``: runners on both sides, a front and a back bar, and
    bars from front to back every ``TROUSER_BAR_PITCH_MM``."""
    rw, rh = RUNNER_MM
    f, b = front + 10, back - 10
    runners = boxes([[x0, f, top - rh], [x1 - rw, f, top - rh]], [[x0 + rw, b, top], [x1, b, top]])
    zc = top - rh / 2
    parts = [runners, _bar(0, x0 + rw, x1 - rw, (f + BAR_MM / 2, zc), BAR_MM),
             _bar(0, x0 + rw, x1 - rw, (b - BAR_MM / 2, zc), BAR_MM)]
    inner = x1 - x0 - 2 * rw
    n = max(1, int(inner // TROUSER_BAR_PITCH_MM))
    for i in range(1, n + 1):
        x = x0 + rw + inner * i / (n + 1)
        parts.append(_bar(1, f + BAR_MM, b - BAR_MM, (x, zc), BAR_MM * 0.8))
    return merge(*parts)


def wire_basket(x0: float, x1: float, z0: float, height: float, front: float, back: float) -> Mesh:
    """A wire tray standing on ``z0``: bottom and top rims, four posts, bottom wires front to back and a
    runner on each side under its top rim."""
    rw, rh = RUNNER_MM
    w = WIRE_MM
    bx0, bx1, f, b = x0 + rw, x1 - rw, front + 10, back - 10
    z1 = z0 + height
    lo, hi = [], []
    for z in (z0, z1 - w):  # the two rims: front, back, left, right wires
        lo += [[bx0, f, z], [bx0, b - w, z], [bx0, f, z], [bx1 - w, f, z]]
        hi += [[bx1, f + w, z + w], [bx1, b, z + w], [bx0 + w, b, z + w], [bx1, b, z + w]]
    for x, y in ((bx0, f), (bx1 - w, f), (bx0, b - w), (bx1 - w, b - w)):  # posts
        lo.append([x, y, z0])
        hi.append([x + w, y + w, z1])
    n = max(1, int((bx1 - bx0) // BASKET_WIRE_PITCH_MM))
    for i in range(1, n + 1):  # bottom wires
        x = bx0 + (bx1 - bx0) * i / (n + 1) - w / 2
        lo.append([x, f, z0])
        hi.append([x + w, b, z0 + w])
    lo += [[x0, f, z1 - rh], [x1 - rw, f, z1 - rh]]  # runners
    hi += [[x0 + rw, b, z1], [x1, b, z1]]
    return boxes(lo, hi)


def shoe_tilt(angle_deg: float) -> npt.NDArray[np.float64]:
    """Rotation (3×3, mesh frame) about x that raises the back (the +y side) of a shoe shelf."""
    a = math.radians(angle_deg)
    return np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])


def mesh_box(panel: Panel) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """A panel's box as (min, max) corners in the mesh frame."""
    o, s = np.array(panel.box.origin, dtype=np.float64), np.array(panel.box.size, dtype=np.float64)
    lo = np.array([o[0], -(o[1] + s[1]), o[2]])
    return lo, lo + s


def turn(mesh: Mesh, r: npt.NDArray[np.float64], centre: npt.NDArray[np.float64]) -> Mesh:
    """A mesh rotated by ``r`` about ``centre`` (UVs kept: a texture stays where it was on the part)."""
    positions, normals, indices, uvs, tangents = mesh
    p = (positions.astype(np.float64) - centre) @ r.T + centre
    t = tangents.astype(np.float64).copy()
    t[:, :3] = t[:, :3] @ r.T
    return (p.astype(np.float32), (normals.astype(np.float64) @ r.T).astype(np.float32), indices, uvs,
            t.astype(np.float32))


def shoe_slopes(build: CabinetBuild, catalog: Catalog) -> dict[str, float]:
    """Each shoe shelf's tilt in the 3D view (degrees, by panel id): the catalog's slope, less where the
    shelves stand so close to the zone's boards that the turned board would reach them."""
    k = catalog.construction
    out: dict[str, float] = {}
    shelves = [p for p in build.panels if p.role == "shoe_shelf"]
    for z in build.zones:
        if z.insert != "shoe_shelves" or z.count < 1:
            continue
        x0, x1, lo, hi = z.inner
        pitch = (hi - lo) / (z.count + 1)
        for p in shelves:
            cx, cz = p.box.origin[0] + p.box.size[0] / 2, p.box.origin[2] + p.box.size[2] / 2
            if not (x0 <= cx <= x1 and lo <= cz <= hi):
                continue
            half = p.box.size[1] / 2
            room = pitch - p.box.size[2] / 2 - 2.0  # clear height from its middle to the board above the zone
            most = math.degrees(math.asin(min(1.0, max(0.0, room) / half))) if half > 0 else 0.0
            out[p.id] = min(k.shoe_shelf_slope_deg, most)
    return out


def shoe_fence(panel: Panel, angle_deg: float) -> Mesh:
    """A fence bar 30 mm above the front edge of a shoe shelf on two posts, turned with the shelf."""
    lo, hi = mesh_box(panel)
    y = lo[1] + BAR_MM
    xa, xb = lo[0] + 10, hi[0] - 10
    bar = _bar(0, xa, xb, (y, hi[2] + 30.0), BAR_MM * 0.8)
    posts = boxes([[xa, y - WIRE_MM / 2, hi[2]], [xb - WIRE_MM, y - WIRE_MM / 2, hi[2]]],
                  [[xa + WIRE_MM, y + WIRE_MM / 2, hi[2] + 30.0], [xb, y + WIRE_MM / 2, hi[2] + 30.0]])
    return turn(merge(bar, posts), shoe_tilt(angle_deg), (lo + hi) / 2)


def fittings(build: CabinetBuild, catalog: Catalog, slopes: dict[str, float] | None = None) -> list[FittingMesh]:
    """The cabinet's bought fittings as meshes (mesh frame), numbered per role in zone order."""
    k = catalog.construction
    front, back = _depth(build)
    out: list[FittingMesh] = []
    counts: dict[str, int] = {}

    travel = round((back - front - 20) * PULL_OUT_TRAVEL, 1)

    def add(role: str, code: str, zone: tuple[int, ...], mesh: Mesh, pulls_out: bool = False) -> None:
        counts[role] = counts.get(role, 0) + 1
        fid = f"{build.cabinet_id}/{role}-{counts[role]}"
        motion: dict[str, object] | None = {"front": fid, "kind": "slide", "offset": [0.0, -travel, 0.0]} \
            if pulls_out else None
        out.append(FittingMesh(fid, role, code, zone, mesh, motion))

    for z in build.zones:
        x0, x1, lo, hi = z.inner
        if z.insert == "rail":
            add("hanging_rail", k.hanging_rail, z.path, hanging_rail(x0, x1, hi - k.rail_drop_mm, (front + back) / 2))
        elif z.insert == "trouser_rack":
            add("trouser_rack", k.trouser_rack, z.path, trouser_rack(x0, x1, hi - k.rail_drop_mm + RUNNER_MM[1] / 2,
                                                                     front, back), pulls_out=True)
        elif z.insert == "basket" and z.count > 0:
            slot = (hi - lo) / z.count
            height = min(BASKET_MAX_HEIGHT_MM, max(slot - 40.0, slot / 2))
            for i in range(z.count):
                add("wire_basket", k.wire_basket, z.path, wire_basket(
                    x0, x1, lo + i * slot + min(20.0, (slot - height) / 2), height, front, back), pulls_out=True)
    slopes = shoe_slopes(build, catalog) if slopes is None else slopes
    for p in build.panels:
        if p.role == "shoe_shelf":
            add("shoe_fence", k.shoe_bracket, (), shoe_fence(p, slopes.get(p.id, 0.0)))
    return out
