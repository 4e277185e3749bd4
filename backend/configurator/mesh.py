"""Panels → meshes, in the cabinet frame (mm, Z-up).

Every panel is an axis-aligned box, so its mesh is a closed, watertight box.  ``panel_mesh`` gives
a :class:`trimesh.Trimesh` (for checks and tools); ``box_arrays`` builds the same boxes for many
panels at once as flat-shaded vertex/normal/index arrays, which is what the glTF writer needs.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
import trimesh

from backend.configurator.catalog import Handle
from backend.configurator.construction import Box, CabinetBuild, Panel

FloatArray = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.uint32]

# The 6 faces of a unit cube, each as 4 corners (counter-clockwise seen from outside) and a normal.
_FACES = np.array([
    [[1, 0, 0], [1, 1, 0], [1, 1, 1], [1, 0, 1]],  # +x
    [[0, 1, 0], [0, 0, 0], [0, 0, 1], [0, 1, 1]],  # -x
    [[1, 1, 0], [0, 1, 0], [0, 1, 1], [1, 1, 1]],  # +y
    [[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]],  # -y
    [[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]],  # +z
    [[0, 1, 0], [1, 1, 0], [1, 0, 0], [0, 0, 0]],  # -z
], dtype=np.float64)
_NORMALS = np.repeat(np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]],
                              dtype=np.float32), 4, axis=0)
_QUAD = np.array([0, 1, 2, 0, 2, 3], dtype=np.uint32)
_CUBE_TRIS = (np.arange(6, dtype=np.uint32)[:, None] * 4 + _QUAD[None, :]).reshape(-1)
_UNIT_CORNERS = _FACES.reshape(-1, 3)


def panel_mesh(panel: Panel) -> trimesh.Trimesh:
    """The panel as a closed box mesh in the cabinet frame (mm)."""
    size = np.asarray(panel.box.size, dtype=np.float64)
    centre = np.asarray(panel.box.origin, dtype=np.float64) + size / 2
    transform = np.eye(4)
    transform[:3, 3] = centre
    mesh: trimesh.Trimesh = trimesh.creation.box(extents=size, transform=transform)
    return mesh


def box_arrays(origins: npt.ArrayLike, sizes: npt.ArrayLike) -> tuple[FloatArray, FloatArray, IndexArray]:
    """Flat-shaded boxes: ``origins`` and ``sizes`` are (n, 3) mm arrays.

    Returns positions (n*24, 3), normals (n*24, 3) float32 and triangle indices (n*36,) uint32.
    """
    o = np.asarray(origins, dtype=np.float64).reshape(-1, 3)
    s = np.asarray(sizes, dtype=np.float64).reshape(-1, 3)
    positions = (o[:, None, :] + _UNIT_CORNERS[None, :, :] * s[:, None, :]).reshape(-1, 3)
    normals = np.tile(_NORMALS, (len(o), 1))
    indices = (_CUBE_TRIS[None, :] + (np.arange(len(o), dtype=np.uint32) * 24)[:, None]).reshape(-1)
    return positions.astype(np.float32), normals, indices.astype(np.uint32)


def handle_boxes(build: CabinetBuild, handle: Handle) -> list[Box]:
    """The handles of a cabinet's fronts as boxes in the cabinet frame (from the fronts' handle holes).

    A bar spans its holes plus its overhang (``length_mm``), 12 × 12 mm in section, standing
    ``projection_mm`` proud of the front; a knob is a 30 mm block.  Handles are hardware, not
    panels: they lie outside the cabinet's outer box.
    """
    out: list[Box] = []
    for p in build.panels:
        holes = [op for op in p.ops if op.purpose == "handle"]
        if not holes or p.thickness_axis != "y" or handle.projection_mm <= 0:
            continue
        pts = [_panel_point(p, op.u_mm, op.v_mm) for op in holes]
        front = p.box.origin[1] + p.box.size[1]
        (x0, z0), (x1, z1) = pts[0], pts[-1]
        cx, cz = (x0 + x1) / 2, (z0 + z1) / 2
        if len(pts) == 1 or handle.hole_spacing_mm == 0:
            sx = sz = min(30.0, handle.length_mm or 30.0)
        elif abs(x1 - x0) >= abs(z1 - z0):
            sx, sz = handle.length_mm, 12.0
        else:
            sx, sz = 12.0, handle.length_mm
        out.append(Box(origin=(cx - sx / 2, front, cz - sz / 2), size=(sx, handle.projection_mm, sz)))
    return out


def _panel_point(p: Panel, u: float, v: float) -> tuple[float, float]:
    """(x, z) in the cabinet frame of a point given in a front's panel coordinates."""
    coords = list(p.box.origin)
    coords[_AXIS[p.length_axis]] += u
    coords[_AXIS[p.width_axis]] += v
    return coords[0], coords[2]


_AXIS = {"x": 0, "y": 1, "z": 2}


AXIS = {"x": 0, "y": 1, "z": 2}


def cut_boxes(panel: Panel) -> list[tuple[tuple[float, float, float], tuple[float, float, float]]]:
    """The panel's box with its through cut-outs (sink, hob, duct) removed, as a few solid boxes
    (origin, size) in the cabinet frame. A panel without cut-outs is its own single box.

    Axis-aligned rectangles only: the panel is cut into strips at every cut-out edge along its length,
    and each strip keeps the spans across its width that no cut-out covers.
    """
    cuts = [op for op in panel.ops if op.kind == "cutout" and op.length_mm > 0 and op.width_mm > 0]
    origin, size = panel.box.origin, panel.box.size
    if not cuts:
        return [(origin, size)]
    lu, lv = AXIS[panel.length_axis], AXIS[panel.width_axis]
    holes = [(op.u_mm, op.u_mm + op.length_mm, op.v_mm, op.v_mm + op.width_mm) for op in cuts]
    us = sorted({0.0, size[lu], *[h[0] for h in holes], *[h[1] for h in holes]})
    pieces: list[tuple[tuple[float, float, float], tuple[float, float, float]]] = []
    for u0, u1 in itertools.pairwise(us):
        if u1 - u0 <= 1e-6 or u0 < 0 or u1 > size[lu]:
            continue
        blocked = sorted((h[2], h[3]) for h in holes if h[0] < u1 - 1e-6 and h[1] > u0 + 1e-6)
        cursor = 0.0
        for v0, v1 in [*blocked, (size[lv], size[lv])]:
            if v0 - cursor > 1e-6:
                o, sz = list(origin), list(size)
                o[lu], sz[lu] = origin[lu] + u0, u1 - u0
                o[lv], sz[lv] = origin[lv] + cursor, min(v0, size[lv]) - cursor
                pieces.append(((o[0], o[1], o[2]), (sz[0], sz[1], sz[2])))
            cursor = max(cursor, v1)
    return pieces
