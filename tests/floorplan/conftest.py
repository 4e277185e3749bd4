"""Fixtures for the floor-plan vectorizer tests: small drawn images and synthetic plans."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def encode_png(img: np.ndarray, fmt: str = "PNG", **params: object) -> bytes:
    """Encode an array as image bytes (PNG by default)."""
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format=fmt, **params)
    return buf.getvalue()


@pytest.fixture
def to_bytes() -> Callable[..., bytes]:
    return encode_png


@pytest.fixture
def blank() -> Callable[[int, int], np.ndarray]:
    def make(h: int = 400, w: int = 600) -> np.ndarray:
        return np.full((h, w), 255, np.uint8)

    return make


@pytest.fixture(scope="session")
def real_dir(shared_dir: Path) -> Path:
    path = shared_dir / "floorplans" / "real"
    if not path.is_dir():
        pytest.skip("real floor plans are not in ../shared")
    return path
