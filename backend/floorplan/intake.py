"""Image intake: bytes → oriented greyscale array, with typed refusals for bad uploads."""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pillow_heif
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from backend.errors import InvalidInput, PayloadTooLarge, UnsupportedMedia

MAX_BYTES = 25 * 1024 * 1024
"""Largest upload accepted (25 MB)."""
MAX_PIXELS = 50_000_000
"""Largest image accepted (50 megapixels)."""
FORMATS = {"JPEG", "PNG", "WEBP", "MPO", "HEIF"}
"""Pillow format names we accept (MPO is what some phones call their JPEGs; HEIF is the iPhone's HEIC)."""

pillow_heif.register_heif_opener()  # HEIC photos straight from a phone, through the pillow-heif wheel

_FULL_DECODES = threading.BoundedSemaphore(1)


@contextmanager
def one_full_decode() -> Iterator[None]:
    """Full-size decodes of large photos run one at a time in this process: a 7000 × 7000 photo
    costs a few hundred MB while it decodes, and four uploads at once must not cost four times that."""
    with _FULL_DECODES:
        yield

GrayImage = NDArray[np.uint8]


def check_size(data: bytes) -> None:
    """Refuse empty or over-large uploads before decoding anything."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InvalidInput("the image must be given as bytes", field="image")
    if len(data) == 0:
        raise InvalidInput("the uploaded file is empty", field="image")
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(
            f"the image is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES / 2**20:.0f} MB", field="image"
        )


def open_image(data: bytes) -> Image.Image:
    """Open (header only) and check format and pixel count; raises typed errors."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(bytes(data)))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnsupportedMedia(
            "the file is not an image we can read; upload a JPEG, PNG, WebP or HEIC photo or scan", field="image"
        ) from exc
    except Image.DecompressionBombError as exc:
        raise InvalidInput("the image has too many pixels (limit 50 megapixels)", field="image") from exc
    if image.format not in FORMATS:
        raise UnsupportedMedia(
            f"{image.format or 'this'} images are not supported; upload a JPEG, PNG, WebP or HEIC file",
            field="image",
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise InvalidInput(
            f"the image is {width}×{height} = {width * height / 1e6:.0f} megapixels; the limit is 50",
            field="image",
        )
    if width < 16 or height < 16:
        raise InvalidInput(f"the image is only {width}×{height} pixels; a plan needs more", field="image")
    return image


def decode_gray(data: bytes) -> GrayImage:
    """Decode to an (H, W) uint8 greyscale array in photo pixels (EXIF orientation applied).

    Transparent pixels are composited on white (digital plans are often transparent PNGs).
    """
    check_size(data)
    image = open_image(data)
    try:
        with warnings.catch_warnings(), one_full_decode():
            warnings.simplefilter("ignore")
            image.load()
            ImageOps.exif_transpose(image, in_place=True)  # no second full-size copy
            if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                rgba = image.convert("RGBA")
                background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                image = Image.alpha_composite(background, rgba)
                del rgba, background
            if image.mode != "L":
                image = image.convert("L")  # the colour image is let go before the array is made
            gray = np.array(image, dtype=np.uint8)
            del image
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise InvalidInput(f"the image file is damaged and cannot be decoded ({exc})", field="image") from exc
    return np.ascontiguousarray(gray)


def working_scale(wall_px: float, shape: tuple[int, int], target_wall_px: float, max_side_px: int) -> float:
    """Factor from the rectified full-resolution image to the working image.

    Chosen so that walls (``wall_px`` thick at full resolution) come out about
    ``target_wall_px`` thick, never upsampling more than 2× and keeping the longer side
    at most ``max_side_px``.
    """
    factor = target_wall_px / max(wall_px, 1.0)
    factor = min(factor, 2.0, max_side_px / max(shape))
    return float(max(factor, 96.0 / max(shape)))
