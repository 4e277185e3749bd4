"""Designers' portfolios of customer projects, on SQLite and PostgreSQL: a published customer design shows in
the portfolio of each designer who worked on it only while its customer consents (set when publishing or
later, revocable); never the customer's name or address; linked from the designer cards and the gallery."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import PASSWORD, assert_problem, login, make_user
from support.commerce import store_and_designer
from support.documents import kitchen


def _worked_on(client: TestClient, app: FastAPI,
               portfolio_consent: bool | None) -> tuple[str, str, dict[str, str], str]:
    """(designer id, gallery item id, the customer's headers and email): a customer's design the designer
    saved a revision of, published by the customer."""
    _, designer_id, designer_email = store_and_designer(app)
    owner_email = make_user(app, email=f"zhao.min.{designer_id[-6:]}@example.com")
    owner = login(client, owner_email)
    design = client.post("/api/designs", json={"document": kitchen("Zhao Min, 12 Garden Lane", 1)},
                         headers=owner).json()["id"]
    assert client.post(f"/api/designs/{design}/shares", json={"email": designer_email},
                       headers=owner).status_code == 201
    designer = login(client, designer_email)
    saved = client.put(f"/api/designs/{design}", json={"base_revision": 1, "document": kitchen("Zhao Min, 12 Garden "
                                                                                              "Lane", 2)},
                       headers=designer)
    assert saved.status_code == 200, saved.text
    body: dict[str, object] = {"title": "Warm walnut kitchen", "style": "modern", "consent": True}
    if portfolio_consent is not None:
        body["portfolio_consent"] = portfolio_consent
    made = client.post(f"/api/designs/{design}/publish", json=body, headers=owner)
    assert made.status_code == 201, made.text
    return designer_id, made.json()["id"], owner, owner_email


def _projects(client: TestClient, headers: dict[str, str], designer_id: str) -> list[str]:
    got = client.get(f"/api/designers/{designer_id}/portfolio", headers=headers)
    assert got.status_code == 200, got.text
    return [p["id"] for p in got.json()["projects"]]


def test_a_project_shows_only_with_the_customers_consent(client: TestClient, app: FastAPI) -> None:
    designer_id, item, owner, _ = _worked_on(client, app, None)
    visitor = login(client, make_user(app))
    assert _projects(client, visitor, designer_id) == []  # no consent given when publishing
    assert client.put(f"/api/gallery/{item}/portfolio", json={"consent": True}, headers=owner).status_code == 200
    assert _projects(client, visitor, designer_id) == [item]
    shown = client.get(f"/api/designers/{designer_id}/portfolio", headers=visitor)
    assert "Zhao" not in shown.text and "Garden" not in shown.text and "zhao.min" not in shown.text
    assert shown.json()["projects"][0]["title"] == "Warm walnut kitchen"
    # revoked: out of the portfolio again; re-publishing without saying keeps the choice
    assert client.put(f"/api/gallery/{item}/portfolio", json={"consent": False}, headers=owner).json()[
        "portfolio_consent"] is False
    assert _projects(client, visitor, designer_id) == []


def test_consent_when_publishing_and_only_the_designers_who_worked_on_it(client: TestClient, app: FastAPI) -> None:
    designer_id, item, owner, _ = _worked_on(client, app, True)
    _, other_designer, _ = store_and_designer(app)
    visitor = login(client, make_user(app))
    assert _projects(client, visitor, designer_id) == [item]
    assert _projects(client, visitor, other_designer) == []
    assert client.delete(f"/api/gallery/{item}", headers=owner).status_code == 204
    assert _projects(client, visitor, designer_id) == []


def test_only_the_customer_changes_the_consent(client: TestClient, app: FastAPI) -> None:
    designer_id, item, _, _ = _worked_on(client, app, True)
    for role in ("homeowner", "designer", "store_manager"):
        other = login(client, make_user(app, role))
        assert_problem(client.put(f"/api/gallery/{item}/portfolio", json={"consent": False}, headers=other), 404)
    visitor = login(client, make_user(app))
    assert _projects(client, visitor, designer_id) == [item]
    customer = login(client, make_user(app))
    assert_problem(client.get("/api/designers/usr-nobody/portfolio", headers=customer), 404)


def _signed_in(client: TestClient, email: str) -> None:
    """A browser session (cookie) for ``email``, as the pages use."""
    client.cookies.clear()
    assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200


def test_linked_from_the_designer_cards_and_the_gallery_in_both_languages(client: TestClient, app: FastAPI) -> None:
    designer_id, item, _, owner = _worked_on(client, app, True)
    html = {"Accept": "text/html"}
    _signed_in(client, make_user(app))
    cards = client.get("/designers", headers=html)
    assert cards.status_code == 200
    assert f'href="/designers/{designer_id}/portfolio"' in cards.text and "Customer projects: 1" in cards.text
    assert f'href="/designers/{designer_id}/portfolio"' in client.get(f"/designers/{designer_id}", headers=html).text
    assert f'href="/designers/{designer_id}/portfolio"' in client.get("/gallery", headers=html).text
    page = client.get(f"/designers/{designer_id}/portfolio", headers=html)
    assert page.status_code == 200
    assert "Warm walnut kitchen" in page.text and f"/gallery#gallery-{item}" in page.text
    assert "Zhao" not in page.text and "Garden" not in page.text
    zh = client.get(f"/designers/{designer_id}/portfolio", headers={**html, "Accept-Language": "zh-CN"})
    assert "作品集" in zh.text
    assert client.get("/designers/usr-nobody/portfolio", headers=html).status_code == 404
    # the customer takes it back with the gallery page's form: the links go with it
    _signed_in(client, owner)
    assert f'action="/gallery/{item}/portfolio"' in client.get("/gallery", headers=html).text
    posted = client.post(f"/gallery/{item}/portfolio", data={"csrf_token": client.cookies.get("rw_csrf"),
                                                             "consent": "false"}, headers=html, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    _signed_in(client, make_user(app))
    assert f'href="/designers/{designer_id}/portfolio"' not in client.get("/gallery", headers=html).text
    assert "Customer projects" not in client.get("/designers", headers=html).text
    assert "Warm walnut kitchen" not in client.get(f"/designers/{designer_id}/portfolio", headers=html).text
