"""Every 4xx/5xx of the API is an RFC 9457 problem document."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import assert_problem, user_headers


def test_unknown_route_404(client: TestClient) -> None:
    body = assert_problem(client.get("/api/does-not-exist"), 404)
    assert body["type"].endswith("/not-found")


def test_wrong_method_405(client: TestClient) -> None:
    assert_problem(client.delete("/api/me"), 405)


def test_body_validation_422_names_fields(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    body = assert_problem(client.post("/api/designs", json={"name": ""}, headers=headers), 422, "name")
    assert body["type"].endswith("/invalid-input")
    body = assert_problem(client.put("/api/designs/des-x", json={"document": {}}, headers=headers), 422,
                          "base_revision")
    assert_problem(client.post("/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}),
                   422)


def test_not_found_object_is_404_problem(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    body = assert_problem(client.get("/api/designs/des-000000000000", headers=headers), 404, "design_id")
    assert "des-000000000000" in body["detail"]


def test_unhandled_error_is_a_500_problem(app: FastAPI) -> None:
    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    with TestClient(app, raise_server_exceptions=False) as client:
        body = assert_problem(client.get("/api/boom"), 500)
        assert "kaboom" not in body["detail"]


def test_schema_and_health_and_docs(client: TestClient) -> None:
    schema = client.get("/api/schema/design.json").json()
    assert schema["properties"]["schema_version"]["const"] == 1 or "schema_version" in schema["properties"]
    assert client.get("/api/health").json()["status"] == "ok"
    assert client.get("/docs").status_code == 200
    assert "/api/designs/{design_id}" in client.get("/openapi.json").json()["paths"]
