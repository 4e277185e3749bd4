"""Every save is a new immutable revision; a stale base answers 409 and loses nothing."""

from __future__ import annotations

import threading

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import assert_problem, user_headers
from support.documents import kitchen


def create(client: TestClient, headers: dict[str, str], doc: dict[str, object] | None = None) -> dict[str, object]:
    response = client.post("/api/designs", json={"document": doc} if doc else {"name": "Mine"}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_create_get_save_and_list_revisions(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design = create(client, headers)
    assert design["revision"] == 1 and design["name"] == "Mine" and design["can_edit"] is True
    saved = client.put(f"/api/designs/{design['id']}", json={"base_revision": 1, "document": kitchen("K2"),
                                                             "message": "drew the kitchen"}, headers=headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"] == 2 and saved.json()["name"] == "K2"
    listing = client.get("/api/designs", headers=headers).json()
    assert [(d["name"], d["current_revision"], d["cabinet_count"]) for d in listing] == [("K2", 2, 1)]
    revisions = client.get(f"/api/designs/{design['id']}/revisions", headers=headers).json()
    assert [r["number"] for r in revisions] == [2, 1]
    assert revisions[0]["message"] == "drew the kitchen" and revisions[0]["author_name"]
    first = client.get(f"/api/designs/{design['id']}/revisions/1", headers=headers).json()
    assert first["document"]["name"] == "Mine"  # old revisions never change


def test_stale_base_is_a_conflict_and_loses_nothing(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design = create(client, headers, kitchen())
    url = f"/api/designs/{design['id']}"
    homeowner_doc = kitchen("Homeowner's version", cabinets=2)
    designer_doc = kitchen("Designer's version", cabinets=3)
    assert client.put(url, json={"base_revision": 1, "document": homeowner_doc}, headers=headers).status_code == 200
    conflict = client.put(url, json={"base_revision": 1, "document": designer_doc}, headers=headers)
    body = assert_problem(conflict, 409, "base_revision")
    assert body["current_revision"] == 2 and body["base_revision"] == 1
    current = client.get(url, headers=headers).json()
    assert current["revision"] == 2 and current["document"]["name"] == "Homeowner's version"
    assert len(current["document"]["cabinets"]) == 2
    retry = client.put(url, json={"base_revision": 2, "document": designer_doc}, headers=headers)
    assert retry.status_code == 200 and retry.json()["revision"] == 3


def test_invalid_document_names_the_field_and_keeps_the_revision(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design = create(client, headers, kitchen())
    bad = kitchen()
    bad["plan"]["walls"][0]["end"] = {"x": 0, "y": 0}  # type: ignore[index]
    response = client.put(f"/api/designs/{design['id']}", json={"base_revision": 1, "document": bad},
                          headers=headers)
    body = assert_problem(response, 422, "document.plan.walls.0")
    assert "too short" in body["detail"]
    assert client.get(f"/api/designs/{design['id']}", headers=headers).json()["revision"] == 1


def test_rename_is_a_revision(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design = create(client, headers)
    renamed = client.patch(f"/api/designs/{design['id']}", json={"base_revision": 1, "name": "Flat 12B"},
                           headers=headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Flat 12B" and renamed.json()["revision"] == 2
    assert_problem(client.patch(f"/api/designs/{design['id']}", json={"base_revision": 1, "name": "Again"},
                                headers=headers), 409)


def test_concurrent_writers_on_one_base_one_wins(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design = create(client, headers, kitchen())
    url = f"/api/designs/{design['id']}"
    results: list[int] = []
    barrier = threading.Barrier(6)

    def writer(n: int) -> None:
        with TestClient(app) as own:
            barrier.wait()
            response = own.put(url, json={"base_revision": 1, "document": kitchen(f"writer {n}")}, headers=headers)
            results.append(response.status_code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409, 409, 409, 409, 409]
    revisions = client.get(f"{url}/revisions", headers=headers).json()
    assert [r["number"] for r in revisions] == [2, 1]


ZH = {"Accept-Language": "zh-CN"}


def test_system_messages_read_in_the_readers_language(client: TestClient, app: FastAPI) -> None:
    """What the system writes about a revision is stored as a key and parameters and worded for each
    reader: a Chinese-reading designer reads the English homeowner's history in Chinese; what a person
    typed stays as they typed it."""
    from support.api import login, make_user

    owner = user_headers(app, client)
    design = create(client, owner, kitchen("Flat 12B"))
    url = f"/api/designs/{design['id']}"
    assert client.patch(url, json={"base_revision": 1, "name": "Kitchen 12B"}, headers=owner).status_code == 200
    resized = client.post(f"{url}/commands", json={"base_revision": 2, "command": {
        "kind": "resize_cabinet", "cabinet_id": "cab-0", "width_mm": 500}}, headers=owner)
    assert resized.status_code == 200 and resized.json()["message"] == "Resize cabinet: Base unit, 1 door, 600 mm"
    typed = client.put(url, json={"base_revision": 3, "document": kitchen("Kitchen 12B"),
                                  "message": "moved the sink, see photo"}, headers=owner)
    assert typed.status_code == 200
    designer_email = make_user(app, "designer")
    assert client.post(f"{url}/shares", json={"email": designer_email}, headers=owner).status_code == 201
    designer = login(client, designer_email)

    english = client.get(f"{url}/revisions", headers=owner).json()
    assert [r["message"] for r in english] == ["moved the sink, see photo", "Resize cabinet: Base unit, 1 door, 600 mm",
                                               "Renamed to Kitchen 12B", "Created"]
    assert [r["message_key"] for r in english] == [None, "change", "renamed", "created"]
    chinese = client.get(f"{url}/revisions", headers=designer | ZH).json()
    assert [r["message"] for r in chinese] == ["moved the sink, see photo", "调整柜体尺寸：地柜，单门，600 mm",
                                               "重命名为 Kitchen 12B", "已创建"]
    third = client.get(f"{url}/revisions/3", headers=designer | ZH).json()
    assert third["message"] == "调整柜体尺寸：地柜，单门，600 mm" and third["message_key"] == "change"
    # the command's answer is in the language of whoever sent it
    zh_resize = client.post(f"{url}/commands", json={"base_revision": 4, "command": {
        "kind": "resize_cabinet", "cabinet_id": "cab-0", "width_mm": 450}}, headers=owner | ZH)
    assert zh_resize.json()["message"] == "调整柜体尺寸：地柜，单门，600 mm"
    assert client.get(f"{url}/revisions", headers=owner).json()[0]["message"].startswith("Resize cabinet:")
    # the design page's history, in the page's language
    client.cookies.clear()
    page = client.get(f"/designs/{design['id']}", headers=designer | ZH | {"Accept": "text/html"})
    assert page.status_code == 200 and "重命名为 Kitchen 12B" in page.text and "已创建" in page.text
    assert "Renamed to" not in page.text


def test_revisions_saved_before_message_keys_keep_their_text(client: TestClient, app: FastAPI) -> None:
    """A row saved before keys existed (no key, the English text) reads as it was written, in any language."""
    from sqlalchemy import update

    from backend.db import tables

    owner = user_headers(app, client)
    design = create(client, owner, kitchen("Old one"))
    with app.state.sessionmaker() as db:
        db.execute(update(tables.DesignRevision).where(tables.DesignRevision.design_id == design["id"])
                   .values(message="Created", message_key=None, message_params=None))
        db.commit()
    chinese = client.get(f"/api/designs/{design['id']}/revisions", headers=owner | ZH).json()
    assert [(r["message"], r["message_key"]) for r in chinese] == [("Created", None)]
