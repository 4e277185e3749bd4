"""Read-only share links (revocable) and the PDF proposal."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import assert_problem, user_headers
from support.documents import kitchen


def test_share_link_shows_the_design_until_revoked(client: TestClient, app: FastAPI) -> None:
    owner = user_headers(app, client)
    design = client.post("/api/designs", json={"document": kitchen("Shared kitchen", 2)}, headers=owner).json()
    created = client.post(f"/api/designs/{design['id']}/links", headers=owner)
    assert created.status_code == 201
    link = created.json()
    assert link["url"].startswith("http://testserver/s/")  # the address the request came to
    path = link["url"].removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200 and "Shared kitchen" in page.text and "cab-1" in page.text
    assert 'id="shared-total"' in page.text
    scene = client.get(f"{path}/scene.glb")
    assert scene.status_code == 200 and scene.content[:4] == b"glTF"
    pdf = client.get(f"{path}/proposal.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert [x["id"] for x in client.get(f"/api/designs/{design['id']}/links", headers=owner).json()] == [link["id"]]
    other = user_headers(app, client)
    assert_problem(client.post(f"/api/designs/{design['id']}/links", headers=other), 404)
    assert_problem(client.delete(f"/api/designs/{design['id']}/links/{link['id']}", headers=other), 404)
    assert client.delete(f"/api/designs/{design['id']}/links/{link['id']}", headers=owner).status_code == 204
    assert client.get(path).status_code == 404
    assert client.get(f"{path}/scene.glb").status_code == 404
    assert client.get("/s/not-a-token").status_code == 404
    app.state.settings.public_url = "https://kitchens.example.com"  # ROOMWRIGHT_PUBLIC_URL
    again = client.post(f"/api/designs/{design['id']}/links", headers=owner).json()
    assert again["url"].startswith("https://kitchens.example.com/s/")


def test_proposal_pdf_has_plan_3d_elevation_and_quote(client: TestClient, app: FastAPI) -> None:
    owner = user_headers(app, client)
    design = client.post("/api/designs", json={"document": kitchen("Proposal", 3)}, headers=owner).json()
    pdf = client.get(f"/api/designs/{design['id']}/proposal.pdf", headers=owner)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    # plan + 3D view + one elevation (one wall carries cabinets) + quote
    pages = re.search(rb"/Count (\d+)", pdf.content)
    assert pages is not None and int(pages.group(1)) == 4
    assert_problem(client.get(f"/api/designs/{design['id']}/proposal.pdf", headers=user_headers(app, client)), 404)
