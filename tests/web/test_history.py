"""Undo and redo survive a reload (the stacks are kept with each revision), and any revision can be
restored from the history as a new revision equal to it (409 on a stale base, as every save)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web.test_plan_page import log_in, page_data

from backend.configurator.demo import demo_design
from support.api import assert_problem, make_user


def command(client: TestClient, csrf: str, design_id: str, base: int, body: dict[str, Any],
            step: str = "edit") -> dict[str, Any]:
    response = client.post(f"/api/designs/{design_id}/commands", json={"base_revision": base, "command": body,
                                                                      "step": step},
                           headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def history(client: TestClient, design_id: str) -> dict[str, Any]:
    data = page_data(client.get(f"/designs/{design_id}").text, "page-data")
    found: dict[str, Any] = data["history"]  # type: ignore[assignment]
    return found


def test_undo_and_redo_go_on_after_a_reload(client: TestClient, app: FastAPI) -> None:
    csrf = log_in(client, make_user(app))
    document = demo_design().model_dump(mode="json")
    created = client.post("/api/designs", json={"name": "Kitchen", "document": document},
                          headers={"X-CSRF-Token": csrf}).json()
    design_id, cab = created["id"], created["document"]["cabinets"][2]
    assert history(client, design_id) == {"undo": [], "redo": []}
    first = command(client, csrf, design_id, 1, {"kind": "resize_cabinet", "cabinet_id": cab["id"],
                                                  "width_mm": cab["width_mm"] - 100})
    second = command(client, csrf, design_id, 2, {"kind": "resize_cabinet", "cabinet_id": cab["id"],
                                                   "width_mm": cab["width_mm"] - 150})
    kept = history(client, design_id)  # as a reloaded editor starts
    assert kept == {"undo": [first["inverse"], second["inverse"]], "redo": []}
    undone = command(client, csrf, design_id, 3, kept["undo"][-1], step="undo")
    assert undone["document"] == first["document"]
    kept = history(client, design_id)
    assert kept == {"undo": [first["inverse"]], "redo": [undone["inverse"]]}
    redone = command(client, csrf, design_id, 4, kept["redo"][-1], step="redo")
    assert redone["document"] == second["document"]
    assert history(client, design_id)["redo"] == []
    # an "undo" that is not the top of the stack is an edit: the stacks never hold a wrong step
    command(client, csrf, design_id, 5, first["inverse"], step="undo")
    assert history(client, design_id)["redo"] == [] and len(history(client, design_id)["undo"]) == 3


def test_a_revision_is_restored_as_a_new_one(client: TestClient, app: FastAPI) -> None:
    csrf = log_in(client, make_user(app))
    document = demo_design().model_dump(mode="json")
    created = client.post("/api/designs", json={"name": "Kitchen", "document": document},
                          headers={"X-CSRF-Token": csrf}).json()
    design_id, cab = created["id"], created["document"]["cabinets"][0]
    command(client, csrf, design_id, 1, {"kind": "delete_cabinet", "cabinet_id": cab["id"]})
    page = client.get(f"/designs/{design_id}").text
    assert f'action="/designs/{design_id}/revisions/1/restore"' in page
    stale = client.post(f"/designs/{design_id}/revisions/1/restore",
                        data={"base_revision": "1", "csrf_token": csrf})
    assert stale.status_code == 409 and "The design changed meanwhile" in stale.text
    done = client.post(f"/designs/{design_id}/revisions/1/restore", data={"base_revision": "2", "csrf_token": csrf},
                       follow_redirects=False)
    assert done.status_code == 303
    now = client.get(f"/api/designs/{design_id}").json()
    assert now["revision"] == 3
    assert now["document"]["cabinets"] == created["document"]["cabinets"]
    revisions = client.get(f"/api/designs/{design_id}/revisions").json()
    assert [r["number"] for r in revisions] == [3, 2, 1] and revisions[0]["message"] == "Restored revision 1"
    assert_problem(client.post(f"/api/designs/{design_id}/revisions/1/restore", json={"base_revision": 2},
                               headers={"X-CSRF-Token": csrf}), 409)
    other = client.post(f"/api/designs/{design_id}/revisions/2/restore", json={"base_revision": 3},
                        headers={"X-CSRF-Token": csrf})
    assert other.status_code == 200 and len(other.json()["document"]["cabinets"]) == len(document["cabinets"]) - 1
