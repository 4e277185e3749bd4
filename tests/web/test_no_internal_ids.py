"""No page a person reads shows an internal id or code: for every demo role, every page reachable by
links from the role's start page (bounded; pages of one kind visited a few times, not once per id) is
read as a person reads it (scripts, styles and hidden elements aside) and searched for ``cab-…``,
``wall-…``, ``win-…``, ``room-…``, status codes such as ``in_production`` and catalog codes.
The pages the browser builds (the editor's lists) are checked by the browser tests on real plans."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.configurator.catalog import load_catalog
from backend.services.demo import DEMO_PASSWORD
from support.visible_text import catalog_codes, internal_ids, visible_text

LINK = re.compile(r'href="([^"#]+)"')
SKIP = ("/logout", "/lang/", "/docs", "/openapi.json", "/go/", "/api/", "/static/")
ID_SEGMENT = re.compile(r"/[a-z]+-[0-9a-z]{6,}")
PER_KIND = 3
MAX_PAGES = 60


def log_in(app: FastAPI, email: str) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    return client


@pytest.mark.parametrize("email", ["homeowner@demo.roomwright", "designer.chen@demo.roomwright",
                                   "manager@demo.roomwright", "installer@demo.roomwright", "factory@demo.roomwright"])
def test_no_page_shows_an_internal_id(demo_app: FastAPI, email: str) -> None:
    client = log_in(demo_app, email)
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
    assert not shown, "\n".join(shown)
