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
