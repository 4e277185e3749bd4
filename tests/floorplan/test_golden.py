"""Golden tests on real plans from ../shared (research licences: read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from backend.floorplan import vectorize
from benchmarks.floorplan import metrics


def _wall_f1(folder: Path) -> tuple[float, int]:
    result = vectorize((folder / "image.jpg").read_bytes())
    truth = np.asarray(Image.open(folder / "wall.png").convert("L")) > 127
    pred = metrics.rasterize(metrics.wall_bands(result.plan), result.to_photo_px, truth.shape)
    return metrics.tolerant_f1(pred, truth, 3), len(result.plan.rooms)


@pytest.mark.parametrize(("sample", "min_f1", "min_rooms"), [("r3d_31074492", 0.85, 4), ("r3d_45348658", 0.85, 4)])
def test_r3d_walls_and_rooms(real_dir: Path, sample: str, min_f1: float, min_rooms: int) -> None:
    f1, rooms = _wall_f1(real_dir / sample)
    assert f1 >= min_f1
    assert rooms >= min_rooms


def test_swedish_plan_rooms_and_valid_output(real_dir: Path) -> None:
    result = vectorize((real_dir / "ftb_example_se_areas" / "image.png").read_bytes())
    assert len(result.plan.walls) >= 8
    assert len(result.plan.rooms) >= 3
    assert all(r.shape().is_valid for r in result.plan.rooms)


def test_phone_photo_of_a_sketch_does_not_crash(real_dir: Path) -> None:
    result = vectorize((real_dir / "ftb_example6_phone_photo_sketch" / "image.png").read_bytes())
    assert result.plan.source is not None
    assert {result.plan.source.image_width_px, result.plan.source.image_height_px} == {4032, 2268}
    assert sum(result.timings_s.values()) < 10


def test_french_scan_scales_from_its_dimension_chains(real_dir: Path) -> None:
    """The CVC-FP attic prints a 7.80 m chain across the top and a 10.28 m chain down the right (weak
    ground truth); their outer ticks, located by hand in the scan, come out at those lengths."""
    result = vectorize((real_dir / "cvcfp_scan_fr_attic" / "image.png").read_bytes())
    assert result.scale.method == "dimension_line" and result.scale.confidence >= 0.9
    for (a, b), printed in ((((488, 24), (918, 27)), 7800), (((1025, 134), (1021, 697)), 10280)):
        length = float(np.hypot(*np.subtract(result.to_plan_mm(a), result.to_plan_mm(b))))
        assert length == pytest.approx(printed, rel=0.015)


def test_swedish_plan_areas_match_the_printed_ones(real_dir: Path) -> None:
    """Scaled from its printed room areas (13 m² bedroom, 8 m² balcony, rounded by the author)."""
    result = vectorize((real_dir / "ftb_example_se_areas" / "image.png").read_bytes())
    assert result.scale.method == "room_area"
    areas = {room.type: room.area_m2 for room in result.plan.rooms}
    assert areas["bedroom"] == pytest.approx(13, abs=0.6) and areas["balcony"] == pytest.approx(8, abs=0.6)
