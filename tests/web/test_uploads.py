"""Upload limits: too large → 413, not an image → 415, damaged image → 422; good images are kept by hash."""

from __future__ import annotations

import hashlib

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import assert_problem, png_bytes, user_headers


def post(client: TestClient, headers: dict[str, str], data: bytes, name: str = "plan.png",
         ctype: str = "image/png") -> object:
    return client.post("/api/uploads", files={"file": (name, data, ctype)}, headers=headers)


def test_good_images_are_stored_with_their_hash(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    for fmt, mime in (("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")):
        data = png_bytes(120, 80, fmt)
        response = client.post("/api/uploads", files={"file": ("x", data, "application/octet-stream")},
                               headers=headers)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["content_type"] == mime and body["sha256"] == hashlib.sha256(data).hexdigest()
        assert (body["width_px"], body["height_px"]) == (120, 80)
        content = client.get(f"/api/uploads/{body['id']}/content", headers=headers)
        assert content.content == data and content.headers["content-type"] == mime


def test_too_large_is_413(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    big = png_bytes() + b"\0" * (2 * 1024 * 1024)
    body = assert_problem(post(client, headers, big), 413, "file")
    assert "limit" in body["detail"]


def test_too_many_pixels_is_413(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    assert_problem(post(client, headers, png_bytes(2100, 2000)), 413, "file")


def test_not_an_image_is_415(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    body = assert_problem(post(client, headers, b"%PDF-1.7 not a plan photo", "plan.png", "image/png"), 415, "file")
    assert "JPEG, PNG, WebP or HEIC" in body["detail"]


def test_corrupt_image_is_422(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    truncated = png_bytes(300, 300)[:200]
    body = assert_problem(post(client, headers, truncated), 422, "file")
    assert "could not be read" in body["detail"]


def test_empty_file_is_422_and_missing_file_names_the_field(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    assert_problem(post(client, headers, b""), 422, "file")
    assert_problem(client.post("/api/uploads", headers=headers), 422, "file")


def test_heic_photos_are_accepted_and_shown_as_jpeg(client: TestClient, app: FastAPI) -> None:
    import io

    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (96, 64), (30, 90, 160)).save(buffer, "HEIF")
    headers = user_headers(app, client)
    response = client.post("/api/uploads", files={"file": ("IMG_0001.HEIC", buffer.getvalue(), "image/heic")},
                           headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "image/heic" and response.json()["width_px"] == 96
    shown = client.get(f"/api/uploads/{response.json()['id']}/content", headers=headers)
    assert shown.headers["content-type"] == "image/jpeg" and shown.content[:3] == b"\xff\xd8\xff"


def png_header(width: int, height: int, idat: bytes = b"not zlib data at all") -> bytes:
    """A PNG whose header claims ``width`` × ``height`` and whose pixel data is garbage: refusing it
    with 413 (not 422 "damaged") shows the pixel count is checked before anything is decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_image_bomb_is_413_with_our_message_before_decoding(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    # 144 MP: past Pillow's warning threshold; 10 000 MP: past the size at which Pillow refuses to open it
    for width, height, said in ((12_000, 12_000, "144 megapixels"), (100_000, 100_000, "more than")):
        response = post(client, headers, png_header(width, height))
        body = assert_problem(response, 413, "file")
        assert said in body["detail"] and "the limit is 4" in body["detail"], body
        assert "decompression bomb" not in body["detail"].lower()
        assert body["limit_pixels"] == 4_000_000
    # within the pixel limit, the same garbage is decoded and found damaged
    assert_problem(post(client, headers, png_header(100, 100)), 422, "file")


def test_full_size_decodes_run_one_at_a_time(client: TestClient, app: FastAPI) -> None:
    import threading

    from backend.floorplan import intake

    headers = user_headers(app, client)
    answers: list[int] = []
    with intake.one_full_decode():  # as if a large photo were being decoded
        png = png_bytes(900, 700)
        waiting = threading.Thread(target=lambda: answers.append(post(client, headers, png).status_code))
        waiting.start()
        waiting.join(1.5)
        assert waiting.is_alive() and not answers  # its decode waits for the slot
        jpeg = post(client, headers, png_bytes(900, 700, "JPEG"), "plan.jpg", "image/jpeg")
        assert jpeg.status_code == 201  # JPEGs are checked at 1/8 scale, without the slot
    waiting.join(30)
    assert answers == [201]


MEMORY_PROBE = """
import sys, threading
from pathlib import Path
from {module} import {function} as work
data = Path(sys.argv[1]).read_bytes()
def high_water():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
before = high_water()
threads = [threading.Thread(target=work, args=(data, *{args})) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(round(high_water() - before))
"""


def test_decoding_memory_is_bounded_for_four_7000_px_photos_at_once(tmp_path: object) -> None:
    """Four 7000 × 7000 JPEGs at once: checking the uploads costs a few MB (it cost 775 MB), decoding
    them for the plan reader about one decode's worth (it cost 1.5 GB)."""
    import io
    import subprocess
    import sys
    from pathlib import Path

    from PIL import Image, ImageDraw

    photo = Image.new("L", (7000, 7000), 235)
    draw = ImageDraw.Draw(photo)
    for i in range(0, 7000, 350):
        draw.line((i, 0, 7000 - i, 7000), fill=20, width=12)
    buffer = io.BytesIO()
    photo.convert("RGB").save(buffer, "JPEG", quality=90)
    path = Path(str(tmp_path)) / "big.jpg"
    path.write_bytes(buffer.getvalue())

    def peak_mb(module: str, function: str, args: str) -> int:
        code = MEMORY_PROBE.format(module=module, function=function, args=args)
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return int(done.stdout.strip())

    assert peak_mb("backend.services.uploads", "inspect_image",
                   "(__import__('backend.services.uploads').services.uploads.UploadLimits(),)") < 60
    assert peak_mb("backend.floorplan.intake", "decode_gray", "()") < 400
