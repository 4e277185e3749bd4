"""Sign-up, login, sessions, rate limiting and CSRF."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.db import tables
from support.api import PASSWORD, assert_problem, login, make_user


def test_signup_logs_in_with_cookie_and_token(client: TestClient, app: FastAPI) -> None:
    response = client.post("/api/auth/signup", json={"email": "Ana@Example.com", "password": PASSWORD,
                                                    "display_name": "Ana"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["email"] == "ana@example.com" and body["user"]["role"] == "homeowner"
    cookie = response.headers["set-cookie"]
    assert "rw_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert client.get("/api/me").json()["email"] == "ana@example.com"  # by cookie
    client.cookies.clear()
    me = client.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["display_name"] == "Ana"
    with app.state.sessionmaker() as db:
        stored = db.scalar(select(tables.User.password_hash).where(tables.User.email == "ana@example.com"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_signup_refuses_duplicates_and_weak_passwords(client: TestClient) -> None:
    assert client.post("/api/auth/signup", json={"email": "a@example.com", "password": PASSWORD}).status_code == 201
    assert_problem(client.post("/api/auth/signup", json={"email": "A@example.com", "password": PASSWORD}), 409,
                   "email")
    assert_problem(client.post("/api/auth/signup", json={"email": "b@example.com", "password": "short"}), 422,
                   "password")
    assert_problem(client.post("/api/auth/signup", json={"email": "not-an-email", "password": PASSWORD}), 422,
                   "email")


def test_wrong_password_then_rate_limit(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    for _ in range(3):
        assert_problem(client.post("/api/auth/login", json={"email": email, "password": "wrong password"}), 401)
    limited = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    body = assert_problem(limited, 429)
    assert "try again" in body["detail"] and limited.headers["retry-after"]
    other = make_user(app)
    assert client.post("/api/auth/login", json={"email": other, "password": PASSWORD}).status_code == 200


def test_logout_ends_the_session(client: TestClient, app: FastAPI) -> None:
    headers = login(client, make_user(app))
    assert client.get("/api/me", headers=headers).status_code == 200
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert_problem(client.get("/api/me", headers=headers), 401)


def test_cookie_api_writes_need_the_csrf_header(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    client.cookies.set("rw_csrf", "token-123")
    assert_problem(client.post("/api/designs", json={"name": "X"}), 403, "csrf_token")
    ok = client.post("/api/designs", json={"name": "X"}, headers={"X-CSRF-Token": "token-123"})
    assert ok.status_code == 201


def test_tampered_cookie_is_not_a_session(client: TestClient) -> None:
    client.cookies.set("rw_session", "forged.value")
    assert_problem(client.get("/api/me"), 401)


def test_only_admins_create_staff_accounts(client: TestClient, app: FastAPI) -> None:
    body = {"email": "d@example.com", "password": PASSWORD, "role": "designer"}
    assert_problem(client.post("/api/admin/users", json=body, headers=login(client, make_user(app))), 404)
    created = client.post("/api/admin/users", json=body, headers=login(client, make_user(app, "admin")))
    assert created.status_code == 201 and created.json()["role"] == "designer"
    assert client.post("/api/auth/login", json={"email": "d@example.com", "password": PASSWORD}).status_code == 200
