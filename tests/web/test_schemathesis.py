"""Property-based fuzzing of the whole JSON API with Schemathesis, in-process against the ASGI app:
signed in as a homeowner and anonymously, valid and invalid requests (a bounded number per
operation, derandomized so a run is reproducible) never get a 5xx, and every answer has a status
and a media type that the OpenAPI document lists for the operation.

Part of ``make test``. Figures on 2 shared cores (``-s`` prints them): 60 operations; as a homeowner
456 requests in 9-12 s per database (SQLite, PostgreSQL), anonymously 164 requests in 3 s (SQLite
only); the file takes about 32 s with both databases. ``ROOMWRIGHT_FUZZ_EXAMPLES`` raises the
number of requests per operation for a deeper run."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from support.api import user_headers
from support.documents import kitchen

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
HOMEOWNER_EXAMPLES = int(os.environ.get("ROOMWRIGHT_FUZZ_EXAMPLES", "10"))
"""Requests per operation as a homeowner, half valid and half invalid (anonymously: a third)."""


def fuzz(app: FastAPI, headers: dict[str, str], path_ids: dict[str, str], examples: int) -> dict[str, Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = requests = 0
    started = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        fixed = {name: value for name, value in path_ids.items()
                 if any(p.name == name for p in operation.path_parameters)}
        strategy = st.one_of(*(operation.as_strategy(mode, path_parameters=fixed or None)
                               for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)))

        @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate])
        @given(strategy)
        def run(case: Any) -> None:
            nonlocal requests
            requests += 1
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as exc:  # failed checks: collected, every operation still runs
                failures.append(f"{case.method} {case.formatted_path} query={case.query} body={str(case.body)[:150]}"
                                f" -> {response.status_code} {response.text[:150]}\n  {str(exc)[:300]}")

        run()
    return {"failures": failures, "operations": operations, "requests": requests,
            "seconds": time.perf_counter() - started}


def test_fuzzed_requests_as_a_homeowner(app: FastAPI, client: TestClient) -> None:
    headers = user_headers(app, client)
    design = client.post("/api/designs", json={"document": kitchen("Fuzzed", 2)}, headers=headers).json()
    found = fuzz(app, headers, {"design_id": design["id"]}, HOMEOWNER_EXAMPLES)
    print(f"\nschemathesis as a homeowner: {found['operations']} operations, {found['requests']} requests, "
          f"{found['seconds']:.1f} s")
    assert not found["failures"], "\n".join(found["failures"])


def test_fuzzed_requests_anonymously(app: FastAPI) -> None:
    if app.state.engine.dialect.name != "sqlite":
        pytest.skip("anonymous answers do not reach the database: once, on SQLite, is enough")
    found = fuzz(app, {}, {}, max(2, HOMEOWNER_EXAMPLES // 3))
    print(f"\nschemathesis anonymously: {found['operations']} operations, {found['requests']} requests, "
          f"{found['seconds']:.1f} s")
    assert not found["failures"], "\n".join(found["failures"])
