"""``roomwright nest`` on small cut lists."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from backend.bom.layout_check import check_layout
from backend.cli import nest as nest_cli
from backend.cli.nest import read_cutlist
from backend.errors import InvalidInput


def main(argv: Sequence[str]) -> int:
    """``roomwright`` with only the nest command (independent of the other CLI modules)."""
    parser = argparse.ArgumentParser(prog="roomwright")
    nest_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code

PLAIN = """ID,WIDTH,HEIGHT,QTY,GRAIN,MATERIAL
side,720,559,2,,white
door,711,293,1,L,oak
shelf,519,262,3,none,white
"""

FACTORY = (
    "part_id,cabinet,cabinet_type,part,material,thickness_mm,length_mm,width_mm,qty,grain,"
    "edge_L1,edge_L2,edge_W1,edge_W2,cut_length_mm,cut_width_mm,note\n"
    """K1-B1-01,K1-B1,base,side,MFC18_white,18,720,560,2,none,ABS,,,,720.0,559.0,"full height; banded"
K1-B1-05,K1-B1,base,drawer front,MFC18_oak,18,447,356,1,L,ABS,ABS,ABS,ABS,443.0,352.0,grain horizontal
K1-B1-07,K1-B1,base,drawer bottom,MFC16_white,16,476,339,1,none,,,,,476.0,339.0,
"""
)


def _run(tmp_path: Path, text: str, *extra: str) -> tuple[int, Path]:
    src = tmp_path / "cut.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "layout.json"
    code = main(["nest", str(src), "--board", "2800x2070", "--trim", "10", "--kerf", "4",
                 "--stages", "3", "-o", str(out), *extra])
    return code, out


def test_plain_cut_list_writes_a_checked_layout(tmp_path: Path) -> None:
    code, out = _run(tmp_path, PLAIN)
    assert code == 0
    layout = json.loads(out.read_text())
    assert [m["material"] for m in layout["materials"]] == ["oak", "white"]
    white = layout["materials"][1]
    assert white["sheet_count"] == 1 and white["lower_bound"] == 1 and 0 < white["yield"] < 1
    ids = sorted(p["part_id"] for m in layout["materials"] for s in m["sheets"] for p in s["placements"])
    assert ids == ["door", "shelf#1", "shelf#2", "shelf#3", "side#1", "side#2"]
    first = layout["materials"][0]["sheets"][0]
    assert set(first["placements"][0]) == {"part_id", "x", "y", "width", "height", "rotated"}
    assert all({"stage", "kind"} <= set(c) for c in first["cuts"])
    parts = [{"id": p.id, "width": p.width, "height": p.height, "grain_locked": p.grain_locked,
              "material": p.material} for p in read_cutlist(PLAIN)]
    assert check_layout(layout, parts) == []


def test_factory_cut_list_uses_cut_sizes_and_thickness(tmp_path: Path) -> None:
    parts = read_cutlist(FACTORY)
    assert [(p.id, p.width, p.height, p.grain_locked, p.material) for p in parts] == [
        ("K1-B1-01#1", 720.0, 559.0, False, "MFC18_white/18"),
        ("K1-B1-01#2", 720.0, 559.0, False, "MFC18_white/18"),
        ("K1-B1-05", 443.0, 352.0, True, "MFC18_oak/18"),
        ("K1-B1-07", 476.0, 339.0, False, "MFC16_white/16"),
    ]
    code, out = _run(tmp_path, FACTORY, "--no-rotate")
    assert code == 0
    layout = json.loads(out.read_text())
    assert layout["settings"]["rotate"] is False
    assert len(layout["materials"]) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ID,WIDTH,HEIGHT\na,10,10\nb,abc,10\n", "row 3, column width: 'abc' is not a number"),
        ("ID,WIDTH,HEIGHT\na,10,-5\n", "row 2, column height: must be a positive size"),
        ("ID,WIDTH,HEIGHT,QTY\na,10,10,two\n", "row 2, column qty"),
        ("ID,WIDTH,HEIGHT,GRAIN\na,10,10,diagonal\n", "row 2, column grain"),
        ("ID,LENGTH\na,10\n", "missing column(s) width, height"),
        ("ID,WIDTH,HEIGHT\na,10,10\na,20,20\n", "'a' appears twice"),
        ("", "empty"),
    ],
)
def test_bad_csv_is_rejected_with_row_and_column(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as err:
        read_cutlist(text)
    assert message in str(err.value)


def test_bad_csv_exit_code_and_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(tmp_path, "ID,WIDTH,HEIGHT\na,10,x\n")
    assert code == 2 and not out.exists()
    assert "row 2, column height" in capsys.readouterr().err


def test_part_larger_than_the_board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(tmp_path, "ID,WIDTH,HEIGHT,GRAIN\nworktop,3000,600,L\n")
    assert code == 2
    err = capsys.readouterr().err
    assert "'worktop'" in err and "does not fit" in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["nest", str(tmp_path / "nope.csv")])
    assert code == 2
    assert "cannot read" in capsys.readouterr().err


def test_shared_kitchen_batch_reads_327_parts(shared_dir: Path) -> None:
    text = (shared_dir / "nesting" / "kitchens" / "kitchens3_cutlist.csv").read_text(encoding="utf-8")
    parts = read_cutlist(text)
    assert len(parts) == 327
    assert {p.material for p in parts} == {
        "MFC18_W980_white/18", "MFC18_H1145_oak/18", "MFC16_W980_white/16", "HDF3_white/3"}


def test_reads_our_own_semicolon_cutlist_with_bom() -> None:
    """The order package's cutlist.csv (semicolons, UTF-8 with BOM) nests as it is."""
    text = ("\ufeffpart_id;cabinet;material;thickness_mm;length_mm;width_mm;qty;grain;cut_length_mm;cut_width_mm\n"
            "P-1;C1;pb_white_18;18;720;560;2;L;719;559\n"
            "P-2;C1;pb_white_18;18;564;560;1;none;563;559\n")
    parts = read_cutlist(text)
    assert len(parts) == 3
    locked = [p for p in parts if p.grain_locked]
    assert len(locked) == 2 and all((p.width, p.height) in ((719, 559), (559, 719)) for p in locked)


def test_several_sizes_and_remnants_from_the_command_line(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    text = "ID,WIDTH,HEIGHT,QTY,GRAIN,MATERIAL\nd,1200,1000,6,,white\nx,700,500,4,,oak\n"
    code, out = _run(tmp_path, text, "--board", "2440x1220", "--remnant", "white=RM-1:1300x1100",
                     "--remnant", "oak=RM-2:1500x1100")
    assert code == 0
    layout = json.loads(out.read_text())
    oak, white = layout["materials"]
    assert [s["remnant_id"] for s in oak["sheets"]] == ["RM-2"]  # 4 of 700 × 500 fit the remnant: no new sheet
    assert white["sheets"][0]["remnant_id"] == "RM-1" and len(white["sheets"][0]["placements"]) == 1
    assert sorted((s["board"]["length"], s["remnant_id"] or "") for s in white["sheets"][1:]) == [
        (2440, ""), (2800, "")]  # 5 left: one of each size, less stock than two large sheets
    parts = [{"id": p.id, "width": p.width, "height": p.height, "grain_locked": p.grain_locked,
              "material": p.material} for p in read_cutlist(text)]
    assert check_layout(layout, parts) == []
    assert "white: 3 sheets (remnant RM-1, 1 × 2" in capsys.readouterr().err
    assert main(["nest", str(tmp_path / "cut.csv"), "--remnant", "1400x900"]) == 2
    code, out = _run(tmp_path, "ID,WIDTH,HEIGHT,QTY\nd,1200,1000,3\n", "--remnant", "RM-3:1300x1100")
    assert code == 0  # without MATERIAL= the remnant is offered to every material (here the one without a name)
    assert next(s["remnant_id"] for s in json.loads(out.read_text())["materials"][0]["sheets"]) == "RM-3"
