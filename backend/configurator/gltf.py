"""A small binary glTF 2.0 (GLB) writer for flat-shaded triangle meshes.

All vertex data (positions and normals, float32 VEC3) goes into one buffer view with a 12-byte
stride and all indices (uint32) into another, so thousands of small meshes cost one accessor each
and no per-mesh buffer views.  Boxes share a single normals accessor and a single index accessor
(every box has the same 24-vertex layout, see ``mesh.box_arrays``).
"""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np
import numpy.typing as npt

from backend.configurator.mesh import box_arrays

_FLOAT, _UINT32 = 5126, 5125
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963


def srgb_to_linear(hex_colour: str) -> list[float]:
    """'#rrggbb' (sRGB) → linear RGB in 0..1, as glTF's baseColorFactor expects."""
    out = []
    for i in (1, 3, 5):
        c = int(hex_colour[i:i + 2], 16) / 255
        out.append(round(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4, 5))
    return out


class GltfWriter:
    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.meshes: list[dict[str, Any]] = []
        self.materials: list[dict[str, Any]] = []
        self.accessors: list[dict[str, Any]] = []
        self._material_index: dict[str, int] = {}
        self._vec3: list[npt.NDArray[np.float32]] = []
        self._vec3_len = 0
        self._idx: list[npt.NDArray[np.uint32]] = []
        self._idx_len = 0
        positions, normals, indices = box_arrays([[0, 0, 0]], [[1, 1, 1]])
        del positions
        self.box_normals = self._vec3_accessor(normals, with_bounds=False)
        self.box_indices = self._index_accessor(indices)

    # -- accessors ---------------------------------------------------------------------------------

    def _vec3_accessor(self, data: npt.NDArray[np.float32], with_bounds: bool = True,
                       bounds: tuple[list[float], list[float]] | None = None) -> int:
        data = np.ascontiguousarray(data, dtype=np.float32).reshape(-1, 3)
        acc: dict[str, Any] = {"bufferView": 0, "byteOffset": self._vec3_len * 12, "componentType": _FLOAT,
                               "count": len(data), "type": "VEC3"}
        if with_bounds:
            lo, hi = bounds if bounds is not None else (data.min(axis=0).tolist(), data.max(axis=0).tolist())
            acc["min"], acc["max"] = lo, hi
        self._vec3.append(data)
        self._vec3_len += len(data)
        self.accessors.append(acc)
        return len(self.accessors) - 1

    def _index_accessor(self, data: npt.NDArray[np.uint32]) -> int:
        data = np.ascontiguousarray(data, dtype=np.uint32).reshape(-1)
        self.accessors.append({"bufferView": 1, "byteOffset": self._idx_len * 4, "componentType": _UINT32,
                               "count": len(data), "type": "SCALAR"})
        self._idx.append(data)
        self._idx_len += len(data)
        return len(self.accessors) - 1

    # -- content -----------------------------------------------------------------------------------

    def material(self, name: str, hex_colour: str, roughness: float = 0.7, metallic: float = 0.0) -> int:
        if name not in self._material_index:
            self.materials.append({"name": name, "pbrMetallicRoughness": {
                "baseColorFactor": [*srgb_to_linear(hex_colour), 1.0], "metallicFactor": metallic,
                "roughnessFactor": roughness}})
            self._material_index[name] = len(self.materials) - 1
        return self._material_index[name]

    def box_mesh(self, name: str, positions: npt.NDArray[np.float32], material: int,
                 bounds: tuple[list[float], list[float]] | None = None) -> int:
        """A mesh from one box's 24 positions (the layout of ``mesh.box_arrays``)."""
        pos = self._vec3_accessor(positions, bounds=bounds)
        return self._mesh(name, pos, self.box_normals, self.box_indices, material)

    def mesh(self, name: str, positions: npt.NDArray[np.float32], normals: npt.NDArray[np.float32],
             indices: npt.NDArray[np.uint32], material: int) -> int:
        return self._mesh(name, self._vec3_accessor(positions), self._vec3_accessor(normals, with_bounds=False),
                          self._index_accessor(indices), material)

    def _mesh(self, name: str, pos: int, nor: int, idx: int, material: int) -> int:
        self.meshes.append({"name": name, "primitives": [{"attributes": {"POSITION": pos, "NORMAL": nor},
                                                          "indices": idx, "material": material}]})
        return len(self.meshes) - 1

    def node(self, name: str, mesh: int | None = None, matrix: list[float] | None = None,
             children: list[int] | None = None, extras: dict[str, Any] | None = None) -> int:
        node: dict[str, Any] = {"name": name}
        if mesh is not None:
            node["mesh"] = mesh
        if matrix is not None:
            node["matrix"] = matrix
        if children:
            node["children"] = children
        if extras:
            node["extras"] = extras
        self.nodes.append(node)
        return len(self.nodes) - 1

    # -- output ------------------------------------------------------------------------------------

    def glb(self, roots: list[int], extras: dict[str, Any] | None = None) -> bytes:
        vec3 = np.concatenate(self._vec3).tobytes() if self._vec3 else b""
        idx = np.concatenate(self._idx).tobytes() if self._idx else b""
        binary = vec3 + idx
        doc: dict[str, Any] = {
            "asset": {"version": "2.0", "generator": "roomwright configurator"},
            "scene": 0, "scenes": [{"name": "design", "nodes": roots, **({"extras": extras} if extras else {})}],
            "nodes": self.nodes, "meshes": self.meshes, "materials": self.materials,
            "accessors": self.accessors,
            "bufferViews": [
                {"buffer": 0, "byteOffset": 0, "byteLength": len(vec3), "byteStride": 12, "target": _ARRAY_BUFFER},
                {"buffer": 0, "byteOffset": len(vec3), "byteLength": len(idx), "target": _ELEMENT_ARRAY_BUFFER},
            ],
            "buffers": [{"byteLength": len(binary)}],
        }
        text = json.dumps(doc, separators=(",", ":")).encode()
        text += b" " * (-len(text) % 4)
        binary += b"\0" * (-len(binary) % 4)
        total = 12 + 8 + len(text) + 8 + len(binary)
        return b"".join([struct.pack("<4sII", b"glTF", 2, total), struct.pack("<I4s", len(text), b"JSON"), text,
                         struct.pack("<I4s", len(binary), b"BIN\0"), binary])
