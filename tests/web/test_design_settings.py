"""A design's region (rule pack) and currency follow the store or the person, and can be changed per
design; the price is in the currency the catalog really prices in (one currency today: never converted)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web.test_plan_page import log_in, new_design

from backend.design import regional
from backend.services.catalog import catalog
from support.api import assert_problem, make_user, user_headers


def test_region_follows_the_store_then_the_person() -> None:
    assert regional.region_for("en", "Asia/Shanghai") == "CN"
    assert regional.region_for("zh_Hans", "Europe/Berlin") == "EU"  # a store abroad decides
    assert regional.region_for("en-US") == "US" and regional.region_for("de-DE") == "EU"
    assert regional.region_for("en-GB") == "EU" and regional.region_for("zh-CN") == "CN"
    assert regional.region_for(None) == "CN"
    assert regional.currency_for("EU", ["CNY"], "CNY") == "CNY"  # no EUR prices: not converted
    assert regional.currency_for("EU", ["CNY", "EUR"], "CNY") == "EUR"


def test_a_new_design_takes_the_persons_saved_language(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    with app.state.sessionmaker() as db:
        from sqlalchemy import update

        from backend.db import tables

        db.execute(update(tables.User).where(tables.User.email == email).values(locale="en-US"))
        db.commit()
    token = log_in(client, email)
    design_id = new_design(client, token)
    settings = client.get(f"/api/designs/{design_id}").json()["document"]["settings"]
    assert settings["region"] == "US" and settings["currency"] == catalog().currency


def test_region_and_currency_change_per_design(client: TestClient, app: FastAPI) -> None:
    token = log_in(client, make_user(app))
    design_id = new_design(client, token)
    page = client.get(f"/designs/{design_id}", headers={"Accept-Language": "zh-CN"}).text
    assert 'id="settings-region"' in page and "欧洲" in page  # rule packs by their names, in Chinese
    done = client.post(f"/designs/{design_id}/settings", data={"region": "EU", "currency": "CNY",
                                                               "base_revision": "1", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303
    body = client.get(f"/api/designs/{design_id}").json()
    assert body["revision"] == 2 and body["document"]["settings"]["region"] == "EU"
    refused = client.post(f"/designs/{design_id}/settings", data={"region": "EU", "currency": "EUR",
                                                                  "base_revision": "2", "csrf_token": token})
    assert refused.status_code == 422 and "no prices in EUR" in refused.text
    quote = client.get(f"/api/designs/{design_id}/quote").json()
    assert quote["currency"] == "CNY"


def test_the_region_changes_the_rules_checked(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    cat = catalog()
    assert {"CN", "EU", "US"} <= set(cat.rule_packs)
    heights = {code: pack.worktop_height_mm.value_mm for code, pack in cat.rule_packs.items()}
    summary = client.get("/api/catalog", headers=headers).json()["regions"]
    assert {code: r["worktop_height_mm"] for code, r in summary.items()} == heights
    created = client.post("/api/designs", json={"name": "x"}, headers=headers).json()
    assert_problem(client.put(f"/api/designs/{created['id']}", json={
        "base_revision": 1, "document": {**created["document"], "settings": {
            **created["document"]["settings"], "region": "XX"}}}, headers=headers), 422)
