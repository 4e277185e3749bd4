"""Browser tests: a real server (uvicorn, SQLite, demo data) and Debian's Chromium driven by Playwright.

Every page opened through the ``page`` fixture fails its test on any console error or failed
request. Screenshots of key steps go to artifacts/screenshots/ (ignored by git).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.live import live_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


def chromium_path() -> str | None:
    return os.environ.get("ROOMWRIGHT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on a free port with a fresh SQLite database seeded with the demo data."""
    var = tmp_path_factory.mktemp("e2e-var")
    env = {**os.environ, "ROOMWRIGHT_DATABASE_URL": f"sqlite:///{var / 'e2e.db'}", "ROOMWRIGHT_VAR_DIR": str(var),
           "ROOMWRIGHT_SECRET_KEY": "e2e-secret", "ROOMWRIGHT_TEST_CLOCK": "true"}
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([sys.executable, "-m", "backend.cli", *args], env=env, check=True, capture_output=True,
                       cwd=ROOT)
    with live_server(env, var) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        pytest.fail("Debian's chromium is not installed; `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True)
        yield instance
        instance.close()


class PageProblems:
    def __init__(self) -> None:
        self.items: list[str] = []


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A fresh browser context and page; console errors and failed requests fail the test."""
    from playwright.sync_api import Browser, ConsoleMessage, Request, Response

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 800}, locale="en-GB")
    new_page = context.new_page()
    problems = PageProblems()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.items.append(f"console error: {message.text}")

    def on_failed(request: Request) -> None:
        # a read the browser cancels (ERR_ABORTED) was not failed by the server: the test moved to the next
        # page, or closed the context when it was over, while the page was still fetching (a texture, the
        # quote, the findings). A cancelled write is still a problem (it may have been lost), and so is any
        # other failure
        if request.method in ("GET", "HEAD") and "ERR_ABORTED" in str(request.failure):
            return
        problems.items.append(f"request failed: {request.method} {request.url} {request.failure}")

    def on_response(response: Response) -> None:
        if response.status >= 500:
            problems.items.append(f"server error {response.status}: {response.url}")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda exc: problems.items.append(f"page error: {exc}"))
    new_page.on("requestfailed", on_failed)
    new_page.on("response", on_response)
    new_page.problems = problems  # type: ignore[attr-defined]
    yield new_page
    # let the page's own calls finish: closing would abort them, which is not the page's fault; a page
    # that never settles is still closed and judged below (reads the close cancels are not counted, above)
    with contextlib.suppress(Exception):
        new_page.wait_for_function("() => (document.body?.dataset.requests || '0') === '0'", timeout=10_000)
    context.close()
    assert not problems.items, "\n".join(problems.items)
