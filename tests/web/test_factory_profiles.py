"""Factory profiles: the factory reads and edits its production line, stock and DXF layers; the order
package is then built with them; others may not; bad edits name the field and change nothing."""

from __future__ import annotations

import io
import json
import re
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import assert_problem, login, make_user
from support.documents import kitchen


def _order(client: TestClient, owner: dict[str, str]) -> dict:
    design = client.post("/api/designs", json={"document": kitchen("Router me", 2)}, headers=owner).json()
    response = client.post(f"/api/designs/{design['id']}/orders", json={"revision": 1}, headers=owner)
    assert response.status_code == 201, response.text
    return response.json()


def test_the_factory_edits_its_profile_and_the_package_follows(client: TestClient, app: FastAPI) -> None:
    factory = login(client, make_user(app, "factory"))
    owner = login(client, make_user(app, "homeowner"))
    listed = client.get("/api/factory/profiles", headers=factory)
    assert listed.status_code == 200
    saw = next(p for p in listed.json() if p["code"] == "panel_saw")
    assert saw["mode"] == "saw"
    edited = {**saw, "mode": "router", "tool_diameter_mm": 10, "dxf_layers": "cabinetsense",
              "remnants": [{"id": "RM-9", "material": "pb_white_18", "length_mm": 1500, "width_mm": 900}]}
    response = client.put("/api/factory/profiles/panel_saw", json=edited, headers=factory)
    assert response.status_code == 200, response.text
    assert client.get("/api/factory/profiles/panel_saw", headers=factory).json()["mode"] == "router"

    order = _order(client, owner)
    package = client.get(f"/api/orders/{order['id']}/package", headers=factory)
    assert package.status_code == 200, package.text
    archive = zipfile.ZipFile(io.BytesIO(package.content))
    doc = json.loads(archive.read("order.json"))
    assert doc["production"]["mode"] == "router" and doc["production"]["dxf_layers"] == "cabinetsense"
    assert doc["router_nesting"]["settings"]["spacing"] == 10
    names = set(archive.namelist())
    assert {"machining.json", "sawlist.csv"} <= names and any(n.startswith("sheets/") for n in names)


def test_bad_edits_name_the_field_and_others_may_not_edit(client: TestClient, app: FastAPI) -> None:
    factory = login(client, make_user(app, "factory"))
    before = client.get("/api/factory/profiles/cnc_router", headers=factory).json()
    assert_problem(client.put("/api/factory/profiles/cnc_router", json={**before, "kerf_mm": -1},
                              headers=factory), 422, "kerf_mm")
    assert_problem(client.put("/api/factory/profiles/cnc_router", json={**before, "dxf_layers": "nope"},
                              headers=factory), 422)
    assert client.get("/api/factory/profiles/cnc_router", headers=factory).json() == before
    assert_problem(client.put("/api/factory/profiles/no_such", json=before, headers=factory), 404)
    owner = login(client, make_user(app, "homeowner"))
    assert_problem(client.get("/api/factory/profiles", headers=owner), 403)
    assert_problem(client.put("/api/factory/profiles/cnc_router", json=before, headers=owner), 403)


def test_the_factory_sees_the_holes_of_an_order_for_its_3d_view(client: TestClient, app: FastAPI) -> None:
    factory = login(client, make_user(app, "factory"))
    owner = login(client, make_user(app, "homeowner"))
    order = _order(client, owner)
    holes = client.get(f"/api/factory/orders/{order['id']}/holes", headers=factory)
    assert holes.status_code == 200, holes.text
    by_cabinet = holes.json()
    assert by_cabinet and all(h["axis"] in (0, 1, 2) and h["radius"] > 0 for hs in by_cabinet.values() for h in hs)
    assert {"cam", "dowel", "hinge_cup"} <= {h["purpose"] for hs in by_cabinet.values() for h in hs}
    assert_problem(client.get(f"/api/factory/orders/{order['id']}/holes", headers=owner), 404)
    page = client.get(f"/factory/orders/{order['id']}", headers=factory)
    assert 'id="show-machining"' in page.text and f"/api/factory/orders/{order['id']}/holes" in page.text


def test_the_editor_gets_the_same_holes_for_a_design(client: TestClient, app: FastAPI) -> None:
    """The editor's "Show machining" asks for a design's holes: the same holes as the order of that revision
    (one derivation from the parts), for whoever may see the design; others get 404."""
    factory = login(client, make_user(app, "factory"))
    owner = login(client, make_user(app, "homeowner"))
    order = _order(client, owner)
    design_id = order["design_id"]
    mine = client.get(f"/api/designs/{design_id}/holes", params={"revision": 1}, headers=owner)
    assert mine.status_code == 200, mine.text
    ordered = client.get(f"/api/factory/orders/{order['id']}/holes", headers=factory).json()

    def shape(by_cabinet: dict) -> dict:  # the part ids carry the order number; the holes are the same
        return {cab: sorted((h["purpose"], tuple(h["centre"]), h["axis"], h["radius"]) for h in hs)
                for cab, hs in by_cabinet.items()}
    assert shape(mine.json()) == shape(ordered) and mine.json()
    assert_problem(client.get(f"/api/designs/{design_id}/holes", headers=login(client, make_user(app))), 404)
    assert_problem(client.get(f"/api/designs/{design_id}/holes", params={"revision": 99}, headers=owner), 404)


def test_the_factory_page_draws_each_saw_sheet_on_its_own_board(client: TestClient, app: FastAPI) -> None:
    factory = login(client, make_user(app, "factory"))
    owner = login(client, make_user(app, "homeowner"))
    saw = client.get("/api/factory/profiles/panel_saw", headers=factory).json()
    edited = {**saw, "stock": {"pb_white_18": [{"length_mm": 2800, "width_mm": 2070},
                                               {"length_mm": 2440, "width_mm": 1220}]},
              "remnants": [{"id": "RM-9", "material": "pb_white_18", "length_mm": 1500, "width_mm": 900}]}
    assert client.put("/api/factory/profiles/panel_saw", json=edited, headers=factory).status_code == 200
    order = _order(client, owner)
    page = client.get(f"/factory/orders/{order['id']}", headers={**factory, "Accept": "text/html"})
    assert page.status_code == 200 and 'class="sheet"' in page.text
    assert "1500 × 900 mm · remnant RM-9" in page.text  # the remnant is cut first, under its label
    views = set(re.findall(r'<svg viewBox="0 0 ([\d.]+) ([\d.]+)"', page.text))
    assert views == {("2800.0", "2070.0")}  # one scale for all sheets, the remnant drawn smaller inside
    assert '<rect x="0" y="0" width="1500.0" height="900.0" class="board"/>' in page.text


def test_an_order_is_checked_against_the_factorys_stock(client: TestClient, app: FastAPI) -> None:
    """The factory's line stocks only small sheets: a part that fits the catalog's board but none of them
    blocks the order, and the finding names the line; on the catalog's boards the same design orders."""
    factory = login(client, make_user(app, "factory"))
    owner = login(client, make_user(app, "homeowner"))
    saw = client.get("/api/factory/profiles/panel_saw", headers=factory).json()
    design = client.post("/api/designs", json={"document": kitchen("Small sheets", 2)}, headers=owner).json()
    small = {**saw, "name": "Small-sheet saw", "stock": {"pb_white_18": [{"length_mm": 700, "width_mm": 600}]}}
    assert client.put("/api/factory/profiles/panel_saw", json=small, headers=factory).status_code == 200
    refused = client.post(f"/api/designs/{design['id']}/orders", json={"revision": 1}, headers=owner)
    body = assert_problem(refused, 422, "revision")
    blocking = [f for f in body["findings"] if f["rule"] == "part_exceeds_board"]
    assert blocking and all("Small-sheet saw" in f["message"] for f in blocking)
    assert client.put("/api/factory/profiles/panel_saw", json=saw, headers=factory).status_code == 200
    ordered = client.post(f"/api/designs/{design['id']}/orders", json={"revision": 1}, headers=owner)
    assert ordered.status_code == 201, ordered.text
