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


def test_everyone_keeps_their_own_phone_and_a_bad_one_is_shown_at_the_field(client: TestClient, app: FastAPI) -> None:
    csrf = form_login(client, make_user(app, "designer"))
    page = client.get("/profile")
    assert 'id="my-phone"' in page.text and 'action="/profile/phone"' in page.text
    saved = client.post("/profile/phone", data={"phone": "+86 138 0013 8042", "back": "profile", "csrf_token": csrf},
                        follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/profile?saved=1"
    assert 'value="+8613800138042"' in client.get("/profile").text

    csrf = form_login(client, make_user(app, "homeowner"))
    assert client.get("/profile/phone").status_code == 200
    bad = client.post("/profile/phone", data={"phone": "138 0013", "csrf_token": csrf},
                      headers={"Accept-Language": "zh-CN"})
    assert bad.status_code == 422 and 'id="phone-error"' in bad.text and 'aria-invalid="true"' in bad.text
    assert "请填写含国家代码的电话号码" in bad.text and 'value="138 0013"' in bad.text
    ok = client.post("/profile/phone", data={"phone": "+44 20 7946 0958", "csrf_token": csrf}, follow_redirects=True)
    assert 'id="phone-saved"' in ok.text and 'value="+442079460958"' in ok.text
    assert client.get("/store/settings").status_code == 404  # a store's settings are its manager's


def test_the_store_manager_sets_the_stores_phone(client: TestClient, app: FastAPI) -> None:
    from backend.db import tables

    with app.state.sessionmaker() as db:
        shop = tables.Store(name="Phone shop")
        db.add(shop)
        db.commit()
        store_id = shop.id
    csrf = form_login(client, make_user(app, "store_manager", store_id=store_id))
    page = client.get("/store/settings")
    assert page.status_code == 200 and "Phone shop" in page.text and 'href="/store/settings"' in page.text
    bad = client.post("/store/settings", data={"phone": "call the shop", "csrf_token": csrf})
    assert bad.status_code == 422 and 'id="store-phone-error"' in bad.text
    ok = client.post("/store/settings", data={"phone": "+86 21 6123 4567", "csrf_token": csrf}, follow_redirects=True)
    assert 'id="store-saved"' in ok.text and 'value="+862161234567"' in ok.text
    with app.state.sessionmaker() as db:
        row = db.get(tables.Store, store_id)
        assert row is not None and row.phone == "+862161234567"
