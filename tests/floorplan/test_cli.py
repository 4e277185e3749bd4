"""The ``roomwright vectorize`` command."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from backend.cli import vectorize
from benchmarks.floorplan import synth


def main(argv: Sequence[str]) -> int:
    """Parse like ``roomwright`` does, with only this package's command registered."""
    parser = argparse.ArgumentParser(prog="roomwright")
    vectorize.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def test_vectorize_writes_plan_and_overlay(tmp_path: Path) -> None:
    sample = synth.scan_sample(3)
    photo = tmp_path / "plan.jpg"
    photo.write_bytes(sample.encoded)
    out, overlay = tmp_path / "plan.json", tmp_path / "overlay.png"
    code = main(
        [
            "vectorize",
            str(photo),
            "-o",
            str(out),
            "--scale-line",
            "10",
            "10",
            "110",
            "10",
            "5000",
            "--debug",
            str(overlay),
        ]
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert data["plan"]["walls"] and data["plan"]["source"]["scale"]["method"] == "user_line"
    assert data["scale"]["method"] == "user_line" and len(data["image_to_plan"]) == 3
    wall_ids = {w["id"] for w in data["walls"]}
    assert data["openings"] and all(o["wall"] in wall_ids and o["offset"] > 0 for o in data["openings"])
    assert all(r["area_m2"] > 0 for r in data["rooms"])
    assert overlay.stat().st_size > 1000


def test_vectorize_refuses_non_images(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    assert main(["vectorize", str(bad), "-o", str(tmp_path / "x.json")]) == 1
    assert "not an image" in capsys.readouterr().err
    assert main(["vectorize", str(tmp_path / "missing.png"), "-o", str(tmp_path / "x.json")]) == 2
