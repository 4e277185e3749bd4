"""No dead links and no unlabelled controls: for every demo role, follow every same-site link reachable
from the home page."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.services.demo import DEMO_PASSWORD
from support.html_checks import unlabelled_controls

LINK = re.compile(r'(?:href|src)="([^"#]+)"')
SKIP = ("/logout", "/lang/", "/docs", "/openapi.json", "/go/")


@pytest.mark.parametrize("email", ["homeowner@demo.roomwright", "designer.chen@demo.roomwright",
                                   "manager@demo.roomwright", "installer@demo.roomwright", "factory@demo.roomwright"])
def test_every_link_answers(demo_app: FastAPI, email: str) -> None:
    client = TestClient(demo_app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    seen: set[str] = set()
    queue = deque(["/"])
    broken: list[str] = []
    unlabelled: list[str] = []
    while queue and len(seen) < 80:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 400:
            broken.append(f"{path} → {response.status_code}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        unlabelled += [f"{path}: {name}" for name in unlabelled_controls(response.text)]
        for link in LINK.findall(response.text):
            url = urlparse(urljoin("http://testserver" + path, link))
            if url.netloc != "testserver" or any(url.path.startswith(s) for s in SKIP):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen and "/package" not in target and "/files/" not in target:
                queue.append(target)
    assert not broken, broken
    assert not unlabelled, unlabelled
    assert len(seen) >= 3
