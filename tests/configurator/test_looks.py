"""Finishes as PBR materials: every catalog finish resolves, textures are real and tile, the GLB
carries them (valid glTF), wood grain follows the panel's length, fronts carry how they open."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from backend.configurator.catalog import Catalog
from backend.configurator.construction import build_cabinet
from backend.configurator.gltf import GltfWriter
from backend.configurator.looks import PATTERNS, Looks, finish_entries, load_looks
from backend.configurator.scene import GeometryCache, build_scene_glb
from backend.configurator.textures import noise, texture_images, write_textures
from backend.design.model import Design
from support.gltf_validator import validate_glb

KITCHEN = Path(__file__).resolve().parents[2] / "docs" / "examples" / "kitchen.json"


@pytest.fixture(scope="module")
def texture_dir(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("assets") / "textures"
    write_textures(finish_entries(catalog), out)
    return out


@pytest.fixture(scope="module")
def looks(catalog: Catalog, texture_dir: Path) -> Looks:
    return load_looks(catalog, texture_dir)


@pytest.fixture(scope="module")
def kitchen() -> Design:
    return Design.model_validate(json.loads(KITCHEN.read_text()))


def _doc(glb: bytes) -> dict[str, Any]:
    length = struct.unpack("<I", glb[12:16])[0]
    doc: dict[str, Any] = json.loads(glb[20:20 + length])
    return doc


def _binary(glb: bytes) -> bytes:
    length = struct.unpack("<I", glb[12:16])[0]
    return glb[20 + length + 8:]


def _accessor(glb: bytes, index: int) -> np.ndarray[Any, Any]:
    doc = _doc(glb)
    acc = doc["accessors"][index]
    view = doc["bufferViews"][acc["bufferView"]]
    width = {"VEC2": 2, "VEC3": 3, "VEC4": 4, "SCALAR": 1}[acc["type"]]
    stride = view.get("byteStride", 4 * width)
    start = view["byteOffset"] + acc.get("byteOffset", 0)
    raw = np.frombuffer(_binary(glb), dtype=np.uint8)[start:start + stride * acc["count"]]
    return raw.view(np.float32).reshape(acc["count"], stride // 4)[:, :width]


def test_every_catalog_finish_resolves_to_a_textured_material(catalog: Catalog, looks: Looks) -> None:
    writer = GltfWriter(looks, "uri")
    for code in catalog.materials:
        look = looks.material(code)
        assert look.pattern in PATTERNS
        material = writer.materials[writer.look_material(f"material:{code}", look)]
        if look.pattern == "glass":  # clear glass (display doors) is colour, transparency and gloss only
            assert material["alphaMode"] == "BLEND" and material["pbrMetallicRoughness"]["roughnessFactor"] < 0.1, code
            continue
        assert "baseColorTexture" in material["pbrMetallicRoughness"], code
        assert "normalTexture" in material, code
    for code, handle in catalog.handles.items():
        look = looks.handle(code)
        assert look.colour == handle.colour  # colours come from the catalog, said once
        if handle.projection_mm > 0:
            assert look.metallic > 0.5 and "baseColorTexture" in writer.materials[writer.look_material(
                f"handle:{code}", look)]["pbrMetallicRoughness"], code
    for room_type in ("kitchen", "bedroom", "bathroom", "other"):
        assert looks.floor(room_type).pattern in ("floor_wood", "floor_tile")
    assert looks.material("oak_veneer_19").textures.keys() >= {"base", "normal", "mr"}


def test_a_catalog_material_without_a_finish_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "finishes.json"
    data = json.loads((Path(__file__).resolve().parents[2] / "assets/models/catalog/finishes.json").read_text())
    del data["materials"]["oak_veneer_19"]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="oak_veneer_19"):
        finish_entries(catalog, path)


def test_textures_are_deterministic_tileable_and_not_flat(looks: Looks) -> None:
    oak = looks.material("oak_veneer_19")
    a, b = texture_images(oak), texture_images(oak)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    base = a["base"].astype(np.float64).mean(axis=2)
    assert base.std() > 8  # real grain, not a flat colour
    # seamless: the jump across the wrap-around edge is like the jump between neighbouring columns
    inner = np.abs(np.diff(base, axis=1)).mean()
    seam = np.abs(base[:, 0] - base[:, -1]).mean()
    assert seam < 2.5 * inner + 1
    # the grain runs along u (x): rows vary far less along x than columns along y
    assert np.abs(np.diff(base, axis=1)).mean() < np.abs(np.diff(base, axis=0)).mean()
    quartz = texture_images(looks.material("quartz_white_20"))["base"]
    assert quartz.std() > 1.5 and quartz.mean() > 200


def test_noise_is_periodic() -> None:
    field = noise(np.random.default_rng(1), slope=2.0, n=64)
    assert field.shape == (64, 64) and abs(field.mean()) < 1e-9 and field.std() == pytest.approx(1)
    tiled = np.tile(field, (1, 2))
    assert np.abs(np.diff(tiled, axis=1)[:, 63]).mean() < 3 * np.abs(np.diff(field, axis=1)).mean()


def test_written_textures_are_small_jpegs_with_a_manifest(catalog: Catalog, texture_dir: Path) -> None:
    manifest = json.loads((texture_dir / "manifest.json").read_text())
    assert set(manifest) == set(finish_entries(catalog))
    files = {name for maps in manifest.values() for name in maps.values()}
    total = sum((texture_dir / name).stat().st_size for name in files)
    assert total < 6 * 1024 * 1024
    for name in files:
        with Image.open(texture_dir / name) as image:
            assert image.format == "JPEG" and image.size[0] in (256, 512)


def test_textured_glb_passes_the_khronos_validator(kitchen: Design, catalog: Catalog, looks: Looks,
                                                    texture_dir: Path, tmp_path: Path) -> None:
    embedded = build_scene_glb(kitchen, catalog, GeometryCache(), looks=looks, textures="embed")
    doc = _doc(embedded)
    assert len(doc["images"]) >= 8 and all("bufferView" in image for image in doc["images"])
    issues = validate_glb(embedded, tmp_path)
    assert issues["numErrors"] == 0 and issues["numWarnings"] == 0, issues["messages"][:5]
    referenced = build_scene_glb(kitchen, catalog, GeometryCache(), looks=looks, textures="uri")
    assert all(image["uri"].startswith("textures/") for image in _doc(referenced)["images"])
    assert len(referenced) < len(embedded) / 3
    issues = validate_glb(referenced, tmp_path, texture_dir.parent)
    assert issues["numErrors"] == 0 and issues["numWarnings"] == 0, issues["messages"][:5]


def test_wood_grain_runs_along_each_panels_length(kitchen: Design, catalog: Catalog, looks: Looks) -> None:
    design = kitchen.model_copy(update={"settings": kitchen.settings.model_copy(
        update={"front_material": "oak_veneer_19"})})
    glb = build_scene_glb(design, catalog, GeometryCache(), looks=looks)
    doc = _doc(glb)
    tile = looks.material("oak_veneer_19").tile_mm
    checked = 0
    for cab in design.cabinets:
        for panel in build_cabinet(cab, catalog, design.settings).panels:
            if panel.role not in ("door", "drawer_front"):
                continue
            node = next(n for n in doc["nodes"] if n["name"] == panel.id)
            primitive = doc["meshes"][node["mesh"]]["primitives"][0]
            uv = _accessor(glb, primitive["attributes"]["TEXCOORD_0"])
            front = uv[12:16]  # the +y/−y faces of the box layout: the front's faces
            du, dv = np.ptp(front[:, 0]) * tile, np.ptp(front[:, 1]) * tile
            assert du == pytest.approx(panel.length_mm, abs=0.5), panel.id
            assert dv == pytest.approx(panel.width_mm, abs=0.5), panel.id
            assert "TANGENT" in primitive["attributes"]
            checked += 1
    assert checked > 10


def test_fronts_carry_how_they_open(kitchen: Design, catalog: Catalog, looks: Looks) -> None:
    doc = _doc(build_scene_glb(kitchen, catalog, GeometryCache(), looks=looks))
    opens = {n["name"]: n["extras"]["opens"] for n in doc["nodes"] if "opens" in n.get("extras", {})}
    doors = [name for name in opens if "/door-" in name]
    drawers = [name for name in opens if "/drawer_front-" in name]
    assert doors and drawers
    for name in doors:
        motion = opens[name]
        assert motion["kind"] == "hinge" and motion["front"] == name and abs(motion["angle_deg"]) > 80
    for name in drawers:
        motion = opens[name]
        assert motion["kind"] == "slide" and motion["offset"][1] < -200  # out towards the room (−y)
        cab = name.split("/")[0]
        box = [n for n, m in opens.items() if n.startswith(cab + "/drawer_") and m["front"] == name]
        assert len(box) >= 4  # front, two sides, back and bottom move together
    assert any("/handle-" in name for name in opens)
