"""Optional OCR (Tesseract through pytesseract). Everything degrades to 'nothing read' without it."""

from __future__ import annotations

import importlib.util
import shutil

import numpy as np
from numpy.typing import NDArray


def available() -> bool:
    """True when both the ``tesseract`` binary and the ``pytesseract`` package are installed."""
    return shutil.which("tesseract") is not None and importlib.util.find_spec("pytesseract") is not None


def read_labels(gray: NDArray[np.uint8], enabled: bool) -> tuple[list[str], list[str]]:
    """Text lines read from the plan, and warnings. Returns no text when OCR is off or missing."""
    if not enabled:
        return [], []
    if not available():
        return [], ["OCR is not installed (tesseract); room names and printed dimensions were not read"]
    return [], ["OCR is installed but reading labels is not implemented yet"]
