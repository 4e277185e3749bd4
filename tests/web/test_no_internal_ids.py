"""No page a person reads shows an internal id or code: for every demo role, every page reachable by
links from the role's start page (bounded; pages of one kind visited a few times, not once per id) is
read as a person reads it (scripts, styles and hidden elements aside) and searched for ``cab-…``,
``wall-…``, ``win-…``, ``room-…``, ``pre-…``, status codes such as ``in_production`` and catalog codes.
Before crawling, the demo homeowner does what a homeowner does: pre-books the demo promotion (so the
payments page lists its deposit) and orders the demo design (so the factory reaches an order's pages).
The pages the browser builds (the editor's lists) are checked by the browser tests on real plans."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.configurator.catalog import load_catalog
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.services import orders, promotions
from backend.services.actor import Actor
from backend.services.demo import DEMO_PASSWORD
from support.visible_text import catalog_codes, internal_ids, visible_text

LINK = re.compile(r'href="([^"#]+)"')
SKIP = ("/logout", "/lang/", "/docs", "/openapi.json", "/go/", "/api/", "/static/")
ID_SEGMENT = re.compile(r"/[a-z]+-[0-9a-z]{6,}")
PER_KIND = 3
MAX_PAGES = 60


@pytest.fixture
def journey_app(demo_app: FastAPI) -> FastAPI:
    """The demo with the homeowner's pre-booking and a submitted order of their demo design, made
    through the services as the pages make them."""
    with demo_app.state.sessionmaker() as db:
        owner = Actor.of(db.scalars(select(tables.User).where(tables.User.email == "homeowner@demo.roomwright")).one())
        promo = db.scalars(select(ct.Promotion)).first()
        assert promo is not None
        promotions.prebook(db, owner, promo.id, tables.utcnow())
        design = db.scalars(select(tables.Design).where(tables.Design.owner_id == owner.id)).first()
        assert design is not None
        orders.submit_order(db, owner, design.id, design.current_revision)
        db.commit()
    return demo_app


def log_in(app: FastAPI, email: str) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    return client


@pytest.mark.parametrize("email", ["homeowner@demo.roomwright", "designer.chen@demo.roomwright",
                                   "manager@demo.roomwright", "installer@demo.roomwright",
                                   "factory@demo.roomwright"])
def test_no_page_shows_an_internal_id(journey_app: FastAPI, email: str) -> None:
    client = log_in(journey_app, email)
    codes = catalog_codes(load_catalog())
    start = client.get("/", follow_redirects=True)
    queue = deque([urlparse(str(start.url)).path])
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    shown: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        kind = ID_SEGMENT.sub("/*", path.split("?")[0])
        if path in seen or kinds[kind] >= PER_KIND:
            continue
        seen.add(path)
        kinds[kind] += 1
        response = client.get(path)
        if response.status_code >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        shown += [f"{path}: {found}" for found in internal_ids(visible_text(response.text), codes)]
        for link in LINK.findall(response.text):
            url = urlparse(urljoin("http://testserver" + path, link))
            if url.netloc != "testserver" or any(url.path.startswith(s) for s in SKIP):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen and "/package" not in target and "/files/" not in target:
                queue.append(target)
    assert len(seen) >= 2, seen
    if email.startswith("factory"):
        assert any(p.startswith("/factory/orders/") or "/orders/" in p for p in seen), seen
        assert any(p.startswith("/p/") for p in seen), seen  # the part pages, by part number
    if email.startswith("homeowner"):
        assert "/payments" in seen, seen
    assert not shown, "\n".join(shown)


def test_payments_page_names_the_prebooking(journey_app: FastAPI) -> None:
    """The pre-booking's deposit reads as the promotion, its package, the store and the day, in either language."""
    client = log_in(journey_app, "homeowner@demo.roomwright")
    for lang, words in (("en", ("Store", "Date")), ("zh_Hans", ("门店", "日期"))):
        text = visible_text(client.get(f"/lang/{lang}?next=/payments", follow_redirects=True).text)
        assert "Double 12 pre-booking day · Kitchen + wardrobe set" in text
        assert "Roomwright Showroom Xuhui" in text
        assert all(word in text for word in words), text
        assert tables.utcnow().strftime("%Y-%m-%d") in text
        assert not re.search(r"\bpre-[0-9a-f]{6,}", text)
