"""A web app on a fresh SQLite file with two trainers, their clients and accounts.

- trainer A (``coach-a``) coaches Ana and Bo, who both sign in;
- trainer B (``coach-b``) coaches Cy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hingecoach.coach import demo_history, demo_profile, demo_screen_answers
from hingecoach.knowledge import load_catalogue
from hingecoach.services.accounts import assign_client, create_account, issue_api_token
from hingecoach.services.coaching import assess_trainee, log_session
from hingecoach.services.trainees import add_trainee
from hingecoach.store.migrate import open_database
from hingecoach.web.app import create_app
from hingecoach.web.settings import WebSettings

PASSWORD = "correct horse battery"
EMAILS = {
    "coach-a": "coach-a@example.com",
    "coach-b": "coach-b@example.com",
    "ana": "ana@example.com",
    "bo": "bo@example.com",
}
CLIENTS = {"Ana": "coach-a", "Bo": "coach-a", "Cy": "coach-b"}


@dataclass
class World:
    app: FastAPI
    url: str
    tokens: dict[str, str]


def seed(url: str) -> dict[str, str]:
    engine = open_database(url)
    catalogue = load_catalogue(None)
    today = dt.date.today()
    for who in ("coach-a", "coach-b"):
        create_account(
            engine, email=EMAILS[who], password=PASSWORD, display_name=who.title(), role="trainer"
        )
    for name, trainer in CLIENTS.items():
        history = demo_history(weeks=2, seed=len(name))
        shift = (today - dt.timedelta(days=2)) - history.sessions[-1].date
        add_trainee(engine, name, demo_profile())
        assess_trainee(engine, name, demo_screen_answers(), catalogue, today - dt.timedelta(20))
        for s in history.sessions:
            log_session(
                engine, name, s.model_copy(update={"date": s.date + shift}), catalogue, today
            )
        assign_client(engine, name, EMAILS[trainer])
    for who, name in (("ana", "Ana"), ("bo", "Bo")):
        create_account(
            engine,
            email=EMAILS[who],
            password=PASSWORD,
            display_name=name,
            role="trainee",
            trainee_name=name,
        )
    tokens = {}
    from hingecoach.services.accounts import authenticate

    for who, email in EMAILS.items():
        uid = authenticate(engine, email, PASSWORD, dt.datetime.now(dt.UTC)).id
        tokens[who] = issue_api_token(engine, uid, dt.datetime.now(dt.UTC))
    engine.dispose()
    return tokens


def make_app(url: str, **changes: str) -> FastAPI:
    settings = WebSettings(
        database_url=url,
        secret_key="test-secret-" + "x" * 32,
        login_rate=changes.get("login_rate", "1000/minute"),
        login_rate_per_address=changes.get("login_rate_per_address", "1000/minute"),
        login_rate_per_account=changes.get("login_rate_per_account", "1000/minute"),
        # clips beside the database, analysed inside the request (no worker thread)
        media_dir=Path(url.removeprefix("sqlite:///")).parent / "media",
        jobs_immediate=True,
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("web") / "web.db"
    url = f"sqlite:///{path}"
    tokens = seed(url)
    app = make_app(url)
    yield World(app=app, url=url, tokens=tokens)
    app.state.engine.dispose()


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(world.app) as c:
        yield c


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def login(client: TestClient, who: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": EMAILS[who], "password": password, "csrftoken": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def page_token(client: TestClient, path: str) -> str:
    return csrf_from(client.get(path).text)
