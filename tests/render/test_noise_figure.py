"""The residual-noise figure of the look benchmark: grain in the dark parts counts, edges and texture-free
bright parts do not."""

from __future__ import annotations

import numpy as np

from benchmarks.look.noise import noise_figure


def _scene() -> np.ndarray:  # type: ignore[type-arg]
    """A bright wall, a dark recess (the left third) and a hard edge between them, 8-bit RGB."""
    grey = np.full((120, 200), 210.0)
    grey[:, :70] = 40.0
    grey[60:, 120:] = 150.0  # a second, bright edge
    return np.repeat(grey[..., None], 3, axis=2)


def test_a_clean_picture_with_edges_has_no_noise() -> None:
    figure = noise_figure(_scene().astype(np.uint8))
    assert figure.dark < 0.05 and figure.overall < 0.05 and figure.dark_pixels > 0


def test_grain_in_the_recess_is_measured_in_grey_levels() -> None:
    rng = np.random.default_rng(7)
    clean = _scene()
    for sigma in (2.0, 8.0):
        noisy = clean.copy()
        noisy[:, :70] += rng.normal(0, sigma, (120, 70, 1))
        figure = noise_figure(np.clip(noisy, 0, 255).astype(np.uint8))
        # the residual from a 5×5 median keeps most of white noise's energy
        assert 0.6 * sigma < figure.dark < 1.2 * sigma, (sigma, figure)
    # grain only on the bright wall leaves the dark figure alone
    bright = clean.copy()
    bright[:, 100:] += rng.normal(0, 8.0, (120, 100, 1))
    figure = noise_figure(np.clip(bright, 0, 255).astype(np.uint8))
    assert figure.dark < 0.5 < figure.overall


def test_sixteen_bit_images_are_read_as_grey_levels() -> None:
    rng = np.random.default_rng(8)
    noisy = _scene()
    noisy[:, :70] += rng.normal(0, 4.0, (120, 70, 1))
    eight = np.clip(noisy, 0, 255)
    a = noise_figure(eight.astype(np.uint8)).dark
    b = noise_figure(np.round(eight * 257).astype(np.uint16)).dark
    assert abs(a - b) < 0.3 * a
