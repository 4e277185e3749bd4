"""``roomwright catalog`` lists every family by room with limits and names; ``roomwright parts`` prints the
parts list of a design, adding up to the quote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.bom.pricing import quote
from backend.cli import main
from backend.configurator.catalog import ROOM_CATEGORIES, load_catalog
from backend.design.model import Design

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_catalog_json_lists_every_family(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    families = {f["code"]: f for f in body["families"]}
    assert set(families) == set(load_catalog().families)
    assert {f["category"] for f in families.values()} == set(ROOM_CATEGORIES)
    wardrobe = families["wardrobe_sliding_2"]
    assert wardrobe["category"] == "wardrobe" and wardrobe["name"]["zh"] == "衣柜，两扇移门"
    assert wardrobe["width"]["min"] <= wardrobe["width"]["default"] <= wardrobe["width"]["max"]
    assert wardrobe["interior"]["front"]["kind"] == "sliding"


def test_catalog_table_by_room(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--room", "bathroom"]) == 0
    out = capsys.readouterr().out
    assert "vanity_floor" in out and "vanity_wall_hung" in out and "base_1_door" not in out
    assert main(["catalog", "--room", "garage"]) == 2


def test_parts_adds_up_to_the_quote(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "kitchen.json"
    assert main(["parts", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    design = Design.model_validate_json(path.read_text(encoding="utf-8"))
    assert len(doc["parts"]) == sum(1 for _ in _panels(design))
    assert doc["quote"]["total_cents"] == quote(design, load_catalog()).total_cents
    assert doc["quote"]["subtotals"]["hardware"] == sum(h["total_cents"] for h in doc["hardware"])
    assert main(["parts", str(path)]) == 0
    assert "parts; total" in capsys.readouterr().out


def test_parts_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = json.loads((EXAMPLES / "kitchen.json").read_text(encoding="utf-8"))
    raw["cabinets"][0]["options"] = {"shelves": 9}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    assert main(["parts", str(bad)]) == 2
    assert "options.shelves" in capsys.readouterr().out
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert main(["parts", str(tmp_path / "broken.json")]) == 2


def _panels(design: Design) -> list[str]:
    from backend.bom.parts import build_all

    return [p.id for b in build_all(design, load_catalog()) for p in b.panels]
