"""Denoising a Cycles still with the albedo and normal passes as guides (what OpenImageDenoise's
``RGB_ALBEDO_NORMAL`` input does; Debian's Blender is built without it).

The render is divided by its albedo (texture and colour out, only the light left: the grain lives there),
that light is smoothed with an edge-avoiding à-trous wavelet filter (Dammertz et al., HPG 2010) whose
weights stop at changes of surface normal (cabinet edges, corners), of albedo (a handle on a front, the
worktop's edge) and of the light itself (a shadow's edge), then multiplied by the albedo again: the
texture stays sharp while the light in recesses is averaged over a wide area (up to ±62 px).

When the optional ``pyoidn`` package (Intel's OpenImageDenoise, CPU; the ``render`` extra) is installed,
:func:`oidn_denoise` does the same job with OpenImageDenoise's trained network and the guided filter is
the fallback (``backend.render.cycles.denoise_with_guides`` chooses).
"""

from __future__ import annotations

import importlib.util

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.float32]

_KERNEL = (1 / 16, 1 / 4, 3 / 8, 1 / 4, 1 / 16)
ALBEDO_FLOOR = 0.08
"""Added to the albedo before dividing, so black surfaces (a hob's glass) do not blow their grain up."""


def noise_sigma(light: Image, window: int = 9) -> Image:
    """A per-pixel estimate of the grain (H×W×1, in the units of ``light``): the local RMS of the luminance
    minus its 3×3 median.  Grain differs a lot over a render (bright walls clip, recesses are lit by
    bounces only), so one figure for the whole picture would under-smooth the recesses."""
    grey = np.ascontiguousarray(light.mean(axis=2), dtype=np.float32)
    residual = grey - cv2.medianBlur(grey, 3)
    variance = cv2.blur(residual * residual, (window, window))
    return np.sqrt(np.maximum(variance, 0))[..., None].astype(np.float32)


def _shifted(padded: Image, pad: int, dy: int, dx: int, height: int, width: int) -> Image:
    return padded[pad + dy:pad + dy + height, pad + dx:pad + dx + width]


def atrous(light: Image, normal: Image, albedo: Image, iterations: int = 5, colour_k: float = 3.0,
           normal_sigma: float = 0.3, albedo_sigma: float = 0.1) -> Image:
    """The edge-avoiding à-trous filter of ``light`` (H×W×3) guided by ``normal`` and ``albedo`` (H×W×3)."""
    height, width = light.shape[:2]
    sigma_c = np.maximum(colour_k * noise_sigma(light), 1e-3)
    inv_n, inv_a = 1 / normal_sigma**2, 1 / albedo_sigma**2
    out = light
    for i in range(iterations):
        step = 2 ** i
        pad = 2 * step
        spec = ((pad, pad), (pad, pad), (0, 0))
        lp, np_, ap = (np.pad(a, spec, mode="edge") for a in (out, normal, albedo))
        inv_c = 1 / np.square(sigma_c)
        acc = np.zeros_like(out)
        total = np.zeros((height, width, 1), dtype=np.float32)
        for ky, hy in enumerate(_KERNEL):
            for kx, hx in enumerate(_KERNEL):
                dy, dx = (ky - 2) * step, (kx - 2) * step
                ls = _shifted(lp, pad, dy, dx, height, width)
                ns = _shifted(np_, pad, dy, dx, height, width)
                as_ = _shifted(ap, pad, dy, dx, height, width)
                distance = (np.square(ls - out).sum(axis=2, keepdims=True) * inv_c
                            + np.square(ns - normal).sum(axis=2, keepdims=True) * inv_n
                            + np.square(as_ - albedo).sum(axis=2, keepdims=True) * inv_a)
                weight = (hy * hx) * np.exp(-distance)
                acc += weight * ls
                total += weight
        out = acc / total
        sigma_c /= 2  # each pass leaves about a quarter of the grain: trust differences of light more
    return out


def guided_denoise(colour: Image, albedo: Image, normal: Image, iterations: int = 5, colour_k: float = 6.0) -> Image:
    """Denoise a display-referred render (H×W×3, 0…1) with its albedo (linear, 0…1) and normal passes
    (same channel order as ``colour``); returns the denoised render, 0…1."""
    albedo_display = (np.clip(albedo, 0, 1) ** (1 / 2.2) + ALBEDO_FLOOR).astype(np.float32)
    light = (colour / albedo_display).astype(np.float32)
    # the guides' own grain (edges and textures sampled by few rays) is smoothed first, as
    # OpenImageDenoise's "accurate" prefilter does, with an edge-keeping bilateral filter
    guide_albedo, guide_normal = (np.asarray(cv2.bilateralFilter(g.astype(np.float32), 5, 0.1, 2), dtype=np.float32)
                                  for g in (albedo_display, normal))
    smooth = atrous(light, guide_normal, guide_albedo, iterations, colour_k=colour_k)
    return np.asarray(np.clip(smooth * albedo_display, 0, 1), dtype=np.float32)


def _srgb_to_linear(v: Image) -> Image:
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(np.float32)


def _linear_to_srgb(v: Image) -> Image:
    v = np.clip(v, 0, 1)
    return np.where(v <= 0.0031308, v * 12.92, 1.055 * v ** (1 / 2.4) - 0.055).astype(np.float32)


def oidn_installed() -> bool:
    """Whether the optional ``pyoidn`` package is installed, without loading it (loading its libraries takes
    about a second; :func:`oidn_available` does)."""
    return importlib.util.find_spec("pyoidn") is not None


def oidn_available() -> bool:
    """Whether Intel's OpenImageDenoise is importable here (the optional ``pyoidn`` package, CPU)."""
    try:
        import pyoidn  # type: ignore[import-untyped]  # noqa: F401
    except (ImportError, OSError):  # not installed, or its bundled libraries do not load on this system
        return False
    return True


def oidn_denoise(colour: Image, albedo: Image, normal: Image) -> Image:
    """Denoise a display-referred render (H×W×3, 0…1) with Intel's OpenImageDenoise (``pyoidn``, CPU, the
    ``RT`` filter at high quality) guided by its albedo (linear, 0…1) and normal passes (-1…1): what a
    Blender built with OpenImageDenoise does in Cycles.  The render is taken back to linear light (OIDN's
    LDR input is linear) and encoded again after; the guides are Cycles' noisy denoising passes
    (``clean_aux`` off: OIDN's network then expects their grain).  Raises ImportError without ``pyoidn``
    and RuntimeError when OIDN fails."""
    import pyoidn

    linear = _srgb_to_linear(np.clip(colour, 0, 1).astype(np.float32))
    guide_albedo = np.ascontiguousarray(np.clip(albedo, 0, 1), dtype=np.float32)
    guide_normal = np.ascontiguousarray(np.clip(np.nan_to_num(normal), -1, 1), dtype=np.float32)
    out = pyoidn.denoise(np.ascontiguousarray(linear), albedo=guide_albedo, normal=guide_normal,
                         hdr=False, clean_aux=False, quality="high")
    return _linear_to_srgb(np.asarray(out, dtype=np.float32))
