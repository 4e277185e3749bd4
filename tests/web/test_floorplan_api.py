"""Floor-plan photos over the API: upload → vectorize (job) → correct → accept into a design."""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import assert_problem, png_bytes, user_headers
from support.documents import kitchen
from support.plans import drawn_flat_png


def drawn_plan() -> bytes:
    """Two rooms drawn like a clean digital plan (12 px walls, about 120 mm at 10 mm/px) and a door gap."""
    return drawn_flat_png()


def finished(client: TestClient, response: Any, headers: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    deadline = time.monotonic() + 60
    while body["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        body = client.get(f"/api/jobs/{body['id']}", headers=headers).json()
    return body


def test_upload_vectorize_and_accept(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    response = client.post("/api/floorplans", files={"file": ("plan.png", drawn_plan(), "image/png")},
                           headers=headers)
    assert response.status_code in (200, 202), response.text
    job = finished(client, response, headers)
    assert job["status"] == "done", job
    result = job["result"]
    plan = result["plan"]
    assert len(plan["walls"]) >= 4
    assert plan["source"]["upload_id"] == result["upload_id"]
    assert plan["source"]["scale"]["method"] in ("prior", "dimension_text", "room_area", "user_line")
    design = client.post("/api/designs", json={"name": "From photo"}, headers=headers).json()
    accepted = client.post(f"/api/designs/{design['id']}/floorplan", json={"base_revision": 1, "plan": plan},
                           headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["revision"] == 2
    assert len(accepted.json()["document"]["plan"]["walls"]) == len(plan["walls"])
    stale = client.post(f"/api/designs/{design['id']}/floorplan", json={"base_revision": 1, "plan": plan},
                        headers=headers)
    assert_problem(stale, 409, "base_revision")


def test_scale_line_gives_exact_scale(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    first = finished(client, client.post("/api/floorplans", files={"file": ("p.png", drawn_plan(), "image/png")},
                                         headers=headers), headers)
    upload_id = first["result"]["upload_id"]
    line = {"x1": 56, "y1": 300, "x2": 844, "y2": 300, "length_mm": 7880}
    again = finished(client, client.post(f"/api/uploads/{upload_id}/vectorize", json={"scale_line": line},
                                         headers=headers), headers)
    scale = again["result"]["plan"]["source"]["scale"]
    assert scale["method"] == "user_line" and scale["confidence"] == 1
    walls = again["result"]["plan"]["walls"]
    longest = max(((w["end"]["x"] - w["start"]["x"]) ** 2 + (w["end"]["y"] - w["start"]["y"]) ** 2) ** 0.5
                  for w in walls)
    assert abs(longest - 7880) / 7880 < 0.03, longest  # the outer wall, centre to centre, is 788 px = 7880 mm


def test_bad_uploads_and_plans_are_refused(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    assert_problem(client.post("/api/floorplans", files={"file": ("a.txt", b"hello", "text/plain")},
                               headers=headers), 415, "file")
    assert_problem(client.post("/api/floorplans", files={"file": ("a.png", png_bytes()[:100], "image/png")},
                               headers=headers), 422, "file")
    assert_problem(client.post("/api/floorplans", files={"file": ("a.png", drawn_plan(), "image/png")},
                               data={"scale_mm": "1000"}, headers=headers), 422, "scale_mm")
    design = client.post("/api/designs", json={"document": kitchen()}, headers=headers).json()
    bad_plan = {"walls": [{"id": "wall-a", "start": {"x": 0, "y": 0}, "end": {"x": 0, "y": 0}}]}
    assert_problem(client.post(f"/api/designs/{design['id']}/floorplan", json={"base_revision": 1, "plan": bad_plan},
                               headers=headers), 422, "plan.walls.0")
    other_walls = {"walls": [{"id": "wall-x", "start": {"x": 0, "y": 0}, "end": {"x": 3000, "y": 0}}]}
    body = assert_problem(client.post(f"/api/designs/{design['id']}/floorplan",
                                      json={"base_revision": 1, "plan": other_walls}, headers=headers), 422,
                          "plan.walls")
    assert "1 unit stands" in body["detail"] and body["objects"] == ["cab-0"]  # ids for code, words for people
    assert client.get(f"/api/designs/{design['id']}", headers=headers).json()["revision"] == 1


def test_jobs_are_private(client: TestClient, app: FastAPI) -> None:
    owner = user_headers(app, client)
    job = client.post("/api/floorplans", files={"file": ("p.png", drawn_plan(), "image/png")}, headers=owner).json()
    assert_problem(client.get(f"/api/jobs/{job['id']}", headers=user_headers(app, client)), 404)
