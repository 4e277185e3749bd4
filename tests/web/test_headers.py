"""Security headers on every answer (pages, API, static and uploaded files, errors), and pages that
satisfy their content security policy: no inline script without the request's nonce, no inline
style or event handler, nothing loaded from another origin."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.main import create_app
from backend.services.demo import DEMO_PASSWORD
from backend.settings import Settings
from support.api import png_bytes, user_headers

COMMON = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin"}
LINK = re.compile(r'(?:href|src)="([^"#]+)"')
SKIP = ("/logout", "/lang/", "/go/", "/docs")  # /docs: FastAPI's page, its own policy (tested below)
NOT_RUN = {"application/json", "application/ld+json"}  # data blocks: CSP does not apply, nothing runs


def assert_common_headers(response: Any, where: str) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, f"{where}: {name} is {response.headers.get(name)!r}"
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, f"{where}: no anti-framing policy in {csp!r}"


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


class _Inline(HTMLParser):
    """What a page carries that its policy must allow."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...> inline style")
            if name in ("href", "src", "action", "formaction") and value:
                if value.strip().lower().startswith("javascript:"):
                    self.problems.append(f"<{tag} {name}=javascript:...>")
                self.urls.append(value)
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self.scripts.append(data)
        if tag == "link" and (data.get("rel") or "") in ("stylesheet", "modulepreload", "preload"):
            self.urls.append(data.get("href") or "")


def csp_violations(html: str, csp: str) -> list[str]:
    policy = directives(csp)
    script_src = policy.get("script-src", [])
    nonces = {s[len("'nonce-"):-1] for s in script_src if s.startswith("'nonce-")}
    assert "'unsafe-inline'" not in script_src and "'unsafe-inline'" not in policy.get("style-src", [])
    assert policy.get("style-src") == ["'self'"] and policy.get("object-src") == ["'none'"]
    parser = _Inline()
    parser.feed(html)
    problems = list(parser.problems)
    for script in parser.scripts:
        if script.get("src"):
            continue
        if (script.get("type") or "").lower() in NOT_RUN:
            continue
        if script.get("nonce") not in nonces:
            problems.append(f"inline <script type={script.get('type')!r}> without the page's nonce")
    for url in parser.urls:
        parsed = urlparse(url)
        if parsed.scheme == "data" and url.startswith("data:image/"):
            continue  # img-src allows data: (the favicon)
        if parsed.netloc and parsed.netloc != "testserver":
            problems.append(f"loads {url} from another origin")
    return problems


def test_the_checker_finds_what_the_policy_forbids() -> None:
    csp = "default-src 'self'; script-src 'self' 'nonce-abc'; style-src 'self'; object-src 'none'"
    good = '<script type="importmap" nonce="abc">{}</script><script type="application/json">{}</script>'
    assert csp_violations(good, csp) == []
    bad = ('<script>alert(1)</script><p style="color:red" onclick="x()">x</p><style>p{}</style>'
           '<script type="importmap" nonce="other">{}</script><img src="https://cdn.example/x.png">')
    assert len(csp_violations(bad, csp)) == 6


@pytest.mark.parametrize(("email", "wants_nonced"), [("homeowner@demo.roomwright", 1),
                                                    ("designer.chen@demo.roomwright", 0),
                                                    ("factory@demo.roomwright", 0)])
def test_every_page_carries_the_headers_and_satisfies_its_policy(demo_app: FastAPI, email: str,
                                                                 wants_nonced: int) -> None:
    client = TestClient(demo_app)
    login_page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text)
    assert token
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    seen: set[str] = set()
    queue = deque(["/"])
    violations: list[str] = []
    nonces: set[str] = set()
    pages = nonced = 0
    while queue and len(seen) < 60:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert_common_headers(response, path)
        if "text/html" not in response.headers.get("content-type", ""):
            assert "default-src 'none'" in response.headers["content-security-policy"], path
            continue
        pages += 1
        csp = response.headers["content-security-policy"]
        nonces |= {s for s in directives(csp)["script-src"] if s.startswith("'nonce-")}
        violations += [f"{path}: {v}" for v in csp_violations(response.text, csp)]
        nonced += response.text.count(f'nonce="{directives(csp)["script-src"][-1][7:-1]}"')
        for link in LINK.findall(response.text):
            url = urlparse(urljoin("http://testserver" + path, link))
            if url.netloc != "testserver" or any(url.path.startswith(s) for s in SKIP):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen and "/package" not in target:
                queue.append(target)
    assert not violations, violations
    assert pages >= 2 and len(nonces) == pages, "every page has its own nonce"
    assert nonced >= wants_nonced, "the 3D pages' import map runs by its nonce"
    assert any(path.startswith("/static/") for path in seen)


def test_api_answers_errors_and_uploaded_files_carry_the_headers(client: TestClient, app: FastAPI) -> None:
    assert_common_headers(client.get("/api/health"), "/api/health")
    unauthenticated = client.get("/api/me")
    assert unauthenticated.status_code == 401
    assert_common_headers(unauthenticated, "401 problem")
    assert_common_headers(client.get("/no/such/page", headers={"Accept": "text/html"}), "404 page")
    headers = user_headers(app, client)
    uploaded = client.post("/api/uploads", files={"file": ("plan.png", png_bytes(), "image/png")}, headers=headers)
    assert uploaded.status_code == 201, uploaded.text
    assert_common_headers(uploaded, "POST /api/uploads")
    content = client.get(f"/api/uploads/{uploaded.json()['id']}/content", headers=headers)
    assert content.status_code == 200 and content.headers["content-type"] == "image/png"
    assert_common_headers(content, "uploaded file")
    policy = directives(content.headers["content-security-policy"])
    assert policy["default-src"] == ["'none'"] and "sandbox" in policy


def test_docs_page_keeps_anti_framing_and_nosniff(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert_common_headers(docs, "/docs")


def test_strict_transport_security_only_with_secure_cookies(client: TestClient, settings: Settings) -> None:
    assert "strict-transport-security" not in client.get("/api/health").headers
    secure_app = create_app(settings.model_copy(update={"cookie_secure": True}))
    assert TestClient(secure_app).get("/api/health").headers["strict-transport-security"].startswith("max-age=")
    secure_app.state.engine.dispose()
