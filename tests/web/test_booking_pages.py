"""Booking pages: each renders for its role, answers 404 to other roles and sends anonymous
visitors to the login page; the homeowner books, reschedules and cancels through the forms; the
designer records a measurement; the homeowner approves it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.db import booking_tables as bt
from backend.db import tables
from backend.services import accounts
from support.api import PASSWORD, make_user
from support.documents import kitchen
from support.visible_text import visible_text

NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
START = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def browser_login(client: TestClient, email: str) -> str:
    client.cookies.clear()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return token.group(1)


@pytest.fixture
def site(app: FastAPI) -> dict[str, str]:
    app.state.booking_clock = clock = Clock()
    emails = {role: make_user(app, role) for role in ("homeowner", "factory", "admin")}
    with app.state.sessionmaker() as db:
        store = tables.Store(name="Xuhui", timezone="Asia/Shanghai", district="Xuhui")
        db.add(store)
        db.flush()
        designer = accounts.create_user(db, "d@example.com", PASSWORD, "designer", "Dana", store.id)
        manager = accounts.create_user(db, "m@example.com", PASSWORD, "store_manager", "Max", store.id)
        installer = accounts.create_user(db, "i@example.com", PASSWORD, "installer", "Ivan")
        db.add(bt.DesignerProfile(user_id=designer.id, styles=["Nordic"], specialties=["wardrobes"],
                                  services=["store_consultation", "home_measurement"], years_experience=3))
        team = bt.InstallerTeam(name="Team Ivan", store_id=store.id, districts=["Xuhui"])
        db.add(team)
        db.flush()
        db.add(bt.InstallerTeamMember(team_id=team.id, user_id=installer.id))
        for weekday in range(7):
            db.add(bt.WorkingHours(resource_id=designer.id, weekday=weekday, start_time=time(9), end_time=time(17)))
        db.commit()
        emails.update(designer=designer.email, store_manager=manager.email, installer=installer.email,
                      designer_id=designer.id)
    assert clock.now == NOW
    return emails


PAGES = {
    "/designers": {"homeowner", "admin"},
    "/bookings": {"homeowner", "admin"},
    "/agenda": {"designer"},
    "/store/agenda": {"store_manager", "admin"},
    "/store/follow-ups": {"store_manager", "admin"},
    "/store/service-requests": {"store_manager", "admin"},
    "/jobs": {"installer"},
}
ROLES = ("homeowner", "designer", "store_manager", "installer", "factory", "admin")


def test_each_page_renders_for_its_role_only(client: TestClient, site: dict[str, str]) -> None:
    for path in PAGES:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
    for index, role in enumerate(ROLES):
        browser_login(client, site[role])
        language = "zh-CN" if index % 2 else "en"  # both languages render every page
        for path, allowed in PAGES.items():
            response = client.get(path, headers={"Accept": "text/html", "Accept-Language": language})
            assert response.status_code == (200 if role in allowed else 404), (role, path)
            if role in allowed and language == "zh-CN":
                assert '<html lang="zh-Hans">' in response.text
        profile = client.get(f"/designers/{site['designer_id']}")
        assert profile.status_code == (200 if role in ("homeowner", "admin") else 404), role


def test_homeowner_books_reschedules_and_cancels_through_the_forms(client: TestClient, site: dict[str, str],
                                                                   app: FastAPI) -> None:
    token = browser_login(client, site["homeowner"])
    listing = client.get("/designers", params={"service": "store_consultation", "style": "Nordic"})
    assert "Dana" in listing.text and "Nordic" in listing.text
    profile = client.get(f"/designers/{site['designer_id']}", params={"service": "store_consultation"})
    assert profile.status_code == 200 and "Asia/Shanghai" in profile.text
    assert START.isoformat() in profile.text  # Friday 10:00 is offered
    zh = client.get(f"/designers/{site['designer_id']}", headers={"Accept-Language": "zh-CN"})
    assert "到店咨询" in zh.text
    booked = client.post(f"/designers/{site['designer_id']}/book",
                         data={"service": "store_consultation", "start": START.isoformat(), "csrf_token": token},
                         follow_redirects=False)
    assert booked.status_code == 303, booked.text
    url = booked.headers["location"]
    again = client.post(f"/designers/{site['designer_id']}/book",
                        data={"service": "store_consultation", "start": START.isoformat(), "csrf_token": token})
    assert again.status_code == 409 and 'role="alert"' in again.text
    forged = client.post(f"/designers/{site['designer_id']}/book",
                         data={"service": "store_consultation", "start": START.isoformat(), "csrf_token": "x"})
    assert forged.status_code == 403
    detail = client.get(url)
    assert "In-store consultation" in detail.text and "Reschedule" in detail.text
    new_start = START + timedelta(hours=2)
    moved = client.post(f"{url}/action", data={"action": "reschedule", "start": new_start.isoformat(),
                                                "csrf_token": token}, follow_redirects=True)
    assert moved.status_code == 200 and "Friday 27 March 2026, 12:00" in moved.text
    assert "My bookings" in client.get("/bookings").text
    cancelled = client.post(f"{url}/action", data={"action": "cancel", "csrf_token": token}, follow_redirects=True)
    assert cancelled.status_code == 200 and "Cancelled" in cancelled.text
    browser_login(client, site["installer"])
    assert client.get(url).status_code == 404
    browser_login(client, site["designer"])
    agenda = client.get("/agenda", params={"view": "week", "day": "2026-03-27"})
    assert "Asia/Shanghai" in agenda.text and url.rsplit("/", 1)[1] in agenda.text
    assert client.get("/agenda", params={"view": "day", "day": "2026-03-28"}).text.count("/bookings/bkg-") == 0


def test_booking_from_a_design_page_has_that_design_selected(client: TestClient, site: dict[str, str]) -> None:
    token = browser_login(client, site["homeowner"])
    design = client.post("/api/designs", json={"name": "Flat 7C", "document": kitchen(cabinets=1)},
                         headers={"X-CSRF-Token": token}).json()["id"]
    client.post("/api/designs", json={"name": "Other flat", "document": kitchen(cabinets=1)},
                headers={"X-CSRF-Token": token})
    assert f'href="/designers?design={design}"' in client.get(f"/designs/{design}").text
    found = client.get("/designers", params={"design": design})
    link = re.search(r'href="(/designers/' + re.escape(site["designer_id"]) + r'\?[^"]+)"', found.text)
    assert link and f"design={design}" in link.group(1), "the search carries the design on"
    page = client.get(link.group(1).replace("&amp;", "&"))
    assert page.status_code == 200
    chooser = re.search(r'<select name="design_id">(.*?)</select>', page.text, re.S)
    assert chooser and re.findall(r'<option value="([^"]*)" selected>', chooser.group(1)) == [design]
    later = re.search(r'href="(\?[^"]*week=1[^"]*)"', page.text)
    assert later and f"design={design}" in later.group(1)  # a later week keeps it
    plain = client.get(f"/designers/{site['designer_id']}")
    assert f'<option value="{design}" selected>' not in plain.text


def test_a_visit_outside_the_area_is_refused_next_to_the_address(client: TestClient, site: dict[str, str]) -> None:
    token = browser_login(client, site["homeowner"])
    design = client.post("/api/designs", json={"name": "Flat 3A", "document": kitchen(cabinets=1)},
                         headers={"X-CSRF-Token": token}).json()["id"]
    form = {"service": "home_measurement", "start": START.isoformat(), "design_id": design,
            "address": "99 Nanjing Road, Huangpu", "note": "Ring twice", "csrf_token": token}
    refused = client.post(f"/designers/{site['designer_id']}/book", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert 'id="address-error"' in refused.text and "(Xuhui)" in refused.text
    assert 'value="99 Nanjing Road, Huangpu"' in refused.text and "Ring twice" in refused.text  # kept
    assert f'<option value="{design}" selected>' in refused.text
    zh = client.post(f"/designers/{site['designer_id']}/book", data=form, headers={"Accept-Language": "zh-CN"})
    assert "超出服务范围" in zh.text
    assert client.get("/bookings").text.count("/bookings/bkg-") == 0


def test_measurement_form_and_approval_page(client: TestClient, site: dict[str, str], app: FastAPI) -> None:
    token = browser_login(client, site["homeowner"])
    design = client.post("/api/designs", json={"name": "Flat 12B", "document": kitchen(cabinets=1)},
                         headers={"X-CSRF-Token": token}).json()["id"]
    booked = client.post(f"/designers/{site['designer_id']}/book",
                         data={"service": "home_measurement", "start": START.isoformat(), "design_id": design,
                               "address": "88 Century Ave, Xuhui", "csrf_token": token}, follow_redirects=False)
    assert booked.status_code == 303, booked.text
    url = booked.headers["location"]
    assert client.get(f"/designs/{design}/approval").status_code == 404  # nothing measured yet
    token = browser_login(client, site["designer"])
    page = client.get(url)
    assert f'/designs/{design}' in page.text  # the customer's design one click away
    # the form is offered only when it can be saved; until then the pages say why
    assert f'href="{url}/measurement"' not in page.text and "once the booking is confirmed" in page.text
    early = client.get(f"{url}/measurement")
    assert early.status_code == 409 and 'name="wall:wall-n"' not in early.text
    assert "once the booking is confirmed" in early.text
    client.post(f"{url}/action", data={"action": "confirm", "csrf_token": token})
    app.state.booking_clock.now = START - timedelta(days=1)
    waiting = client.get(url).text
    assert f'href="{url}/measurement"' not in waiting and "once the visit has begun" in waiting
    assert client.get(f"{url}/measurement").status_code == 409
    app.state.booking_clock.now = START
    assert f'href="{url}/measurement"' in client.get(url).text
    form = client.get(f"{url}/measurement")
    assert form.status_code == 200 and 'name="wall:wall-n"' in form.text
    # the walls named by room, side and length beside a small plan that marks the wall being measured
    # (static/js/plan/measure-thumb.js highlights the wall whose field is pointed at or focused)
    assert 'id="measure-plan"' in form.text and 'data-wall-ref="wall-n"' in form.text
    assert '"walls": [' in form.text or '"walls":[' in form.text  # the plan's data for the small plan
    assert "wall-n" not in visible_text(form.text)
    bad = client.post(f"{url}/measurement", data={"wall:wall-n": "abc", "ceiling_height_mm": "2650",
                                                  "note": "Window sill 900", "csrf_token": token})
    assert bad.status_code == 422  # refused: the form keeps what was typed and says which field
    assert 'value="abc"' in bad.text and 'value="2650"' in bad.text and "Window sill 900" in bad.text
    assert 'id="error-wall-wall-n"' in bad.text and 'aria-describedby="error-wall-wall-n"' in bad.text
    zh = client.post(f"{url}/measurement", data={"wall:wall-n": "abc", "ceiling_height_mm": "2650",
                                                 "csrf_token": token}, headers={"Accept-Language": "zh-CN"})
    assert "请输入毫米数" in zh.text
    # walls named by room, side and length (never by id), beside a plan that highlights them
    assert "Kitchen, north wall, 4,000 mm" in form.text and 'data-wall-ref="wall-n"' in form.text
    assert ">Wall wall-n" not in form.text and 'id="measure-plan"' in form.text
    assert "北墙，4,000 毫米" in zh.text
    low = client.post(f"{url}/measurement", data={"wall:wall-n": "3980", "ceiling_height_mm": "1500",
                                                  "csrf_token": token})
    assert low.status_code == 422 and 'value="3980"' in low.text and 'value="1500"' in low.text
    assert 'id="error-ceiling_height_mm"' in low.text and 'id="error-wall-wall-n"' not in low.text
    saved = client.post(f"{url}/measurement", data={"wall:wall-n": "3980", "ceiling_height_mm": "2650",
                                                    "csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert client.get(f"/designs/{design}/approval").status_code == 404  # designers do not approve
    with app.state.sessionmaker() as db:  # the homeowner is told, with the way to the approval page
        told = list(db.scalars(select(bt.OutboxMessage).where(bt.OutboxMessage.kind == "measured_revision")))
        assert [m.recipient for m in told] == [site["homeowner"]]
        assert f"/designs/{design}/approval" in told[0].body and "Flat 12B" in told[0].body
    token = browser_login(client, site["homeowner"])
    banner = f'href="/designs/{design}/approval"'
    design_page = client.get(f"/designs/{design}")
    assert 'id="approval-waiting"' in design_page.text and banner in design_page.text
    assert "A measured revision waits for your approval" in design_page.text
    listed = client.get("/designs")
    assert banner in listed.text and "data-approval-waiting" in listed.text
    assert "量尺后的新版本等待您确认" in client.get("/designs", headers={"Accept-Language": "zh-CN"}).text
    approval = client.get(f"/designs/{design}/approval")
    assert approval.status_code == 200 and "3980.0 mm" in approval.text and "Approve this version" in approval.text
    done = client.post(f"/designs/{design}/approval", data={"decision": "approve", "csrf_token": token},
                       follow_redirects=True)
    assert "Approved" in done.text
    assert 'id="approval-waiting"' not in client.get(f"/designs/{design}").text  # nothing waits any more
    assert "data-approval-waiting" not in client.get("/designs").text
    with app.state.sessionmaker() as db:
        row = db.scalar(select(bt.RevisionApproval).where(bt.RevisionApproval.design_id == design))
        assert row is not None and row.status == "approved" and row.revision == 2


def test_photos_from_the_site_reach_the_customer_and_no_one_else(client: TestClient, site: dict[str, str],
                                                                app: FastAPI) -> None:
    """The performer sends photos from the phone (the work as done, or a problem with what it is); the
    booking's customer and store see them with the booking; anyone else, or a photo the booking does not hold,
    answers 404; a post without a photo, with a file that is not an image, or of a problem without words is
    refused with the booking shown and nothing kept."""
    from support.api import png_bytes

    token = browser_login(client, site["homeowner"])
    design = client.post("/api/designs", json={"name": "Flat 7C", "document": kitchen(cabinets=1)},
                         headers={"X-CSRF-Token": token}).json()["id"]
    booked = client.post(f"/designers/{site['designer_id']}/book",
                         data={"service": "home_measurement", "start": START.isoformat(), "design_id": design,
                               "address": "88 Century Ave, Xuhui", "csrf_token": token}, follow_redirects=False)
    url = booked.headers["location"]
    booking_id = url.rsplit("/", 1)[1]
    assert 'id="photo-form"' not in client.get(url).text  # the customer does not send site photos
    token = browser_login(client, site["designer"])
    assert 'id="photo-form"' not in client.get(url).text  # not before the booking is confirmed
    client.post(f"{url}/action", data={"action": "confirm", "csrf_token": token})
    app.state.booking_clock.now = START
    assert 'id="photo-form"' in client.get(url).text
    photos = [("files", ("wall-1.png", png_bytes(80, 60), "image/png")),
              ("files", ("wall-2.png", png_bytes(60, 80), "image/png"))]
    sent = client.post(f"{url}/photos", data={"kind": "work", "caption": "North wall measured", "csrf_token": token,
                                              "next": f"{url}#work-photos"}, files=photos, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == f"{url}#work-photos"
    page = client.get(url).text
    srcs = re.findall(rf'<img src="(/api/bookings/{booking_id}/photos/upl-[0-9a-f]+)"', page)
    assert len(srcs) == 2 and "North wall measured" in page and 'id="work-photos"' in page
    # refusals: nothing kept
    assert client.post(f"{url}/photos", data={"kind": "work", "csrf_token": token},
                       files=[("files", ("notes.txt", b"not an image", "text/plain"))]).status_code in (415, 422)
    no_words = client.post(f"{url}/photos", data={"kind": "issue", "csrf_token": token},
                           files=[("files", ("crack.png", png_bytes(), "image/png"))])
    assert no_words.status_code == 422 and 'role="alert"' in no_words.text
    issue = client.post(f"{url}/photos", data={"kind": "issue", "caption": "Crack in the back wall",
                                               "csrf_token": token},
                        files=[("files", ("crack.png", png_bytes(), "image/png"))], follow_redirects=False)
    assert issue.status_code == 303
    page = client.get(url).text
    assert "Crack in the back wall" in page
    assert len(re.findall(rf'<img src="/api/bookings/{booking_id}/photos/', page)) == 3
    # the customer sees them (and the images load); others get 404
    browser_login(client, site["homeowner"])
    customer_page = client.get(url).text
    assert all(src in customer_page for src in srcs)
    image = client.get(srcs[0])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    zh = client.get(url, headers={"Accept-Language": "zh-CN"}).text
    assert "施工照片" in zh
    browser_login(client, site["store_manager"])
    assert client.get(srcs[1]).status_code == 200
    other = make_user(app, "homeowner")
    browser_login(client, other)
    assert client.get(srcs[0]).status_code == 404
    mine = client.post("/api/uploads", files={"file": ("me.png", png_bytes(), "image/png")},
                       headers={"X-CSRF-Token": str(client.cookies.get("rw_csrf"))})
    assert mine.status_code == 201, mine.text
    browser_login(client, site["homeowner"])
    assert client.get(f"/api/bookings/{booking_id}/photos/{mine.json()['id']}").status_code == 404
