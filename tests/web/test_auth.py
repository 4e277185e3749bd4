"""Sign-up, login, sessions, rate limiting and CSRF."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import argon2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.db import tables
from backend.main import create_app
from backend.services import passwords
from backend.settings import Settings
from support.api import PASSWORD, assert_problem, login, make_user
from support.db import close_app


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


def _fail(client: TestClient, email: str, **headers: str) -> Any:
    return client.post("/api/auth/login", json={"email": email, "password": "wrong password"}, headers=headers)


def test_rotating_x_forwarded_for_does_not_escape_the_limit(app: FastAPI) -> None:
    email = make_user(app)
    attacker = TestClient(app, client=("203.0.113.9", 40000))
    for i in range(3):
        assert_problem(_fail(attacker, email, **{"X-Forwarded-For": f"198.51.100.{i}"}), 401)
    # a new forged address each time: still the same peer, still limited, the right password included
    limited = attacker.post("/api/auth/login", json={"email": email, "password": PASSWORD},
                            headers={"X-Forwarded-For": "198.51.100.77"})
    assert_problem(limited, 429)
    with app.state.sessionmaker() as db:
        sources = set(db.scalars(select(tables.LoginFailure.client)))
    assert sources == {"203.0.113.9"}


def test_a_configured_proxy_forwards_the_client_address(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"trusted_proxies": "10.0.0.0/24"}))
    try:
        email = make_user(app)
        proxy = TestClient(app, client=("10.0.0.5", 40000))
        for _ in range(3):
            assert_problem(_fail(proxy, email, **{"X-Forwarded-For": "198.51.100.7"}), 401)
        assert_problem(_fail(proxy, email, **{"X-Forwarded-For": "198.51.100.7"}), 429)
        # the real user behind the same proxy, from their own address, is not locked out
        ok = proxy.post("/api/auth/login", json={"email": email, "password": PASSWORD},
                        headers={"X-Forwarded-For": "192.0.2.44, 10.0.0.9"})
        assert ok.status_code == 200, ok.text
        # a peer outside the trusted network is counted as itself whatever it forwards
        outsider = TestClient(app, client=("203.0.113.20", 40000))
        assert_problem(_fail(outsider, email, **{"X-Forwarded-For": "192.0.2.44"}), 401)
        with app.state.sessionmaker() as db:
            sources = set(db.scalars(select(tables.LoginFailure.client)))
        assert sources == {"198.51.100.7", "203.0.113.20"}
    finally:
        close_app(app)


def test_an_attacker_elsewhere_cannot_lock_the_real_user_out(app: FastAPI) -> None:
    email = make_user(app)
    attacker = TestClient(app, client=("203.0.113.9", 40000))
    for _ in range(3):
        assert_problem(_fail(attacker, email), 401)
    for _ in range(3):
        assert_problem(_fail(attacker, email), 429)
    real_user = TestClient(app, client=("192.0.2.10", 40000))
    assert real_user.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
    # the real user's success clears only their own count: the attacker still waits
    assert_problem(_fail(attacker, email), 429)


def test_the_wait_doubles_with_each_further_failure(app: FastAPI) -> None:
    email = make_user(app)
    client = TestClient(app, client=("203.0.113.9", 40000))
    for _ in range(3):
        assert_problem(_fail(client, email), 401)
    waits = []
    for _ in range(3):
        limited = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert_problem(limited, 429)
        waits.append(int(limited.headers["retry-after"]))
        with app.state.sessionmaker() as db:  # let the wait pass: move every failure back by it
            for row in db.scalars(select(tables.LoginFailure)):
                row.at = row.at - timedelta(seconds=waits[-1] + 1)
            db.commit()
        assert_problem(_fail(client, email), 401)  # one more guess, then a longer wait
    assert 25 <= waits[0] <= 30
    assert waits[1] >= 2 * waits[0] - 2 and waits[2] >= 2 * waits[1] - 2


def test_one_source_spraying_many_accounts_is_stopped(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"login_source_max_failures": 4}))
    try:
        sprayer = TestClient(app, client=("203.0.113.9", 40000))
        for i in range(4):
            assert_problem(_fail(sprayer, f"user{i}@example.com"), 401)
        body = assert_problem(_fail(sprayer, "someone.else@example.com"), 429)
        assert "from here" in body["detail"]
        assert TestClient(app, client=("192.0.2.10", 40000)).post(
            "/api/auth/login", json={"email": make_user(app), "password": PASSWORD}).status_code == 200
    finally:
        close_app(app)


def test_unknown_and_known_emails_cost_the_same_verification(client: TestClient, app: FastAPI,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Timing tells nobody which e-mails have accounts: a failed login with an unknown e-mail runs one
    full argon2 verification with the current parameters, exactly as a wrong password for a known one.
    (Counted, not timed: the seconds themselves belong to benchmarks on a quiet machine.)"""
    passwords.use_parameters(time_cost=2, memory_cost_kib=16 * 1024)
    try:
        email = make_user(app)
        verified: list[tuple[int, int, int]] = []
        real_verify = argon2.PasswordHasher.verify

        def counting_verify(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
            p = argon2.extract_parameters(hash if isinstance(hash, str) else hash.decode())
            verified.append((p.time_cost, p.memory_cost, p.parallelism))
            return real_verify(self, hash, password)

        monkeypatch.setattr(argon2.PasswordHasher, "verify", counting_verify)
        for i, address in enumerate((email, "nobody-here@example.com")):
            verified.clear()
            own = TestClient(app, client=(f"198.51.100.{10 + i}", 1))  # its own source: no limit decides
            assert_problem(_fail(own, address), 401)
            assert verified == [(2, 16 * 1024, 1)], (address, verified)
    finally:
        passwords.use_parameters(time_cost=1, memory_cost_kib=256, parallelism=1)


def test_common_passwords_are_refused_with_a_clear_problem(client: TestClient, app: FastAPI) -> None:
    for common in ("password1", "Iloveyou", "qwertyuiop"):
        body = assert_problem(client.post("/api/auth/signup", json={"email": "c@example.com", "password": common}),
                              422, "password")
        assert body["type"].endswith("/common-password") and "common" in body["detail"]
    admin = login(client, make_user(app, "admin"))
    staff = client.post("/api/admin/users", json={"email": "d@example.com", "password": "12345678",
                                                  "role": "designer"}, headers=admin)
    assert_problem(staff, 422, "password")
    assert client.post("/api/auth/signup", json={"email": "c@example.com", "password": PASSWORD}).status_code == 201
