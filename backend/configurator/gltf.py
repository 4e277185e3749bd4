"""A small binary glTF 2.0 (GLB) writer for flat-shaded triangle meshes with PBR materials.

All vertex data (positions and normals, float32 VEC3) goes into one buffer view with a 12-byte
stride, all indices (uint32) into another and all texture coordinates (float32 VEC2) into a third,
so thousands of small meshes cost a few accessors each and no per-mesh buffer views.  Boxes share a
single normals accessor and a single index accessor (every box has the same 24-vertex layout, see
``mesh.box_arrays``).

Materials come from :class:`~backend.configurator.looks.Look`: base colour, roughness and
metalness factors, and the look's generated textures (base colour, normal, metallic-roughness).
Textures are either *referenced* (``uri`` under ``/static/textures/``: the editor reloads the scene
after every edit and the browser keeps the content-hashed images cached) or *embedded* in the
binary chunk (one self-contained file: downloads, the renderer, the validator).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from backend.configurator.looks import TEXTURE_URL, Look, Looks
from backend.configurator.mesh import box_arrays
from backend.configurator.uv import UvFrame

_FLOAT, _UINT32 = 5126, 5125
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963
_LINEAR, _LINEAR_MIPMAP_LINEAR, _REPEAT = 9729, 9987, 10497
TextureMode = Literal["uri", "embed", "none"]
_, _BOX_NORMALS, _BOX_INDICES = box_arrays([[0, 0, 0]], [[1, 1, 1]])
"""The normals and indices every box shares (the layout of ``mesh.box_arrays``), written once per GLB."""
MaterialRecipe = tuple[Any, ...]
"""How a material was made: ``("plain", name, colour, roughness, metallic)`` or ``("look", key, look)``."""


@dataclass(frozen=True)
class Fragment:
    """A part of a scene written once and spliced into many writers (a cabinet, a wall): its nodes,
    meshes and accessors as JSON templates with indices local to it, its vertex data, and the recipes
    of its materials.

    Accessors 0 and 1 of a fragment are the writer's shared box normals and box indices; the others
    are ``accessors`` (byte offsets from the start of the fragment's own data in each buffer view).
    :meth:`GltfWriter.splice` gives exactly the nodes, meshes, materials, accessors and bytes that
    writing the same content straight into that writer gives; only the indices and offsets are
    filled in, the rest of the JSON is written once, here.
    """

    materials: tuple[MaterialRecipe, ...]
    accessors: tuple[tuple[int, int, str, str], ...]
    """Per accessor: buffer view, local byte offset, and its JSON before and after the offset."""
    meshes: tuple[tuple[str, tuple[tuple[tuple[str, ...], tuple[int, ...], int, int], ...]], ...]
    """Per mesh: its name (JSON) and primitives (attribute names, their local accessors, indices, material)."""
    nodes: tuple[tuple[str, int, str, tuple[int, ...], str], ...]
    """Per node: ``{"name":…`` (JSON), local mesh (−1: none), matrix (JSON, or ""), local children, extras
    (JSON, or "")."""
    node_names: tuple[str, ...]
    roots: tuple[int, ...]
    vec3: npt.NDArray[np.float32]
    idx: npt.NDArray[np.uint32]
    vec2: npt.NDArray[np.float32]
    vec4: npt.NDArray[np.float32]


def srgb_to_linear(hex_colour: str) -> list[float]:
    """'#rrggbb' (sRGB) → linear RGB in 0..1, as glTF's baseColorFactor expects."""
    out = []
    for i in (1, 3, 5):
        c = int(hex_colour[i:i + 2], 16) / 255
        out.append(round(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4, 5))
    return out


class GltfWriter:
    def __init__(self, looks: Looks | None = None, textures: TextureMode = "uri") -> None:
        self.looks = looks
        self.texture_mode: TextureMode = textures if looks is not None else "none"
        self.images: list[dict[str, Any]] = []
        self.textures: list[dict[str, Any]] = []
        self._texture_index: dict[str, int] = {}
        self._blobs: list[bytes] = []
        self._vec2: list[npt.NDArray[np.float32]] = []
        self._vec2_len = 0
        self._vec4: list[npt.NDArray[np.float32]] = []
        self._vec4_len = 0
        # nodes, meshes and accessors written here are dicts; spliced ones are their JSON text already
        self.nodes: list[dict[str, Any] | str] = []
        self.meshes: list[dict[str, Any] | str] = []
        self.materials: list[dict[str, Any]] = []
        self.accessors: list[dict[str, Any] | str] = []
        self._material_index: dict[str, int] = {}
        self._recipes: list[MaterialRecipe] = []
        self._vec3: list[npt.NDArray[np.float32]] = []
        self._vec3_len = 0
        self._idx: list[npt.NDArray[np.uint32]] = []
        self._idx_len = 0
        self.box_normals = self._vec3_accessor(_BOX_NORMALS, with_bounds=False)
        self.box_indices = self._index_accessor(_BOX_INDICES)

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

    def _vec2_accessor(self, data: npt.NDArray[np.float32]) -> int:
        data = np.ascontiguousarray(data, dtype=np.float32).reshape(-1, 2)
        self.accessors.append({"bufferView": 2, "byteOffset": self._vec2_len * 8, "componentType": _FLOAT,
                               "count": len(data), "type": "VEC2"})
        self._vec2.append(data)
        self._vec2_len += len(data)
        return len(self.accessors) - 1

    def _vec4_accessor(self, data: npt.NDArray[np.float32]) -> int:
        data = np.ascontiguousarray(data, dtype=np.float32).reshape(-1, 4)
        self.accessors.append({"bufferView": 3, "byteOffset": self._vec4_len * 16, "componentType": _FLOAT,
                               "count": len(data), "type": "VEC4"})
        self._vec4.append(data)
        self._vec4_len += len(data)
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
            self._recipes.append(("plain", name, hex_colour, roughness, metallic))
        return self._material_index[name]

    def look_material(self, key: str, look: Look) -> int:
        """A PBR material for a finish (textures as the writer's mode says); one per ``key``."""
        if key in self._material_index:
            return self._material_index[key]
        pbr: dict[str, Any] = {"baseColorFactor": [*srgb_to_linear(look.colour), look.alpha],
                               "metallicFactor": look.metallic, "roughnessFactor": look.roughness}
        material: dict[str, Any] = {"name": key, "pbrMetallicRoughness": pbr}
        maps = look.textures if self.texture_mode != "none" else {}
        if "base" in maps:  # the texture carries the colour; the factor stays white
            pbr["baseColorFactor"] = [1.0, 1.0, 1.0, look.alpha]
            pbr["baseColorTexture"] = {"index": self._texture(maps["base"])}
        if "mr" in maps:  # roughness and metalness per texel (G, B); the factors become 1
            pbr["metallicFactor"], pbr["roughnessFactor"] = 1.0, 1.0
            pbr["metallicRoughnessTexture"] = {"index": self._texture(maps["mr"])}
        if "normal" in maps:
            material["normalTexture"] = {"index": self._texture(maps["normal"])}
        if look.alpha < 1:
            material["alphaMode"], material["doubleSided"] = "BLEND", True
        material["extras"] = {"finish": look.name, "pattern": look.pattern, "tile_mm": look.tile_mm,
                              "roughness": look.roughness, "metallic": look.metallic}
        self.materials.append(material)
        self._material_index[key] = len(self.materials) - 1
        self._recipes.append(("look", key, look))
        return self._material_index[key]

    def _texture(self, file_name: str) -> int:
        if file_name not in self._texture_index:
            assert self.looks is not None
            image: dict[str, Any] = {"name": file_name.split(".")[0], "mimeType": "image/jpeg"}
            if self.texture_mode == "embed":
                image["bufferView"] = -1 - len(self._blobs)  # resolved to a buffer view in glb()
                self._blobs.append(self.looks.texture_bytes(file_name))
            else:
                image["uri"] = TEXTURE_URL + file_name
            self.images.append(image)
            self.textures.append({"sampler": 0, "source": len(self.images) - 1})
            self._texture_index[file_name] = len(self.textures) - 1
        return self._texture_index[file_name]

    def box_mesh(self, name: str, positions: npt.NDArray[np.float32], material: int,
                 bounds: tuple[list[float], list[float]] | None = None, uvs: UvFrame | None = None) -> int:
        """A mesh from one box's 24 positions (the layout of ``mesh.box_arrays``)."""
        pos = self._vec3_accessor(positions, bounds=bounds)
        return self._mesh(name, pos, self.box_normals, self.box_indices, material, uvs)

    def mesh(self, name: str, positions: npt.NDArray[np.float32], normals: npt.NDArray[np.float32],
             indices: npt.NDArray[np.uint32], material: int, uvs: UvFrame | None = None) -> int:
        return self._mesh(name, self._vec3_accessor(positions), self._vec3_accessor(normals, with_bounds=False),
                          self._index_accessor(indices), material, uvs)

    def _mesh(self, name: str, pos: int, nor: int, idx: int, material: int, uvs: UvFrame | None = None) -> int:
        """A mesh; ``uvs`` are its texture coordinates and tangents (written when its material has maps)."""
        attributes = {"POSITION": pos, "NORMAL": nor}
        textured = self.materials[material].get("pbrMetallicRoughness", {}).get("baseColorTexture") is not None
        if uvs is not None and textured:
            attributes["TEXCOORD_0"] = self._vec2_accessor(uvs[0])
            if "normalTexture" in self.materials[material]:
                attributes["TANGENT"] = self._vec4_accessor(uvs[1])
        self.meshes.append({"name": name, "primitives": [{"attributes": attributes,
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

    # -- fragments --------------------------------------------------------------------------------

    def fragment(self, roots: list[int]) -> Fragment:
        """Everything written so far (into a fresh writer) as a fragment whose top nodes are ``roots``."""
        box_bytes = {0: len(self._vec3[0]) * 12, 1: len(self._idx[0]) * 4}
        accessors = []
        for acc in self.accessors[2:]:
            assert isinstance(acc, dict) and list(acc)[:2] == ["bufferView", "byteOffset"]
            view = acc["bufferView"]
            rest = {k: v for k, v in acc.items() if k not in ("bufferView", "byteOffset")}
            accessors.append((view, acc["byteOffset"] - box_bytes.get(view, 0), f'{{"bufferView":{view},"byteOffset":',
                              "," + _json(rest)[1:]))
        meshes = []
        for mesh in self.meshes:
            assert isinstance(mesh, dict)
            prims = tuple((tuple(p["attributes"]), tuple(p["attributes"].values()), p["indices"], p["material"])
                          for p in mesh["primitives"])
            meshes.append((_json(mesh["name"]), prims))
        nodes = []
        for node in self.nodes:
            assert isinstance(node, dict)
            nodes.append(('{"name":' + _json(node["name"]), node.get("mesh", -1),
                          _json(node["matrix"]) if "matrix" in node else "", tuple(node.get("children", ())),
                          _json(node["extras"]) if "extras" in node else ""))
        return Fragment(tuple(self._recipes), tuple(accessors), tuple(meshes), tuple(nodes),
                        tuple(str(n["name"]) for n in self.nodes if isinstance(n, dict)), tuple(roots),
                        _joined(self._vec3[1:], (0, 3), np.float32), _joined(self._idx[1:], (0,), np.uint32),
                        _joined(self._vec2, (0, 2), np.float32), _joined(self._vec4, (0, 4), np.float32))

    def _recipe_material(self, recipe: MaterialRecipe) -> int:
        if recipe[0] == "look":
            return self.look_material(recipe[1], recipe[2])
        return self.material(*recipe[1:])

    def splice(self, frag: Fragment, matrix: list[float] | None = None) -> list[int]:
        """Append a fragment (its top nodes given ``matrix``, if any); returns the indices of its top nodes."""
        materials = [self._recipe_material(r) for r in frag.materials]
        base = len(self.accessors)
        acc = [self.box_normals, self.box_indices, *range(base, base + len(frag.accessors))]
        offsets = (self._vec3_len * 12, self._idx_len * 4, self._vec2_len * 8, self._vec4_len * 16)
        self.accessors += [f"{pre}{off + offsets[view]}{post}" for view, off, pre, post in frag.accessors]
        if len(frag.vec3):
            self._vec3.append(frag.vec3)
            self._vec3_len += len(frag.vec3)
        if len(frag.idx):
            self._idx.append(frag.idx)
            self._idx_len += len(frag.idx)
        if len(frag.vec2):
            self._vec2.append(frag.vec2)
            self._vec2_len += len(frag.vec2)
        if len(frag.vec4):
            self._vec4.append(frag.vec4)
            self._vec4_len += len(frag.vec4)
        mesh_base, node_base = len(self.meshes), len(self.nodes)
        for name, prims in frag.meshes:
            texts = []
            for keys, attrs, indices, material in prims:
                attributes = ",".join(f'"{k}":{acc[a]}' for k, a in zip(keys, attrs, strict=True))
                texts.append(f'{{"attributes":{{{attributes}}},"indices":{acc[indices]},"material":{materials[material]}}}')
            self.meshes.append(f'{{"name":{name},"primitives":[{",".join(texts)}]}}')
        placed = _json(matrix) if matrix is not None else ""
        for i, (head, mesh, own, children, extras) in enumerate(frag.nodes):
            text = head
            if mesh >= 0:
                text += f',"mesh":{mesh + mesh_base}'
            at = placed if placed and i in frag.roots else own
            if at:
                text += ',"matrix":' + at
            if children:
                text += ',"children":[' + ",".join(str(c + node_base) for c in children) + "]"
            if extras:
                text += ',"extras":' + extras
            self.nodes.append(text + "}")
        return [node_base + r for r in frag.roots]

    # -- output ------------------------------------------------------------------------------------

    def glb(self, roots: list[int], extras: dict[str, Any] | None = None) -> bytes:
        sizes = (self._vec3_len * 12, self._idx_len * 4, self._vec2_len * 8, self._vec4_len * 16)
        parts: list[Any] = [*self._vec3, *self._idx, *self._vec2, *self._vec4]  # joined once, at the end
        views: list[dict[str, Any]] = [
            {"buffer": 0, "byteOffset": 0, "byteLength": sizes[0], "byteStride": 12, "target": _ARRAY_BUFFER},
            {"buffer": 0, "byteOffset": sizes[0], "byteLength": sizes[1], "target": _ELEMENT_ARRAY_BUFFER},
        ]
        offset = sizes[0] + sizes[1]
        for size, stride in ((sizes[2], 8), (sizes[3], 16)):  # views 2 and 3 (tangents only come with UVs)
            if size:
                views.append({"buffer": 0, "byteOffset": offset, "byteLength": size, "byteStride": stride,
                              "target": _ARRAY_BUFFER})
            offset += size
        length = offset
        blob_views = []
        for blob in self._blobs:
            parts.append(b"\0" * (-length % 4))
            length += -length % 4
            blob_views.append(len(views))
            views.append({"buffer": 0, "byteOffset": length, "byteLength": len(blob)})
            parts.append(blob)
            length += len(blob)
        images = [dict(image) for image in self.images]
        for image in images:
            if "bufferView" in image:
                image["bufferView"] = blob_views[-1 - image["bufferView"]]
        scenes = [{"name": "design", "nodes": roots, **({"extras": extras} if extras else {})}]
        fields = [("asset", _json({"version": "2.0", "generator": "roomwright configurator"})), ("scene", "0"),
                  ("scenes", _json(scenes)), ("nodes", _array(self.nodes)), ("meshes", _array(self.meshes)),
                  ("materials", _json(self.materials)), ("accessors", _array(self.accessors)),
                  ("bufferViews", _json(views)), ("buffers", _json([{"byteLength": length}]))]
        if self.textures:
            samplers = [{"magFilter": _LINEAR, "minFilter": _LINEAR_MIPMAP_LINEAR, "wrapS": _REPEAT, "wrapT": _REPEAT}]
            fields += [("images", _json(images)), ("textures", _json(self.textures)), ("samplers", _json(samplers))]
        text = ("{" + ",".join(f'"{key}":{value}' for key, value in fields) + "}").encode()
        text += b" " * (-len(text) % 4)
        parts.append(b"\0" * (-length % 4))
        length += -length % 4
        total = 12 + 8 + len(text) + 8 + length
        return b"".join([struct.pack("<4sII", b"glTF", 2, total), struct.pack("<I4s", len(text), b"JSON"), text,
                         struct.pack("<I4s", length, b"BIN\0"), *parts])


def _joined(parts: list[Any], empty_shape: tuple[int, ...], dtype: type) -> Any:
    return np.concatenate(parts) if parts else np.zeros(empty_shape, dtype=dtype)


_ENCODER = json.JSONEncoder(separators=(",", ":"))
"""One encoder for every piece (``json.dumps`` with options makes a new one per call)."""


def _json(value: Any) -> str:
    """Compact JSON, as the GLB's JSON chunk is written."""
    return _ENCODER.encode(value)


def _array(items: list[dict[str, Any] | str]) -> str:
    """A JSON array of items given as values or as their JSON text already."""
    return "[" + ",".join(item if isinstance(item, str) else _json(item) for item in items) + "]"
