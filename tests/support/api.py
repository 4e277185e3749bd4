"""Helpers for the API tests: users, logins, images, problem-document checks."""

from __future__ import annotations

import io
import os
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from backend.services import accounts

PASSWORD = "correct horse battery"


def make_user(app: FastAPI, role: str = "homeowner", email: str | None = None, store_id: str | None = None) -> str:
    """Create a user directly (as the seed command or an admin would); returns the email."""
    email = email or f"{role}-{os.urandom(4).hex()}@example.com"
    with app.state.sessionmaker() as db:
        accounts.create_user(db, email, PASSWORD, role, role.title(), store_id)
        db.commit()
    return email


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    """Bearer headers for ``email``."""
    response = client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def user_headers(app: FastAPI, client: TestClient, role: str = "homeowner", **kwargs: Any) -> dict[str, str]:
    return login(client, make_user(app, role, **kwargs))


def png_bytes(width: int = 64, height: int = 48, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (240, 240, 240)).save(buffer, fmt)
    return buffer.getvalue()


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    for key in ("type", "title", "status", "detail", "errors"):
        assert key in body, f"problem document lacks {key}: {body}"
    assert body["status"] == status
    assert body["detail"]
    if field is not None:
        fields = [e["field"] for e in body["errors"]]
        assert any(f == field or f.startswith(field + ".") for f in fields), (field, fields)
    return body
