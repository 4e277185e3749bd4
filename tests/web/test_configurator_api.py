"""The configurator API: catalog, scene GLB, findings, commands with undo, conflicts, auto-fill, quote."""

from __future__ import annotations

import io
from typing import Any

import pytest
import trimesh
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.configurator.demo import demo_design
from support.api import assert_problem, user_headers


@pytest.fixture
def owner(app: FastAPI, client: TestClient) -> dict[str, str]:
    return user_headers(app, client)


@pytest.fixture
def design(client: TestClient, owner: dict[str, str]) -> dict[str, Any]:
    document = demo_design().model_dump(mode="json")
    response = client.post("/api/designs", json={"name": "Kitchen", "document": document}, headers=owner)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _command(client: TestClient, headers: dict[str, str], design_id: str, base: int,
             command: dict[str, Any]) -> Any:
    return client.post(f"/api/designs/{design_id}/commands", json={"base_revision": base, "command": command},
                       headers=headers)


def test_catalog_lists_families_materials_and_handles(client: TestClient) -> None:
    body = client.get("/api/catalog").json()
    families = {f["code"]: f for f in body["families"]}
    assert {"base", "wall", "tall", "panel", "worktop"} <= {f["category"] for f in families.values()}
    base = families["base_1_door"]
    assert base["width"]["min"] <= base["width"]["default"] <= base["width"]["max"]
    assert base["options"]["shelves"]["type"] == "int"
    assert any(m["kind"] == "front" and m["colour"].startswith("#") for m in body["materials"])
    assert body["handles"] and body["currency"]
    assert body["regions"]["CN"]["wall_unit_elevation_mm"] > body["regions"]["CN"]["worktop_height_mm"]
    assert {"kitchen", "wardrobe", "living", "hall", "study", "bathroom", "bedroom"} == {
        f["room"] for f in families.values()}


def test_catalog_names_families_in_the_requests_language(client: TestClient) -> None:
    zh = {f["code"]: f for f in client.get("/api/catalog", headers={"Accept-Language": "zh-CN"}).json()["families"]}
    assert zh["base_1_door"]["name"] == "地柜，单门"
    assert zh["wardrobe_sliding_2"]["name"] == "衣柜，两扇移门" and zh["wardrobe_sliding_2"]["room_name"] == "衣柜"
    en = {f["code"]: f for f in client.get("/api/catalog").json()["families"]}
    assert en["wardrobe_sliding_2"]["name"] == "Wardrobe, 2 sliding doors"


def test_scene_glb_has_a_node_per_cabinet_named_by_id(client: TestClient, owner: dict[str, str],
                                                      design: dict[str, Any]) -> None:
    response = client.get(f"/api/designs/{design['id']}/scene.glb", headers=owner)
    assert response.status_code == 200
    assert response.headers["content-type"] == "model/gltf-binary"
    etag = response.headers["etag"]
    scene = trimesh.load(io.BytesIO(response.content), file_type="glb", force="scene")
    assert isinstance(scene, trimesh.Scene)
    nodes = set(scene.graph.nodes)
    cabinet_ids = [c["id"] for c in design["document"]["cabinets"]]
    assert cabinet_ids and all(cid in nodes for cid in cabinet_ids)
    again = client.get(f"/api/designs/{design['id']}/scene.glb", headers={**owner, "If-None-Match": etag})
    assert again.status_code == 304
    old = client.get(f"/api/designs/{design['id']}/scene.glb?revision=1", headers=owner)
    assert old.status_code == 200 and old.headers["etag"] == etag
    assert_problem(client.get(f"/api/designs/{design['id']}/scene.glb?revision=9", headers=owner), 404)


def test_findings_of_a_stored_and_of_an_unsaved_document(client: TestClient, owner: dict[str, str],
                                                         design: dict[str, Any]) -> None:
    stored = client.get(f"/api/designs/{design['id']}/findings", headers=owner).json()
    assert stored["revision"] == 1 and isinstance(stored["findings"], list)
    document = design["document"]
    first = document["cabinets"][0]
    twin = {**first, "id": "cab-twin"}
    live = client.post("/api/findings", json={"document": {**document, "cabinets": [*document["cabinets"], twin]}},
                       headers=owner)
    assert live.status_code == 200, live.text
    overlaps = [f for f in live.json()["findings"] if f["rule"] == "overlap"]
    assert overlaps and {"cab-twin", first["id"]} <= set(overlaps[0]["object_ids"])
    assert overlaps[0]["severity"] == "error" and overlaps[0]["message"]
    assert live.json()["quote"]["total_cents"] > 0
    broken = client.post("/api/findings", json={"document": {**document, "name": ""}}, headers=owner)
    assert_problem(broken, 422, "document.name")


def test_command_saves_a_revision_and_its_inverse_undoes_it(client: TestClient, owner: dict[str, str],
                                                            design: dict[str, Any]) -> None:
    design_id = design["id"]
    cab = design["document"]["cabinets"][2]
    resized = _command(client, owner, design_id, 1,
                       {"kind": "resize_cabinet", "cabinet_id": cab["id"], "width_mm": cab["width_mm"] - 100})
    assert resized.status_code == 200, resized.text
    body = resized.json()
    assert body["revision"] == 2
    changed = next(c for c in body["document"]["cabinets"] if c["id"] == cab["id"])
    assert changed["width_mm"] == cab["width_mm"] - 100
    assert isinstance(body["findings"], list)
    assert body["inverse"] == {"kind": "resize_cabinet", "cabinet_id": cab["id"], "width_mm": cab["width_mm"],
                               "height_mm": cab["height_mm"], "depth_mm": cab["depth_mm"]}
    undone = _command(client, owner, design_id, 2, body["inverse"])
    assert undone.status_code == 200, undone.text
    assert undone.json()["revision"] == 3
    assert undone.json()["document"] == design["document"]
    redone = _command(client, owner, design_id, 3, undone.json()["inverse"])
    assert redone.json()["document"] == body["document"]
    revisions = client.get(f"/api/designs/{design_id}/revisions", headers=owner).json()
    assert [r["number"] for r in revisions] == [4, 3, 2, 1]
    assert "Resize cabinet" in revisions[-2]["message"]


def test_zone_commands_edit_a_units_interior(client: TestClient, owner: dict[str, str],
                                             design: dict[str, Any]) -> None:
    design_id = design["id"]
    oven = next(c for c in design["document"]["cabinets"] if c["family"] == "tall_oven")
    assert oven["interior"] is None
    bad = _command(client, owner, design_id, 1, {"kind": "split_zone", "cabinet_id": oven["id"], "path": [2],
                                                 "axis": "horizontal", "at_mm": 9000})
    assert_problem(bad, 422, "at_mm")
    split = _command(client, owner, design_id, 1, {"kind": "split_zone", "cabinet_id": oven["id"], "path": [2],
                                                   "axis": "horizontal", "at_mm": 300})
    assert split.status_code == 200, split.text
    tree = next(c for c in split.json()["document"]["cabinets"] if c["id"] == oven["id"])["interior"]
    assert tree["zones"][2]["kind"] == "split" and tree["zones"][2]["zones"][0]["size_mm"] == 300
    drawers = _command(client, owner, design_id, 2, {
        "kind": "set_insert", "cabinet_id": oven["id"], "path": [2, 0],
        "insert": {"kind": "drawers", "count": 2, "internal": True}})
    assert drawers.status_code == 200, drawers.text
    assert split.json()["inverse"] == {"kind": "set_interior", "cabinet_id": oven["id"], "interior": None}
    undone = _command(client, owner, design_id, 3, drawers.json()["inverse"])
    assert undone.json()["document"] == split.json()["document"]


def test_cabinet_elevation_lays_out_zones_for_its_owner_only(app: FastAPI, client: TestClient,
                                                             owner: dict[str, str], design: dict[str, Any]) -> None:
    oven = next(c for c in design["document"]["cabinets"] if c["family"] == "tall_oven")
    url = f"/api/designs/{design['id']}/cabinets/{oven['id']}/elevation"
    body = client.get(url, headers=owner).json()
    assert body["editable"] and [z["insert"] for z in body["zones"]] == ["drawers", "niche", "shelves"]
    assert [z["front"] for z in body["zones"]] == ["drawers", "open", "hinged"]
    assert body["zones"][0]["outer"][2] == 0 and body["zones"][-1]["outer"][3] == oven["height_mm"]
    assert {f["role"] for f in body["fronts"]} == {"door", "drawer_front"}
    # the two boards between its three zones can be dragged, each between its neighbours' far ends
    zones = body["zones"]
    assert [(d["path"], d["index"], d["axis"]) for d in body["dividers"]] == [([], 0, "horizontal"),
                                                                             ([], 1, "horizontal")]
    assert [d["at_mm"] for d in body["dividers"]] == [zones[0]["outer"][3], zones[1]["outer"][3]]
    assert body["dividers"][1]["lo_mm"] == zones[1]["outer"][2] + 100
    assert body["dividers"][1]["hi_mm"] == zones[2]["outer"][3] - 100
    # its one hinged door gives the plan the edge it turns about; drawer fronts do not swing
    [door] = [f for f in body["fronts"] if f["swing"]]
    assert door["role"] == "door" and door["swing"]["hinge_x"] in (door["rect"][0], door["rect"][1])
    assert door["swing"]["front_mm"] == oven["depth_mm"]
    assert all(f["swing"] is None for f in body["fronts"] if f["role"] == "drawer_front")
    top = next(c for c in design["document"]["cabinets"] if c["family"] == "countertop")
    assert client.get(f"/api/designs/{design['id']}/cabinets/{top['id']}/elevation", headers=owner).json()[
        "editable"] is False
    assert_problem(client.get(f"/api/designs/{design['id']}/cabinets/cab-nope/elevation", headers=owner), 404)
    assert_problem(client.get(url, headers=user_headers(app, client)), 404)


def test_swings_give_every_units_hinged_leaves_for_the_plan(app: FastAPI, client: TestClient,
                                                            owner: dict[str, str]) -> None:
    """The plan draws the arc of every hinged door: each unit's leaves as its elevation gives them, no
    sliding or drawer fronts, for the revision asked (the current one by default), for its owner only."""
    from backend.configurator.catalog import load_catalog
    from backend.configurator.home_demo import apartment_design

    catalog = load_catalog()
    home = apartment_design(catalog).model_dump(mode="json")
    made = client.post("/api/designs", json={"name": "Home", "document": home}, headers=owner).json()
    url = f"/api/designs/{made['id']}/swings"
    body = client.get(url, headers=owner).json()
    assert body["revision"] == 1
    units = body["cabinets"]
    hinged = [c for c in home["cabinets"] if c["id"] in units]
    assert len(hinged) >= 5 and {catalog.families[c["family"]].room for c in hinged} >= {"kitchen", "wardrobe"}
    for cab in home["cabinets"]:
        elevation = client.get(f"/api/designs/{made['id']}/cabinets/{cab['id']}/elevation", headers=owner).json()
        leaves = [f for f in elevation["fronts"] if f["swing"]]
        assert units.get(cab["id"], []) == leaves, cab["id"]  # the same leaves as the selected unit's arcs
    sliding = next(c for c in home["cabinets"] if c["family"].startswith("wardrobe_sliding"))
    assert sliding["id"] not in units
    # after deleting a hinged unit the current revision leaves it out; the earlier revision still has it
    gone = hinged[0]["id"]
    answer = _command(client, owner, made["id"], 1, {"kind": "delete_cabinet", "cabinet_id": gone})
    assert answer.status_code == 200, answer.text
    now = client.get(url, headers=owner).json()
    assert now["revision"] == 2 and gone not in now["cabinets"]
    assert gone in client.get(f"{url}?revision=1", headers=owner).json()["cabinets"]
    assert_problem(client.get(url, headers=user_headers(app, client)), 404)


def test_add_move_delete_and_batch(client: TestClient, owner: dict[str, str], design: dict[str, Any]) -> None:
    design_id = design["id"]
    source = design["document"]["cabinets"][3]
    new = {**source, "id": "cab-new", "placement": {**source["placement"], "offset_mm": 5000}}
    batch = {"kind": "batch", "commands": [
        {"kind": "delete_cabinet", "cabinet_id": source["id"]},
        {"kind": "add_cabinet", "cabinet": {**new, "placement": source["placement"]}},
    ]}
    response = _command(client, owner, design_id, 1, batch)
    assert response.status_code == 200, response.text
    ids = [c["id"] for c in response.json()["document"]["cabinets"]]
    assert "cab-new" in ids and source["id"] not in ids
    back = _command(client, owner, design_id, 2, response.json()["inverse"])
    assert back.json()["document"] == design["document"]


def test_stale_base_revision_is_a_conflict(client: TestClient, owner: dict[str, str],
                                           design: dict[str, Any]) -> None:
    cab = design["document"]["cabinets"][0]
    command = {"kind": "change_cabinet", "cabinet_id": cab["id"], "changes": {"front_material": "oak_veneer_19"}}
    assert _command(client, owner, design["id"], 1, command).status_code == 200
    stale = _command(client, owner, design["id"], 1, command)
    body = assert_problem(stale, 409, "base_revision")
    assert body["current_revision"] == 2
    assert client.get(f"/api/designs/{design['id']}", headers=owner).json()["revision"] == 2


def test_impossible_size_is_422_naming_the_field(client: TestClient, owner: dict[str, str],
                                                 design: dict[str, Any]) -> None:
    cab = design["document"]["cabinets"][2]
    too_wide = _command(client, owner, design["id"], 1,
                        {"kind": "resize_cabinet", "cabinet_id": cab["id"], "height_mm": 5})
    body = assert_problem(too_wide, 422, "height_mm")
    assert "height" in body["detail"]
    bad_option = _command(client, owner, design["id"], 1, {"kind": "change_cabinet", "cabinet_id": cab["id"],
                                                           "changes": {"options": {"colour": "red"}}})
    assert_problem(bad_option, 422, "options.colour")
    unknown = _command(client, owner, design["id"], 1, {"kind": "spin_cabinet"})
    assert_problem(unknown, 422, "command")
    missing = _command(client, owner, design["id"], 1, {"kind": "delete_cabinet", "cabinet_id": "cab-nope"})
    assert_problem(missing, 404, "cabinet_id")
    assert client.get(f"/api/designs/{design['id']}", headers=owner).json()["revision"] == 1


def test_autofill_offers_ranked_alternatives_that_apply_as_one_command(
        client: TestClient, owner: dict[str, str], design: dict[str, Any]) -> None:
    response = client.post(f"/api/designs/{design['id']}/autofill", json={"wall_ids": ["wall-kitchen-dining"]},
                           headers=owner)
    assert response.status_code == 200, response.text
    alternatives = response.json()["alternatives"]
    assert 1 <= len(alternatives) <= 5
    assert [a["rank"] for a in alternatives] == list(range(1, len(alternatives) + 1))
    for alt in alternatives:
        assert alt["price_cents"] > 0 and alt["unit_count"] >= 1 and "differences" in alt
    applied = _command(client, owner, design["id"], 1, alternatives[0]["command"])
    assert applied.status_code == 200, applied.text
    assert len(applied.json()["document"]["cabinets"]) > len(design["document"]["cabinets"])
    unknown = client.post(f"/api/designs/{design['id']}/autofill", json={"wall_ids": ["wall-nope"]}, headers=owner)
    assert_problem(unknown, 422, "wall_ids.0")


def test_autofill_can_replace_what_stands_against_the_walls(client: TestClient, owner: dict[str, str],
                                                            design: dict[str, Any]) -> None:
    walls = ["wall-top-1", "wall-left-2"]
    url = f"/api/designs/{design['id']}/autofill"
    keep = client.post(url, json={"wall_ids": walls}, headers=owner).json()["alternatives"]
    replace = client.post(url, json={"wall_ids": walls, "replace": True}, headers=owner).json()["alternatives"]
    on_walls = {c["id"] for c in design["document"]["cabinets"]
                if c["placement"].get("wall_id") in walls}
    best = replace[0]
    assert on_walls <= set(best["replaces"])
    # without "replace", auto-fill works around what stands there: either no room is left, or
    # its alternatives add no error
    assert all(alt["findings_after"]["errors"] == 0 for alt in keep) or not keep
    assert best["findings_after"]["errors"] == 0
    applied = _command(client, owner, design["id"], 1, best["command"])
    assert applied.status_code == 200, applied.text
    ids = {c["id"] for c in applied.json()["document"]["cabinets"]}
    assert not ids & on_walls
    undone = _command(client, owner, design["id"], 2, applied.json()["inverse"])
    assert undone.json()["document"] == design["document"]


def test_quote_prices_every_cabinet(client: TestClient, owner: dict[str, str], design: dict[str, Any]) -> None:
    body = client.get(f"/api/designs/{design['id']}/quote", headers=owner).json()
    assert body["total_cents"] > 0 and body["currency"]
    assert body["kind"] == "quote" and body["complete"] is True
    priced = {c["cabinet_id"] for c in body["cabinets"] if c["price_cents"]}
    assert priced == {c["id"] for c in design["document"]["cabinets"]}
    assert sum(c["price_cents"] for c in body["cabinets"]) == body["total_cents"]


def test_the_quote_follows_every_new_revision(client: TestClient, owner: dict[str, str],
                                             design: dict[str, Any]) -> None:
    url = f"/api/designs/{design['id']}/quote"
    first = client.get(url, headers=owner).json()
    assert client.get(url, headers=owner).json() == first  # the same revision: the same (kept) quote
    cab = design["document"]["cabinets"][0]
    deleted = _command(client, owner, design["id"], 1, {"kind": "delete_cabinet", "cabinet_id": cab["id"]})
    assert deleted.status_code == 200, deleted.text
    second = client.get(url, headers=owner).json()
    assert second["revision"] == 2 and first["revision"] == 1
    assert second["total_cents"] < first["total_cents"]
    assert cab["id"] not in {c["cabinet_id"] for c in second["cabinets"]}


def test_other_users_get_404_and_anonymous_401(app: FastAPI, client: TestClient, design: dict[str, Any]) -> None:
    stranger = user_headers(app, client)
    design_id = design["id"]
    for url in (f"/api/designs/{design_id}/scene.glb", f"/api/designs/{design_id}/findings",
                f"/api/designs/{design_id}/quote"):
        assert_problem(client.get(url, headers=stranger), 404)
    cab = design["document"]["cabinets"][0]
    command = {"kind": "delete_cabinet", "cabinet_id": cab["id"]}
    assert_problem(_command(client, stranger, design_id, 1, command), 404)
    assert_problem(client.post(f"/api/designs/{design_id}/autofill", json={"wall_ids": ["wall-top-1"]},
                               headers=stranger), 404)
    assert_problem(client.get(f"/api/designs/{design_id}/findings"), 401)


def test_cookie_writes_need_the_csrf_header(app: FastAPI, client: TestClient, owner: dict[str, str],
                                            design: dict[str, Any]) -> None:
    del owner
    cab = design["document"]["cabinets"][0]
    command = {"base_revision": 1, "command": {"kind": "delete_cabinet", "cabinet_id": cab["id"]}}
    login = client.post("/api/auth/login", json={"email": design_owner_email(app, design), "password":
                                                 "correct horse battery"})
    assert login.status_code == 200
    csrf = login.json()["csrf_token"]
    client.cookies.set("rw_csrf", csrf)
    assert_problem(client.post(f"/api/designs/{design['id']}/commands", json=command), 403, "csrf_token")
    ok = client.post(f"/api/designs/{design['id']}/commands", json=command, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200, ok.text


def design_owner_email(app: FastAPI, design: dict[str, Any]) -> str:
    from sqlalchemy import select

    from backend.db import tables

    with app.state.sessionmaker() as db:
        email = db.scalar(select(tables.User.email).where(tables.User.id == design["owner_id"]))
    assert email
    return str(email)


def test_the_live_quote_is_the_order_quote() -> None:
    """One rule: the editor's quote of a document is the quote an order of it freezes, to the cent."""
    from backend.services import configurator as svc
    from backend.services import orders

    design = demo_design()
    live = svc.quote(design)
    ordered = orders.order_quote(design, "RW2612-0001")
    assert live["total_cents"] == ordered["total_cents"] > 0
    assert live["cabinets"] == ordered["cabinets"] and live["lines"] == ordered["lines"]


def test_autofill_alternatives_are_priced_by_the_same_rule(client: TestClient, owner: dict[str, str]) -> None:
    from backend.bom.pricing import price_cabinets
    from backend.configurator.catalog import load_catalog
    from backend.design.model import PlacedCabinet

    document = demo_design().model_copy(update={"cabinets": []})
    created = client.post("/api/designs", json={"name": "Empty", "document": document.model_dump(mode="json")},
                          headers=owner).json()
    body = client.post(f"/api/designs/{created['id']}/autofill", json={"wall_ids": ["wall-top-1"]},
                       headers=owner).json()
    alt = body["alternatives"][0]
    cabinets = [PlacedCabinet.model_validate(c) for c in alt["cabinets"]]
    assert alt["price_cents"] == price_cabinets(cabinets, load_catalog(), document.settings) > 0


def test_scene_bytes_are_cached_by_content() -> None:
    from backend.services import configurator as svc

    design = demo_design()
    first = svc.scene_glb(design)
    assert svc.scene_glb(demo_design()) is first
    assert svc.scene_etag(design) == svc.scene_etag(demo_design())


def test_autofill_by_room_stays_in_the_room(client: TestClient, owner: dict[str, str],
                                            design: dict[str, Any]) -> None:
    url = f"/api/designs/{design['id']}/autofill"
    # the hall's top wall runs past the kitchen, the dining room and the hall: filled for the kitchen,
    # only its kitchen stretch is used, on the kitchen's side
    body = client.post(url, json={"room_id": "room-kitchen", "wall_ids": ["wall-hall-top"], "replace": True},
                       headers=owner).json()
    assert body["room_id"] == "room-kitchen" and body["alternatives"]
    for alt in body["alternatives"]:
        assert alt["findings_after"]["errors"] == 0
        for cab in alt["cabinets"]:
            p = cab["placement"]
            assert p["wall_id"] == "wall-hall-top" and p["side"] == "left"  # the kitchen is above (y up)
            assert p["offset_mm"] >= 0 and p["offset_mm"] + cab["width_mm"] <= 3600 - 50
    # a room alone: its longest wall
    alone = client.post(url, json={"room_id": "room-bed1"}, headers=owner).json()
    assert (alone["wall_ids"] and alone["alternatives"]) or alone["reasons"]
    assert_problem(client.post(url, json={"room_id": "room-nope"}, headers=owner), 422, "room_id")
    assert_problem(client.post(url, json={}, headers=owner), 422, "wall_ids")


def test_findings_speak_the_readers_language_and_carry_their_fix(client: TestClient, owner: dict[str, str]) -> None:
    document = demo_design().model_dump(mode="json")
    first = next(c for c in document["cabinets"] if c["placement"]["kind"] == "wall" and c["elevation_mm"] < 900)
    document["cabinets"], document["items"] = [first], []
    design = client.post("/api/designs", json={"name": "Two units", "document": document}, headers=owner).json()
    # a copy of a base unit pushed 200 mm into its neighbour: an overlap with a fix
    twin = {**first, "id": "cab-twin", "placement": {**first["placement"],
                                                      "offset_mm": first["placement"]["offset_mm"] + 200}}
    added = _command(client, owner, design["id"], 1, {"kind": "add_cabinet", "cabinet": twin})
    assert added.status_code == 200, added.text
    found = client.get(f"/api/designs/{design['id']}/findings", headers=owner).json()["findings"]
    overlap = next(f for f in found if f["code"] == "overlap" and "cab-twin" in f["object_ids"])
    assert "cab-" not in overlap["message"] and " mm " in overlap["message"]
    assert overlap["params"]["depth"] > 10 and overlap["fix"]["command"]["kind"] == "move_cabinet"
    zh = client.get(f"/api/designs/{design['id']}/findings", headers={**owner, "Accept-Language": "zh-CN"})
    zh_overlap = next(f for f in zh.json()["findings"] if f["code"] == "overlap" and "cab-twin" in f["object_ids"])
    assert "重叠" in zh_overlap["message"] and "cab-" not in zh_overlap["message"]
    assert "移动" in zh_overlap["fix"]["description"]
    fixed = _command(client, owner, design["id"], 2, overlap["fix"]["command"])
    assert fixed.status_code == 200, fixed.text
    assert not any(f["code"] == "overlap" and set(f["object_ids"]) == set(overlap["object_ids"])
                   for f in fixed.json()["findings"])
    undone = _command(client, owner, design["id"], 3, fixed.json()["inverse"])
    assert undone.json()["document"] == added.json()["document"]


def test_a_snapped_free_move_through_the_api_names_the_wall_it_reaches_into(
        client: TestClient, owner: dict[str, str], design: dict[str, Any]) -> None:
    """A unit stood free and turned 30° is saved as moved (snapped by the server, 409 on a stale base as
    every command), and the finding of it reaching into the wall behind names that wall in words."""
    move = {"kind": "move_cabinet", "cabinet_id": "cab-3", "snap": True,
            "placement": {"kind": "free", "x_mm": 2620, "y_mm": 0, "rotation_deg": 30}}
    answer = _command(client, owner, design["id"], 1, move)
    assert answer.status_code == 200, answer.text
    placed = next(c for c in answer.json()["document"]["cabinets"] if c["id"] == "cab-3")["placement"]
    assert placed["kind"] == "free" and placed["rotation_deg"] == 30
    into = [f for f in answer.json()["findings"] if f["rule"] == "crosses_wall" and "cab-3" in f["object_ids"]]
    assert into and into[0]["walls"] == [{"wall_id": "wall-top-1", "name": "Kitchen, north wall, 3,600 mm"}]
    assert_problem(_command(client, owner, design["id"], 1, move), 409, "base_revision")
    zh = client.get(f"/api/designs/{design['id']}/findings", headers={**owner, "Accept-Language": "zh-CN"}).json()
    names = [w["name"] for f in zh["findings"] for w in f["walls"]]
    assert "Kitchen，北墙，3,600 毫米" in names  # the room keeps the name its owner gave it
    # stood among its neighbours, the least move out of the wall alone would hit them; the overlap's fix moves it
    # along its own axes, still turned 30°, clear of the wall and of them both, and is undone exactly
    fixes = [f["fix"] for f in answer.json()["findings"] if "cab-3" in f["object_ids"] and f["fix"]
             and f["fix"]["command"]]
    assert fixes, answer.json()["findings"]
    command = fixes[0]["command"]
    assert command["kind"] == "move_cabinet" and command["placement"]["kind"] == "free"
    assert command["placement"]["rotation_deg"] == 30
    zh_fixes = [f["fix"]["description"] for f in zh["findings"] if "cab-3" in f["object_ids"] and f["fix"]]
    assert any("向前移动" in d or "向后移动" in d for d in zh_fixes) and not any("cab-" in d for d in zh_fixes)
    fixed = _command(client, owner, design["id"], 2, command)
    assert fixed.status_code == 200, fixed.text
    assert not any(f["severity"] == "error" and "cab-3" in f["object_ids"] for f in fixed.json()["findings"])
    undone = _command(client, owner, design["id"], 3, fixed.json()["inverse"])
    assert undone.json()["document"] == answer.json()["document"]
