"""The factory's production lines as pages: a list, and a form that edits the machine, its numbers, the sheet
sizes per board and the remnants; a refused edit shows the form again as typed and saves nothing; the
page names boards by name, in English and Chinese; others get no such page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import PASSWORD, login, make_user

HTML = {"Accept": "text/html"}


def _signed_in(client: TestClient, email: str) -> str:
    client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    return str(client.cookies.get("rw_csrf"))


def _form(page: str) -> dict[str, str]:
    """The form's fields as the page fills them (inputs and selected options)."""
    import re

    data = {m[0]: m[1] for m in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen[1] if chosen else ""
    return data


def test_the_factory_edits_a_line_on_its_page(client: TestClient, app: FastAPI) -> None:
    email = make_user(app, "factory")
    api = login(client, email)
    _signed_in(client, email)
    listed = client.get("/factory/profiles", headers=HTML)
    assert listed.status_code == 200
    assert "CNC nesting router" in listed.text and 'href="/factory/profiles/cnc_router"' in listed.text
    assert "pb_white_18" not in listed.text  # boards by name, not by catalog code
    page = client.get("/factory/profiles/cnc_router", headers=HTML)
    assert page.status_code == 200 and "pb_white_18" not in page.text.split('id="profile-form"')[0]
    form = _form(page.text)
    assert form["mode"] == "router" and form["kerf_mm"] == "4"
    assert form["stock-pb_white_18"] == "2800 × 2070, 2440 × 1220"
    assert form["remnant-0-id"] == "RM-0001" and form["remnant-0-material"] == "pb_white_18"
    assert form["locale"] == ""  # the customer's language, until the factory chooses one
    form.update({"kerf_mm": "3.5", "stock-pb_white_18": "2800 x 2070", "locale": "zh_Hans",
                 "remnant-1-id": "RM-0002", "remnant-1-material": "pb_white_18", "remnant-1-length_mm": "1200",
                 "remnant-1-width_mm": "600"})
    saved = client.post("/factory/profiles/cnc_router", data=form, headers=HTML, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/factory/profiles/cnc_router?saved=1"
    assert 'id="profile-saved"' in client.get(saved.headers["location"], headers=HTML).text
    stored = client.get("/api/factory/profiles/cnc_router", headers=api).json()
    assert stored["kerf_mm"] == 3.5 and stored["dxf_layers"] == "thermwood"  # what the form does not show is kept
    assert stored["locale"] == "zh_Hans" and _form(client.get("/factory/profiles/cnc_router", headers=HTML).text)[
        "locale"] == "zh_Hans"
    assert stored["stock"] == {"pb_white_18": [{"length_mm": 2800, "width_mm": 2070}]}
    assert [(r["id"], r["length_mm"]) for r in stored["remnants"]] == [("RM-0001", 1400), ("RM-0002", 1200)]
    # removing a remnant: clear its row
    again = _form(client.get("/factory/profiles/cnc_router", headers=HTML).text)
    again.update({"remnant-0-id": "", "remnant-0-length_mm": "", "remnant-0-width_mm": ""})
    assert client.post("/factory/profiles/cnc_router", data=again, headers=HTML,
                       follow_redirects=False).status_code == 303
    assert [r["id"] for r in client.get("/api/factory/profiles/cnc_router", headers=api).json()["remnants"]] == \
        ["RM-0002"]


def test_a_refused_edit_keeps_what_was_typed_and_saves_nothing(client: TestClient, app: FastAPI) -> None:
    email = make_user(app, "factory")
    api = login(client, email)
    _signed_in(client, email)
    before = client.get("/api/factory/profiles/panel_saw", headers=api).json()
    form = _form(client.get("/factory/profiles/panel_saw", headers=HTML).text)
    form.update({"kerf_mm": "3", "stock-pb_white_18": "2800 by 2070"})
    refused = client.post("/factory/profiles/panel_saw", data=form, headers=HTML)
    assert refused.status_code == 422 and 'id="profile-error"' in refused.text
    assert "2800 by 2070" in refused.text and "is not a sheet size" in refused.text
    assert "pb_white_18:" not in refused.text  # the board is named by its name
    assert _form(refused.text)["kerf_mm"] == "3"  # as typed
    form.update({"stock-pb_white_18": "", "kerf_mm": "-1"})
    assert client.post("/factory/profiles/panel_saw", data=form, headers=HTML).status_code == 422
    assert client.get("/api/factory/profiles/panel_saw", headers=api).json() == before
    zh = client.get("/factory/profiles/panel_saw", headers={**HTML, "Accept-Language": "zh-CN"})
    assert "保存生产线" in zh.text and "锯缝" in zh.text


def test_only_the_factory_and_admins_see_the_lines(client: TestClient, app: FastAPI) -> None:
    for role in ("homeowner", "designer", "installer"):
        _signed_in(client, make_user(app, role))
        for url in ("/factory/profiles", "/factory/profiles/panel_saw"):
            assert client.get(url, headers=HTML).status_code in (403, 404), (role, url)
    _signed_in(client, make_user(app, "admin"))
    assert client.get("/factory/profiles", headers=HTML).status_code == 200
    assert client.get("/factory/profiles/nope", headers=HTML).status_code == 404


def test_a_remnant_row_keeps_its_number_of_pieces(client: TestClient, app: FastAPI) -> None:
    email = make_user(app, "factory")
    api = login(client, email)
    _signed_in(client, email)
    form = _form(client.get("/factory/profiles/cnc_router", headers=HTML).text)
    assert form["remnant-0-quantity"] == "1"
    form.update({"remnant-0-quantity": "3", "remnant-1-id": "RM-0002", "remnant-1-material": "pb_white_18",
                 "remnant-1-length_mm": "1200", "remnant-1-width_mm": "600"})  # no count typed: one piece
    assert client.post("/factory/profiles/cnc_router", data=form, headers=HTML,
                       follow_redirects=False).status_code == 303
    stored = client.get("/api/factory/profiles/cnc_router", headers=api).json()
    assert [(r["id"], r["quantity"]) for r in stored["remnants"]] == [("RM-0001", 3), ("RM-0002", 1)]
    listed = client.get("/factory/profiles", headers=HTML).text
    row = listed.split('id="profile-cnc_router"')[1].split("</tr>")[0]
    assert row.rstrip().endswith('<td class="num">4</td>')  # remnant pieces of the line
    form.update({"remnant-0-quantity": "0"})
    refused = client.post("/factory/profiles/cnc_router", data=form, headers=HTML)
    assert refused.status_code == 422 and "is not a number of pieces" in refused.text
    assert client.get("/api/factory/profiles/cnc_router", headers=api).json() == stored
