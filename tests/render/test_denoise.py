"""The albedo- and normal-guided denoiser: grain in the light goes, texture and edges stay."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from backend.render.cycles import denoise_with_guides
from backend.render.denoise import guided_denoise, noise_sigma, oidn_available, oidn_denoise


def _scene(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # type: ignore[type-arg]
    """Two walls meeting in a corner (different normals and light), the right one with a striped texture."""
    h, w = 90, 160
    normal = np.zeros((h, w, 3), dtype=np.float32)
    normal[:, :80] = (1, 0, 0)
    normal[:, 80:] = (0, 0, 1)
    albedo = np.full((h, w, 3), 0.6, dtype=np.float32)
    albedo[:, 80:][:, ::4] = 0.2  # stripes every fourth column: texture, not grain
    light = np.empty((h, w, 3), dtype=np.float32)
    light[:, :80], light[:, 80:] = 0.35, 0.8
    return light, albedo, normal


def test_grain_goes_and_the_corner_and_texture_stay() -> None:
    rng = np.random.default_rng(5)
    light, albedo, normal = _scene(rng)
    display = albedo ** (1 / 2.2)
    clean = light * display
    noisy = np.clip(clean + rng.normal(0, 0.05, clean.shape).astype(np.float32), 0, 1)
    out = guided_denoise(noisy, albedo, normal)
    inner = (slice(10, -10), slice(10, 70))  # the left wall, away from the corner and borders
    assert out[inner].std() < 0.3 * noisy[inner].std()
    assert np.abs(out - clean).mean() < 0.4 * np.abs(noisy - clean).mean()
    # the corner stays sharp: the two walls' brightness just either side of it is kept
    assert abs(out[:, 78].mean() - clean[:, 78].mean()) < 0.02
    assert abs(out[:, 81].mean() - clean[:, 81].mean()) < 0.03
    # the stripes survive (their contrast is texture the albedo carries)
    stripes, between = out[10:-10, 84:150:4].mean(), out[10:-10, 85:150:4].mean()
    assert between - stripes > 0.8 * (clean[0, 85, 0] - clean[0, 84, 0])


def test_the_grain_estimate_follows_the_local_noise() -> None:
    rng = np.random.default_rng(6)
    light = np.full((60, 120, 3), 0.5, dtype=np.float32)
    light[:, 60:] += rng.normal(0, 0.04, (60, 60, 1)).astype(np.float32)
    sigma = noise_sigma(light)[..., 0]
    assert sigma[:, 5:50].mean() < 0.002 < 0.02 < sigma[:, 70:115].mean()


def _noisy_corner(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    light, albedo, normal = _scene(rng)
    clean = light * albedo ** (1 / 2.2)
    noisy = np.clip(clean + rng.normal(0, 0.05, clean.shape).astype(np.float32), 0, 1).astype(np.float32)
    return clean, noisy, albedo, normal


def test_openimagedenoise_removes_the_grain_and_keeps_the_corner() -> None:
    pytest.importorskip("pyoidn", reason="pyoidn (the 'render' extra) is not installed")
    assert oidn_available()
    clean, noisy, albedo, normal = _noisy_corner(7)
    out = oidn_denoise(noisy, albedo, normal)
    assert out.shape == noisy.shape and out.dtype == np.float32
    inner = (slice(10, -10), slice(10, 70))
    assert out[inner].std() < 0.3 * noisy[inner].std()
    assert np.abs(out - clean).mean() < 0.4 * np.abs(noisy - clean).mean()
    assert abs(out[:, 78].mean() - clean[:, 78].mean()) < 0.03
    assert abs(out[:, 81].mean() - clean[:, 81].mean()) < 0.03
    stripes, between = out[10:-10, 84:150:4].mean(), out[10:-10, 85:150:4].mean()
    assert between - stripes > 0.8 * (clean[0, 85, 0] - clean[0, 84, 0])


def test_renders_are_denoised_by_openimagedenoise_when_it_runs() -> None:
    pytest.importorskip("pyoidn", reason="pyoidn (the 'render' extra) is not installed")
    _, noisy, albedo, normal = _noisy_corner(8)
    out = denoise_with_guides(noisy, albedo, normal)
    assert np.array_equal(out, oidn_denoise(noisy, albedo, normal))
    assert not np.array_equal(out, guided_denoise(noisy, albedo, normal))


def test_the_guided_filter_takes_over_when_openimagedenoise_is_missing_or_fails(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, noisy, albedo, normal = _noisy_corner(9)
    guided = guided_denoise(noisy, albedo, normal)
    monkeypatch.setitem(sys.modules, "pyoidn", None)  # as if not installed: importing it raises ImportError
    assert not oidn_available()
    assert np.array_equal(denoise_with_guides(noisy, albedo, normal), guided)

    class Broken:
        @staticmethod
        def denoise(*_a: object, **_k: object) -> None:
            raise RuntimeError("OIDN execute failed (error 1): unsupported CPU")

    monkeypatch.setitem(sys.modules, "pyoidn", Broken)
    assert oidn_available()
    assert np.array_equal(denoise_with_guides(noisy, albedo, normal), guided)
