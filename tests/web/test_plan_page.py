"""The floor-plan correction page: rendered for the design's owner, hidden from others, login first."""

from __future__ import annotations

import json
import re
import typing

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.floorplan.result import NoticeCode
from support.api import PASSWORD, make_user


def log_in(client: TestClient, email: str) -> str:
    """Log in through the form (cookie session, as a browser does); returns the CSRF token."""
    page = client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    token = found.group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return token


def new_design(client: TestClient, token: str) -> str:
    created = client.post("/designs", data={"name": "Flat 3", "csrf_token": token}, follow_redirects=False)
    location: str = created.headers["location"]
    return location.rsplit("/", 1)[-1]


def page_data(html: str, element_id: str) -> dict[str, object]:
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert found, element_id
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_owner_sees_the_upload_step_and_page_data(client: TestClient, app: FastAPI) -> None:
    token = log_in(client, make_user(app))
    design_id = new_design(client, token)
    page = client.get(f"/designs/{design_id}/plan")
    assert page.status_code == 200
    html = page.text
    assert "Floor plan from a photo" in html
    assert 'id="plan-file"' in html and 'accept="image/*"' in html and 'capture="environment"' in html
    assert '<label for="plan-file"' in html and 'aria-describedby="plan-file-help plan-file-error"' in html
    assert "Use this plan" in html and "/static/js/plan/main.js" in html and "/static/css/plan.css" in html
    data = page_data(html, "page-data")
    assert data["design_id"] == design_id and data["revision"] == 1
    assert data["design_url"] == f"/designs/{design_id}"
    room_types = data["room_types"]
    assert isinstance(room_types, dict) and room_types["kitchen"] == "kitchen"
    text = page_data(html, "page-text")
    assert "%(percent)s" in str(text["uploading"]) and "scale line" in str(text["scale_prior"])


def test_page_speaks_chinese(client: TestClient, app: FastAPI) -> None:
    token = log_in(client, make_user(app))
    design_id = new_design(client, token)
    client.cookies.set("rw_lang", "zh_Hans")
    html = client.get(f"/designs/{design_id}/plan").text
    assert "照片" in html and "Use this plan" not in html
    data = page_data(html, "page-data")
    assert isinstance(data["room_types"], dict) and data["room_types"]["kitchen"] == "厨房"
    text = page_data(html, "page-text")
    assert "%(percent)s" in str(text["uploading"])  # the one placeholder format, kept by the translation
    assert all(isinstance(v, str) and v for v in text.values())
    assert "Finding walls" not in str(text["tracing"])
    # every note the vectorizer can give has the page's words for it, in Chinese too
    for code in typing.get_args(NoticeCode):
        assert f"notice_{code}" in text and not str(text[f"notice_{code}"]).isascii(), code


def test_other_users_get_404(client: TestClient, app: FastAPI) -> None:
    token = log_in(client, make_user(app))
    design_id = new_design(client, token)
    client.cookies.clear()
    log_in(client, make_user(app))
    response = client.get(f"/designs/{design_id}/plan")
    assert response.status_code == 404
    assert "Use this plan" not in response.text
    assert client.get("/designs/des-doesnotexist/plan").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client: TestClient, app: FastAPI) -> None:
    token = log_in(client, make_user(app))
    design_id = new_design(client, token)
    client.cookies.clear()
    response = client.get(f"/designs/{design_id}/plan", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/designs/{design_id}/plan"
