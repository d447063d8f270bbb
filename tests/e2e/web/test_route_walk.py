"""Every route of the app, walked as anonymous, the owner, another trainee and another
trainer (issue 16, "access that cannot be forgotten").

The routes come from the app itself, so a route added later is walked too: a route that
names a trainee or one of their records (a session, a decision, a clip, a note, an
invitation) must answer someone else exactly as it answers for a record that does not
exist, and never with success; anonymous callers get the sign-in page or 401; the owner
still finds every record afterwards (nothing was changed by the others' attempts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hingecoach.coach import demo_screen_answers
from hingecoach.knowledge import load_catalogue
from hingecoach.services.account_links import invite_client
from hingecoach.services.accounts import authenticate
from hingecoach.services.clips import create_clip
from hingecoach.services.trainees import add_note
from tests.e2e.web.conftest import EMAILS, PASSWORD, World, csrf_from, login

# Routes anyone may open (signing in, the rulebook, the app's own files).
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/signup"),
    ("POST", "/signup"),
    ("GET", "/forgot"),
    ("POST", "/forgot"),
    ("GET", "/reset/{token}"),
    ("POST", "/reset"),
    ("GET", "/invite/{token}"),
    ("POST", "/invite"),
    ("GET", "/rules"),
    ("GET", "/rules/{rule_id}"),
    ("GET", "/manifest.webmanifest"),
    ("GET", "/sw.js"),
    ("GET", "/api/docs"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/calendar/{token}.ics"),  # the secret token in the URL is the credential
}
# Path parameters that name a trainee or one of their records.
OWNED = {"name", "session_id", "decision_id", "clip_id", "note_id", "user_id"}
MISSING = {
    "name": "Nobody",
    "session_id": "999999",
    "decision_id": "999999",
    "clip_id": "999999",
    "note_id": "999999",
    "user_id": "999999",
}
# Parameters that are not someone's record: the same value either way.
NEUTRAL = {
    "number": "1",
    "key": "no-such-draft",
    "token": "no-such-token",
    "rule_id": "R-PROG-1",
    "exercise_id": "kettlebell-deadlift",
}
# GET routes the owner opens without success, and why.
OWNER_NOT_200 = {
    "/clips/{clip_id}/video": "the seeded clip has no video file",
    "/log/saved/{key}": "no draft was saved under this key",
}


@dataclass(frozen=True)
class Walked:
    method: str
    path: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    def url(self, values: dict[str, str]) -> str:
        return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], self.path)


def _routes(routes: Sequence[object], prefix: str = "") -> Iterator[Walked]:
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI's included routers
        if inner is not None:
            context = route.include_context  # type: ignore[attr-defined]
            yield from _routes(inner.routes, prefix + (context.prefix or ""))
        elif isinstance(route, APIRoute):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield Walked(method, prefix + route.path)


def every_route(world: World) -> list[Walked]:
    return sorted({r for r in _routes(world.app.router.routes)}, key=lambda r: (r.path, r.method))


@pytest.fixture(scope="module")
def owned(world: World) -> dict[str, str]:
    """Ana's records (Ana is coach A's client), one of each kind a route can name."""
    from hingecoach.store.migrate import open_database

    engine: Engine = open_database(world.url)
    now = dt.datetime.now(dt.UTC)
    catalogue = load_catalogue(None)
    coach = authenticate(engine, EMAILS["coach-a"], PASSWORD, now)
    clip = create_clip(
        engine,
        "Ana",
        filename="set.mp4",
        stored_path="none/set.mp4",
        exercise_id="kettlebell-deadlift",
        catalogue=catalogue,
        now=now,
    )
    note = add_note(engine, "Ana", "Keep the bell close.", author_id=coach.id, author_name="A")
    invited = invite_client(
        engine,
        coach.id,
        email="dee@example.com",
        name="Dee",
        now=now,
        lifetime=dt.timedelta(days=7),
    )
    engine.dispose()
    with TestClient(world.app) as client:
        headers = {"Authorization": f"Bearer {world.tokens['coach-a']}"}
        sessions = client.get("/api/v1/trainees/Ana/sessions", headers=headers).json()
        decisions = client.get("/api/v1/trainees/Ana/decisions", headers=headers).json()
    items = sessions["items"] if isinstance(sessions, dict) else sessions
    return {
        "name": "Ana",
        "session_id": str(items[0]["id"]),
        "decision_id": str(decisions[0]["id"]),
        "clip_id": str(clip.id),
        "note_id": str(note.id),
        "user_id": str(invited.user_id),
        **NEUTRAL,
    }


def _api_body(route: Walked) -> dict[str, object]:
    """A valid body where one is simple to make, so the route's access check answers
    rather than its validation (both answers must match for a missing record anyway)."""
    if route.path.endswith("/override"):
        return {"why": "testing access"}
    if route.path.endswith("/morning-pain"):
        return {"pain": 1}
    if route.path.endswith("/assessment"):
        return demo_screen_answers().model_dump(mode="json")
    if route.path.endswith("/sessions"):
        today = dt.date.today().isoformat()
        return {"date": today, "exercise_id": "push-up", "sets": [{"reps": 5}]}
    return {}


def _call(client: TestClient, world: World, who: str | None, route: Walked, url: str) -> int:
    """The status a caller gets: API calls with the caller's token, page calls in their
    browser session with a valid CSRF token (so the route's own check is what answers)."""
    if route.is_api:
        headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who else {}
        body = _api_body(route) if route.method in {"POST", "PATCH", "PUT"} else None
        return client.request(route.method, url, headers=headers, json=body).status_code
    if route.method == "GET":
        return client.get(url, follow_redirects=False).status_code
    token = csrf_from(client.get("/login" if who is None else "/account").text)
    response = client.request(route.method, url, data={"csrftoken": token}, follow_redirects=False)
    return response.status_code


def _browser(world: World, who: str | None) -> TestClient:
    client = TestClient(world.app)
    if who is not None:
        login(client, who)
    return client


def test_the_walk_covers_every_kind_of_route(world: World) -> None:
    walked = every_route(world)
    named = [r for r in walked if OWNED & set(r.params)]
    assert len(walked) > 80 and len(named) > 30, "the walk must find the app's routes"
    unknown = {p for r in walked for p in r.params} - OWNED - set(NEUTRAL)
    assert not unknown, f"teach the walk what these path parameters name: {unknown}"


def test_nobody_else_reaches_a_trainees_records(world: World, owned: dict[str, str]) -> None:
    missing = {**owned, **MISSING}
    leaks = []
    for who in ("bo", "coach-b"):
        with _browser(world, who) as client:
            for route in every_route(world):
                if not OWNED & set(route.params) or route.path == "/live/ws":
                    continue
                theirs = _call(client, world, who, route, route.url(owned))
                nothing = _call(client, world, who, route, route.url(missing))
                if theirs != nothing or theirs < 400:
                    leaks.append(f"{who} {route.method} {route.path}: {theirs} vs {nothing}")
    assert not leaks, "someone else's record answers differently:\n" + "\n".join(leaks)


def test_anonymous_callers_are_asked_to_sign_in(world: World, owned: dict[str, str]) -> None:
    open_to_all = []
    with _browser(world, None) as client:
        for route in every_route(world):
            if (route.method, route.path) in PUBLIC:
                continue
            status = _call(client, world, None, route, route.url(owned))
            expected = {401} if route.is_api else {303, 403}
            if status not in expected:
                open_to_all.append(f"{route.method} {route.path}: {status}")
    assert not open_to_all, "answers without a sign-in:\n" + "\n".join(open_to_all)


def test_the_owner_still_finds_every_record(world: World, owned: dict[str, str]) -> None:
    """After the others' attempts (the tests above run first in this module)."""
    failures = []
    for route in every_route(world):
        if route.method != "GET" or not OWNED & set(route.params):
            continue
        if route.path in OWNER_NOT_200:
            continue
        owner = "ana" if route.path.startswith(("/history", "/clips")) else "coach-a"
        with _browser(world, owner) as client:
            status = _call(client, world, owner, route, route.url(owned))
        if status != 200:
            failures.append(f"{owner} {route.path}: {status}")
    assert not failures, "the owner no longer finds:\n" + "\n".join(failures)
