"""Points buying catalog accessories with an order at checkout, over HTTP and in the services, on SQLite and
PostgreSQL: at the catalog's price, within the level's share of the order together with the points paying for
the order, within the balance; a double submit finds the first, another quantity is refused; a cancelled order
gives the points back; races never overdraw or buy twice; the points page in English and Chinese."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.commerce.points import PointsReason
from backend.db import commerce_tables as ct
from backend.errors import Conflict, InvalidInput
from backend.services import points
from backend.services.catalog import catalog
from support.api import PASSWORD, assert_problem, login, make_user
from support.commerce import give, ledger_sum, order_row, user
from support.threads import all_at_once

HTML = {"Accept": "text/html"}
TRAY = "sink_tray_alu"


def tray_points() -> int:
    return catalog().fittings[TRAY].price_cents // points.rules().point_value_cents


def test_points_buy_an_accessory_within_the_orders_share_once(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    owner, headers = user(app, email), login(client, email)
    give(app, owner.id, 9_000)  # a member (under 10,000 earned): 10 % of an order
    order = order_row(app, owner.id, 80_000)  # 800.00: at most 8,000 points, for the order and accessories
    cost = tray_points()
    made = client.post(f"/api/orders/{order}/accessories", json={"code": TRAY, "quantity": 1}, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["points"] == cost and made.json()["cents"] == catalog().fittings[TRAY].price_cents
    assert made.json()["balance"] == 9_000 - cost
    again = client.post(f"/api/orders/{order}/accessories", json={"code": TRAY, "quantity": 1}, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    assert_problem(client.post(f"/api/orders/{order}/accessories", json={"code": TRAY, "quantity": 2},
                               headers=headers), 409, "code")
    # the accessory counts in the order's share: the order itself takes only what is left of it
    left = 8_000 - cost
    over = assert_problem(client.post(f"/api/orders/{order}/redemption", json={"points": left + 1}, headers=headers),
                          422, "points")
    assert over["max_points"] == left
    assert client.post(f"/api/orders/{order}/redemption", json={"points": left}, headers=headers).status_code == 201
    full = assert_problem(client.post(f"/api/orders/{order}/accessories", json={"code": "anti_tip_bracket"},
                                      headers=headers), 422, "quantity")
    assert full["max_points"] == 0
    assert ledger_sum(app, owner.id) == (1_000, 1_000)
    shown = client.get("/api/points", headers=headers).json()
    line = next(o for o in shown["orders"] if o["order_id"] == order)
    assert line["accessories"] == [{"code": TRAY, "name": "Aluminium sink-base floor protector", "quantity": 1,
                                    "points": cost}]
    assert line["max_points"] == 0 and line["due_cents"] == 80_000 - left


def test_refused_over_the_balance_unknown_or_not_at_checkout(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    owner, headers = user(app, email), login(client, email)
    give(app, owner.id, 100)
    order = order_row(app, owner.id, 1_000_000)
    short = assert_problem(client.post(f"/api/orders/{order}/accessories", json={"code": TRAY}, headers=headers), 409)
    assert short["detail"] == "Only 100 points left"
    assert_problem(client.post(f"/api/orders/{order}/accessories", json={"code": "confirmat_7x50"}, headers=headers),
                   422, "code")  # a catalog fitting the brand does not sell for points
    assert_problem(client.post(f"/api/orders/{order}/accessories", json={"code": TRAY, "quantity": 11},
                               headers=headers), 422, "quantity")
    shipped = order_row(app, owner.id, 1_000_000, status="shipped")
    assert_problem(client.post(f"/api/orders/{shipped}/accessories", json={"code": "anti_tip_bracket"},
                               headers=headers), 409, "order_id")
    other = login(client, make_user(app))
    assert_problem(client.post(f"/api/orders/{order}/accessories", json={"code": TRAY}, headers=other), 404)
    assert_problem(client.post(f"/api/orders/{order}/accessories", json={"code": TRAY},
                               headers=login(client, make_user(app, "designer"))), 403)
    assert ledger_sum(app, owner.id) == (100, 100)


def test_a_cancelled_order_gives_the_accessory_points_back(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    owner, headers = user(app, email), login(client, email)
    give(app, owner.id, 9_000)
    order = order_row(app, owner.id, 200_000)
    assert client.post(f"/api/orders/{order}/accessories", json={"code": "anti_tip_bracket", "quantity": 3},
                       headers=headers).status_code == 201
    assert ledger_sum(app, owner.id)[1] == 9_000 - 3 * catalog().fittings["anti_tip_bracket"].price_cents
    assert client.patch(f"/api/orders/{order}", json={"status": "cancelled"}, headers=headers).status_code == 200
    assert ledger_sum(app, owner.id) == (9_000, 9_000)
    with app.state.sessionmaker() as db:
        assert db.get(ct.PointsAccount, owner.id).earned == 9_000  # a refund is not earning
        assert db.scalar(select(ct.AccessoryRedemption.refunded_at)) is not None


def test_twenty_concurrent_accessory_redemptions_never_overdraw_or_buy_twice(app: FastAPI) -> None:
    owner = user(app, make_user(app))
    cost = tray_points()
    give(app, owner.id, 3 * cost + 10)
    orders = [order_row(app, owner.id, 1_000_000) for _ in range(20)]

    def redeem(i: int) -> str:
        with app.state.sessionmaker() as db:
            row, _created = points.redeem_accessory(db, owner, orders[i], TRAY, 1)
            db.commit()
            return row.id

    results = all_at_once(20, redeem)
    won = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 3 and len(refused) == 17, results
    assert ledger_sum(app, owner.id) == (10, 10)

    again = order_row(app, owner.id, 1_000_000)
    with app.state.sessionmaker() as db:
        points.award(db, owner.id, PointsReason.COMPENSATION, "more", cost)
        db.commit()

    def same(_i: int) -> tuple[str, bool]:
        with app.state.sessionmaker() as db:
            row, created = points.redeem_accessory(db, owner, again, TRAY, 1)
            db.commit()
            return row.id, created

    submits = all_at_once(20, same)
    assert all(isinstance(r, tuple) for r in submits), submits
    assert len({r[0] for r in submits}) == 1 and sum(r[1] for r in submits) == 1
    assert ledger_sum(app, owner.id) == (10, 10)


def test_the_points_page_buys_an_accessory_in_both_languages(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    owner = user(app, email)
    give(app, owner.id, 9_000)
    order = order_row(app, owner.id, 200_000)
    client.cookies.clear()
    client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    page = client.get("/points", headers=HTML)
    assert f'id="accessory-{order}"' in page.text and "Aluminium sink-base floor protector" in page.text
    posted = client.post("/points/accessory", data={"csrf_token": client.cookies.get("rw_csrf"), "order_id": order,
                                                    "code": TRAY, "quantity": "1"}, headers=HTML,
                         follow_redirects=False)
    assert posted.status_code == 303, posted.text
    shown = client.get(posted.headers["location"], headers=HTML)
    assert f'id="accessories-{order}"' in shown.text
    refused = client.post("/points/accessory", data={"csrf_token": client.cookies.get("rw_csrf"), "order_id": order,
                                                     "code": TRAY, "quantity": "3"}, headers=HTML)
    assert refused.status_code == 409 and 'id="points-error"' in refused.text
    zh = client.get("/points", headers={**HTML, "Accept-Language": "zh-CN"})
    assert "水槽柜铝制防水底垫" in zh.text and "积分兑换" in zh.text


def test_concurrent_redemptions_on_one_order_share_its_limit(app: FastAPI) -> None:
    """The order's own redemption and three accessories at once, each fitting the limit alone but not all
    together (some together within the balance): the points on the order never pass the level's share."""
    owner = user(app, make_user(app))
    give(app, owner.id, 9_900)  # still a member (under 10,000 earned)
    order = order_row(app, owner.id, 80_000)  # at most 8,000 points with this order
    codes = ["sink_tray_alu", "shoe_shelf_bracket", "anti_tip_bracket"]  # 5,500 + 2,600 + 800 points

    def redeem(i: int) -> int:
        with app.state.sessionmaker() as db:
            if i == len(codes):
                row, _ = points.redeem(db, owner, order, 5_000)
                db.commit()
                return row.points
            extra, _ = points.redeem_accessory(db, owner, order, codes[i], 1)
            db.commit()
            return extra.points

    results = all_at_once(len(codes) + 1, redeem)
    assert all(isinstance(r, int | InvalidInput | Conflict) for r in results), results  # refused: over a limit
    spent = sum(r for r in results if isinstance(r, int))
    assert 0 < spent <= 8_000
    with app.state.sessionmaker() as db:
        on_order = points.accessory_points_on(db, order) + sum(
            r.points for r in db.scalars(select(ct.PointRedemption).where(ct.PointRedemption.order_id == order)))
    assert on_order == spent and ledger_sum(app, owner.id) == (9_900 - spent, 9_900 - spent)


def test_the_accessory_shows_on_the_order_pages_and_in_the_factory_package(client: TestClient, app: FastAPI) -> None:
    """What points bought with the order reaches the customer's order page, the factory's order page and the
    package's hardware list (a package built before the purchase is built again, with it) (#18)."""
    import csv
    import io

    from support.documents import kitchen

    email = make_user(app)
    owner, headers = user(app, email), login(client, email)
    factory = login(client, make_user(app, "factory"))
    design = client.post("/api/designs", json={"document": kitchen("Accessory kitchen", 2)}, headers=headers).json()
    order = client.post(f"/api/designs/{design['id']}/orders", json={"revision": 1, "delivery": {
        "name": "Lin Wei", "phone": "138 0000 0000", "address": "8 Riverside Rd"}}, headers=headers).json()

    def hardware() -> list[dict[str, str]]:
        response = client.get(f"/api/orders/{order['id']}/files/hardware.csv", headers=factory)
        assert response.status_code == 200, response.text
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    before = hardware()  # built before the purchase
    assert before and TRAY not in {r["code"] for r in before}
    assert 'id="order-accessories"' not in client.get(f"/orders/{order['id']}", headers={**headers, **HTML}).text
    give(app, owner.id, 9_000)
    made = client.post(f"/api/orders/{order['id']}/accessories", json={"code": TRAY, "quantity": 1}, headers=headers)
    assert made.status_code == 201, made.text
    fitting = catalog().fittings[TRAY]

    page = client.get(f"/orders/{order['id']}", headers={**headers, **HTML})
    assert page.status_code == 200
    listed = page.text.split('id="order-accessories"', 1)[1].split("</ul>", 1)[0]
    assert f"1 × Aluminium sink-base floor protector for {made.json()['points']} points" in listed
    zh = client.get(f"/orders/{order['id']}", headers={**headers, **HTML, "Accept-Language": "zh-CN"})
    assert "水槽柜铝制防水底垫" in zh.text.split('id="order-accessories"', 1)[1].split("</ul>", 1)[0]

    sheet = client.get(f"/factory/orders/{order['id']}", headers={**factory, **HTML})
    assert sheet.status_code == 200
    table = sheet.text.split('id="factory-accessories"', 1)[1].split("</table>", 1)[0]
    assert fitting.article in table and '<td class="num">1</td>' in table

    after = hardware()
    assert after[:len(before)] == before  # the design's hardware first, unchanged
    extra = [r for r in after if r["code"] == TRAY]
    assert len(extra) == 1 and len(after) == len(before) + 1
    assert extra[0]["article"] == fitting.article and extra[0]["qty"] == "1" and extra[0]["cabinets"] == ""
    assert extra[0]["total_cents"] == str(fitting.price_cents)
    # the customer's other views: another customer sees neither the order nor its accessories
    other = login(client, make_user(app))
    assert client.get(f"/orders/{order['id']}", headers={**other, **HTML}).status_code == 404
