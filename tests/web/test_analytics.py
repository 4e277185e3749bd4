"""Store and staff analytics on seeded data, on SQLite and PostgreSQL: the exact figures per store and per
designer and installer team over a period (bookings, measurement → order, ratings, follow-up cases and
their time to close, installations on time, repeat and referred customers, referral points, orders and
revenue), the page for a manager (their store only) and an admin (every store), "not found" for anyone
else, and the CSV of the same figures in English and Chinese."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.commerce.points import PointsReason
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.errors import InvalidInput, NotFound
from backend.services import accounts, analytics
from backend.services.actor import Actor
from support.api import PASSWORD

NOV = date(2026, 11, 1), date(2026, 11, 30)
NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
HTML = {"Accept": "text/html"}


def at(day: int, hour: int = 2, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass
class Seeded:
    tag: str
    xuhui: str
    pudong: str
    emails: dict[str, str]
    actors: dict[str, Actor]


@pytest.fixture
def seeded(app: FastAPI) -> Seeded:
    """Two stores; in Xuhui the designers Chen and Li and the installer team Crew, in Pudong the designer
    Wang; four customers (Lu and Sun came through Zhao's referral). See the comments for what each row adds."""
    tag = os.urandom(3).hex()
    with app.state.sessionmaker() as db:
        xuhui, pudong = tables.Store(name=f"Xuhui {tag}"), tables.Store(name=f"Pudong {tag}")
        db.add_all([xuhui, pudong])
        db.flush()
        people = {"chen": ("designer", xuhui.id), "li": ("designer", xuhui.id), "wang": ("designer", pudong.id),
                  "manager": ("store_manager", xuhui.id), "admin": ("admin", None), "zhao": ("homeowner", None),
                  "qian": ("homeowner", None), "lu": ("homeowner", None), "sun": ("homeowner", None),
                  "installer": ("installer", None)}
        users = {name: accounts.create_user(db, f"{name}-{tag}@example.com", PASSWORD, role,
                                            f"{name.title()} {tag}", store)
                 for name, (role, store) in people.items()}
        crew = bt.InstallerTeam(name=f"Crew {tag}", store_id=xuhui.id)
        db.add(crew)
        db.flush()
        u = {name: row.id for name, row in users.items()} | {"crew": crew.id}

        def booking(key: str, who: str, customer: str, service: str, status: str, start: datetime,
                    store: str = xuhui.id, arrived: datetime | None = None, design: str | None = None) -> str:
            row = bt.Booking(id=f"bkg-{tag}-{key}", service=service,
                             performer="installer_team" if who == "crew" else "designer", resource_id=u[who],
                             customer_id=u[customer], store_id=store, start_at=start, end_at=start + timedelta(hours=2),
                             blocked_start=start, blocked_end=start + timedelta(hours=2), status=status,
                             arrived_at=arrived, design_id=design, history=[], issues=[],
                             completed_at=start + timedelta(hours=2) if status == "completed" else None)
            db.add(row)
            return row.id

        design_lu = tables.Design(owner_id=u["lu"], name="Lu's kitchen", schema_version=1)
        design_other = tables.Design(owner_id=u["zhao"], name="Any", schema_version=1)
        db.add_all([design_lu, design_other])
        db.flush()
        b1 = booking("b1", "chen", "zhao", "home_measurement", "completed", at(3))
        b2 = booking("b2", "chen", "qian", "home_measurement", "completed", at(5))
        booking("b3", "chen", "qian", "store_consultation", "cancelled", at(6))
        b4 = booking("b4", "li", "lu", "home_measurement", "completed", at(10), design=design_lu.id)
        booking("b5", "li", "zhao", "online_consultation", "no_show", at(12))
        b6 = booking("b6", "crew", "zhao", "installation", "completed", at(20), arrived=at(20, 2, 10))  # on time
        b7 = booking("b7", "crew", "qian", "installation", "completed", at(21), arrived=at(21, 2, 40))  # late
        b8 = booking("b8", "chen", "zhao", "home_measurement", "completed", at(20, month=10))  # before the period
        b9 = booking("b9", "wang", "sun", "home_measurement", "completed", at(4), store=pudong.id)
        db.flush()
        for bid, stars in ((b1, 5), (b2, 2), (b4, 4), (b6, 5), (b7, 1), (b8, 1), (b9, 3)):
            db.add(bt.Rating(booking_id=bid, customer_id=u["zhao"], performer_id="x", store_id=xuhui.id,
                             service="home_measurement", stars=stars))

        def case(bid: str, who: str, store: str, opened: datetime, ack: datetime | None,
                 closed: datetime | None) -> None:
            db.add(bt.FollowUpCase(booking_id=bid, store_id=store, customer_id=u["qian"], performer_id=u[who],
                                   service="home_measurement", stars=1, opened_at=opened, acknowledged_at=ack,
                                   closed_at=closed, status="closed" if closed else "acknowledged"))

        case(b2, "chen", xuhui.id, at(5, 10), at(5, 12), at(6, 10))  # closed in 24 h
        case(b7, "crew", xuhui.id, at(21, 10), at(22, 10), None)
        case(b8, "chen", xuhui.id, at(21, 10, month=10), None, at(22, 10, month=10))  # before the period
        case(b9, "wang", pudong.id, at(4, 10), None, at(4, 16))  # closed in 6 h, never acknowledged

        def order(key: str, owner: str, created: datetime, cents: int, status: str, by: str | None = None,
                  design: str | None = None) -> None:
            db.add(tables.Order(id=f"ord-{tag}-{key}", design_id=design or design_other.id,
                                revision_number=int(key[1:]),
                                owner_id=u[owner], status=status, document={}, created_at=created,
                                quote={"total_cents": cents}, submitted_by=u[by] if by else None))

        order("o1", "zhao", at(4), 100_000, "installed", by="chen")  # in store mode: Xuhui, Chen
        order("o2", "lu", at(12), 50_000, "submitted", design=design_lu.id)  # online, after Li's measurement
        order("o3", "qian", at(15), 70_000, "cancelled")  # cancelled: no revenue, no conversion
        order("o4", "sun", at(6), 80_000, "accepted")  # online, after Wang's measurement: Pudong
        order("o5", "zhao", at(2, month=12), 10_000, "submitted", by="chen")  # after the period
        accounts_ = {name: ct.PointsAccount(user_id=u[name], referral_code=f"{tag}{i}".upper()[:16])
                     for i, name in enumerate(("zhao", "qian", "lu", "sun"))}
        accounts_["lu"].referred_by = accounts_["sun"].referred_by = u["zhao"]
        db.add_all(accounts_.values())
        db.flush()
        for referred, created, delta in (("lu", at(25), 500), ("sun", at(1, month=10), 300)):  # Sun's: before
            db.add(ct.PointsEntry(user_id=u["zhao"], delta=delta, balance_after=delta, reason=PointsReason.REFERRAL,
                                  reference=u[referred], created_at=created))
        db.commit()
        return Seeded(tag, xuhui.id, pudong.id, {n: r.email for n, r in users.items()},
                      {n: Actor.of(r) for n, r in users.items()})


def the_report(app: FastAPI, actor: Actor) -> analytics.Report:
    with app.state.sessionmaker() as db:
        return analytics.report(db, actor, *NOV, NOW)


def mine(rows: list[analytics.Row], tag: str) -> dict[str, dict[str, object]]:
    return {r.name.split()[0]: {**r.figures.__dict__, "store": r.store.split()[0], "kind": r.kind}
            for r in rows if r.name.endswith(tag)}


def test_the_figures_per_store_and_per_performer(app: FastAPI, seeded: Seeded) -> None:
    rep = the_report(app, seeded.actors["admin"])
    assert (rep.first_day, rep.last_day) == NOV
    stores = mine(rep.stores, seeded.tag)
    assert stores["Xuhui"] == {
        "bookings": 7, "completed": 5, "cancelled": 1, "no_shows": 1, "measurements": 3,
        "measurements_ordered": 2, "conversion": pytest.approx(2 / 3), "ratings": 5, "average_rating": 3.4,
        "cases_opened": 2, "cases_acknowledged": 2, "cases_closed": 1, "hours_to_close": 24.0,
        "installations_timed": 2, "installations_on_time": 1, "on_time_rate": 0.5, "repeat_customers": 2,
        "referred_customers": 1, "referral_points": 500, "orders": 2, "revenue_cents": 150_000, "installed": 1,
        "store": "Xuhui", "kind": "store"}
    assert stores["Pudong"] == {
        "bookings": 1, "completed": 1, "cancelled": 0, "no_shows": 0, "measurements": 1,
        "measurements_ordered": 1, "conversion": 1.0, "ratings": 1, "average_rating": 3.0, "cases_opened": 1,
        "cases_acknowledged": 0, "cases_closed": 1, "hours_to_close": 6.0, "installations_timed": 0,
        "installations_on_time": 0, "on_time_rate": None, "repeat_customers": 0, "referred_customers": 1,
        "referral_points": 0, "orders": 1, "revenue_cents": 80_000, "installed": 0, "store": "Pudong",
        "kind": "store"}
    staff = mine(rep.staff, seeded.tag)
    assert set(staff) == {"Chen", "Li", "Wang", "Crew"}  # the installer's account is no performer; the team is
    pick = ("bookings", "completed", "cancelled", "no_shows", "measurements", "measurements_ordered", "conversion",
            "ratings", "average_rating", "cases_opened", "cases_acknowledged", "cases_closed", "hours_to_close",
            "installations_timed", "on_time_rate", "repeat_customers", "referred_customers", "orders",
            "revenue_cents", "installed", "store", "kind")
    got = {name: tuple(f[k] for k in pick) for name, f in staff.items()}
    assert got["Chen"] == (3, 2, 1, 0, 2, 1, 0.5, 2, 3.5, 1, 1, 1, 24.0, 0, None, 0, 0, 1, 100_000, 1, "Xuhui",
                           "designer")
    assert got["Li"] == (2, 1, 0, 1, 1, 1, 1.0, 1, 4.0, 0, 0, 0, None, 0, None, 0, 0, 1, 50_000, 0, "Xuhui",
                         "designer")
    assert got["Crew"] == (2, 2, 0, 0, 0, 0, None, 2, 3.0, 1, 1, 0, None, 2, 0.5, 0, 0, 0, 0, 0, "Xuhui",
                           "installer_team")
    assert got["Wang"] == (1, 1, 0, 0, 1, 1, 1.0, 1, 3.0, 1, 0, 1, 6.0, 0, None, 0, 0, 1, 80_000, 0, "Pudong",
                           "designer")


def test_a_manager_sees_their_own_store_only_and_others_nothing(app: FastAPI, seeded: Seeded) -> None:
    rep = the_report(app, seeded.actors["manager"])
    assert [r.name for r in rep.stores] == [f"Xuhui {seeded.tag}"]
    assert [r.name.split()[0] for r in rep.staff] == ["Chen", "Li", "Crew"]
    assert rep.stores[0].figures.revenue_cents == 150_000
    for who in ("chen", "zhao", "installer"):
        with pytest.raises(NotFound):
            the_report(app, seeded.actors[who])
    with app.state.sessionmaker() as db, pytest.raises(InvalidInput) as backwards:
        analytics.report(db, seeded.actors["manager"], date(2026, 11, 30), date(2026, 11, 1), NOW)
    assert backwards.value.field == "first_day"
    with app.state.sessionmaker() as db:  # by default the 30 days up to today
        default = analytics.report(db, seeded.actors["manager"], None, None, NOW)
    assert (default.first_day, default.last_day) == (date(2026, 11, 5), date(2026, 12, 4))
    assert default.stores[0].figures.bookings == 6  # b2…b7 start on or after 5 November 00:00 in Shanghai; b1 before


def page(client: TestClient, seeded: Seeded, who: str, path: str = "/store/analytics",
         lang: str = "en") -> tuple[int, str]:
    client.cookies.clear()
    client.post("/api/auth/login", json={"email": seeded.emails[who], "password": PASSWORD})
    got = client.get(f"{path}?first_day=2026-11-01&last_day=2026-11-30", headers={**HTML, "Accept-Language": lang})
    return got.status_code, got.text


def test_the_page_for_the_manager_and_the_admin_not_found_for_others(client: TestClient, seeded: Seeded) -> None:
    status, html = page(client, seeded, "manager")
    assert status == 200, html
    assert f"Xuhui {seeded.tag}" in html and f"Pudong {seeded.tag}" not in html and f"Wang {seeded.tag}" not in html
    assert 'href="/store/analytics"' in html  # in the manager's navigation
    assert 'id="chart-funnel"' in html and "/static/vendor/chartjs/chart.umd.min.js" in html
    assert 'href="/store/analytics.csv?first_day=2026-11-01&amp;last_day=2026-11-30"' in html
    assert ">66.7<" in html and ">1500.00<" in html and ">3.40<" in html  # conversion, revenue, rating
    assert "bkg-" not in html and "ord-" not in html and "installer_team" not in html
    status, html = page(client, seeded, "admin")
    assert status == 200 and f"Xuhui {seeded.tag}" in html and f"Pudong {seeded.tag}" in html
    status, zh = page(client, seeded, "manager", lang="zh-CN")
    assert status == 200 and "门店分析" in zh and "测量转订单" in zh and "安装团队" in zh
    for who in ("chen", "zhao", "installer"):
        for path in ("/store/analytics", "/store/analytics.csv"):
            status, html = page(client, seeded, who, path)
            assert status == 404, (who, path, html[:200])
    client.cookies.clear()
    anonymous = client.get("/store/analytics", headers=HTML, follow_redirects=False)
    assert anonymous.status_code in (303, 401) and f"Xuhui {seeded.tag}" not in anonymous.text
    client.post("/api/auth/login", json={"email": seeded.emails["manager"], "password": PASSWORD})
    assert client.get("/store/analytics?first_day=11/01/2026", headers=HTML).status_code == 422


def test_the_csv_has_the_same_figures(client: TestClient, seeded: Seeded) -> None:
    status, text = page(client, seeded, "manager", "/store/analytics.csv")
    assert status == 200
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Period", "2026-11-01 – 2026-11-30"]
    head = rows[1]
    assert head[:5] == ["Kind", "Name", "Store", "Bookings", "Completed"]
    lines = {r[1].split()[0]: dict(zip(head, r, strict=True)) for r in rows[2:]}
    assert set(lines) == {"Xuhui", "Chen", "Li", "Crew"}
    x = lines["Xuhui"]
    assert (x["Kind"], x["Bookings"], x["Measurement to order (%)"], x["Average rating"], x["Hours to close (mean)"],
            x["On time (%)"], x["Referral points"], x["Revenue"], x["Installed"]) == \
        ("store", "7", "66.7", "3.40", "24.0", "50.0", "500", "1500.00", "1")
    assert lines["Crew"]["Kind"] == "installer team" and lines["Chen"]["Kind"] == "designer"
    assert lines["Li"]["Hours to close (mean)"] == "" and lines["Li"]["Revenue"] == "500.00"
    status, zh = page(client, seeded, "manager", "/store/analytics.csv", lang="zh-CN")
    zh_rows = list(csv.reader(io.StringIO(zh.lstrip("\ufeff"))))
    assert zh_rows[1][:4] == ["类型", "名称", "门店", "预约数"] and zh_rows[2][0] == "门店"
    assert [r[4:] for r in zh_rows[2:]] == [r[4:] for r in rows[2:]]


def test_an_admin_sees_the_other_store_too(client: TestClient, seeded: Seeded) -> None:
    status, text = page(client, seeded, "admin", "/store/analytics.csv")
    assert status == 200
    names = [r[1] for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if r and r[1].endswith(seeded.tag)]
    assert names == [f"Pudong {seeded.tag}", f"Xuhui {seeded.tag}", f"Chen {seeded.tag}", f"Li {seeded.tag}",
                     f"Wang {seeded.tag}", f"Crew {seeded.tag}"]


def test_the_days_are_the_stores_own(app: FastAPI, client: TestClient) -> None:
    """A booking and an order at 23:30 UTC on 31 October are in November for a store in Asia/Shanghai (07:30
    on 1 November there) and in October for a store keeping UTC; the CSV follows the page."""
    tag = os.urandom(3).hex()
    late = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    with app.state.sessionmaker() as db:
        east = tables.Store(name=f"East {tag}", timezone="Asia/Shanghai")
        west = tables.Store(name=f"West {tag}", timezone="UTC")
        db.add_all([east, west])
        db.flush()
        customer = accounts.create_user(db, f"cust-{tag}@example.com", PASSWORD, "homeowner", f"Cust {tag}")
        managers = {s.id: accounts.create_user(db, f"mgr-{s.id}@example.com", PASSWORD, "store_manager",
                                               f"Manager {tag}", s.id) for s in (east, west)}
        admin = accounts.create_user(db, f"admin-{tag}@example.com", PASSWORD, "admin", f"Admin {tag}")
        designers = {s.id: accounts.create_user(db, f"des-{s.id}@example.com", PASSWORD, "designer",
                                                f"Des{s.name.split()[0]} {tag}", s.id) for s in (east, west)}
        design = tables.Design(owner_id=customer.id, name="Any", schema_version=1)
        db.add(design)
        db.flush()
        for number, s in enumerate((east, west), start=1):
            d = designers[s.id]
            db.add(bt.Booking(id=f"bkg-{tag}-{s.name[0]}", service="home_measurement", performer="designer",
                              resource_id=d.id, customer_id=customer.id, store_id=s.id, start_at=late,
                              end_at=late + timedelta(hours=2), blocked_start=late,
                              blocked_end=late + timedelta(hours=2), status="completed", history=[], issues=[],
                              completed_at=late + timedelta(hours=2)))
            db.add(tables.Order(id=f"ord-{tag}-{s.name[0]}", design_id=design.id, revision_number=number,
                                owner_id=customer.id, status="submitted", document={}, created_at=late,
                                quote={"total_cents": 12_300}, submitted_by=d.id))
        db.commit()
        actors = {"admin": Actor.of(admin)} | {sid: Actor.of(m) for sid, m in managers.items()}
        east_id, west_id = east.id, west.id

    def figures(who: str, first: date, last: date) -> dict[str, tuple[int, int]]:
        with app.state.sessionmaker() as db:
            rep = analytics.report(db, actors[who], first, last, NOW)
        return {r.name.split()[0]: (r.figures.bookings, r.figures.orders)
                for r in [*rep.stores, *rep.staff] if r.name.endswith(tag)}

    nov = figures("admin", *NOV)
    assert nov == {"East": (1, 1), "DesEast": (1, 1), "West": (0, 0), "DesWest": (0, 0)}
    octo = figures("admin", date(2026, 10, 1), date(2026, 10, 31))
    assert octo == {"East": (0, 0), "DesEast": (0, 0), "West": (1, 1), "DesWest": (1, 1)}
    assert figures(east_id, *NOV) == {"East": (1, 1), "DesEast": (1, 1)}
    assert figures(west_id, *NOV) == {"West": (0, 0), "DesWest": (0, 0)}

    client.post("/api/auth/login", json={"email": f"mgr-{east_id}@example.com", "password": PASSWORD})
    got = client.get("/store/analytics.csv?first_day=2026-11-01&last_day=2026-11-30", headers=HTML)
    assert got.status_code == 200
    rows = list(csv.reader(io.StringIO(got.text.lstrip("\ufeff"))))
    line = dict(zip(rows[1], next(r for r in rows[2:] if r[1] == f"East {tag}"), strict=True))
    assert (line["Bookings"], line["Orders"], line["Revenue"]) == ("1", "1", "123.00")
    got = client.get("/store/analytics.csv?first_day=2026-10-01&last_day=2026-10-31", headers=HTML)
    line = dict(zip(rows[1], next(r for r in csv.reader(io.StringIO(got.text.lstrip("\ufeff")))
                                  if len(r) > 1 and r[1] == f"East {tag}"), strict=True))
    assert (line["Bookings"], line["Orders"]) == ("0", "0")
