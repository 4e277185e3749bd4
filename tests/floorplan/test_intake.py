"""Intake: formats, EXIF orientation, typed refusals."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image

from backend.errors import InvalidInput, PayloadTooLarge, UnsupportedMedia
from backend.floorplan import intake


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    idat = b"IDAT" + zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", len(idat) - 4)
        + idat
        + struct.pack(">I", zlib.crc32(idat))
    )


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_decodes_supported_formats(fmt: str, to_bytes: Callable[..., bytes]) -> None:
    img = np.full((40, 60), 200, np.uint8)
    img[10:20, 10:50] = 0
    gray = intake.decode_gray(to_bytes(img, fmt))
    assert gray.shape == (40, 60)
    assert gray.dtype == np.uint8
    assert gray[15, 30] < 60 and gray[30, 30] > 150


def test_exif_orientation_is_applied() -> None:
    img = Image.fromarray(np.full((40, 80), 255, np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    assert intake.decode_gray(buf.getvalue()).shape == (80, 40)


def test_transparent_png_is_composited_on_white() -> None:
    rgba = np.zeros((30, 30, 4), np.uint8)
    rgba[10:20, 10:20] = (0, 0, 0, 255)
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, format="PNG")
    gray = intake.decode_gray(buf.getvalue())
    assert gray[0, 0] == 255 and gray[15, 15] == 0


def test_refuses_over_25_mb() -> None:
    with pytest.raises(PayloadTooLarge, match="25 MB"):
        intake.decode_gray(b"\xff" * (intake.MAX_BYTES + 1))


def test_refuses_over_50_megapixels() -> None:
    with pytest.raises(InvalidInput, match="megapixels"):
        intake.decode_gray(_png_header(8000, 7000))


def test_refuses_empty_and_garbage() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        intake.decode_gray(b"")
    with pytest.raises(UnsupportedMedia):
        intake.decode_gray(b"this is not an image at all")


def test_refuses_gif(to_bytes: Callable[..., bytes]) -> None:
    with pytest.raises(UnsupportedMedia, match="GIF"):
        intake.decode_gray(to_bytes(np.zeros((20, 20), np.uint8), "GIF"))


def test_truncated_file_is_invalid(to_bytes: Callable[..., bytes]) -> None:
    data = to_bytes(np.random.default_rng(0).integers(0, 255, (200, 200), dtype=np.uint8))
    with pytest.raises((InvalidInput, UnsupportedMedia)):
        intake.decode_gray(data[: len(data) // 2])


def test_working_scale_targets_wall_thickness() -> None:
    assert intake.working_scale(32.0, (3000, 4000), 8.0, 2600) == pytest.approx(0.25)
    assert intake.working_scale(2.0, (400, 600), 8.0, 2600) == pytest.approx(2.0)
    assert intake.working_scale(4.0, (3000, 4000), 8.0, 2600) == pytest.approx(0.65)


def test_heic_phone_photos_are_read() -> None:
    import io

    from PIL import Image, ImageDraw

    from backend.floorplan import vectorize

    image = Image.new("L", (900, 640), 255)
    draw = ImageDraw.Draw(image)
    for box in ((50, 50, 850, 62), (50, 578, 850, 590), (50, 50, 62, 590), (838, 50, 850, 590)):
        draw.rectangle(box, fill=0)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "HEIF", quality=95)
    result = vectorize(buffer.getvalue())
    assert len(result.plan.walls) >= 4 and len(result.plan.rooms) == 1
