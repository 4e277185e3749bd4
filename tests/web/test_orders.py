"""Orders: submit freezes a revision with checks and quote; idempotency; status events; the factory
package downloads and opens; the part page behind each label."""

from __future__ import annotations

import base64
import csv
import io
import re
import time
import zipfile
import zlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import assert_problem, login, make_user
from support.documents import kitchen
from support.pdf_text import pdf_text


@pytest.fixture
def parties(client: TestClient, app: FastAPI) -> dict[str, dict[str, str]]:
    return {role: login(client, make_user(app, role)) for role in ("homeowner", "factory", "designer")}


def submitted(client: TestClient, owner: dict[str, str], cabinets: int = 2, key: str | None = None) -> dict:
    design = client.post("/api/designs", json={"document": kitchen("Order me", cabinets)}, headers=owner).json()
    body = {"revision": 1,
            "delivery": {"name": "Lin Wei", "phone": "138 0000 0000", "address": "8 Riverside Rd, Xuhui"}}
    if key:
        body["idempotency_key"] = key
    response = client.post(f"/api/designs/{design['id']}/orders", json=body, headers=owner)
    assert response.status_code == 201, response.text
    return response.json()


def test_submit_freezes_revision_with_number_quote_and_history(client: TestClient,
                                                               parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    order = submitted(client, owner)
    assert order["number"].startswith("RW") and order["status"] == "submitted"
    assert order["quote"]["total_cents"] > 0 and isinstance(order["quote"]["total_cents"], int)
    assert sum(c["price_cents"] for c in order["quote"]["cabinets"]) == order["quote"]["total_cents"]
    assert [e["status"] for e in order["events"]] == ["submitted"]
    assert order["delivery"]["address"] == "8 Riverside Rd, Xuhui"
    client.put(f"/api/designs/{order['design_id']}", json={"base_revision": 1, "document": kitchen("Changed", 3)},
               headers=owner)
    again = client.get(f"/api/orders/{order['id']}", headers=owner).json()
    assert again["revision_number"] == 1 and again["quote"] == order["quote"]  # frozen


def test_orders_and_their_events_are_stamped_with_the_request_clock(client: TestClient, app: FastAPI,
                                                                   parties: dict[str, dict[str, str]]) -> None:
    """The clock bookings use (a test clock here, days ahead of the wall clock) also stamps the order, its
    number's month and every status change, so an order comes after the measurement it follows (#18)."""
    submitted_at = datetime(2031, 3, 14, 9, 30, tzinfo=ZoneInfo("UTC"))
    app.state.booking_clock = lambda: submitted_at
    order = submitted(client, parties["homeowner"])
    assert datetime.fromisoformat(order["created_at"]) == submitted_at
    assert datetime.fromisoformat(order["events"][0]["at"]) == submitted_at
    assert order["number"].startswith("RW3103-")
    accepted_at = submitted_at + timedelta(days=2)
    app.state.booking_clock = lambda: accepted_at
    changed = client.patch(f"/api/orders/{order['id']}", json={"status": "accepted"}, headers=parties["factory"])
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert [e["status"] for e in body["events"]] == ["submitted", "accepted"]
    assert datetime.fromisoformat(body["events"][-1]["at"]) == accepted_at
    assert datetime.fromisoformat(body["updated_at"]) == accepted_at


def test_same_idempotency_key_makes_one_order(client: TestClient, parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    first = submitted(client, owner, key="tap-123")
    repeat = client.post(f"/api/designs/{first['design_id']}/orders",
                         json={"revision": 1, "idempotency_key": "tap-123"}, headers=owner)
    assert repeat.status_code == 200 and repeat.json()["id"] == first["id"]
    by_header = client.post(f"/api/designs/{first['design_id']}/orders", json={"revision": 1},
                            headers={**owner, "Idempotency-Key": "tap-123"})
    assert by_header.json()["id"] == first["id"]
    assert len(client.get("/api/orders", headers=owner).json()) == 1


def test_design_with_errors_cannot_be_ordered(client: TestClient, parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    doc = kitchen("Overlap", 2)
    doc["cabinets"][1]["placement"]["offset_mm"] = 300  # overlaps cab-0
    design = client.post("/api/designs", json={"document": doc}, headers=owner).json()
    body = assert_problem(client.post(f"/api/designs/{design['id']}/orders", json={"revision": 1}, headers=owner),
                          422, "revision")
    assert body["findings"] and all(f["severity"] == "error" for f in body["findings"])
    assert client.get("/api/orders", headers=owner).json() == []


def test_status_changes_are_events_visible_to_the_customer(client: TestClient,
                                                           parties: dict[str, dict[str, str]]) -> None:
    order = submitted(client, parties["homeowner"])
    url = f"/api/orders/{order['id']}"
    for status in ("accepted", "in_production"):
        response = client.patch(url, json={"status": status, "note": f"now {status}"}, headers=parties["factory"])
        assert response.status_code == 200, response.text
    seen = client.get(url, headers=parties["homeowner"]).json()
    assert [e["status"] for e in seen["events"]] == ["submitted", "accepted", "in_production"]
    assert seen["events"][1]["note"] == "now accepted" and seen["events"][1]["previous_status"] == "submitted"


def test_factory_downloads_a_package_that_opens(client: TestClient, parties: dict[str, dict[str, str]]) -> None:
    order = submitted(client, parties["homeowner"])
    factory = parties["factory"]
    response = client.get(f"/api/orders/{order['id']}/package", headers=factory)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"order.json", "cutlist.csv", "cutlist.xlsx", "nesting.pdf", "labels.pdf", "hardware.csv"} <= names
    assert any(n.startswith("parts/") and n.endswith(".dxf") for n in names)
    rows = list(csv.reader(io.StringIO(archive.read("cutlist.csv").decode("utf-8-sig")), delimiter=";"))
    assert len(rows) > 10
    single = client.get(f"/api/orders/{order['id']}/files/nesting.pdf", headers=factory)
    assert single.status_code == 200 and single.content.startswith(b"%PDF")
    assert client.get(f"/api/orders/{order['id']}", headers=factory).json()["package_ready"] is True
    assert_problem(client.get(f"/api/orders/{order['id']}/files/nope.txt", headers=factory), 404)
    assert_problem(client.get(f"/api/orders/{order['id']}/package", headers=parties["homeowner"]), 404)


def test_documents_are_printed_in_the_customer_s_or_the_factory_s_language(
        client: TestClient, parties: dict[str, dict[str, str]]) -> None:
    """A customer who reads the site in Chinese gets the proposal in Chinese, and their order's package
    (labels, cut list) is printed in Chinese too, unless the factory's production line names a language."""
    owner, factory = parties["homeowner"], parties["factory"]
    assert client.get("/lang/zh_Hans?next=/", headers=owner, follow_redirects=False).status_code == 303
    client.cookies.clear()  # what follows is asked without the language cookie: the account keeps it
    order = submitted(client, owner)
    proposal = client.get(f"/api/designs/{order['design_id']}/proposal.pdf", headers=owner)
    assert proposal.status_code == 200, proposal.text
    assert "户型图" in pdf_text(proposal.content) and "Floor plan" not in pdf_text(proposal.content)
    package = client.get(f"/api/orders/{order['id']}/package", headers=factory)
    assert package.status_code == 200, package.text
    archive = zipfile.ZipFile(io.BytesIO(package.content))
    labels = pdf_text(archive.read("labels.pdf"))
    assert "成品" in labels and "Finished" not in labels
    rows = list(csv.DictReader(io.StringIO(archive.read("cutlist.csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["part"] == "左侧板" and rows[0]["part_id"].startswith(order["number"])
    # the factory prints in English whatever the customer reads
    line = client.get("/api/factory/profiles/panel_saw", headers=factory).json()
    saved = client.put("/api/factory/profiles/panel_saw", json={**line, "locale": "en"}, headers=factory)
    assert saved.status_code == 200, saved.text
    refused = client.put("/api/factory/profiles/panel_saw", json={**line, "locale": "fr"}, headers=factory)
    assert_problem(refused, 422)
    second = submitted(client, owner)
    english = zipfile.ZipFile(io.BytesIO(client.get(f"/api/orders/{second['id']}/package", headers=factory).content))
    assert "Finished" in pdf_text(english.read("labels.pdf")) and "成品" not in pdf_text(english.read("labels.pdf"))


def test_a_package_still_building_answers_202_with_its_job(client: TestClient, parties: dict[str, dict[str, str]],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A download never holds the request for the whole build: past a short wait it answers 202 with the
    build's job, which the factory polls (and nobody else sees) until the package downloads at once."""
    from backend.web.api import orders as orders_api

    monkeypatch.setattr(orders_api, "PACKAGE_WAIT_SECONDS", 0)
    order = submitted(client, parties["homeowner"])
    factory = parties["factory"]
    first = client.get(f"/api/orders/{order['id']}/package", headers=factory)
    assert first.status_code == 202, first.text
    job_url = first.headers["Location"]
    assert job_url.startswith(f"/api/orders/{order['id']}/package/jobs/") and first.json()["kind"] == "package"
    assert_problem(client.get(job_url, headers=parties["homeowner"]), 404)
    deadline = time.monotonic() + 120
    while (job := client.get(job_url, headers=factory).json())["status"] != "done":
        assert job["status"] in ("queued", "running") and time.monotonic() < deadline, job
        time.sleep(0.2)
    again = client.get(f"/api/orders/{order['id']}/package", headers=factory)
    assert again.status_code == 200 and again.headers["content-type"] == "application/zip"


def test_part_page_and_order_pages(client: TestClient, parties: dict[str, dict[str, str]]) -> None:
    order = submitted(client, parties["homeowner"])
    factory_page = client.get(f"/factory/orders/{order['id']}", headers=parties["factory"])
    assert factory_page.status_code == 200 and order["number"] in factory_page.text
    links = re.findall(r'href="/p/(' + re.escape(order["number"]) + r'-P\d+)">([^<]+)</a>', factory_page.text)
    assert links, "the factory page links each part, by its part number, to its label page"
    ref, shown = links[0]
    first = "P01" if len(links) < 100 else "P001"
    assert ref == f"{order['number']}-{first}" and shown == f"{order['number']} · {first}"
    assert len({r for r, _ in links}) == len(links)  # one number per part
    assert 'class="sheet"' in factory_page.text  # the nesting preview
    part = client.get(f"/p/{ref}")
    assert part.status_code == 200 and "Care and maintenance" in part.text and "8 Riverside Rd" not in part.text
    assert f'id="part-id">{shown}<' in part.text
    assert "-cab-" not in part.text  # no label id, no cabinet id
    name = re.search(r'<h1 id="part-name">([^<]+)</h1>', part.text)
    assert name and re.match(r"\w[\w ()-]* — the \d+ mm ", name.group(1)), name  # "Left side — the 600 mm …"
    zh = client.get(f"/lang/zh_Hans?next=/p/{ref}", follow_redirects=True).text
    assert "部件编号" in zh and f">{shown}<" in zh
    zh_name = re.search(r'<h1 id="part-name">([^<]+)</h1>', zh)
    assert zh_name and "（" in zh_name.group(1) and not re.search(r"[A-Za-z]{3,}", zh_name.group(1)), zh_name
    client.get("/lang/en?next=/")
    # a label printed before part numbers (its QR code holds the label id) still finds its part
    old = client.get(f"/p/{order['number']}-cab-0-side-l", follow_redirects=False)
    assert old.status_code == 303 and old.headers["location"].startswith(f"/p/{order['number']}-P")
    assert client.get(old.headers["location"]).status_code == 200
    assert client.get(f"/p/{order['number']}-cab-99-side-l").status_code == 404
    assert client.get(f"/p/{order['number']}-P999").status_code == 404
    customer = client.get(f"/orders/{order['id']}", headers=parties["homeowner"])
    assert customer.status_code == 200 and "Status timeline" in customer.text
    assert client.get(f"/orders/{order['id']}", headers=parties["designer"]).status_code == 404
    assert client.get(f"/factory/orders/{order['id']}", headers=parties["homeowner"]).status_code == 404


def test_part_label_reports_a_problem_on_an_installed_order(client: TestClient, app: FastAPI,
                                                            parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    order = submitted(client, owner)
    admin = login(client, make_user(app, "admin"))
    for status in ("accepted", "in_production", "shipped", "installed"):
        assert client.patch(f"/api/orders/{order['id']}", json={"status": status}, headers=admin).status_code == 200
    page = client.get(f"/factory/orders/{order['id']}", headers=admin)
    found = re.search(r'href="/p/([^"]+)"', page.text)
    assert found
    part_id = found.group(1)
    client.cookies.set("rw_csrf", "t")
    label = client.get(f"/p/{part_id}", headers=owner)
    assert 'action="/p/' in label.text
    done = client.post(f"/p/{part_id}/report", data={"kind": "replacement_part", "description": "Scratched front",
                                                      "csrf_token": "t"}, headers=owner)
    assert done.status_code == 200 and 'id="report-done"' in done.text
    requests = client.get("/api/service-requests", headers=owner).json()
    # the store reads the part number the customer reads on the label
    assert [(r["part_id"], r["kind"]) for r in requests] == [(part_id.replace("-P", " · P"), "replacement_part")]


def test_the_store_reads_old_label_ids_as_part_numbers_and_units(client: TestClient, app: FastAPI,
                                                                 parties: dict[str, dict[str, str]]) -> None:
    """Requests made from labels printed before part numbers hold a label id: the store's list shows the
    part's number and plain name instead (or a part of its unit when the part is gone), in English and
    Chinese, never the label id."""
    owner = parties["homeowner"]
    order = submitted(client, owner)
    admin = login(client, make_user(app, "admin"))
    for status in ("accepted", "in_production", "shipped", "installed"):
        assert client.patch(f"/api/orders/{order['id']}", json={"status": status}, headers=admin).status_code == 200
    number = order["number"]
    for key in (f"{number}-cab-0-side-l", f"{number}-cab-1-drawer_side-3r"):
        made = client.post(f"/api/orders/{order['id']}/service-requests", headers=owner,
                           json={"kind": "repair", "description": "Chipped edge", "part_id": key})
        assert made.status_code == 201, made.text
    page = client.get("/store/service-requests", headers=admin)
    assert page.status_code == 200
    assert f"{number} · P01 · Left side — the 600 mm base unit" in page.text, page.text
    assert "Part 3 of the 600 mm base unit" in page.text
    assert "cab-0" not in page.text and "cab-1" not in page.text and "side-l" not in page.text
    client.get("/lang/zh_Hans?next=/")
    zh = client.get("/store/service-requests", headers=admin).text
    assert f"{number} · P01 · 左侧板" in zh and "的第 3 块板件" in zh and "cab-" not in zh
    client.get("/lang/en?next=/")


def test_shipped_order_offers_installation_slots(client: TestClient, app: FastAPI,
                                                 parties: dict[str, dict[str, str]]) -> None:
    from sqlalchemy import select

    from backend.db import booking_tables as bt
    from backend.db import tables
    from backend.services.booking_demo import seed_booking_demo

    with app.state.sessionmaker() as db:
        db.add(tables.Store(name="Showroom", timezone="Asia/Shanghai"))
        db.commit()
    installer_email = make_user(app, "installer")
    with app.state.sessionmaker() as db:
        installer = db.scalar(select(tables.User).where(tables.User.email == installer_email))
        seed_booking_demo(db, {"installer@demo.roomwright": installer})
        db.commit()
        assert db.scalar(select(bt.InstallerTeam.id)) is not None
    owner = parties["homeowner"]
    order = submitted(client, owner)
    admin = login(client, make_user(app, "admin"))
    for status in ("accepted", "in_production", "shipped"):
        client.patch(f"/api/orders/{order['id']}", json={"status": status}, headers=admin)
    page = client.get(f"/orders/{order['id']}", headers=owner)
    assert 'id="installation"' in page.text
    start = re.search(r'name="start" value="([^"]+)"', page.text)
    team = re.search(r'name="team_id" value="([^"]+)"', page.text)
    assert start and team, "slots of an installer team are offered"
    client.cookies.set("rw_csrf", "t")
    booked = client.post(f"/orders/{order['id']}/installation", data={"team_id": team.group(1),
                                                                     "start": start.group(1), "csrf_token": "t"},
                         headers=owner, follow_redirects=False)
    assert booked.status_code == 303 and booked.headers["location"].startswith("/bookings/")
    assert "Installation is booked." in client.get(f"/orders/{order['id']}", headers=owner).text
    # the team arrives and completes the job: the order becomes "installed"
    booking_id = booked.headers["location"].rsplit("/", 1)[1]
    from datetime import datetime, timedelta

    when = datetime.fromisoformat(start.group(1))
    team_headers = login(client, installer_email)
    confirmed = client.patch(f"/api/bookings/{booking_id}", json={"action": "confirm"}, headers=team_headers)
    assert confirmed.status_code == 200
    app.state.booking_clock = lambda: when + timedelta(hours=7)
    for action in ("arrive", "complete"):
        response = client.patch(f"/api/bookings/{booking_id}", json={"action": action}, headers=team_headers)
        assert response.status_code == 200, (action, response.text)
    final = client.get(f"/api/orders/{order['id']}", headers=owner).json()
    assert final["status"] == "installed" and final["events"][-1]["status"] == "installed"


def test_after_sales_request_is_assigned_by_the_store_and_booked_by_the_customer(
        client: TestClient, app: FastAPI, parties: dict[str, dict[str, str]]) -> None:
    from sqlalchemy import select

    from backend.db import tables
    from backend.services.booking_demo import seed_booking_demo

    with app.state.sessionmaker() as db:
        db.add(tables.Store(name="Showroom", timezone="Asia/Shanghai"))
        db.commit()
    installer_email = make_user(app, "installer")
    with app.state.sessionmaker() as db:
        seed_booking_demo(db, {"installer@demo.roomwright":
                               db.scalar(select(tables.User).where(tables.User.email == installer_email))})
        db.commit()
    owner = parties["homeowner"]
    order = submitted(client, owner)
    admin = login(client, make_user(app, "admin"))
    for status in ("accepted", "in_production", "shipped", "installed"):
        client.patch(f"/api/orders/{order['id']}", json={"status": status}, headers=admin)
    created = client.post(f"/api/orders/{order['id']}/service-requests",
                          json={"kind": "repair", "description": "Drawer runner broken"}, headers=owner)
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    client.cookies.set("rw_csrf", "t")
    queue = client.get("/store/service-requests", headers=admin)
    team = re.search(r'<option value="([^"]+)"', queue.text)
    assert team and "Drawer runner broken" in queue.text
    client.post(f"/store/service-requests/{request_id}/assign", data={"team_id": team.group(1), "csrf_token": "t"},
                headers=admin)
    page = client.get(f"/orders/{order['id']}", headers=owner)
    assert 'id="after-sales"' in page.text
    start = re.search(rf'service-requests/{request_id}/schedule"[\s\S]*?name="start" value="([^"]+)"', page.text)
    assert start, "the assigned team's free times are offered"
    booked = client.post(f"/orders/{order['id']}/service-requests/{request_id}/schedule",
                         data={"start": start.group(1), "csrf_token": "t"}, headers=owner, follow_redirects=False)
    assert booked.status_code == 303 and booked.headers["location"].startswith("/bookings/")
    requests = client.get("/api/service-requests", headers=owner).json()
    assert requests[0]["status"] == "scheduled"


def _pdf_text(pdf: bytes) -> str:
    """The page streams of a reportlab PDF, decoded (ASCII85 then Flate, as reportlab writes them)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = stream.strip()
        try:
            out.append(zlib.decompress(base64.a85decode(data.removesuffix(b"~>"))).decode("latin-1"))
        except (ValueError, zlib.error):
            out.append(data.decode("latin-1"))
    return "\n".join(out)


def test_the_order_charges_the_price_the_editor_and_the_proposal_show(client: TestClient,
                                                                      parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    design = client.post("/api/designs", json={"document": kitchen("Same price", 3)}, headers=owner).json()
    live = client.get(f"/api/designs/{design['id']}/quote", headers=owner).json()
    assert live["revision"] == 1 and live["complete"] is True
    assert sum(c["price_cents"] for c in live["cabinets"]) + sum(x["total_cents"] for x in live["shared"]) \
        == live["total_cents"] > 0
    page = client.get(f"/designs/{design['id']}/order?seen_cents={live['total_cents']}&seen_revision=1",
                      headers=owner)
    assert page.status_code == 200
    assert f"{live['currency']} {live['total_cents'] / 100:.2f}" in page.text
    assert 'id="price-change"' not in page.text  # the price seen is the price charged
    assert 'id="board-policy"' in page.text
    body = {"revision": 1, "expected_total_cents": live["total_cents"]}
    order = client.post(f"/api/designs/{design['id']}/orders", json=body, headers=owner)
    assert order.status_code == 201, order.text
    frozen = order.json()["quote"]
    assert frozen["total_cents"] == live["total_cents"] and frozen["lines"] == live["lines"]
    assert [c["price_cents"] for c in frozen["cabinets"]] == [c["price_cents"] for c in live["cabinets"]]
    shown = client.get(f"/orders/{order.json()['id']}", headers=owner)
    assert f"{live['currency']} {live['total_cents'] / 100:.2f}" in shown.text and 'id="board-policy"' in shown.text
    pdf = client.get(f"/api/designs/{design['id']}/proposal.pdf", headers=owner)
    assert f"Total {live['currency']} {live['total_cents'] / 100:,.2f}" in _pdf_text(pdf.content)


def test_a_price_change_since_the_editor_is_shown_with_its_reason(client: TestClient,
                                                                  parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    design = client.post("/api/designs", json={"document": kitchen("Changing", 2)}, headers=owner).json()
    seen = client.get(f"/api/designs/{design['id']}/quote", headers=owner).json()["total_cents"]
    changed = client.put(f"/api/designs/{design['id']}", json={"base_revision": 1, "document": kitchen("Changing", 3)},
                         headers=owner)
    assert changed.status_code == 200, changed.text
    now = client.get(f"/api/designs/{design['id']}/quote", headers=owner).json()["total_cents"]
    assert now > seen
    page = client.get(f"/designs/{design['id']}/order?seen_cents={seen}&seen_revision=1", headers=owner)
    assert 'id="price-change"' in page.text
    assert f"{seen / 100:.2f}" in page.text and f"{now / 100:.2f}" in page.text and f"+{(now - seen) / 100:.2f}" \
        in page.text
    assert "The design changed since then (revision 1 → 2)" in page.text
    assert "prices changed" not in page.text
    # the same revision priced differently: only the price list can explain it
    other = client.get(f"/designs/{design['id']}/order?seen_cents={now + 500}&seen_revision=2", headers=owner)
    assert "The catalog&#39;s prices changed since then" in other.text or "The catalog's prices changed" in other.text
    # nonsense in the link is treated as nothing seen
    plain = client.get(f"/designs/{design['id']}/order?seen_cents=abc&seen_revision=-4", headers=owner)
    assert plain.status_code == 200 and 'id="price-change"' not in plain.text


def test_an_order_at_a_price_not_shown_is_refused_until_seen(client: TestClient,
                                                             parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    design = client.post("/api/designs", json={"document": kitchen("Shown", 2)}, headers=owner).json()
    total = client.get(f"/api/designs/{design['id']}/quote", headers=owner).json()["total_cents"]
    body = assert_problem(client.post(f"/api/designs/{design['id']}/orders",
                                      json={"revision": 1, "expected_total_cents": total - 100}, headers=owner),
                          409, "expected_total_cents")
    assert body["total_cents"] == total
    assert client.get("/api/orders", headers=owner).json() == []
    # the submit form carries the total it showed; a different one re-renders the page with the change
    client.cookies.set("rw_csrf", "t")
    form = {"revision": "1", "name": "Lin Wei", "phone": "138", "address": "8 Riverside Rd", "csrf_token": "t",
            "shown_total_cents": str(total - 100)}
    page = client.post(f"/designs/{design['id']}/order", data=form, headers=owner, follow_redirects=False)
    assert page.status_code == 200 and 'id="price-change"' in page.text and 'id="order-error"' in page.text
    assert f'name="shown_total_cents" value="{total}"' in page.text
    assert client.get("/api/orders", headers=owner).json() == []
    done = client.post(f"/designs/{design['id']}/order", data=form | {"shown_total_cents": str(total)},
                       headers=owner, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert client.get("/api/orders", headers=owner).json()[0]["quote"]["total_cents"] == total


@pytest.mark.parametrize("with_key", [False, True])
def test_concurrent_submits_of_one_revision_make_one_order(client: TestClient, app: FastAPI,
                                                           parties: dict[str, dict[str, str]], with_key: bool) -> None:
    import threading

    owner = parties["homeowner"]
    design = client.post("/api/designs", json={"document": kitchen("Tapped twice", 2)}, headers=owner).json()
    body: dict[str, object] = {"revision": 1, **({"idempotency_key": "tap-42"} if with_key else {})}
    clients = 4
    barrier = threading.Barrier(clients)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def submit() -> None:
        with TestClient(app, raise_server_exceptions=False) as own:
            barrier.wait()
            response = own.post(f"/api/designs/{design['id']}/orders", json=body, headers=owner)
        with lock:
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=submit) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * (clients - 1) + [201], answers
    assert len({answer["id"] for _, answer in answers}) == 1
    orders = client.get("/api/orders", headers=owner).json()
    assert [o["id"] for o in orders] == [answers[0][1]["id"]]
    assert [e["status"] for e in orders[0]["events"]] == ["submitted"]


def test_order_page_says_in_words_what_blocks_the_order(client: TestClient,
                                                        parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    doc = kitchen("Overlap", 2)
    doc["cabinets"][1]["placement"]["offset_mm"] = 300  # overlaps cab-0
    design = client.post("/api/designs", json={"document": doc}, headers=owner).json()
    page = client.get(f"/designs/{design['id']}/order", headers=owner)
    assert page.status_code == 200
    blocking = re.findall(r'<li class="finding-error">(.*?)</li>', page.text, re.S)
    assert blocking and all("cab-" not in b for b in blocking)
    assert any("into each other" in b and "Move" in b for b in blocking)  # what it is, and what to do
    zh = client.get(f"/designs/{design['id']}/order", headers={**owner, "Accept-Language": "zh-CN"})
    blocking_zh = re.findall(r'<li class="finding-error">(.*?)</li>', zh.text, re.S)
    assert any("重叠" in b and "移动" in b for b in blocking_zh)


def label_urls(client: TestClient, order: dict, factory: dict[str, str]) -> list[str]:
    response = client.get(f"/api/orders/{order['id']}/files/labels.csv", headers=factory)
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows
    return [row["url"] for row in rows]


def test_label_qr_codes_use_the_public_address(client: TestClient, app: FastAPI,
                                               parties: dict[str, dict[str, str]]) -> None:
    """The QR code on a part label points at the server's public address: the address the request came to
    by default, ROOMWRIGHT_PUBLIC_URL when it is set (never a made-up host)."""
    first = submitted(client, parties["homeowner"])
    urls = label_urls(client, first, parties["factory"])
    assert all(u.startswith("http://testserver/p/" + first["number"]) for u in urls), urls[:2]
    app.state.settings.public_url = "https://kitchens.example.com/"
    second = submitted(client, parties["homeowner"])
    urls = label_urls(client, second, parties["factory"])
    assert all(u.startswith("https://kitchens.example.com/p/" + second["number"]) for u in urls), urls[:2]
    part_path = urls[0].removeprefix("https://kitchens.example.com")
    assert client.get(part_path, headers=parties["factory"]).status_code == 200  # the label's page exists


def test_the_public_address_must_be_a_web_address() -> None:
    from pydantic import ValidationError

    from backend.settings import Settings

    with pytest.raises(ValidationError, match="PUBLIC_URL"):
        Settings(public_url="kitchens.example.com")
    assert Settings(public_url="https://kitchens.example.com/").public_base("http://x/") == \
        "https://kitchens.example.com"
    assert Settings().public_base("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"


def shanghai_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the stores' default time zone


def test_a_delivery_date_that_has_passed_is_refused(client: TestClient, parties: dict[str, dict[str, str]]) -> None:
    owner = parties["homeowner"]
    design = client.post("/api/designs", json={"document": kitchen("Dated", 2)}, headers=owner).json()
    url = f"/api/designs/{design['id']}/orders"
    delivery = {"name": "Lin Wei", "phone": "138 0000 0000", "address": "8 Riverside Rd"}
    yesterday = (shanghai_today() - timedelta(days=1)).isoformat()
    body = assert_problem(client.post(url, json={"revision": 1, "delivery": {**delivery, "preferred_date": yesterday}},
                                      headers=owner), 422, "preferred_date")
    assert yesterday in body["detail"] and "passed" in body["detail"]
    assert_problem(client.post(url, json={"revision": 1, "delivery": {**delivery, "preferred_date": "next week"}},
                               headers=owner), 422, "preferred_date")
    assert client.get("/api/orders", headers=owner).json() == []  # nothing was ordered
    # the page keeps what was typed and says it next to the date, in the person's language
    form = {**delivery, "preferred_date": yesterday, "revision": "1", "csrf_token": "t"}
    client.cookies.set("rw_csrf", "t")
    page = client.post(f"/designs/{design['id']}/order", data=form, headers=owner)
    assert page.status_code == 200 and 'id="d-date-error"' in page.text and 'aria-invalid="true"' in page.text
    assert f'value="{yesterday}"' in page.text and 'value="8 Riverside Rd"' in page.text
    assert f'min="{shanghai_today().isoformat()}"' in page.text
    zh = client.post(f"/designs/{design['id']}/order", data=form,
                     headers={**owner, "Accept-Language": "zh-CN"})
    assert "请选择今天或之后的送货日期" in zh.text
    assert client.get("/api/orders", headers=owner).json() == []
    today = shanghai_today().isoformat()  # today is allowed
    order = client.post(url, json={"revision": 1, "delivery": {**delivery, "preferred_date": today}}, headers=owner)
    assert order.status_code == 201, order.text
    assert order.json()["delivery"]["preferred_date"] == today
