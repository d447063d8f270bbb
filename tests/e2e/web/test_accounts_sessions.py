"""Server-side sessions: sign-out ends the session for every copy of the cookie, "sign out
everywhere" ends the others, and idle and absolute lifetimes end it by themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from hingecoach.services.web_sessions import Lifetimes, account_for_session, start_session
from hingecoach.store.records import WebSessionRecord
from tests.e2e.web.conftest import World, csrf_from, login

COOKIE = "hingecoach_session"


def _opens_today(world: World, cookie: str) -> bool:
    with TestClient(world.app) as other:
        other.cookies.set(COOKIE, cookie)
        return other.get("/today", follow_redirects=False).status_code == 200


def test_the_cookie_from_before_sign_out_no_longer_opens_today(
    client: TestClient, world: World
) -> None:
    login(client, "ana")
    before = client.cookies[COOKIE]
    assert _opens_today(world, before)
    token = csrf_from(client.get("/today").text)
    assert (
        client.post("/logout", data={"csrftoken": token}, follow_redirects=False).status_code == 303
    )
    assert not _opens_today(world, before)


def test_sign_out_everywhere_ends_the_other_browsers_too(world: World) -> None:
    with TestClient(world.app) as phone, TestClient(world.app) as laptop:
        login(phone, "bo")
        login(laptop, "bo")
        token = csrf_from(laptop.get("/account").text)
        response = laptop.post("/account/sign-out-everywhere", data={"csrftoken": token})
        assert response.status_code == 200
        assert "Signed out everywhere" in response.text
        assert phone.get("/today", follow_redirects=False).status_code == 303
        assert laptop.get("/today", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("created_ago", "seen_ago", "alive"),
    [
        (dt.timedelta(hours=5), dt.timedelta(minutes=5), True),
        (dt.timedelta(hours=5), dt.timedelta(hours=3), False),  # idle too long
        (dt.timedelta(hours=30), dt.timedelta(minutes=5), False),  # past the absolute lifetime
    ],
)
def test_idle_and_absolute_lifetimes(
    world: World, created_ago: dt.timedelta, seen_ago: dt.timedelta, alive: bool
) -> None:
    engine = world.app.state.engine
    now = dt.datetime.now(dt.UTC)
    from hingecoach.services.accounts import authenticate
    from tests.e2e.web.conftest import EMAILS, PASSWORD

    uid = authenticate(engine, EMAILS["ana"], PASSWORD, now).id
    sid = start_session(engine, uid, now - created_ago)
    import hashlib

    with engine.begin() as conn:
        digest = hashlib.sha256(sid.encode()).hexdigest()
        conn.execute(
            update(WebSessionRecord)
            .where(WebSessionRecord.id == digest)
            .values(last_seen_at=now - seen_ago)
        )
    lifetimes = Lifetimes.hours(idle=2, absolute=24)
    found = account_for_session(engine, sid, now, lifetimes)
    assert (found is not None) is alive
    if not alive:  # an ended session is gone for good, whatever the lifetimes later
        assert account_for_session(engine, sid, now, Lifetimes.hours(1000, 1000)) is None


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from hingecoach.errors import InputError
    from hingecoach.web.settings import WebSettings

    monkeypatch.setenv("HINGECOACH_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("HINGECOACH_SESSION_IDLE_HOURS", "12")
    monkeypatch.setenv("HINGECOACH_SESSION_MAX_HOURS", "48")
    monkeypatch.setenv("HINGECOACH_SIGNUP", "off")
    settings = WebSettings.from_env()
    assert (settings.session_idle_hours, settings.session_max_hours) == (12, 48)
    assert settings.signup is False
    monkeypatch.setenv("HINGECOACH_SESSION_IDLE_HOURS", "soon")
    with pytest.raises(InputError, match="HINGECOACH_SESSION_IDLE_HOURS is a number of hours"):
        WebSettings.from_env()
