"""Residual noise of a render: the grain left after denoising, measured where it shows, in the dark recesses.

Path-tracing noise is strongest where a surface is lit only by bounced light (inside open cabinets, under
the wall units, plinths, corners): those pixels are the darkest of the picture.  The figure is the RMS of
the high-frequency residual (the luminance minus its 5×5 median, which keeps edges and removes grain)
over the darkest quarter of the picture, leaving out pixels on an edge of the median image (an edge is
structure, not noise).  Units: 8-bit grey levels; a clean render is well under 1, visible grain is 2 and up.

``python -m benchmarks.look.noise IMAGE.png ...`` prints the figures of saved renders.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

DARK_QUANTILE = 0.25
"""The darkest quarter of the picture is where the recesses are."""
EDGE_GRADIENT = 12.0
"""Grey levels per pixel (Sobel of the median image): above it a pixel is on an edge, not in a flat area."""


@dataclass(frozen=True)
class NoiseFigure:
    dark: float
    """RMS residual (grey levels) in the darkest quarter, edges left out: the figure that matters."""
    overall: float
    """The same over every flat pixel of the picture."""
    dark_pixels: int

    def as_dict(self) -> dict[str, float | int]:
        return {"noise_dark": round(self.dark, 3), "noise_overall": round(self.overall, 3),
                "noise_dark_pixels": self.dark_pixels}


def luminance(image: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    """Rec. 709 luma of an RGB (H×W×3, 8-bit or 16-bit) or grey image, as float grey levels 0…255."""
    data = np.asarray(image)
    scale = 255.0 / 65535.0 if data.dtype == np.uint16 else 1.0
    data = data.astype(np.float32) * scale
    if data.ndim == 2:
        return data
    return data[..., 0] * 0.2126 + data[..., 1] * 0.7152 + data[..., 2] * 0.0722  # type: ignore[no-any-return]


def noise_figure(rgb: np.ndarray) -> NoiseFigure:  # type: ignore[type-arg]
    """The residual noise of an RGB render (see the module's docstring)."""
    grey = luminance(rgb)
    median = cv2.medianBlur(np.clip(grey, 0, 255).astype(np.float32), 5)
    residual = grey - median
    gx = cv2.Sobel(median, cv2.CV_32F, 1, 0, ksize=3) / 4
    gy = cv2.Sobel(median, cv2.CV_32F, 0, 1, ksize=3) / 4
    flat = np.hypot(gx, gy) < EDGE_GRADIENT
    flat[:3, :] = flat[-3:, :] = flat[:, :3] = flat[:, -3:] = False  # the median's border is not real
    dark = flat & (median <= np.quantile(median, DARK_QUANTILE))
    dark_rms = float(np.sqrt(np.mean(residual[dark] ** 2))) if dark.any() else 0.0
    overall = float(np.sqrt(np.mean(residual[flat] ** 2))) if flat.any() else 0.0
    return NoiseFigure(dark=dark_rms, overall=overall, dark_pixels=int(dark.sum()))


def noise_of_file(path: Path) -> NoiseFigure:
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"{path}: not an image")
    return noise_figure(bgr[..., ::-1])


def main(argv: list[str]) -> int:
    for name in argv:
        print(name, noise_of_file(Path(name)).as_dict())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
