"""Rectification: sheet detection, deskew, light flattening, binarization."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from backend.floorplan import rectify, vanishing
from benchmarks.floorplan import synth


def _grid(blank: Callable[[int, int], np.ndarray]) -> np.ndarray:
    img = blank(500, 700)
    for x in range(100, 650, 150):
        cv2.line(img, (x, 50), (x, 450), 0, 6)
    for y in range(50, 460, 100):
        cv2.line(img, (100, y), (550, y), 0, 6)
    return img


def test_finds_sheet_and_its_corners() -> None:
    img = np.full((600, 800), 80, np.uint8)
    corners = np.array([[120, 90], [690, 60], [720, 540], [90, 520]], np.int32)
    cv2.fillPoly(img, [corners], 235)
    sheet = rectify.find_sheet(img)
    assert sheet is not None
    assert np.abs(sheet.corners - corners).max() < 6
    assert 560 < sheet.width_px < 660 and 420 < sheet.height_px < 500


def test_no_sheet_in_a_scan(blank: Callable[[int, int], np.ndarray]) -> None:
    assert rectify.find_sheet(_grid(blank)) is None


def test_skew_is_measured_and_undone(blank: Callable[[int, int], np.ndarray]) -> None:
    img = _grid(blank)
    rot = cv2.getRotationMatrix2D((350, 250), 2.0, 1.0)
    skewed = cv2.warpAffine(img, rot, (700, 500), borderValue=255)
    angle = rectify.skew_angle(rectify.binarize(skewed))
    assert abs(abs(angle) - 2.0) < 0.2
    h, w, hh = rectify.fit_output(rectify.rotation_about(angle, (350, 250)), 700, 500)
    straight = rectify.warp(skewed, h, (w, hh))
    assert abs(rectify.skew_angle(rectify.binarize(straight))) < 0.31


def test_straight_drawing_has_no_skew(blank: Callable[[int, int], np.ndarray]) -> None:
    assert rectify.skew_angle(rectify.binarize(_grid(blank))) == 0.0


def test_flatten_light_removes_a_shadow(blank: Callable[[int, int], np.ndarray]) -> None:
    img = _grid(blank).astype(np.float32)
    ramp = np.linspace(0.45, 1.0, img.shape[1], dtype=np.float32)[None, :]
    shaded = (img * ramp).astype(np.uint8)
    ink = rectify.binarize(rectify.flatten_light(shaded))
    truth = img < 128
    assert (ink == truth).mean() > 0.98


def test_warp_keeps_white_border(blank: Callable[[int, int], np.ndarray]) -> None:
    out = rectify.warp(blank(100, 100), rectify.scaling(0.5), (80, 80))
    assert out.shape == (80, 80) and out.min() > 240


@pytest.mark.parametrize("seed", range(8))
def test_the_true_shape_of_a_sheet_seen_in_perspective(seed: int) -> None:
    """A sheet 1000 × 620 (not a paper size) photographed by a tilted phone camera: the aspect
    ratio comes back from the corners within 0.5 % (the sides as seen are off by up to 15 %)."""
    frame = (4000, 3000)
    h = synth.camera_homography((1000, 620), frame, np.random.default_rng(seed))
    sheet = np.array([[0, 0], [1000, 0], [1000, 620], [0, 620]], np.float64)
    corners = cv2.perspectiveTransform(sheet.reshape(-1, 1, 2), h).reshape(-1, 2)
    ratio = rectify.sheet_aspect(corners, (frame[0] / 2, frame[1] / 2))
    assert ratio == pytest.approx(1000 / 620, rel=0.005)


def test_a_sheet_seen_straight_on_keeps_its_sides_and_paper_snaps() -> None:
    turned = np.array([[100, 100], [900, 120], [880, 620], [80, 600]], np.float64)  # a rotated rectangle
    ratio = rectify.sheet_aspect(turned, (500, 360))
    assert ratio == pytest.approx(np.hypot(800, 20) / np.hypot(20, 500), rel=0.002)
    a4 = np.array([[0, 0], [1410, 0], [1410, 1000], [0, 1000]], np.float64) + 50  # √2 within 0.3 %
    assert rectify.sheet_aspect(a4, (800, 600)) == pytest.approx(np.sqrt(2), rel=1e-9)


def _grid_photo(seed: int, blank: Callable[[int, int], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A drawn grid (cells 150 × 100 px) photographed so close that the sheet fills the frame; returns
    the photo and the homography sheet → photo."""
    sheet = blank(500, 700)
    for x in range(50, 700, 150):
        cv2.line(sheet, (x, 30), (x, 470), 0, 5)
    for y in range(50, 460, 100):
        cv2.line(sheet, (30, y), (670, y), 0, 5)
    h = synth.camera_homography((700, 500), (800, 600), np.random.default_rng(seed), (40, 40, 660, 460), (1.0, 1.0))
    return cv2.warpPerspective(sheet, h, (800, 600), borderValue=255), h


@pytest.mark.parametrize("seed", [1, 6, 7])
def test_perspective_from_the_drawing_when_no_sheet_edge_shows(
    seed: int, blank: Callable[[int, int], np.ndarray]
) -> None:
    photo, truth = _grid_photo(seed, blank)
    assert rectify.find_sheet(photo) is None
    found = vanishing.perspective(photo)
    assert found is not None and found[1] > 5
    # the grid's crossings, seen through the photo and back through the rectification, are a grid again
    crossings = np.array([[x, y] for x in range(50, 700, 150) for y in range(50, 460, 100)], np.float64)
    back = cv2.perspectiveTransform(crossings.reshape(-1, 1, 2), found[0] @ truth).reshape(-1, 2)
    fit, _ = cv2.estimateAffinePartial2D(crossings, back)  # a similarity: rotation, one scale, shift
    residual = back - (crossings @ fit[:, :2].T + fit[:, 2])
    scale = float(np.hypot(fit[0, 0], fit[1, 0]))
    assert np.abs(residual).max() < 0.01 * 600 * scale  # within 1 % of the drawing's size: true shape


def test_a_drawing_seen_straight_on_needs_no_perspective(blank: Callable[[int, int], np.ndarray]) -> None:
    assert vanishing.perspective(_grid(blank)) is None


def test_a_sheet_running_out_of_the_frame_is_not_taken_for_the_sheet() -> None:
    img = np.full((600, 800), 80, np.uint8)
    corners = np.array([[120, 90], [690, 60], [760, 599], [60, 599]], np.int32)  # cut by the bottom edge
    cv2.fillPoly(img, [corners], 235)
    assert rectify.find_sheet(img) is None
    outline = rectify.paper_outline(img)
    assert outline is not None
    inside = rectify.whiten_outside(np.zeros((600, 800), np.uint8), outline)
    assert inside[300, 400] == 0 and inside[30, 30] == 255 and inside[580, 20] == 255


def test_paper_in_a_shadow_is_still_paper() -> None:
    img = np.full((600, 800), 60, np.uint8)
    cv2.fillPoly(img, [np.array([[100, 80], [700, 80], [700, 599], [100, 599]], np.int32)], 240)
    img[:, 450:] = (img[:, 450:] * 0.6).astype(np.uint8)  # the right half of the sheet in shadow (144)
    outline = rectify.paper_outline(img)
    assert outline is not None
    assert outline[:, 0].max() > 690 and outline[:, 0].min() < 110


def _cropped_corners(seed: int, sheet: tuple[int, int], principal: tuple[float, float]) -> np.ndarray:
    h = synth.camera_homography(sheet, (4000, 3000), np.random.default_rng(seed), principal=principal)
    w, hh = sheet
    outline = np.array([[0, 0], [w, 0], [w, hh], [0, hh]], np.float64)
    return np.asarray(cv2.perspectiveTransform(outline.reshape(-1, 1, 2), h).reshape(-1, 2))


@pytest.mark.parametrize("seed", range(6))
def test_the_paper_formats_a_cropped_photo_allows_include_its_own(seed: int) -> None:
    """A Letter sheet photographed with the principal point 12 % off the centre (a cropped photo): the
    centre assumption misreads its shape, but the range of shapes over plausible principal points
    holds the true one, so Letter is among the paper formats offered."""
    corners = _cropped_corners(seed, (1100, 850), (0.12, -0.12))
    span = rectify.aspect_range(corners, (4000, 3000))
    assert span is not None and span[0] <= 1100 / 850 <= span[1]
    _ratio, options = rectify.choose_aspect(corners, (4000, 3000))
    assert any(o == pytest.approx(11 / 8.5) for o in options)


def test_a_cropped_photo_whose_corners_allow_one_paper_format_takes_it() -> None:
    """The corners of an A-series sheet seen by a camera 10 % off centre allow the A-series alone in some
    photos: then the sheet is rectified to exactly √2, where the centre assumption reads it off by more
    than the 1.5 % snap or cannot read it at all (no camera with its principal point at the centre
    sees those corners: the sides as seen were taken)."""
    found = 0
    for seed in range(40):
        corners = _cropped_corners(seed, (1414, 1000), (-0.1, 0.1))
        ratio, options = rectify.choose_aspect(corners, (4000, 3000))
        centre = rectify.sheet_aspect(corners, (2000, 1500), snap=False)
        if len(options) == 1 and (centre is None or abs(centre / np.sqrt(2) - 1) > rectify.PAPER_SNAP):
            assert ratio == pytest.approx(np.sqrt(2))
            found += 1
    assert found >= 3


def test_a_photo_as_taken_keeps_its_paper() -> None:
    """With the principal point at the centre nothing changes: the centre reading snaps to the paper."""
    for seed in range(6):
        corners = _cropped_corners(seed, (850, 1100), (0.0, 0.0))
        ratio, options = rectify.choose_aspect(corners, (4000, 3000))
        assert ratio == pytest.approx(8.5 / 11) and any(o == pytest.approx(8.5 / 11) for o in options)
