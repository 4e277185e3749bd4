"""The 3D scene of a design as binary glTF (GLB).

Geometry is built in a right-handed, Z-up *world* frame in millimetres: ``X = plan x``,
``Y = −plan y`` (the plan's y points down the screen), ``Z`` up from the floor.  The one conversion
to glTF's metres and Y-up is :func:`zup_to_gltf`, applied once as the root node's matrix.

Nodes: ``design`` (root) → walls (``wall-…``), floors (``room-…``), items (``item-…``) and one node
per cabinet named with its id (``cab-…``, ``extras.id``), whose children are its panels named
with their panel ids (``cab-3/side-l``, ``extras.role``) and its handles (``cab-3/handle-1``,
``extras.role = "handle"``; hardware, not panels) and its bought interior fittings (``cab-3/hanging_rail-1``,
``trouser_rack``, ``wire_basket``, ``shoe_fence``; ``extras.hardware`` names the catalog fitting; also not
panels, see ``fittings``); shoe shelves are drawn turned to their brackets' slope.

Incremental: each cabinet, each wall (with its openings) and each floor is written once as a glTF
:class:`~backend.configurator.gltf.Fragment` and spliced into the scene (:class:`GeometryCache`, keyed by
a content hash of what it depends on: a cabinet's parameters, the design's material defaults and the
catalog version, not its placement, which is the cabinet node's matrix).  Moving a cabinet or editing
another one rewrites nothing of it; after one edit only the edited object is built and written again,
and the scene is byte for byte the one a cold build gives (tests/configurator/test_scene.py).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import numpy.typing as npt
import shapely

from backend.configurator.catalog import Catalog
from backend.configurator.construction import cached_build_cabinet
from backend.configurator.fittings import FittingMesh, fittings, shoe_slopes, shoe_tilt, turn
from backend.configurator.gltf import Fragment, GltfWriter, TextureMode
from backend.configurator.looks import Looks, load_looks
from backend.configurator.mesh import box_arrays, cut_boxes, handle_boxes
from backend.configurator.motion import front_motions
from backend.configurator.placement import Frame, frame_of
from backend.configurator.uv import UvFrame, box_uvs, planar_uvs
from backend.design.corners import Fill, corner_fills
from backend.design.model import Design, DesignSettings, Door, PlacedCabinet, Room, Wall, Window
from backend.errors import InvalidInput

WALL_COLOUR = "#e9e6df"
FLOOR_COLOUR = "#cbb89d"
ITEM_COLOUR = "#d8d8d8"
FRAME_COLOUR = "#f7f5f0"
GLASS_COLOUR = "#bcd7e6"
FRAME_MM = 50.0
"""Width of door and window frames (casing) drawn around openings, and how far they stand proud."""
ERROR_COLOUR = "#e0473e"
_UNIT_BOX = box_arrays([[0.0, 0.0, 0.0]], [[1.0, 1.0, 1.0]])[1:]
"""Normals and indices of one box in the layout of ``mesh.box_arrays`` (any box has these)."""


def zup_to_gltf() -> list[float]:
    """The only Z-up → glTF conversion: world (X, Y, Z) in mm → glTF (X, Z, −Y) in metres.

    Returned as a column-major 4×4 matrix, as glTF's ``node.matrix`` expects.
    """
    m = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, -1, 0, 0], [0, 0, 0, 1]], dtype=np.float64)
    m[:3, :3] *= 0.001
    return [float(v) for v in m.T.reshape(-1)]


def frame_matrix(frame: Frame) -> list[float]:
    """Cabinet mesh frame → world (column-major 4×4).

    A cabinet's meshes are stored in its *mesh frame* ``(x, −y, z)`` of the cabinet frame (the
    cabinet frame with y from the back is left-handed; the mesh frame is right-handed), so the
    placement is a proper rotation plus a translation.
    """
    ax, ay = frame.ax, frame.ay
    ox, oy = frame.origin
    return [float(ax[0]), float(-ax[1]), 0.0, 0.0, float(-ay[0]), float(ay[1]), 0.0, 0.0, 0.0, 0.0, 1.0, 0.0,
            float(ox), float(-oy), float(frame.elevation_mm), 1.0]


@dataclass(frozen=True)
class CabinetGeometry:
    """A cabinet's panels as boxes in its mesh frame (mm): positions (n, 24, 3) and per-panel bounds."""

    panel_ids: tuple[str, ...]
    roles: tuple[str, ...]
    materials: tuple[str, ...]
    positions: npt.NDArray[np.float32]
    mins: list[list[float]]
    maxs: list[list[float]]
    error: str | None = None
    pieces: dict[int, tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.uint32]]] = field(
        default_factory=dict)
    """Panels drawn as several boxes (a worktop around its sink and hob cut-outs): index → mesh arrays."""
    grain_axes: tuple[int | None, ...] = ()
    """Per part, the mesh-frame axis the texture's u (the wood grain) follows: the panel's length axis."""
    motions: dict[int, dict[str, object]] = field(default_factory=dict)
    """Parts that move when the cabinet is opened (doors, drawers and their handles): index → motion."""
    tilts: dict[int, float] = field(default_factory=dict)
    """Panels drawn turned about their centre line along x (sloped shoe shelves): index → degrees."""
    fittings: tuple[FittingMesh, ...] = ()
    """Bought fittings drawn in 3D (hanging rails, trouser racks, wire baskets, shoe fences): hardware."""


class GeometryCache:
    """What the scene builder derives per object, by content (LRU, bounded): each cabinet's geometry
    (``get``; ``hits`` and ``misses`` count these) and the written glTF *fragments* of cabinets, walls
    with their openings and floors (``fragment``; ``fragment_hits`` and ``fragment_misses``).

    A fragment's key is a content hash of everything its nodes depend on (for a cabinet: its
    parameters, the design's material defaults and the catalog version, not its placement, which is
    the node's matrix; for a wall: the wall and its openings; for a floor: the room) plus the looks and
    whether materials carry textures; so after one edit only the edited object is written again, and the
    scene is the same, byte for byte, as one built cold.
    """

    def __init__(self, size: int = 4096, fragment_size: int = 1024) -> None:
        self.size = size
        self.fragment_size = fragment_size
        self._items: OrderedDict[str, CabinetGeometry] = OrderedDict()
        self._fragments: OrderedDict[tuple[str, int, bool], tuple[Fragment, Looks | None]] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self.fragment_hits = 0
        self.fragment_misses = 0
        self._lock = threading.Lock()  # one cache may serve scenes built in several threads

    def get(self, cab: PlacedCabinet, catalog: Catalog, settings: DesignSettings,
            key: str | None = None) -> CabinetGeometry:
        key = key if key is not None else cabinet_key(cab, catalog, settings)
        with self._lock:
            geo = self._items.get(key)
            if geo is not None:
                self.hits += 1
                self._items.move_to_end(key)
                return geo
            self.misses += 1
        geo = cabinet_geometry(cab, catalog, settings)
        with self._lock:
            self._items[key] = geo
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return geo

    def fragment(self, key: str, w: GltfWriter, write: Callable[[GltfWriter], list[int]]) -> Fragment:
        """The fragment ``write`` makes (writing into a fresh writer with ``w``'s looks), by ``key``.

        The key holds the looks by identity; the entry keeps the looks alive, so the identity cannot
        be reused while the entry is cached."""
        full = (key, id(w.looks), w.texture_mode != "none")
        with self._lock:
            found = self._fragments.get(full)
            if found is not None:
                self.fragment_hits += 1
                self._fragments.move_to_end(full)
                return found[0]
            self.fragment_misses += 1
        sub = GltfWriter(w.looks, "none" if w.texture_mode == "none" else "uri")
        frag = sub.fragment(write(sub))
        with self._lock:
            self._fragments[full] = (frag, w.looks)
            if len(self._fragments) > self.fragment_size:
                self._fragments.popitem(last=False)
        return frag

    def cached_fragment(self, key: str, looks: Looks | None, textured: bool = True) -> Fragment | None:
        """The cached fragment of ``key`` (None if there is none), without touching the counts."""
        found = self._fragments.get((key, id(looks), textured))
        return found[0] if found is not None else None


DEFAULT_CACHE = GeometryCache()


def cabinet_key(cab: PlacedCabinet, catalog: Catalog, settings: DesignSettings) -> str:
    """Content hash of everything a cabinet's panels depend on (not its placement in the plan)."""
    data = cab.model_dump_json(exclude={"placement"})  # the elevation chooses the legs
    defaults = json.dumps([settings.carcass_material, settings.front_material, settings.countertop_material,
                           settings.handle, catalog.version])
    return hashlib.sha256(f"{data}\n{defaults}".encode()).hexdigest()


def wall_key(wall: Wall) -> str:
    """Content hash of a wall with its openings (what its node and its openings' nodes depend on)."""
    return "wall:" + hashlib.sha256(wall.model_dump_json().encode()).hexdigest()


def room_key(room: Room) -> str:
    """Content hash of a room (its floor)."""
    return "room:" + hashlib.sha256(room.model_dump_json().encode()).hexdigest()


def cabinet_geometry(cab: PlacedCabinet, catalog: Catalog, settings: DesignSettings) -> CabinetGeometry:
    try:
        build = cached_build_cabinet(cab, catalog, settings)
    except InvalidInput as err:  # drawn as a red outline box so the editor can show the problem
        origins, sizes = [[0.0, -cab.depth_mm, 0.0]], [[cab.width_mm, cab.depth_mm, cab.height_mm]]
        positions, _, _ = box_arrays(origins, sizes)
        return CabinetGeometry((f"{cab.id}/invalid",), ("invalid",), ("",), positions.reshape(1, 24, 3),
                               [origins[0]], [[cab.width_mm, 0.0, cab.height_mm]], str(err))
    handle = catalog.handles.get(cab.handle or settings.handle)
    handles = handle_boxes(build, handle) if handle is not None else []
    boxes = [p.box for p in build.panels] + handles
    o = np.array([b.origin for b in boxes], dtype=np.float64)
    s = np.array([b.size for b in boxes], dtype=np.float64)
    mesh_o = np.column_stack([o[:, 0], -(o[:, 1] + s[:, 1]), o[:, 2]])  # cabinet frame → mesh frame
    positions, _, _ = box_arrays(mesh_o, s)
    lo, hi = mesh_o, mesh_o + s
    ids = [p.id for p in build.panels] + [f"{cab.id}/handle-{n}" for n in range(1, len(handles) + 1)]
    roles = [p.role for p in build.panels] + ["handle"] * len(handles)
    materials = [p.material for p in build.panels] + [f"handle:{handle.code}" if handle else ""] * len(handles)
    axes = {"x": 0, "y": 1, "z": 2}
    grain: list[int | None] = [axes[p.length_axis] for p in build.panels]
    grain += [int(np.argmax(h.size)) for h in handles]
    pieces = {}
    for i, panel in enumerate(build.panels):
        parts = cut_boxes(panel)
        if len(parts) > 1:
            po = np.array([o for o, _ in parts], dtype=np.float64)
            ps = np.array([sz for _, sz in parts], dtype=np.float64)
            pieces[i] = box_arrays(np.column_stack([po[:, 0], -(po[:, 1] + ps[:, 1]), po[:, 2]]), ps)
    slopes = shoe_slopes(build, catalog)
    tilts = {i: slopes[p.id] for i, p in enumerate(build.panels) if slopes.get(p.id)}
    return CabinetGeometry(tuple(ids), tuple(roles), tuple(materials), positions.reshape(-1, 24, 3),
                           lo.astype(np.float32).tolist(), hi.astype(np.float32).tolist(), pieces=pieces,
                           grain_axes=tuple(grain), motions=dict(front_motions(build.panels, handles)),
                           tilts=tilts, fittings=tuple(fittings(build, catalog, slopes)))


# ------------------------------------------------------------------------------------------------
# room shell


def _oriented_boxes(origin: tuple[float, float], u: tuple[float, float], pieces: list[tuple[float, ...]],
                    tile_mm: float = 1000.0
                    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.uint32], UvFrame]:
    """Boxes in a frame (origin, u along, v = u turned +90°, z up) of the world; pieces are
    (a0, b0, z0, a1, b1, z1). Returns positions, normals, indices and UVs (u along the frame)."""
    p = np.asarray(pieces, dtype=np.float64)
    positions, normals, indices = box_arrays(p[:, :3], p[:, 3:] - p[:, :3])
    uvs, tangents = box_uvs(positions, 0, tile_mm)
    r = np.array([[u[0], -u[1], 0], [u[1], u[0], 0], [0, 0, 1]], dtype=np.float64)
    world = positions.astype(np.float64) @ r.T + np.array([origin[0], origin[1], 0])
    tangents[:, :3] = (tangents[:, :3].astype(np.float64) @ r.T).astype(np.float32)
    return (world.astype(np.float32), (normals.astype(np.float64) @ r.T).astype(np.float32), indices,
            (uvs, tangents))


def wall_pieces(wall: Wall, fills: Sequence[Fill] = ()) -> list[tuple[float, ...]]:
    """The solid parts of a wall (along, across, z boxes) around its door and window openings, and the
    outer corners it closes (``fills``, from :func:`backend.design.corners.corner_fills`), full height."""
    length, half, height = wall.length_mm, wall.thickness_mm / 2, wall.height_mm
    pieces: list[tuple[float, ...]] = []
    (ux, uy), sx, sy = wall.direction, wall.start.x, wall.start.y
    for fill in fills:  # the frame's across axis is (uy, -ux) in plan coordinates (see _oriented_boxes)
        along = [(x - sx) * ux + (y - sy) * uy for x, y in fill]
        across = [(x - sx) * uy - (y - sy) * ux for x, y in fill]
        pieces.append((min(along), min(across), 0, max(along), max(across), height))
    cursor = 0.0
    for op in sorted(wall.openings, key=lambda o: o.offset_mm):
        a, b = op.offset_mm, op.offset_mm + op.width_mm
        if a > cursor:
            pieces.append((cursor, -half, 0, a, half, height))
        bottom = 0.0 if isinstance(op, Door) else op.sill_mm
        top = min(bottom + op.height_mm, height)
        if bottom > 0:
            pieces.append((a, -half, 0, b, half, bottom))
        if top < height:
            pieces.append((a, -half, top, b, half, height))
        cursor = max(cursor, b)
    if cursor < length:
        pieces.append((cursor, -half, 0, length, half, height))
    return pieces


def opening_pieces(wall: Wall, opening: Door | Window) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
    # (kept within 8 mm of the wall faces, so the room's outline stays the walls' outline)
    """A simple frame (jambs, head, and a sill for windows) and, for windows, a glass pane: boxes in the
    wall's (along, across, z) frame, like :func:`wall_pieces`."""
    a, b = opening.offset_mm, opening.offset_mm + opening.width_mm
    half = wall.thickness_mm / 2 + 4  # a casing stands 4 mm proud of both faces
    bottom = 0.0 if isinstance(opening, Door) else opening.sill_mm
    top = min(bottom + opening.height_mm, wall.height_mm)
    f = min(FRAME_MM, opening.width_mm / 4)
    frame: list[tuple[float, ...]] = [(a, -half, bottom, a + f, half, top), (b - f, -half, bottom, b, half, top),
                                      (a, -half, max(top - f, bottom), b, half, top)]
    glass: list[tuple[float, ...]] = []
    if isinstance(opening, Window):
        frame.append((a, -half - 4, bottom, b, half + 4, bottom + min(f, 30)))  # the sill
        glass.append((a + f, -4, bottom + f, b - f, 4, max(top - f, bottom + f + 1)))
    return frame, glass


def _room_material(w: GltfWriter, name: str) -> tuple[int, float]:
    """A room finish's material and its texture tile (mm)."""
    assert w.looks is not None
    look = w.looks.room(name)
    return w.look_material(f"room:{name}", look), look.tile_mm


def _opening_node(w: GltfWriter, wall: Wall, opening: Door | Window) -> int:
    u = wall.direction
    origin, along = (wall.start.x, -wall.start.y), (u[0], -u[1])
    frame, glass = opening_pieces(wall, opening)
    frame_mat, frame_tile = _room_material(w, "frame")
    children = [w.node(f"{opening.id}/frame", w.mesh(f"{opening.id}/frame", *_mesh_args(
        _oriented_boxes(origin, along, frame, frame_tile), frame_mat)))]
    if glass:
        glass_mat, glass_tile = _room_material(w, "glass")
        children.append(w.node(f"{opening.id}/glass", w.mesh(f"{opening.id}/glass", *_mesh_args(
            _oriented_boxes(origin, along, glass, glass_tile), glass_mat)), extras={"role": "glass"}))
    return w.node(opening.id, children=children, extras={"id": opening.id, "kind": opening.kind})


def _mesh_args(arrays: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.uint32], UvFrame],
               material: int
               ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.uint32], int, UvFrame]:
    positions, normals, indices, uvs = arrays
    return positions, normals, indices, material, uvs


def _wall_mesh(w: GltfWriter, wall: Wall, fills: Sequence[Fill]) -> int:
    material, tile = _room_material(w, "wall")
    u = wall.direction
    arrays = _oriented_boxes((wall.start.x, -wall.start.y), (u[0], -u[1]), wall_pieces(wall, fills), tile)
    return w.mesh(wall.id, *_mesh_args(arrays, material))


def _floor_mesh(w: GltfWriter, room: Room) -> int | None:
    assert w.looks is not None
    look = w.looks.floor(room.type)
    material = w.look_material(f"room:{look.name}", look)
    tris = shapely.get_parts(shapely.constrained_delaunay_triangles(room.shape()))
    if len(tris) == 0:
        return None
    coords = np.array([np.asarray(t.exterior.coords)[:3] for t in tris], dtype=np.float64)  # (n, 3, 2)
    world = np.concatenate([coords[..., :1], -coords[..., 1:2], np.zeros_like(coords[..., :1])], axis=-1)
    e1, e2 = world[:, 1] - world[:, 0], world[:, 2] - world[:, 0]
    flip = (e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]) < 0
    world[flip] = world[flip][:, ::-1]
    positions = world.reshape(-1, 3).astype(np.float32)
    normals = np.tile(np.array([[0, 0, 1]], dtype=np.float32), (len(positions), 1))
    return w.mesh(room.id, positions, normals, np.arange(len(positions), dtype=np.uint32), material,
                  planar_uvs(positions, look.tile_mm))


# ------------------------------------------------------------------------------------------------
# the scene


def build_scene_glb(design: Design, catalog: Catalog, cache: GeometryCache | None = None, *,
                    looks: Looks | None = None, textures: TextureMode = "uri") -> bytes:
    """The design's 3D scene as GLB bytes (metres, Y-up), one node per cabinet named with its id.

    Materials are the finishes' PBR looks (``looks``, default the catalog's); ``textures`` says
    whether their images are referenced under ``/static/textures/`` (``uri``, for the browser),
    embedded in the file (``embed``: self-contained, for downloads and the renderer) or left out.
    """
    cache = cache if cache is not None else DEFAULT_CACHE
    w = GltfWriter(looks if looks is not None else load_looks(catalog), textures)
    walls = {wall.id: wall for wall in design.plan.walls}
    corners = corner_fills(design.plan.walls)
    children: list[int] = []
    for wall in design.plan.walls:
        fills = corners.get(wall.id, [])
        key = wall_key(wall) + (":" + hashlib.sha256(repr(fills).encode()).hexdigest() if fills else "")
        children += w.splice(cache.fragment(key, w, partial(_wall_nodes, wall=wall, fills=fills)))
    for room in design.plan.rooms:
        children += w.splice(cache.fragment(room_key(room), w, partial(_room_nodes, room=room)))
    for cab in design.cabinets:
        key = cabinet_key(cab, catalog, design.settings)
        geometry = partial(cache.get, cab, catalog, design.settings, key)  # built only if the fragment is not cached
        frag = cache.fragment(key, w, partial(_cabinet_nodes, cab=cab, geometry=geometry))
        frame = frame_of(cab.placement, cab.width_mm, cab.elevation_mm, walls)
        children += w.splice(frag, frame_matrix(frame))
    for item in design.items:
        item_mat, tile = _room_material(w, "appliance")
        frame = frame_of(item.placement, item.width_mm, item.elevation_mm, walls)
        positions, _, _ = box_arrays([[0, -item.depth_mm, 0]], [[item.width_mm, item.depth_mm, item.height_mm]])
        mesh = w.box_mesh(item.id, positions, item_mat, uvs=box_uvs(positions, None, tile))
        children.append(w.node(item.id, mesh, frame_matrix(frame), extras={"id": item.id, "kind": item.kind}))
    root = w.node("design", matrix=zup_to_gltf(), children=children)
    return w.glb([root], extras={"name": design.name, "catalog": catalog.version,
                                 "ceiling_height_mm": design.settings.ceiling_height_mm})


def _part_look(w: GltfWriter, code: str, error: bool) -> tuple[int, float]:
    """The material of a cabinet part (a board's material code or ``handle:CODE``) and its tile."""
    assert w.looks is not None
    if error:
        return _room_material(w, "invalid")
    if code.startswith("handle:"):
        look = w.looks.handle(code.removeprefix("handle:"))
        return w.look_material(code, look), look.tile_mm
    look = w.looks.material(code)
    return w.look_material(f"material:{code}", look), look.tile_mm


def _wall_nodes(w: GltfWriter, wall: Wall, fills: Sequence[Fill] = ()) -> list[int]:
    """A wall's node (with the outer corners it closes) and its openings' nodes (frames and glass)."""
    nodes = [w.node(wall.id, _wall_mesh(w, wall, fills), extras={"id": wall.id, "kind": "wall"})]
    return nodes + [_opening_node(w, wall, opening) for opening in wall.openings]


def _room_nodes(w: GltfWriter, room: Room) -> list[int]:
    """A room's floor node (none for a room too thin to triangulate)."""
    mesh = _floor_mesh(w, room)
    if mesh is None:
        return []
    return [w.node(room.id, mesh, extras={"id": room.id, "kind": "room", "name": room.name, "type": room.type})]


def _box_uvs(geo: CabinetGeometry, tiles: list[float]) -> dict[int, UvFrame]:
    """The UVs of the parts drawn as one box (not cut or tilted), worked out for all parts of one grain
    axis and texture tile at once (``box_uvs`` treats each box on its own when the axis is given);
    ``tiles`` are the parts' texture tiles (mm)."""
    groups: dict[tuple[int | None, float], list[int]] = {}
    for i in range(len(geo.panel_ids)):
        along = geo.grain_axes[i] if i < len(geo.grain_axes) else None
        if i not in geo.pieces and i not in geo.tilts:
            groups.setdefault((along, tiles[i]) if along is not None else (None, float(i)), []).append(i)
    out: dict[int, UvFrame] = {}
    for (along, tile), parts in groups.items():
        if along is None:  # the longer extent takes u: box by box
            out[parts[0]] = box_uvs(geo.positions[parts[0]], None, tiles[parts[0]])
            continue
        uvs, tangents = box_uvs(geo.positions[parts], along, tile)
        for k, i in enumerate(parts):
            out[i] = (uvs[24 * k:24 * (k + 1)], tangents[24 * k:24 * (k + 1)])
    return out


def _cabinet_nodes(w: GltfWriter, cab: PlacedCabinet, geometry: Callable[[], CabinetGeometry]) -> list[int]:
    return [_cabinet_node(w, cab, geometry())]


def _cabinet_node(w: GltfWriter, cab: PlacedCabinet, geo: CabinetGeometry) -> int:
    """A cabinet's node (without its placement, the matrix the scene gives it) and its parts' nodes."""
    part_looks = [_part_look(w, code, geo.error is not None) for code in geo.materials]  # made in part order
    box_uv = _box_uvs(geo, [tile for _, tile in part_looks])
    panel_nodes = []
    for i, panel_id in enumerate(geo.panel_ids):
        mat, tile = part_looks[i]
        along = geo.grain_axes[i] if i < len(geo.grain_axes) else None
        if i in geo.pieces:
            positions, normals, indices = geo.pieces[i]
            mesh = w.mesh(panel_id, positions, normals, indices, mat, box_uvs(positions, along, tile))
        elif i in geo.tilts:
            flat = geo.positions[i]
            uvs, tangents = box_uvs(flat, along, tile)
            centre = (np.asarray(geo.mins[i], dtype=np.float64) + np.asarray(geo.maxs[i], dtype=np.float64)) / 2
            positions, normals, indices, uvs, tangents = turn(
                (flat, *_UNIT_BOX, uvs, tangents), shoe_tilt(geo.tilts[i]), centre)
            mesh = w.mesh(panel_id, positions, normals, indices, mat, (uvs, tangents))
        else:
            mesh = w.box_mesh(panel_id, geo.positions[i], mat, (geo.mins[i], geo.maxs[i]), box_uv[i])
        extras: dict[str, object] = {"id": panel_id, "role": geo.roles[i]}
        if i in geo.motions:
            extras["opens"] = geo.motions[i]
        panel_nodes.append(w.node(panel_id, mesh, extras=extras))
    for fit in geo.fittings:
        look = w.looks.fitting(fit.code) if w.looks is not None else None
        mat = w.look_material(f"fitting:{fit.code}", look) if look is not None else w.material(fit.code, "#c8cacc")
        positions, normals, indices, uvs, tangents = fit.mesh
        mesh = w.mesh(fit.id, positions, normals, indices, mat, (uvs, tangents))
        fit_extras: dict[str, object] = {"id": fit.id, "role": fit.role, "hardware": fit.code}
        if fit.motion is not None:
            fit_extras["opens"] = fit.motion
        panel_nodes.append(w.node(fit.id, mesh, extras=fit_extras))
    extras = {"id": cab.id, "kind": "cabinet", "family": cab.family}
    if geo.error is not None:
        extras["error"] = geo.error
    return w.node(cab.id, children=panel_nodes, extras=extras)


def plan_to_gltf(x_mm: float, y_mm: float, z_mm: float = 0.0) -> tuple[float, float, float]:
    """Where a plan point ends up in the GLB (for tests and picking): (x, z, y) in metres."""
    m = np.array(zup_to_gltf()).reshape(4, 4).T
    v = m @ np.array([x_mm, -y_mm, z_mm, 1.0])
    return (float(v[0]), float(v[1]), float(v[2]))
