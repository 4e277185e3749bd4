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


BEYOND_INT = 2**31  # one more than a PostgreSQL INTEGER holds


def test_integers_beyond_the_database_range_are_422_naming_the_field(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design = client.post("/api/designs", json={"name": "Range"}, headers=headers).json()
    base = f"/api/designs/{design['id']}"
    for huge in (BEYOND_INT, 2**63, 10**30):
        assert_problem(client.get(f"{base}/revisions/{huge}", headers=headers), 422, "number")
        assert_problem(client.get(f"{base}/scene.glb", params={"revision": huge}, headers=headers), 422, "revision")
        assert_problem(client.put(base, json={"base_revision": huge, "document": {}}, headers=headers), 422,
                       "base_revision")
        assert_problem(client.patch(base, json={"base_revision": huge, "name": "x"}, headers=headers), 422,
                       "base_revision")
        assert_problem(client.post(f"{base}/orders", json={"revision": huge}, headers=headers), 422, "revision")
        assert_problem(client.post(f"{base}/commands", json={"base_revision": huge, "command": {}}, headers=headers),
                       422, "base_revision")
        assert_problem(client.post(f"{base}/approval", json={"decision": "approve", "revision": huge},
                                   headers=headers), 422, "revision")
    # the largest value the database holds is still an ordinary answer
    assert_problem(client.get(f"{base}/revisions/{BEYOND_INT - 1}", headers=headers), 404)
    assert client.get(f"{base}/revisions/1", headers=headers).status_code == 200


def test_dates_outside_what_is_stored_are_422_naming_the_field(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    for moment in ("0001-01-01T00:00Z", "9999-12-31T23:00Z", "9999-12-31T23:00-05:00"):
        body = assert_problem(client.post("/api/bookings", json={"designer_id": "x", "service": "home_measurement",
                                                                 "start": moment}, headers=headers), 422, "start")
        assert "between" in body["detail"]
        assert_problem(client.patch("/api/bookings/bkg-x", json={"action": "reschedule", "start": moment},
                                    headers=headers), 422, "start")
        assert_problem(client.get("/api/designers/x/slots", params={"service": "design_consultation", "from": moment},
                                  headers=headers), 422, "from")
        assert_problem(client.get("/api/teams/x/slots", params={"to": moment}, headers=headers), 422, "to")
        assert_problem(client.get("/api/designers", params={"service": "home_measurement", "from": moment},
                                  headers=headers), 422, "from")
        assert_problem(client.get("/api/bookings", params={"from": moment}, headers=headers), 422, "from")
    assert client.get("/api/bookings", params={"from": "2026-06-01T00:00Z"}, headers=headers).status_code == 200


def test_405_names_the_allowed_methods(client: TestClient) -> None:
    response = client.delete("/api/me")
    body = assert_problem(response, 405)
    assert response.headers["allow"] == "GET"
    assert "GET" in body["detail"]
    page = client.put("/designs", headers={"accept": "text/html"})
    assert page.status_code == 405 and "GET" in page.headers["allow"]


def test_openapi_describes_the_problem_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    problem_schema = spec["components"]["schemas"]["Problem"]
    assert set(problem_schema["required"]) == {"type", "title", "status", "detail", "errors"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]

    def problems(path: str, method: str) -> set[str]:
        responses = spec["paths"][path][method]["responses"]
        found = {code for code, answer in responses.items()
                 if answer.get("content", {}).get("application/problem+json", {}).get("schema")
                 == {"$ref": "#/components/schemas/Problem"}}
        assert not {code for code in responses if code >= "400"} - found, (path, method, responses)
        return found

    assert problems("/api/designs/{design_id}", "put") == {"401", "403", "404", "409", "422"}
    assert problems("/api/designs/{design_id}", "get") == {"401", "403", "404", "422"}
    assert problems("/api/uploads", "post") >= {"401", "413", "415", "422"}
    assert problems("/api/designs", "get") == {"401", "403", "404"}
    assert problems("/api/catalog", "get") == set()
    for path, operations in spec["paths"].items():
        for method in operations:
            problems(path, method)


def test_nul_characters_are_422_naming_the_field(client: TestClient, app: FastAPI) -> None:
    """PostgreSQL cannot store NUL in text: it must be a 422 there too, not a 500."""
    headers = user_headers(app, client)
    assert_problem(client.post("/api/designs", json={"name": "Kitchen\u0000"}, headers=headers), 422, "name")
    design = client.post("/api/designs", json={"name": "Kitchen"}, headers=headers).json()
    assert_problem(client.post(f"/api/designs/{design['id']}/orders",
                               json={"revision": 1, "delivery": {"notes": "ring\u0000twice"}}, headers=headers),
                   422, "delivery.notes")
    assert_problem(client.get("/api/orders?status=%00", headers=headers), 422, "status")
    assert_problem(client.get("/api/designs/des-%00", headers=headers), 422, "path")
    assert_problem(client.post("/login", content=b"email=a%00b&password=x",
                               headers={"content-type": "application/x-www-form-urlencoded"}), 422, "email")
    assert client.get(f"/api/designs/{design['id']}", headers=headers).json()["name"] == "Kitchen"


def test_unreadable_bodies_are_422_like_other_bad_input(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    body = assert_problem(client.post("/api/designs", content=b"\x8a\xa7\xaa\xc6oZ",
                                      headers={**headers, "content-type": "application/json"}), 422, "body")
    assert "could not be read" in body["detail"]
    assert_problem(client.post("/api/uploads", content=b"--x\r\nbroken",
                               headers={**headers, "content-type": "multipart/form-data; boundary=x"}), 422)
