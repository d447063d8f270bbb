"""Hardening (issue 16): body-size limits before any parsing, short error bodies, CSRF
on every form kind (multipart included) with nothing that skips it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import anyio
import anyio.from_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.e2e.web.conftest import EMAILS, PASSWORD, World, login, page_token


class Feed:
    """A request body sent in pieces with no Content-Length (chunked), straight to the
    ASGI app (the test client would read it all first): counts what the server took."""

    def __init__(self, total: int, piece: int = 64 * 1024, head: bytes = b"") -> None:
        self.total, self.piece, self.taken, self.head = total, piece, 0, head

    async def receive(self) -> MutableMapping[str, Any]:
        if self.head:
            chunk, self.head = self.head, b""
        elif self.taken < self.total:
            chunk = b"a" * self.piece
        else:
            return {"type": "http.request", "body": b"", "more_body": False}
        self.taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    def post(self, app: FastAPI, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        replies: list[dict[str, Any]] = []

        async def send(message: MutableMapping[str, Any]) -> None:
            replies.append(dict(message))

        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        # in a thread of its own: a browser test earlier in the run may hold this thread's loop
        with anyio.from_thread.start_blocking_portal() as portal:
            portal.call(app, scope, self.receive, send)
        status = next(m["status"] for m in replies if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in replies if m["type"] == "http.response.body")
        return status, body


@pytest.fixture
def small_limits(world: World) -> Iterator[None]:
    settings = world.app.state.settings
    world.app.state.settings = dataclasses.replace(
        settings, body_max_bytes=4096, upload_max_bytes=256 * 1024
    )
    yield
    world.app.state.settings = settings


def test_an_anonymous_oversized_form_is_refused_before_it_is_read(client: TestClient) -> None:
    big = "x" * (300 * 1024)  # over the 256 KB default
    response = client.post("/login", data={"email": big, "password": big})
    assert response.status_code == 413
    assert "larger than 256 KB" in response.text
    assert big[:1000] not in response.text


def test_a_body_without_content_length_is_counted_and_stopped(
    world: World, small_limits: None
) -> None:
    feed = Feed(total=10 * 1024 * 1024, piece=1024)
    status, _ = feed.post(
        world.app, "/login", {"content-type": "application/x-www-form-urlencoded"}
    )
    assert status == 413
    assert feed.taken < 64 * 1024, "the server read on after the limit"


def test_an_anonymous_json_body_is_refused_for_size_before_the_401(client: TestClient) -> None:
    body = b'{"date": "' + b"9" * (300 * 1024) + b'"}'
    response = client.post(
        "/api/v1/trainees/Ana/sessions",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "BodyTooLarge"


def test_an_upload_without_content_length_stops_at_the_limit(
    world: World, small_limits: None
) -> None:
    media = Path(world.url.removeprefix("sqlite:///")).parent / "media"
    before = sorted(media.rglob("*")) if media.is_dir() else []
    token = world.tokens["ana"]
    boundary = "b0und4ry"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="exercise_id"\r\n\r\n'
        f"kettlebell-deadlift\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="set.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    feed = Feed(total=20 * 1024 * 1024, head=head)
    status, body = feed.post(
        world.app,
        "/api/v1/trainees/Ana/clips",
        {
            "authorization": f"Bearer {token}",
            "content-type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert status == 413
    assert "larger than 256 KB" in json.loads(body)["detail"]
    assert feed.taken < 1024 * 1024, "the upload was read on after the limit"
    assert (sorted(media.rglob("*")) if media.is_dir() else []) == before


def test_a_422_shows_a_short_excerpt_not_the_input(world: World, client: TestClient) -> None:
    long_value = "2026-01-0" + "1" * 100_000
    response = client.post(
        "/api/v1/trainees/Ana/sessions",
        json={"date": long_value, "sets": []},
        headers={"authorization": f"Bearer {world.tokens['ana']}"},
    )
    assert response.status_code == 422
    assert len(response.content) < 2000
    assert long_value not in response.text
    assert "date" in response.text


# ------------------------------------------------------------------------- CSRF


def test_an_anonymous_multipart_login_is_refused_not_a_500(client: TestClient) -> None:
    response = client.post("/login", files={"email": (None, "x"), "password": (None, "y")})
    assert response.status_code == 403
    assert "form has expired" in response.text


def test_a_multipart_form_with_the_token_goes_through(client: TestClient) -> None:
    token = page_token(client, "/login")
    response = client.post(
        "/login",
        files={
            "csrftoken": (None, token),
            "email": (None, EMAILS["ana"]),
            "password": (None, PASSWORD),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_a_file_before_the_token_is_refused(client: TestClient, tmp_path: Path) -> None:
    login(client, "ana")
    token = page_token(client, "/clips")
    response = client.post(
        "/clips",
        files=[
            ("file", ("set.mp4", b"\0\0\0\x18ftypmp42" + b"\0" * 100, "video/mp4")),
            ("csrftoken", (None, token)),
            ("exercise_id", (None, "kettlebell-deadlift")),
        ],
    )
    assert response.status_code == 403


def test_a_bearer_header_does_not_skip_the_check_on_a_page(
    client: TestClient, world: World
) -> None:
    login(client, "ana")
    for auth in ("Bearer x", f"Bearer {world.tokens['ana']}"):
        response = client.post("/checkin", data={"pain": "1"}, headers={"authorization": auth})
        assert response.status_code == 403, auth


def test_a_forged_header_token_is_refused(client: TestClient) -> None:
    login(client, "ana")
    response = client.post("/checkin", data={"pain": "1"}, headers={"x-csrftoken": "forged"})
    assert response.status_code == 403
