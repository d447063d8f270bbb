"""Hardening (issue 16): security headers on every answer; the API-token page is never
stored; the API docs come from the app's own vendored Swagger UI, never a CDN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.e2e.web.conftest import World, login, page_token

VENDOR = Path(__file__).resolve().parents[3] / "src/hingecoach/web/static/vendor/swagger-ui"


def _assert_secured(response: object, what: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp, what
    assert "frame-ancestors 'none'" in csp, what
    assert "'unsafe-eval'" not in csp.replace("'wasm-unsafe-eval'", ""), what
    assert headers.get("x-frame-options") == "DENY", what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "same-origin", what


def test_every_kind_of_answer_carries_the_headers(client: TestClient, world: World) -> None:
    answers = {
        "login page": client.get("/login"),
        "static file": client.get("/static/app.css"),
        "missing page": client.get("/no-such-page"),
        "API": client.get(
            "/api/v1/trainees/Ana/today",
            headers={"authorization": f"Bearer {world.tokens['ana']}"},
        ),
        "API 401": client.get("/api/v1/trainees/Ana/today"),
        "CSRF refusal": client.post("/login", data={"email": "x"}),
        "too large": client.post("/login", content=b"x" * (300 * 1024)),
    }
    login(client, "ana")
    answers["today"] = client.get("/today")
    for what, response in answers.items():
        _assert_secured(response, what)


def test_the_api_token_page_is_never_stored(client: TestClient) -> None:
    login(client, "ana")
    assert client.get("/account").headers["cache-control"] == "no-store"
    token = page_token(client, "/account")
    response = client.post("/account/token", data={"csrftoken": token})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/today").headers.get("cache-control", "")


def test_the_api_docs_load_only_from_this_site(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    _assert_secured(page, "docs")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<script>" not in page.text  # no inline script: the CSP would refuse it
    if not (VENDOR / "swagger-ui-bundle.js").is_file():
        pytest.skip("swagger-ui-dist is not vendored here (make setup)")
    for source in sources:
        if source.startswith("/static/"):
            assert client.get(source).status_code == 200, source
