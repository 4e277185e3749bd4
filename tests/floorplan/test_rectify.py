"""Rectification: sheet detection, deskew, light flattening, binarization."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from backend.floorplan import rectify


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
