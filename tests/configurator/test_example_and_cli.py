"""docs/examples/kitchen.json stays a valid design, and `roomwright scene` turns it into a GLB."""

from __future__ import annotations

import json
from pathlib import Path

import trimesh

from backend.cli import main
from backend.configurator.catalog import load_catalog
from backend.configurator.validation import validate
from backend.design.model import Design

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "kitchen.json"


def test_example_is_valid_and_has_no_errors() -> None:
    design = Design.model_validate(json.loads(EXAMPLE.read_text()))
    families = {c.family for c in design.cabinets}
    assert len(design.plan.rooms) >= 6 and len(design.cabinets) >= 12
    assert any(f.startswith("base_") for f in families) and any(f.startswith("wall_") for f in families)
    assert any(f.startswith("tall_") for f in families) and any(f.startswith("corner_") for f in families)
    assert any("drawers" in f for f in families)
    assert [f for f in validate(design, load_catalog()) if f.severity == "error"] == []


def test_scene_cli_writes_a_glb(tmp_path: Path) -> None:
    out = tmp_path / "scene.glb"
    assert main(["scene", str(EXAMPLE), "-o", str(out)]) == 0
    scene = trimesh.load(out, force="scene")
    design = Design.model_validate(json.loads(EXAMPLE.read_text()))
    names = set(scene.graph.nodes)
    assert all(cab.id in names for cab in design.cabinets)


def test_scene_cli_reports_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "plan": {"walls": [{"id": "wall-a", "start": {"x": 0, "y": 0}, '
                   '"end": {"x": 0, "y": 0}}]}}')
    assert main(["scene", str(bad), "-o", str(tmp_path / "x.glb")]) == 2
