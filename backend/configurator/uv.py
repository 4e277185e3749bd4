"""Texture coordinates for box meshes: the texture's u axis runs along a chosen axis (the grain).

Every box has the 24-vertex layout of ``mesh.box_arrays``: six faces (+x, −x, +y, −y, +z, −z) of
four corners.  A face's texture lies in its plane; ``u`` follows the box's *along* axis when that
axis lies in the face (the panel's length, which is the grain direction of wood boards), else the
face's first in-plane axis.  Coordinates are the vertex positions in mm divided by the look's tile
size, so a texture keeps its real size on every panel and the grain continues across neighbours.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_IN_PLANE = ((1, 2), (1, 2), (0, 2), (0, 2), (0, 1), (0, 1))
"""The two axes that span each face of the box layout, in face order."""
_FACE_NORMALS = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], dtype=np.float64)

UvFrame = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]

_HANDEDNESS = {(face, a, b): 1.0 if np.dot(np.cross(_FACE_NORMALS[face], np.eye(3)[a]), -np.eye(3)[b]) > 0 else -1.0
               for face, (p, q) in enumerate(_IN_PLANE) for a, b in ((p, q), (q, p))}
"""The tangent's ``w`` per face and (u axis, v axis): the same for every box, so worked out once."""


def box_uvs(positions: npt.ArrayLike, along: int | None, tile_mm: float) -> UvFrame:
    """UVs (k*24, 2) and glTF tangents (k*24, 4) for k boxes given as positions (k*24, 3) in mm;
    ``along`` is 0, 1, 2 or None (then the longer in-plane extent of each face takes u).

    The tangent is the direction of +u on the surface, its ``w`` the handedness that makes
    ``cross(normal, tangent) * w`` point along +v (as glTF defines it), so normal maps need no
    run-time tangent generation.
    """
    p = np.asarray(positions, dtype=np.float64).reshape(-1, 6, 4, 3)
    out = np.empty((*p.shape[:3], 2), dtype=np.float64)
    tangents = np.zeros((*p.shape[:3], 4), dtype=np.float64)
    for face, (a, b) in enumerate(_IN_PLANE):
        corners = p[:, face]
        if along == b or (along is None and _extent(corners, b) > _extent(corners, a)):
            a, b = b, a
        out[:, face, :, 0] = corners[..., a] / tile_mm
        out[:, face, :, 1] = -corners[..., b] / tile_mm
        tangents[:, face, :, a] = 1.0  # +u runs along +a, +v along −b
        tangents[:, face, :, 3] = _HANDEDNESS[(face, a, b)]
    return out.reshape(-1, 2).astype(np.float32), tangents.reshape(-1, 4).astype(np.float32)


def _extent(corners: npt.NDArray[np.float64], axis: int) -> float:
    return float(np.ptp(corners[..., axis]))


def planar_uvs(positions: npt.ArrayLike, tile_mm: float) -> UvFrame:
    """UVs and tangents of an upward-facing surface (floors): world x and y in mm over the tile size."""
    p = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
    uvs = np.column_stack([p[:, 0] / tile_mm, -p[:, 1] / tile_mm]).astype(np.float32)
    tangents = np.tile(np.array([[1, 0, 0, -1]], dtype=np.float32), (len(p), 1))  # +v is −y: cross(z, x) = +y
    return uvs, tangents
