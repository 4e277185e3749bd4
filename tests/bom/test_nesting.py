"""Sheet nesting: every layout goes through the independent checker."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.bom.layout_check import check_layout
from backend.bom.nesting import Board, NestSettings, Part, nest
from backend.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]


def _plain(parts: list[Part]) -> list[dict[str, Any]]:
    return [
        {"id": p.id, "width": p.width, "height": p.height, "grain_locked": p.grain_locked,
         "material": p.material}
        for p in parts
    ]


def _kitchen_like() -> list[Part]:
    parts = []
    for cab in range(12):
        for side in (1, 2):
            parts.append(Part(f"c{cab}-side{side}", 720, 559, material="white"))
        parts.append(Part(f"c{cab}-bottom", 559, 414 + 10 * cab, material="white"))
        parts.append(Part(f"c{cab}-shelf", 519, 400 + 10 * cab, material="white"))
        parts.append(Part(f"c{cab}-rail", 414 + 10 * cab, 99, material="white"))
        parts.append(Part(f"c{cab}-door", 711, 293 + 20 * (cab % 4), grain_locked=True, material="oak"))
        parts.append(Part(f"c{cab}-back", 705, 428, material="hdf"))
    return parts


def test_kitchen_layout_is_valid_and_near_the_bound() -> None:
    parts = _kitchen_like()
    result = nest(parts, Board(2800, 2070), NestSettings(trim=10, kerf=4, stages=3))
    layout = result.to_dict()
    assert check_layout(layout, _plain(parts)) == []
    assert [m.material for m in result.materials] == ["hdf", "oak", "white"]
    for m in result.materials:
        assert m.lower_bound == math.ceil(m.part_area / (2780 * 2050))
        assert m.sheet_count <= m.lower_bound + 1
        assert 0 < m.yield_ <= 1
        assert m.gap == m.sheet_count - m.lower_bound


def test_grain_locked_parts_are_never_rotated() -> None:
    # tall narrow grain-locked parts would pack better turned; they must not be
    parts = [Part(f"g{i}", 300, 1900, grain_locked=True) for i in range(8)]
    result = nest(parts, Board(2800, 2070), NestSettings(trim=10, kerf=4))
    placements = [p for sh in result.materials[0].sheets for p in sh.placements]
    assert placements and not any(p.rotated for p in placements)
    assert all(p.width == 300 and p.height == 1900 for p in placements)


def test_free_parts_turn_when_it_helps() -> None:
    # 2000-long parts across a 1000-wide board only fit turned
    parts = [Part(f"p{i}", 300, 2000) for i in range(6)]
    result = nest(parts, Board(2100, 1000), NestSettings(trim=0, kerf=0))
    assert result.sheet_count == 2
    assert all(p.rotated for sh in result.materials[0].sheets for p in sh.placements)
    assert check_layout(result.to_dict(), _plain(parts)) == []


def test_cut_sequence_stages_and_offcuts() -> None:
    parts = [Part("a", 1000, 600), Part("b", 800, 600), Part("c", 1000, 300)]
    result = nest(parts, Board(2800, 2070), NestSettings(trim=10, kerf=4, min_offcut=(200, 200)))
    sheet = result.materials[0].sheets[0]
    stages = [c.stage for c in sheet.cuts]
    assert stages[:4] == [0, 0, 0, 0]  # edge trims come first
    assert {c.kind for c in sheet.cuts[:4]} == {"edge-trim"}
    assert stages[4] == 1 and max(stages) <= 4
    assert all(c.kind == "trim" for c in sheet.cuts if c.stage == 4)
    assert sheet.offcuts, "a mostly empty board leaves a large offcut"
    for o in sheet.offcuts:
        assert min(o.width, o.height) >= 200
        assert o.x >= 10 and o.x + o.width <= 2790 + 1e-6 and o.y + o.height <= 2060 + 1e-6


@pytest.mark.parametrize("stages", [2, 3, 4])
def test_stage_limit_is_respected(stages: int) -> None:
    parts = [Part(f"p{i}", 100 + 37 * (i % 9), 80 + 53 * (i % 7)) for i in range(40)]
    result = nest(parts, Board(1200, 900), NestSettings(trim=5, kerf=3, stages=stages, effort=0))
    assert check_layout(result.to_dict(), _plain(parts)) == []
    assert max(c.stage for sh in result.materials[0].sheets for c in sh.cuts) <= stages + 1


def test_first_cut_direction_can_be_fixed() -> None:
    parts = [Part(f"p{i}", 200 + 10 * i, 150) for i in range(10)]
    for first in ("horizontal", "vertical"):
        result = nest(parts, Board(1000, 800), NestSettings(trim=0, kerf=2, first_cut=first))
        assert {sh.first_cut for sh in result.materials[0].sheets} == {first}
        assert check_layout(result.to_dict(), _plain(parts)) == []


def test_part_larger_than_board_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match=r"'big'.*does not fit"):
        nest([Part("big", 2790, 100)], Board(2800, 2070), NestSettings(trim=10))
    with pytest.raises(InvalidInput, match="grain-locked"):
        nest([Part("door", 300, 2400, grain_locked=True)], Board(2800, 2070), NestSettings(trim=10))
    # the same part may turn when it is free
    assert nest([Part("door", 300, 2400)], Board(2800, 2070)).sheet_count == 1


def test_duplicate_ids_and_bad_settings_are_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="twice"):
        nest([Part("a", 10, 10), Part("a", 20, 20)], Board(100, 100))
    with pytest.raises(InvalidInput):
        NestSettings(stages=5)
    with pytest.raises(InvalidInput):
        Part("x", 0, 10)


def test_board_per_material() -> None:
    parts = [Part("a", 2000, 1000, material="big"), Part("b", 1000, 500, material="small")]
    result = nest(parts, {"big": Board(2800, 2070), "small": Board(2440, 1220)})
    assert [m.board.length for m in result.materials] == [2800, 2440]
    assert check_layout(result.to_dict(), _plain(parts)) == []


def test_same_input_same_layout() -> None:
    parts = _kitchen_like()
    one = nest(parts, Board(2800, 2070)).to_dict()
    two = nest(parts, Board(2800, 2070)).to_dict()
    assert one == two


def test_layout_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    csv_path = tmp_path / "cut.csv"
    rows = ["ID,WIDTH,HEIGHT,QTY,GRAIN,MATERIAL"]
    rows += [f"p{i},{150 + 31 * (i % 11)},{90 + 47 * (i % 5)},{1 + i % 3},{'L' if i % 4 == 0 else ''},"
             f"{'oak' if i % 2 else 'white'}" for i in range(30)]
    csv_path.write_text("\n".join(rows) + "\n")
    outputs = []
    for seed in ("1", "12345"):
        out = tmp_path / f"layout{seed}.json"
        code = ("import argparse, sys; from backend.cli import nest; p = argparse.ArgumentParser(); "
                "nest.register(p.add_subparsers()); "
                f"a = p.parse_args(['nest', {str(csv_path)!r}, '--board', '1400x1000', '-o', {str(out)!r}]); "
                "sys.exit(a.handler(a))")
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True,
                       env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"})
        outputs.append(json.loads(out.read_text()))
    assert outputs[0] == outputs[1]


@st.composite
def _instances(draw: st.DrawFn) -> tuple[list[Part], Board, NestSettings]:
    length = draw(st.integers(300, 3000))
    width = draw(st.integers(200, 2100))
    trim = draw(st.sampled_from([0.0, 5.0, 10.0]))
    kerf = draw(st.sampled_from([0.0, 3.2, 4.0]))
    rotate = draw(st.booleans())
    s = NestSettings(trim=trim, kerf=kerf, stages=draw(st.integers(2, 4)), rotate=rotate,
                     first_cut=draw(st.sampled_from(["auto", "horizontal", "vertical"])), effort=0)
    ux, uy = length - 2 * trim, width - 2 * trim
    n = draw(st.integers(1, 25))
    parts = []
    for i in range(n):
        w = draw(st.integers(1, int(ux)))
        h = draw(st.integers(1, int(uy)))
        parts.append(Part(f"p{i}", float(w), float(h), grain_locked=draw(st.booleans()),
                          material=draw(st.sampled_from(["a", "b"]))))
    return parts, Board(float(length), float(width)), s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_instances())
def test_random_instances_give_valid_layouts(instance: tuple[list[Part], Board, NestSettings]) -> None:
    parts, board, s = instance
    result = nest(parts, board, s)
    layout = result.to_dict()
    assert check_layout(layout, _plain(parts)) == []
    placed = sorted(p["part_id"] for m in layout["materials"] for sh in m["sheets"] for p in sh["placements"])
    assert placed == sorted(p.id for p in parts)
    for m in result.materials:
        assert m.sheet_count >= m.lower_bound
