"""Uploads of images (floor-plan photos, installation photos): limits, sniffing, hashing, storing."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from backend.db import tables
from backend.enums import Role
from backend.errors import InvalidInput, NotFound, PayloadTooLarge, UnsupportedMedia
from backend.floorplan.intake import one_full_decode
from backend.services.actor import Actor
from backend.storage import FileStore

pillow_heif.register_heif_opener()  # iPhones save photos as HEIC

HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
DISPLAYABLE = {"image/jpeg", "image/png", "image/webp"}
"""What every browser shows; other uploads (HEIC) are converted to JPEG for display."""

# Magic numbers of the image formats we accept (the client's Content-Type is never trusted).
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"WEBP", 8, "image/webp"),
)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000


def sniff_image_type(data: bytes) -> str | None:
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "image/heic"
    for magic, offset, mime in _SIGNATURES:
        if data[offset:offset + len(magic)] == magic and (mime != "image/webp" or data[:4] == b"RIFF"):
            return mime
    return None


def inspect_image(data: bytes, limits: UploadLimits) -> tuple[str, int, int]:
    """(content type, width, height) of an acceptable image, or a clear, typed error."""
    if len(data) > limits.max_bytes:
        raise PayloadTooLarge(
            f"the file is {len(data) / 1e6:.1f} MB; the limit is {limits.max_bytes / 1e6:.0f} MB",
            field="file", extra={"limit_bytes": limits.max_bytes},
        )
    if not data:
        raise InvalidInput("the file is empty", field="file")
    mime = sniff_image_type(data)
    if mime is None:
        raise UnsupportedMedia("this is not a JPEG, PNG, WebP or HEIC image", field="file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit decides
            with Image.open(io.BytesIO(data)) as img:  # the header only: nothing is decoded yet
                width, height = img.size
                if width * height > limits.max_pixels:
                    raise PayloadTooLarge(
                        f"the image has {width * height / 1e6:.0f} megapixels; the limit is "
                        f"{limits.max_pixels / 1e6:.0f}", field="file", extra={"limit_pixels": limits.max_pixels})
                _check_decodes(img)
    except Image.DecompressionBombError as exc:  # so many pixels that Pillow refuses to open it at all
        raise PayloadTooLarge(
            f"the image has more than {2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6:.0f} megapixels; the limit is "
            f"{limits.max_pixels / 1e6:.0f}", field="file", extra={"limit_pixels": limits.max_pixels}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"the image could not be read (it may be damaged or cut off): {exc}",
                           field="file") from exc
    return mime, width, height


def _check_decodes(img: Image.Image) -> None:
    """Decode the whole file to prove it is not damaged, in bounded memory: a JPEG at 1/8 scale (the
    decoder still reads every byte), other formats at full size but one at a time."""
    width, height = img.size
    if img.format in ("JPEG", "MPO"):
        img.draft("L", (max(1, width // 8), max(1, height // 8)))
        img.load()
        return
    with one_full_decode():
        img.load()


def store_upload(
    db: Session, store: FileStore, actor: Actor, data: bytes, filename: str, limits: UploadLimits
) -> tables.Upload:
    mime, width, height = inspect_image(data, limits)
    key = store.put(data)
    row = tables.Upload(owner_id=actor.id, sha256=key, content_type=mime, size_bytes=len(data),
                        width_px=width, height_px=height, filename=filename.replace("\x00", "")[:300], storage_key=key)
    db.add(row)
    db.flush()
    return row


def get_upload(db: Session, actor: Actor, upload_id: str) -> tables.Upload:
    row = db.get(tables.Upload, upload_id)
    if row is None or (row.owner_id != actor.id and actor.role != Role.ADMIN):
        raise NotFound(f"no upload '{upload_id}'", field="upload_id")
    return row


def display_bytes(data: bytes, content_type: str) -> tuple[bytes, str]:
    """The image as a browser can show it: JPEG, PNG and WebP as they are, HEIC converted to JPEG
    (with its EXIF orientation applied)."""
    if content_type in DISPLAYABLE:
        return data, content_type
    with Image.open(io.BytesIO(data)) as img:
        from PIL import ImageOps

        rgb = ImageOps.exif_transpose(img).convert("RGB")
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=90)
    return out.getvalue(), "image/jpeg"
