"""A designer edits their public profile and portfolio; others cannot."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import PASSWORD, make_user, png_bytes


def form_login(client: TestClient, email: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    return token.group(1)


def test_designer_edits_profile_with_photo_and_portfolio(client: TestClient, app: FastAPI) -> None:
    csrf = form_login(client, make_user(app, "designer"))
    showcase = client.post("/designs", data={"name": "Showcase kitchen", "csrf_token": csrf}, follow_redirects=False)
    design_id = showcase.headers["location"].split("/designs/")[1]
    page = client.get("/profile")
    assert page.status_code == 200 and "Showcase kitchen" in page.text
    saved = client.post("/profile", data={"bio": "Warm Nordic kitchens.", "styles": ["Nordic", "modern"],
                                          "specialties": "small kitchens, wardrobes",
                                          "services": ["home_measurement", "online_consultation"],
                                          "years_experience": "7", "district": "Jing'an", "portfolio": [design_id],
                                          "csrf_token": csrf},
                        files={"photo": ("me.png", png_bytes(), "image/png")}, follow_redirects=True)
    assert 'id="profile-saved"' in saved.text and "Warm Nordic kitchens." in saved.text
    assert "/api/uploads/" in saved.text and 'value="Nordic" checked' in saved.text
    bad = client.post("/profile", data={"services": ["installation"], "years_experience": "3", "csrf_token": csrf})
    assert 'id="profile-error"' in bad.text and "cannot offer installation" in bad.text


def test_profile_is_for_designers(client: TestClient, app: FastAPI) -> None:
    form_login(client, make_user(app, "homeowner"))
    assert client.get("/profile").status_code == 404
