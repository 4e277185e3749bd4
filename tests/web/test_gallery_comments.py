"""Comments on published designs: signed-in people comment (1 to 1000 characters, a few an hour), the
page shows them escaped, the author deletes their own, the design's owner hides one (then only the owner
sees it); everyone else gets 404 for someone else's comment; anonymous gets 401; the page in EN and zh."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.services import gallery
from support.api import PASSWORD, assert_problem, login, make_user
from support.documents import kitchen


def _item(client: TestClient, app: FastAPI) -> tuple[str, str]:
    email = make_user(app, email="owner.comments@example.com")
    owner = login(client, email)
    design = client.post("/api/designs", json={"document": kitchen("Mine", 2)}, headers=owner).json()["id"]
    made = client.post(f"/api/designs/{design}/publish",
                       json={"title": "Galley", "style": "modern", "consent": True}, headers=owner)
    assert made.status_code == 201, made.text
    return made.json()["id"], email


def test_comment_delete_and_hide_authorization(client: TestClient, app: FastAPI) -> None:
    item, owner_email = _item(client, app)
    owner = login(client, owner_email)
    author = login(client, make_user(app, email="author@example.com"))
    other = login(client, make_user(app, email="other@example.com"))
    assert_problem(client.post(f"/api/gallery/{item}/comments", json={"body": "   "}, headers=author), 422, "body")
    assert_problem(client.post(f"/api/gallery/{item}/comments", json={"body": "x" * 1001}, headers=author), 422)
    assert_problem(client.post("/api/gallery/gal-none/comments", json={"body": "Hi"}, headers=author), 404)
    assert_problem(client.post(f"/api/gallery/{item}/comments", json={"body": "Hi"}), 401)
    made = client.post(f"/api/gallery/{item}/comments", json={"body": "  Lovely worktop  "}, headers=author)
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    assert made.json()["body"] == "Lovely worktop" and made.json()["mine"] is True
    for who in (owner, author, other):
        assert [c["body"] for c in client.get(f"/api/gallery/{item}/comments", headers=who).json()] == \
            ["Lovely worktop"]
    # (actor, may delete, may hide): others' comments and others' designs answer 404
    assert_problem(client.delete(f"/api/gallery/{item}/comments/{cid}", headers=other), 404)
    assert_problem(client.delete(f"/api/gallery/{item}/comments/{cid}", headers=owner), 404)
    assert_problem(client.put(f"/api/gallery/{item}/comments/{cid}/hidden", json={"hidden": True},
                              headers=author), 404)
    assert_problem(client.put(f"/api/gallery/{item}/comments/{cid}/hidden", json={"hidden": True},
                              headers=other), 404)
    hid = client.put(f"/api/gallery/{item}/comments/{cid}/hidden", json={"hidden": True}, headers=owner)
    assert hid.status_code == 200 and hid.json()["hidden"] is True
    assert client.get(f"/api/gallery/{item}/comments", headers=other).json() == []
    assert client.get(f"/api/gallery/{item}/comments", headers=author).json() == []
    assert [c["id"] for c in client.get(f"/api/gallery/{item}/comments", headers=owner).json()] == [cid]
    assert client.delete(f"/api/gallery/{item}/comments/{cid}", headers=author).status_code == 204
    assert client.get(f"/api/gallery/{item}/comments", headers=owner).json() == []
    assert_problem(client.delete(f"/api/gallery/{item}/comments/{cid}", headers=author), 404)


def test_comments_are_limited_per_hour(client: TestClient, app: FastAPI) -> None:
    item, _ = _item(client, app)
    chatty = login(client, make_user(app, email="chatty@example.com"))
    for n in range(gallery.COMMENTS_PER_HOUR):
        assert client.post(f"/api/gallery/{item}/comments", json={"body": f"#{n}"}, headers=chatty).status_code == 201
    assert_problem(client.post(f"/api/gallery/{item}/comments", json={"body": "more"}, headers=chatty), 429)
    calm = login(client, make_user(app, email="calm@example.com"))
    assert client.post(f"/api/gallery/{item}/comments", json={"body": "one"}, headers=calm).status_code == 201


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_comment_page_escapes_html_and_is_translated(client: TestClient, app: FastAPI, locale: str) -> None:
    item, _ = _item(client, app)
    client.post("/api/auth/login", json={"email": make_user(app, email="page@example.com"), "password": PASSWORD})
    html = {"Accept": "text/html", "Accept-Language": locale}
    assert client.get("/gallery", headers=html).status_code == 200
    csrf = client.cookies.get("rw_csrf")
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    posted = client.post(f"/gallery/{item}/comments", data={"body": attack, "csrf_token": csrf}, headers=html,
                         follow_redirects=False)
    assert posted.status_code == 303, posted.text
    page = client.get("/gallery?done=commented", headers=html)
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    if locale == "zh-CN":
        assert "评论" in page.text
    else:
        assert "Your comment is posted." in page.text and "Delete my comment" in page.text
    empty = client.post(f"/gallery/{item}/comments", data={"body": " ", "csrf_token": csrf}, headers=html)
    assert empty.status_code == 422 and 'id="gallery-error"' in empty.text
