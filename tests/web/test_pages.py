"""Server-rendered pages: the sign-up → design → rename → logout path, CSRF, languages, errors."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import PASSWORD, make_user


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "form without a CSRF token"
    return found.group(1)


def test_sign_up_create_rename_list_and_log_out(client: TestClient) -> None:
    token = csrf(client, "/signup")
    response = client.post("/signup", data={"email": "mei@example.com", "password": PASSWORD, "display_name": "Mei",
                                            "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/designs"
    designs = client.get("/designs")
    assert "No designs yet" in designs.text and "Mei" in designs.text
    created = client.post("/designs", data={"name": "Kitchen 12B", "csrf_token": token}, follow_redirects=False)
    design_url = created.headers["location"]
    assert design_url.startswith("/designs/des-")
    page = client.get(design_url)
    assert "Kitchen 12B" in page.text and "No floor plan yet" in page.text
    renamed = client.post(f"{design_url}/rename", data={"name": "Kitchen, flat 12B", "base_revision": "1",
                                                          "csrf_token": token}, follow_redirects=True)
    assert "Kitchen, flat 12B" in renamed.text and "Renamed to Kitchen, flat 12B" in renamed.text
    listing = client.get("/designs").text
    assert "Kitchen, flat 12B" in listing and "No designs yet" not in listing
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/designs", follow_redirects=False).headers["location"].startswith("/login")


def test_stale_rename_shows_the_conflict(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    token = csrf(client, "/login")
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    url = client.post("/designs", data={"name": "A", "csrf_token": token}, follow_redirects=False).headers["location"]
    client.post(f"{url}/rename", data={"name": "B", "base_revision": "1", "csrf_token": token})
    stale = client.post(f"{url}/rename", data={"name": "C", "base_revision": "1", "csrf_token": token})
    assert stale.status_code == 200 and "saved by someone else" in stale.text
    assert "<h1 id=\"design-name\">B</h1>" in stale.text


def test_login_errors_are_shown_next_to_the_form(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    token = csrf(client, "/login")
    page = client.post("/login", data={"email": email, "password": "nope nope", "csrf_token": token})
    assert page.status_code == 200 and 'role="alert"' in page.text and "not right" in page.text
    assert 'aria-invalid="true"' in page.text
    ok = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
                     follow_redirects=False)
    assert ok.status_code == 303


def test_forms_without_csrf_are_refused(client: TestClient) -> None:
    client.get("/signup")
    response = client.post("/signup", data={"email": "x@example.com", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    assert client.post("/api/auth/login", json={"email": "x@example.com", "password": PASSWORD}).status_code == 401


def test_language_from_accept_language_and_switch(client: TestClient) -> None:
    zh = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh-Hans">' in zh.text and "登录" in zh.text
    en = client.get("/login", headers={"Accept-Language": "en-GB"})
    assert '<html lang="en">' in en.text and "Log in" in en.text
    switched = client.get("/lang/zh_Hans?next=/signup", follow_redirects=True)
    assert "创建你的账户" in switched.text
    assert "Create your account" in client.get("/lang/en?next=/signup", follow_redirects=True).text
    assert client.get("/lang/en?next=https://evil.example", follow_redirects=False).headers["location"] == "/"


def test_role_home_pages(client: TestClient, app: FastAPI) -> None:
    email = make_user(app, "factory")
    token = csrf(client, "/login")
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert response.headers["location"] == "/factory/orders"
    queue = client.get("/factory/orders")
    assert "Order queue" in queue.text and "No orders" in queue.text
    assert client.get("/designs/des-123456789012").status_code == 404


def test_html_404_and_static_cache_headers(client: TestClient) -> None:
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Not found" in page.text
    css = client.get("/static/css/app.css")
    assert css.status_code == 200 and css.headers["cache-control"] == "no-cache" and css.headers.get("etag")
    three = client.get("/static/vendor/three/build/three.module.js")
    assert three.status_code == 200 and "immutable" in three.headers["cache-control"]
