"""The design gallery over HTTP, on SQLite and PostgreSQL: publishing needs consent and shows no personal
traces, earns points once; browsing filters by style, room, budget and rating; a good rating earns the
owner points once per rater; "use this layout" starts the visitor's own design; the page in EN and zh."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.gallery.rules import budget_band
from backend.services import points
from support.api import PASSWORD, assert_problem, login, make_user
from support.documents import kitchen


def _published(client: TestClient, app: FastAPI, style: str = "modern") -> tuple[str, dict[str, str], str]:
    email = make_user(app, email=f"lin.wei.{style.lower()}@example.com")
    owner = login(client, email)
    doc = kitchen("Lin Wei's flat, 8 Riverside Rd", 2)
    doc["plan"]["source"] = {"upload_id": "upl-0123456789ab", "image_width_px": 800, "image_height_px": 600}
    design = client.post("/api/designs", json={"document": doc}, headers=owner).json()["id"]
    body = {"title": "Bright galley kitchen", "style": style}
    assert_problem(client.post(f"/api/designs/{design}/publish", json=body, headers=owner), 422, "consent")
    made = client.post(f"/api/designs/{design}/publish", json={**body, "consent": True}, headers=owner)
    assert made.status_code == 201, made.text
    return made.json()["id"], owner, design


def test_publishing_shows_no_personal_traces_and_earns_points_once(client: TestClient, app: FastAPI) -> None:
    item, owner, design = _published(client, app)
    visitor = login(client, make_user(app))
    shown = client.get(f"/api/gallery/{item}", headers=visitor)
    assert shown.status_code == 200
    text = shown.text
    assert "Riverside" not in text and "Lin Wei" not in text and "lin.wei" not in text and "upl-" not in text
    assert shown.json()["document"]["name"] == "Bright galley kitchen"
    assert shown.json()["room_types"] == ["kitchen"]
    earned = points.rules().earn.design_published
    assert client.get("/api/points", headers=owner).json()["balance"] == earned
    again = client.post(f"/api/designs/{design}/publish", json={"title": "Galley", "style": "Nordic",
                                                               "consent": True}, headers=owner)
    assert again.status_code == 201 and again.json()["id"] == item and again.json()["style"] == "Nordic"
    assert client.get("/api/points", headers=owner).json()["balance"] == earned
    assert_problem(client.post(f"/api/designs/{design}/publish", json={"title": "Mine", "style": "modern",
                                                                      "consent": True}, headers=visitor), 404)
    assert_problem(client.post(f"/api/designs/{design}/publish", json={"title": "X", "style": "baroque",
                                                                      "consent": True}, headers=owner), 422, "style")
    assert_problem(client.delete(f"/api/gallery/{item}", headers=visitor), 404)


def test_browse_rate_and_use_the_layout(client: TestClient, app: FastAPI) -> None:
    modern, owner, _ = _published(client, app, "modern")
    chinese, _, _ = _published(client, app, "Chinese")
    visitor = login(client, make_user(app))
    ids = [e["id"] for e in client.get("/api/gallery", params={"style": "modern"}, headers=visitor).json()]
    assert ids == [modern]
    assert {e["id"] for e in client.get("/api/gallery", params={"room": "kitchen"}, headers=visitor).json()} == \
        {modern, chinese}
    assert client.get("/api/gallery", params={"room": "bedroom"}, headers=visitor).json() == []
    band = client.get(f"/api/gallery/{modern}", headers=visitor).json()["budget_band"]
    assert band in ("under_20k", "20k_50k", "50k_100k", "over_100k")
    assert budget_band(1_999_999) == "under_20k" and budget_band(10_000_000) == "over_100k"
    assert len(client.get("/api/gallery", params={"budget": band}, headers=visitor).json()) == 2
    assert_problem(client.post(f"/api/gallery/{modern}/rating", json={"stars": 5}, headers=owner), 403)
    before = client.get("/api/points", headers=owner).json()["balance"]
    assert client.post(f"/api/gallery/{modern}/rating", json={"stars": 5}, headers=visitor).status_code == 200
    assert client.post(f"/api/gallery/{modern}/rating", json={"stars": 4}, headers=visitor).status_code == 200
    rules = points.rules().earn
    assert client.get("/api/points", headers=owner).json()["balance"] == before + rules.rating_received  # once
    assert [e["id"] for e in client.get("/api/gallery", params={"min_rating": 4}, headers=visitor).json()] == \
        [modern]
    entry = client.get("/api/gallery", params={"style": "modern"}, headers=visitor).json()[0]
    assert entry["rating"] == 4 and entry["ratings"] == 1
    copied = client.post(f"/api/gallery/{modern}/copy", headers=visitor)
    assert copied.status_code == 201, copied.text
    mine = client.get(f"/api/designs/{copied.json()['id']}", headers=visitor)
    assert mine.status_code == 200 and len(mine.json()["document"]["cabinets"]) == 2
    assert_problem(client.get(f"/api/designs/{copied.json()['id']}", headers=owner), 404)
    assert_problem(client.post("/api/gallery/gal-none/rating", json={"stars": 5}, headers=visitor), 404)
    assert client.delete(f"/api/gallery/{chinese}", headers=login(client, "lin.wei.chinese@example.com")) \
        .status_code == 204


def test_gallery_page_in_english_and_chinese(client: TestClient, app: FastAPI) -> None:
    item, _owner, _ = _published(client, app)
    email = make_user(app)
    client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    html = {"Accept": "text/html"}
    page = client.get("/gallery?style=modern", headers=html)
    assert page.status_code == 200 and "Bright galley kitchen" in page.text and f'id="gallery-{item}"' in page.text
    csrf = client.cookies.get("rw_csrf")
    rated = client.post(f"/gallery/{item}/rate", data={"stars": "5", "csrf_token": csrf}, headers=html,
                        follow_redirects=False)
    assert rated.status_code == 303
    copied = client.post(f"/gallery/{item}/copy", data={"csrf_token": csrf}, headers=html, follow_redirects=False)
    assert copied.status_code == 303 and copied.headers["location"].startswith("/designs/des-")
    zh = client.get("/gallery", headers={**html, "Accept-Language": "zh-CN"})
    assert "设计广场" in zh.text and "使用此布局" in zh.text and "5.0 ★" in zh.text


def test_fit_a_gallery_layout_to_my_own_plan(client: TestClient, app: FastAPI) -> None:
    """"Fit it to my plan": a new design on the visitor's own plan with the layout's units placed where they fit;
    their design stays as it was; someone else's design or one without rooms is refused; the page says how
    many units came over, in English and Chinese."""
    from backend.configurator.demo import demo_design

    item, _owner, owners_design = _published(client, app)
    email = make_user(app)
    visitor = login(client, email)
    home = demo_design().model_copy(update={"cabinets": [], "items": [], "name": "Our flat"}).model_dump(mode="json")
    mine = client.post("/api/designs", json={"document": home}, headers=visitor).json()["id"]
    fitted = client.post(f"/api/gallery/{item}/copy", json={"onto_design_id": mine}, headers=visitor)
    assert fitted.status_code == 201, fitted.text
    body = fitted.json()
    assert body["name"] == "Bright galley kitchen in Our flat"
    assert body["fit"]["units"] == 2 and body["fit"]["placed"] == 2
    assert body["fit"]["rooms"] == [{"room_type": "kitchen", "target_room_id": "room-kitchen", "units": 2,
                                     "placed": 2, "autofilled": False}]
    made = client.get(f"/api/designs/{body['id']}", headers=visitor).json()
    assert [c["family"] for c in made["document"]["cabinets"]] == ["base_1_door", "base_1_door"]
    assert made["document"]["plan"] == client.get(f"/api/designs/{mine}", headers=visitor).json()["document"]["plan"]
    untouched = client.get(f"/api/designs/{mine}", headers=visitor).json()
    assert untouched["revision"] == 1 and untouched["document"]["cabinets"] == []
    assert_problem(client.post(f"/api/gallery/{item}/copy", json={"onto_design_id": owners_design}, headers=visitor),
                   404)
    empty = client.post("/api/designs", json={"name": "Blank"}, headers=visitor).json()["id"]
    assert_problem(client.post(f"/api/gallery/{item}/copy", json={"onto_design_id": empty}, headers=visitor),
                   422, "onto_design_id")
    assert client.post(f"/api/gallery/{item}/copy", headers=visitor).status_code == 201  # a plain copy as before
    # the page: the form lists the visitor's designs that have rooms, and the design page says what came over
    client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    html = {"Accept": "text/html"}
    page = client.get("/gallery", headers=html).text
    assert f'id="onto-{item}"' in page and "Our flat" in page.split(f'id="onto-{item}"')[1].split("</select>")[0]
    assert "Blank" not in page.split(f'id="onto-{item}"')[1].split("</select>")[0]
    csrf = client.cookies.get("rw_csrf")
    posted = client.post(f"/gallery/{item}/copy", data={"csrf_token": csrf, "onto_design_id": mine}, headers=html,
                         follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"].endswith("?fitted=2&of=2")
    shown = client.get(posted.headers["location"], headers=html)
    assert 'id="layout-fitted"' in shown.text and "2 of its 2 units placed" in shown.text
    zh = client.get(posted.headers["location"], headers={**html, "Accept-Language": "zh-CN"})
    assert 'id="layout-fitted"' in zh.text and "已放置" in zh.text
    refused = client.post(f"/gallery/{item}/copy", data={"csrf_token": csrf, "onto_design_id": empty}, headers=html)
    assert refused.status_code == 422 and 'id="gallery-error"' in refused.text
