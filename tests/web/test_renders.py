"""Renders through the API and pages: a job with progress, stored with the revision, shown in the
design page's gallery and the share page, embedded in the proposal; a clear answer without Blender."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from backend.db import tables
from backend.enums import RenderStatus
from backend.main import create_app
from backend.render.cycles import blender_executable
from backend.settings import Settings
from support.api import assert_problem, user_headers
from support.db import close_app

KITCHEN = json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "kitchen.json").read_text())


@pytest.fixture
def render_client(settings: Settings) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app(settings.model_copy(update={"renderer": "blender"}))
    with TestClient(app) as client:
        yield app, client
    close_app(app)


def _wait(client: TestClient, job: dict[str, Any], headers: dict[str, str], seconds: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    seen = []
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.3)
        job = client.get(f"/api/jobs/{job['id']}", headers=headers).json()
        seen.append(job["progress"])
    assert job["status"] == "done", job
    return job


def _keep_render(app: FastAPI, design_id: str, revision: int, camera: str, size: tuple[int, int],
                 status: RenderStatus = RenderStatus.DONE, colour: tuple[int, int, int] = (200, 120, 60)) -> str:
    """A render row as the render job leaves it (its PNG in the app's file store); returns its id."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    key = app.state.file_store.put(buffer.getvalue()) if status == RenderStatus.DONE else None
    with app.state.sessionmaker() as db, db.begin():
        row = tables.Render(design_id=design_id, revision=revision, camera=camera, width_px=size[0],
                            height_px=size[1], samples=8, status=status, file_key=key,
                            size_bytes=len(buffer.getvalue()) if key else None)
        db.add(row)
        db.flush()
        return row.id


def _pdf_pages(pdf: bytes) -> int:
    found = re.search(rb"/Count (\d+)", pdf)
    assert found is not None
    return int(found[1])


def test_the_gallery_lists_renders_and_the_proposal_and_share_page_take_the_current_revisions(
        client: TestClient, app: FastAPI) -> None:
    """From the renders table: the design page's gallery shows every finished render, newest first, marked
    current or older; the proposal embeds the newest render of the current revision only, the share page
    shows only the current revision's; a render of someone else's design answers 404 wherever it is asked."""
    owner = user_headers(app, client)
    design = client.post("/api/designs", json={"document": KITCHEN}, headers=owner).json()
    did = design["id"]
    base_pages = _pdf_pages(client.get(f"/api/designs/{did}/proposal.pdf", headers=owner).content)
    old = _keep_render(app, did, design["revision"], "room", (40, 30))
    _keep_render(app, did, design["revision"], "door", (44, 30), status=RenderStatus.FAILED)
    renamed = client.patch(f"/api/designs/{did}", json={"base_revision": design["revision"], "name": "K2"},
                           headers=owner).json()
    assert renamed["revision"] == design["revision"] + 1
    pdf = client.get(f"/api/designs/{did}/proposal.pdf", headers=owner).content
    assert _pdf_pages(pdf) == base_pages and b"/Width 40" not in pdf  # only an older revision's render
    door = _keep_render(app, did, renamed["revision"], "door", (48, 24))
    newest = _keep_render(app, did, renamed["revision"], "room", (52, 26))

    listing = client.get(f"/api/designs/{did}/renders", headers=owner).json()["renders"]
    assert [(r["id"], r["revision"], r["camera"], r["samples"]) for r in listing] == [
        (newest, renamed["revision"], "room", 8), (door, renamed["revision"], "door", 8),
        (old, design["revision"], "room", 8)]  # newest first, the failed one left out
    page = client.get(f"/designs/{did}", headers=owner).text
    gallery = page[page.index('id="render-gallery"'):]
    urls = re.findall(r'<figure class="(current|older)"[^>]*><a href="([^"]+)"', gallery)
    assert urls == [("current", f"/api/designs/{did}/renders/{newest}.png"),
                    ("current", f"/api/designs/{did}/renders/{door}.png"),
                    ("older", f"/api/designs/{did}/renders/{old}.png")]
    assert "From the door" in gallery and "48 × 24" in gallery

    pdf = client.get(f"/api/designs/{did}/proposal.pdf", headers=owner).content
    assert _pdf_pages(pdf) == base_pages + 1
    assert b"/Width 52" in pdf and b"/Width 48" not in pdf and b"/Width 40" not in pdf
    link = client.post(f"/api/designs/{did}/links", headers=owner).json()
    path = link["url"].removeprefix("http://testserver")
    shared = re.findall(r'src="(/s/[^"]+/renders/([^"/]+)\.png)"', client.get(path).text)
    assert [rid for _, rid in shared] == [newest, door]
    with Image.open(io.BytesIO(client.get(shared[0][0]).content)) as img:
        assert img.size == (52, 26)
    shared_pdf = client.get(f"{path}/proposal.pdf").content
    assert b"/Width 52" in shared_pdf and b"/Width 40" not in shared_pdf
    assert client.get(f"{path}/renders/{old}.png").status_code == 200  # kept: an older revision's, by its address

    other = user_headers(app, client)
    theirs = client.post("/api/designs", json={"document": KITCHEN}, headers=other).json()
    their_link = client.post(f"/api/designs/{theirs['id']}/links", headers=other).json()
    their_path = their_link["url"].removeprefix("http://testserver")
    for url, headers in ((f"/api/designs/{did}/renders/{newest}.png", other),
                         (f"/api/designs/{theirs['id']}/renders/{newest}.png", other),
                         (f"{their_path}/renders/{newest}.png", {}),
                         (f"/api/designs/{did}/renders", other)):
        assert client.get(url, headers=headers).status_code == 404, url
    assert_problem(client.post(f"/api/designs/{did}/renders", json={}, headers=other), 404)


def test_a_render_the_renderer_gives_up_on_is_recorded_failed_and_not_shown(
        settings: Settings) -> None:
    """A renderer program that exits at once (``false``, a real program standing where Blender would): the job
    fails with a readable error, its row says ``failed``, and the gallery shows none; a row left ``running`` by
    a worker that died is marked failed when the design's next render starts."""
    app = create_app(settings.model_copy(update={"renderer": "false"}))
    try:
        with TestClient(app) as client:
            owner = user_headers(app, client)
            design = client.post("/api/designs", json={"document": KITCHEN}, headers=owner).json()
            stale = _keep_render(app, design["id"], design["revision"], "door", (40, 30), status=RenderStatus.RUNNING)
            job = client.post(f"/api/designs/{design['id']}/renders", json={"width": 32, "height": 18, "samples": 1},
                              headers=owner).json()
            deadline = time.monotonic() + 60
            while job["status"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.1)
                job = client.get(f"/api/jobs/{job['id']}", headers=owner).json()
            assert job["status"] == "failed" and "renderer failed" in job["error"]["detail"]
            with app.state.sessionmaker() as db:
                rows = {r.id: r for r in db.query(tables.Render).filter_by(design_id=design["id"])}
            assert rows.pop(stale).status == "failed"  # a worker that died left it running: it never will finish
            assert [(r.status, r.file_key, r.width_px, r.samples) for r in rows.values()] == [("failed", None, 32, 1)]
            assert client.get(f"/api/designs/{design['id']}/renders", headers=owner).json()["renders"] == []
            assert 'id="render-empty"' in client.get(f"/designs/{design['id']}", headers=owner).text
    finally:
        close_app(app)


def test_without_blender_the_button_says_what_is_missing(client: TestClient, app: FastAPI) -> None:
    owner = user_headers(app, client)
    design = client.post("/api/designs", json={"document": KITCHEN}, headers=owner).json()
    problem = assert_problem(client.post(f"/api/designs/{design['id']}/renders", json={}, headers=owner), 503)
    assert "switched off" in problem["detail"]
    listing = client.get(f"/api/designs/{design['id']}/renders", headers=owner).json()
    assert listing["renderer"]["available"] is False and listing["renders"] == []
    assert "room" in listing["cameras"]
    page = client.get(f"/designs/{design['id']}", headers=owner)
    assert page.status_code == 200 and 'id="render-missing"' in page.text and "switched off" in page.text
    app.state.settings.renderer = "no-such-blender-program"
    page = client.get(f"/designs/{design['id']}", headers=owner)
    assert "apt-get install blender" in page.text and 'id="render-start"' not in page.text


@pytest.mark.skipif(blender_executable() is None, reason="Blender (Debian: blender) is not installed")
def test_a_render_job_is_kept_with_the_revision_and_shown_everywhere(
        render_client: tuple[FastAPI, TestClient]) -> None:
    """Blender once, on SQLite: the renders table on PostgreSQL is the Blender-free test's above."""
    app, client = render_client
    if app.state.settings.database_url.startswith("postgresql"):
        pytest.skip("Blender runs once, with SQLite; the renders table on PostgreSQL is tested without it")
    owner = user_headers(app, client)
    design = client.post("/api/designs", json={"document": KITCHEN}, headers=owner).json()
    base_pdf = client.get(f"/api/designs/{design['id']}/proposal.pdf", headers=owner).content
    assert_problem(client.post(f"/api/designs/{design['id']}/renders", json={"camera": "nowhere"}, headers=owner),
                   422, "camera")
    other = user_headers(app, client)
    assert_problem(client.post(f"/api/designs/{design['id']}/renders", json={}, headers=other), 404)
    started = client.post(f"/api/designs/{design['id']}/renders",
                          json={"camera": {"position": [3.2, 1.5, 2.8], "target": [1.2, 1.0, 1.0], "fov_deg": 60},
                                "width": 48, "height": 27, "samples": 2}, headers=owner)
    assert started.status_code == 202 and started.headers["location"].startswith("/api/jobs/")
    again = client.post(f"/api/designs/{design['id']}/renders", json={"width": 640, "height": 360}, headers=owner)
    assert again.json()["id"] == started.json()["id"]  # one render of a design at a time
    job = _wait(client, started.json(), owner)
    result = job["result"]
    assert result["revision"] == design["revision"] and result["camera"] == "view"
    image = client.get(result["url"], headers=owner)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert "immutable" in image.headers["cache-control"]
    with Image.open(io.BytesIO(image.content)) as img:
        assert img.size == (48, 27)
    with app.state.sessionmaker() as db:
        row = db.get(tables.Render, result["render_id"])
        assert row is not None and (row.design_id, row.revision, row.camera, row.status, row.samples) == (
            design["id"], design["revision"], "view", "done", 2)
        assert row.file_key and row.size_bytes == len(image.content)
    assert client.get(result["url"], headers=other).status_code == 404
    listing = client.get(f"/api/designs/{design['id']}/renders", headers=owner).json()
    assert [r["url"] for r in listing["renders"]] == [result["url"]]
    page = client.get(f"/designs/{design['id']}", headers=owner).text
    assert result["url"] in page and 'id="render-start"' in page
    link = client.post(f"/api/designs/{design['id']}/links", headers=owner).json()
    path = link["url"].removeprefix("http://testserver")
    shared = client.get(path).text
    found = re.search(r'src="(/s/[^"]+/renders/[^"]+\.png)"', shared)
    assert found is not None and client.get(found.group(1)).status_code == 200
    for pdf in (client.get(f"/api/designs/{design['id']}/proposal.pdf", headers=owner).content,
                client.get(f"{path}/proposal.pdf").content):
        pages = re.search(rb"/Count (\d+)", pdf)
        base_pages = re.search(rb"/Count (\d+)", base_pdf)
        assert pages is not None and base_pages is not None and int(pages[1]) == int(base_pages[1]) + 1
        assert b"/Subtype /Image" in pdf and b"/Width 48" in pdf
