"""Pages through one error path and one authorization dependency: anonymous visitors go to the login
page and come back, other roles get the same 404 page as a missing object, a domain error is a
localized error page for a browser and a problem document for a JSON client. The factory's package is
built as a job the page follows; the order page's parts and nesting are worked out once per order."""

from __future__ import annotations

import re
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.booking.search import InstallerTeamProfile, teams_for_address
from backend.services import order_views
from support.api import login, make_user
from support.documents import kitchen

HTML = {"Accept": "text/html,application/xhtml+xml"}


def csrf_of(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found, "form without a CSRF token"
    return found.group(1)


@pytest.fixture
def order(client: TestClient, app: FastAPI) -> dict[str, object]:
    owner = login(client, make_user(app, "homeowner"))
    design = client.post("/api/designs", json={"document": kitchen("Order me", 2)}, headers=owner).json()
    body = {"revision": 1, "delivery": {"name": "Lin Wei", "address": "8 Riverside Rd, Xuhui"}}
    made = client.post(f"/api/designs/{design['id']}/orders", json=body, headers=owner)
    assert made.status_code == 201, made.text
    return {"owner": owner, "factory": login(client, make_user(app, "factory")), **made.json()}


def test_anonymous_visitor_is_sent_to_login_and_back(client: TestClient) -> None:
    for path in ("/designs", "/factory/orders?status=submitted", "/bookings", "/profile", "/designs/x/plan",
                 "/store", "/store/designs/x/handoff"):
        response = client.get(path, headers=HTML, follow_redirects=False)
        assert response.status_code == 303, path
        target = response.headers["location"]
        assert target.startswith("/login?next=")
        login_page = client.get(target, headers=HTML)
        assert f'value="{path}"' in login_page.text.replace("&amp;", "&"), path  # the form brings them back


def test_wrong_role_gets_the_localized_not_found_page(client: TestClient, app: FastAPI) -> None:
    homeowner = login(client, make_user(app, "homeowner"))
    for path in ("/factory/orders", "/agenda", "/store/follow-ups", "/jobs", "/profile", "/store"):
        page = client.get(path, headers={**homeowner, **HTML})
        assert page.status_code == 404 and "Not found" in page.text, path
    client.cookies.set("rw_lang", "zh_Hans")
    page = client.get("/factory/orders", headers={**homeowner, **HTML})
    assert page.status_code == 404 and 'lang="zh' in page.text and "Not found" not in page.text
    missing = client.get("/orders/ord-nothing", headers={**homeowner, **HTML})
    assert missing.status_code == 404 and missing.text == page.text.replace("/factory/orders", "/orders/ord-nothing")


def test_a_domain_error_is_a_page_for_browsers_and_a_problem_for_json(client: TestClient, app: FastAPI) -> None:
    owner = login(client, make_user(app, "homeowner"))
    client.get("/designs", headers={**owner, **HTML})  # the CSRF cookie
    page = client.post("/designs", data={"name": "x", "csrf_token": "forged"}, headers={**owner, **HTML})
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "Not allowed" in page.text and "the form has expired" in page.text
    problem = client.post("/designs", data={"name": "x", "csrf_token": "forged"},
                          headers={**owner, "Accept": "application/json"})
    assert problem.status_code == 403 and problem.headers["content-type"] == "application/problem+json"
    assert problem.json()["type"].endswith("/forbidden") and problem.json()["errors"][0]["field"] == "csrf_token"
    client.cookies.set("rw_lang", "zh_Hans")
    localized = client.post("/designs", data={"name": "x", "csrf_token": "forged"}, headers={**owner, **HTML})
    assert localized.status_code == 403 and "无权操作" in localized.text
    assert client.get("/designs", headers={**owner, **HTML}).status_code == 200  # nothing was harmed


def test_factory_prepares_the_package_as_a_job_with_progress(client: TestClient, order: dict) -> None:
    factory = {**order["factory"], **HTML}
    page = client.get(f"/factory/orders/{order['id']}", headers=factory)
    assert page.status_code == 200 and "Prepare the package" in page.text and "Whole package (zip)" not in page.text
    started = client.post(f"/factory/orders/{order['id']}/package", data={"csrf_token": csrf_of(page.text)},
                          headers=factory, follow_redirects=False)
    assert started.status_code == 303
    progress_url = started.headers["location"]
    job_id = progress_url.split("job=")[1]
    again = client.post(f"/factory/orders/{order['id']}/package", data={"csrf_token": csrf_of(page.text)},
                        headers=factory, follow_redirects=False)
    assert again.headers["location"] in (progress_url, f"/factory/orders/{order['id']}#downloads")  # one build
    deadline = time.monotonic() + 120
    while True:
        step = client.get(progress_url, headers=factory, follow_redirects=False)
        if step.status_code == 303:
            break
        assert step.status_code == 200 and 'http-equiv="refresh"' in step.text and "<progress" in step.text
        assert time.monotonic() < deadline, "the package job did not finish"
        time.sleep(0.2)
    assert step.headers["location"] == f"/factory/orders/{order['id']}#downloads"
    ready = client.get(f"/factory/orders/{order['id']}", headers=factory)
    assert "Whole package (zip)" in ready.text and "Prepare the package" not in ready.text
    assert client.get(f"/api/orders/{order['id']}", headers=order["factory"]).json()["package_ready"] is True
    zipped = client.get(f"/api/orders/{order['id']}/package", headers=order["factory"])
    assert zipped.status_code == 200 and zipped.content.startswith(b"PK")
    other = client.get(f"/factory/orders/{order['id']}/package?job=job-unknown", headers=factory)
    assert other.status_code == 404
    owners = client.get(f"/factory/orders/{order['id']}/package?job={job_id}", headers={**order["owner"], **HTML})
    assert owners.status_code == 404


def test_order_page_works_out_parts_and_nesting_once(client: TestClient, order: dict) -> None:
    factory = {**order["factory"], **HTML}
    first = client.get(f"/factory/orders/{order['id']}", headers=factory)
    assert first.status_code == 200 and 'class="sheet"' in first.text
    computed = order_views.MEMO.computed
    for _ in range(3):
        assert client.get(f"/factory/orders/{order['id']}", headers=factory).text.count('class="sheet"') == \
            first.text.count('class="sheet"')
    part = re.search(r'href="/p/([^"]+)"', first.text)
    assert part and client.get(f"/p/{part.group(1)}", headers=HTML).status_code == 200
    assert order_views.MEMO.computed == computed  # the views and the label page reused the first result


def test_installation_teams_for_an_address() -> None:
    teams = [InstallerTeamProfile("t2", "Team B", "s", frozenset({"Pudong"})),
             InstallerTeamProfile("t1", "Team A", "s", frozenset({"Xuhui", ""})),
             InstallerTeamProfile("t3", "Team C", "s", frozenset({"xuhui"}))]
    assert [t.id for t in teams_for_address(teams, "8 Riverside Rd, XUHUI district")] == ["t1", "t3"]
    assert [t.id for t in teams_for_address(teams, "somewhere else")] == ["t1", "t2", "t3"]  # nobody named: all


def test_a_form_that_does_not_parse_is_an_error_page(client: TestClient, app: FastAPI) -> None:
    owner = login(client, make_user(app, "homeowner"))
    design = client.post("/api/designs", json={"name": "Mine"}, headers=owner).json()
    token = csrf_of(client.get(f"/designs/{design['id']}", headers={**owner, **HTML}).text)
    page = client.post(f"/designs/{design['id']}/rename", headers={**owner, **HTML},
                       data={"name": "New", "base_revision": "abc", "csrf_token": token})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "This could not be done" in page.text and "base_revision" in page.text
    problem = client.post(f"/designs/{design['id']}/rename", headers={**owner, "Accept": "application/json"},
                          data={"name": "New", "base_revision": "abc", "csrf_token": token})
    assert problem.status_code == 422 and problem.json()["errors"][0]["field"] == "base_revision"
    assert client.get(f"/api/designs/{design['id']}", headers=owner).json()["name"] == "Mine"
