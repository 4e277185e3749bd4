"""The GLB writer's fragments: written once, spliced into any writer, the same as writing it there."""

from __future__ import annotations

import json
import struct

from backend.configurator.catalog import Catalog
from backend.configurator.gltf import GltfWriter
from backend.configurator.looks import load_looks
from backend.configurator.mesh import box_arrays
from backend.configurator.uv import box_uvs


def _write_part(w: GltfWriter, name: str, shift: float, material: str) -> list[int]:
    """A small part: a textured box, a general mesh in a plain material and a parent node."""
    assert w.looks is not None
    positions, normals, indices = box_arrays([[shift, 0, 0], [shift, 50, 0]], [[100, 20, 300], [80, 10, 40]])
    look = w.looks.material(material)
    mat = w.look_material(f"material:{material}", look)
    box = w.box_mesh(f"{name}/box", positions[:24], mat, uvs=box_uvs(positions[:24], 0, look.tile_mm))
    plain = w.material("steel", "#c8cacc", 0.3, 1.0)
    mesh = w.mesh(f"{name}/mesh", positions, normals, indices, plain, box_uvs(positions, None, 200.0))
    kids = [w.node(f"{name}/box", box, extras={"role": "side"}), w.node(f"{name}/mesh", mesh)]
    return [w.node(name, children=kids, extras={"id": name})]


def test_spliced_fragments_write_what_writing_directly_writes(catalog: Catalog) -> None:
    looks = load_looks(catalog)
    codes = sorted(c for c in catalog.materials if looks.material(c).textures)[:2]
    for mode in ("uri", "embed", "none"):  # (the same bytes: splice fills in only indices and offsets)
        direct = GltfWriter(looks, mode)
        roots = _write_part(direct, "cab-a", 0.0, codes[0]) + _write_part(direct, "cab-b", 500.0, codes[1])
        roots += _write_part(direct, "cab-c", 900.0, codes[0])
        spliced = GltfWriter(looks, mode)
        fragments = []
        for name, shift, code in (("cab-a", 0.0, codes[0]), ("cab-b", 500.0, codes[1]), ("cab-c", 900.0, codes[0])):
            sub = GltfWriter(looks, "none" if mode == "none" else "uri")
            fragments.append(sub.fragment(_write_part(sub, name, shift, code)))
        got = [i for f in fragments for i in spliced.splice(f)]
        assert got == roots
        assert spliced.glb(got) == direct.glb(roots), mode


def test_a_fragment_takes_its_placement_when_spliced(catalog: Catalog) -> None:
    looks = load_looks(catalog)
    sub = GltfWriter(looks)
    frag = sub.fragment(_write_part(sub, "cab-a", 0.0, next(iter(catalog.materials))))
    w = GltfWriter(looks)
    first = w.splice(frag, [1.0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 100, 0, 0, 1])
    second = w.splice(frag)
    glb = w.glb(first + second)
    doc = json.loads(glb[20:20 + struct.unpack("<I", glb[12:16])[0]])
    nodes = doc["nodes"]
    assert nodes[first[0]]["matrix"][12] == 100 and "matrix" not in nodes[second[0]]
    a, b = nodes[first[0]]["children"], nodes[second[0]]["children"]
    assert set(a).isdisjoint(b)  # each splice has nodes, meshes and accessors of its own
    assert [nodes[k]["name"] for k in a] == [nodes[k]["name"] for k in b] == ["cab-a/box", "cab-a/mesh"]
    pos = [doc["meshes"][nodes[k]["mesh"]]["primitives"][0]["attributes"]["POSITION"] for k in (a[0], b[0])]
    assert pos[0] != pos[1]
    assert doc["accessors"][pos[1]]["byteOffset"] > doc["accessors"][pos[0]]["byteOffset"]
