"""The front door on the web: sign-up, invitations, links that work once, password change
and reset (mail through a real SMTP server), the first assessment at /start."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from hingecoach.services import account_links
from hingecoach.services.account_admin import AccountRow
from hingecoach.services.intake import RED_FLAGS
from tests.e2e.mailbox import Mailbox, smtp_server
from tests.e2e.web.conftest import EMAILS, PASSWORD, World, csrf_from, login

NEW_PASSWORD = "a brand new passphrase"


@contextmanager
def settings_changed(world: World, **changes: object) -> Iterator[None]:
    before = world.app.state.settings
    world.app.state.settings = dataclasses.replace(before, **changes)
    try:
        yield
    finally:
        world.app.state.settings = before


@pytest.fixture
def mailbox(world: World) -> Iterator[Mailbox]:
    with (
        smtp_server() as box,
        settings_changed(world, smtp_url=box.url, base_url="https://coach.example"),
    ):
        yield box


def _post(client: TestClient, page: str, action: str, data: dict[str, str]) -> object:
    token = csrf_from(client.get(page).text)
    return client.post(action, data=data | {"csrftoken": token}, follow_redirects=False)


def _signup(client: TestClient, email: str, name: str = "Dee") -> object:
    data = {"email": email, "name": name, "password": PASSWORD, "password_again": PASSWORD}
    return _post(client, "/signup", "/signup", data)


def _invite(client: TestClient, email: str, name: str) -> str:
    """Invite as the signed-in trainer; the link shown on the page."""
    response = _post(client, "/clients", "/clients/invite", {"email": email, "name": name})
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    found = re.search(r'value="(https?://[^"]+/invite/[^"]+)"', response.text)  # type: ignore[attr-defined]
    assert found, "no invitation link on the page"
    return found.group(1)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _accept(client: TestClient, link: str, password: str = PASSWORD) -> object:
    page = client.get(_path(link))
    token = _path(link).rsplit("/", 1)[1]
    data = {
        "token": token,
        "password": password,
        "password_again": password,
        "csrftoken": csrf_from(page.text),
    }
    return client.post("/invite", data=data, follow_redirects=False)


CLEAR = {q.field: "no" for q in RED_FLAGS}
SCREENS = [
    {"wall_touch_pass": "yes"},
    {"dowel_hinge_pass": "yes"},
    {"aslr_score": "2"},
    {"toe_touch_clean": "yes"},
    {"single_leg_stance_s": "30"},
    {"unloaded_hinge_pain": "0"},
]
ABOUT = {
    "age": "41",
    "body_mass_kg": "70",
    "goal": "learn",
    "training_history": "novice",
    "kettlebells": "8,12",
    "days": "monday",
}


def _step(client: TestClient, html: str, data: dict[str, str]) -> str:
    state = re.search(r'name="state" value="([^"]*)"', html)
    step = re.search(r'name="step" value="([^"]*)"', html)
    assert state and step, html
    form = data | {"state": state.group(1), "step": step.group(1), "csrftoken": csrf_from(html)}
    response = client.post("/start", data=form)
    assert response.status_code == 200, response.text
    return response.text


def _assess(client: TestClient, red_flags: dict[str, str] | None = None) -> str:
    html = client.get("/start").text
    if 'value="about"' in html:
        html = _step(client, html, ABOUT)
    html = _step(client, html, CLEAR | (red_flags or {}) | {"current_pain": "1"})
    if "Stop here for now" in html:
        return html
    for answer in SCREENS:
        html = _step(client, html, answer)
    return html


# ---------------------------------------------------------------- sign-up


def test_a_trainee_signs_up_alone_and_gets_through_to_today(world: World) -> None:
    with TestClient(world.app) as client:
        response = _signup(client, "dee@example.com")
        assert response.status_code == 303 and response.headers["location"] == "/start"  # type: ignore[attr-defined]
        assert client.get("/today", follow_redirects=False).headers["location"] == "/start"
        placed = _assess(client)
        assert "Where you start" in placed and "See today's session" in placed
        assert "weighted-hip-hinge" not in placed.split("Where you start")[1].split("Why here")[0]
        assert client.get("/today").status_code == 200
        again = _signup(client, "DEE@example.com", "Someone else")
        assert again.status_code == 409  # type: ignore[attr-defined]
        assert "An account with that email already exists" in again.text  # type: ignore[attr-defined]


def test_sign_up_can_be_turned_off(world: World) -> None:
    with settings_changed(world, signup=False), TestClient(world.app) as client:
        assert client.get("/signup").status_code == 403
        assert "Sign-up is turned off" in client.get("/signup").text
        client.get("/login")  # a cookie for the form token
        token = csrf_from(client.get("/login").text)
        data = {
            "email": "eve@example.com",
            "name": "Eve",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "csrftoken": token,
        }
        assert client.post("/signup", data=data).status_code == 403
    assert "eve@example.com" not in [a.email for a in _accounts(world)]


def _accounts(world: World) -> list[AccountRow]:
    from hingecoach.services.account_admin import list_accounts

    return list_accounts(world.app.state.engine)


def test_weak_and_mismatched_passwords_are_refused_with_what_to_do(client: TestClient) -> None:
    data = {
        "email": "fay@example.com",
        "name": "Fay",
        "password": "short",
        "password_again": "short",
    }
    response = _post(client, "/signup", "/signup", data)
    assert response.status_code == 422 and "at least 8 characters" in response.text  # type: ignore[attr-defined]
    data = {
        "email": "fay@example.com",
        "name": "Fay",
        "password": PASSWORD,
        "password_again": "x" + PASSWORD,
    }
    response = _post(client, "/signup", "/signup", data)
    assert response.status_code == 422 and "The two passwords differ" in response.text  # type: ignore[attr-defined]


# ---------------------------------------------------------------- invitations


def test_an_invited_client_is_listed_at_once_then_once_assessed(world: World) -> None:
    with TestClient(world.app) as trainer, TestClient(world.app) as client:
        login(trainer, "coach-a")
        link = _invite(trainer, "gus@example.com", "Gus")
        clients = trainer.get("/clients").text
        assert clients.count("Gus") == 1 and "Invited" in clients
        assert "gus@example.com" not in login_free_page(world, "/clients")
        response = _accept(client, link)
        assert response.status_code == 303 and response.headers["location"] == "/start"  # type: ignore[attr-defined]
        assert "Where you start" in _assess(client)
        clients = trainer.get("/clients").text
        assert clients.count(">Gus<") == 1 and "Invited" not in clients
        assert trainer.get("/clients/Gus").status_code == 200
        # the other trainer does not see Gus, as if he did not exist
        with TestClient(world.app) as other:
            login(other, "coach-b")
            assert "Gus" not in other.get("/clients").text
            assert other.get("/clients/Gus").status_code == 404


def login_free_page(world: World, path: str) -> str:
    with TestClient(world.app) as anonymous:
        return anonymous.get(path).text


def test_a_used_link_is_refused(world: World) -> None:
    with TestClient(world.app) as trainer, TestClient(world.app) as client:
        login(trainer, "coach-a")
        link = _invite(trainer, "hal@example.com", "Hal")
        assert _accept(client, link).status_code == 303  # type: ignore[attr-defined]
    with TestClient(world.app) as someone:
        again = someone.get(_path(link))
        assert again.status_code == 410 and "used already" in again.text


def test_a_withdrawn_or_replaced_link_is_refused(world: World) -> None:
    with TestClient(world.app) as trainer, TestClient(world.app) as client:
        login(trainer, "coach-a")
        first = _invite(trainer, "ida@example.com", "Ida")
        user_id = re.search(r"/clients/invited/(\d+)/resend", trainer.get("/clients").text)
        assert user_id
        resent = _post(trainer, "/clients", f"/clients/invited/{user_id.group(1)}/resend", {})
        second = re.search(r'value="(https?://[^"]+/invite/[^"]+)"', resent.text)  # type: ignore[attr-defined]
        assert second and second.group(1) != first
        assert client.get(_path(first)).status_code == 410  # replaced
        assert client.get(_path(second.group(1))).status_code == 200
        withdrawn = _post(trainer, "/clients", f"/clients/invited/{user_id.group(1)}/withdraw", {})
        assert withdrawn.headers["location"] == "/clients?withdrawn=1"  # type: ignore[attr-defined]
        assert "Ida" not in trainer.get("/clients").text
        refused = client.get(_path(second.group(1)))
        assert refused.status_code == 410 and "withdrawn" in refused.text


def test_an_expired_link_is_refused(world: World) -> None:
    engine = world.app.state.engine
    coach = _account_id(world, "coach-a")
    invitation = account_links.invite_client(
        engine,
        coach,
        email="jo@example.com",
        name="Jo",
        now=dt.datetime.now(dt.UTC) - dt.timedelta(days=8),
        lifetime=dt.timedelta(days=7),
    )
    with TestClient(world.app) as client:
        refused = client.get(f"/invite/{invitation.token}")
    assert refused.status_code == 410 and "This link expired on" in refused.text


def _account_id(world: World, who: str) -> int:
    from hingecoach.services.accounts import authenticate

    return authenticate(world.app.state.engine, EMAILS[who], PASSWORD, dt.datetime.now(dt.UTC)).id


def test_a_trainee_cannot_open_another_persons_invitation(world: World) -> None:
    with TestClient(world.app) as trainer, TestClient(world.app) as ana:
        login(trainer, "coach-a")
        link = _invite(trainer, "kit@example.com", "Kit")
        login(ana, "ana")
        refused = ana.get(_path(link))
        assert refused.status_code == 403 and "this link is for someone else" in refused.text


def test_a_trainer_cannot_withdraw_another_trainers_invitation(world: World) -> None:
    with TestClient(world.app) as a, TestClient(world.app) as b:
        login(a, "coach-a")
        _invite(a, "lou@example.com", "Lou")
        user_id = re.search(r"/clients/invited/(\d+)/withdraw", a.get("/clients").text)
        assert user_id
        login(b, "coach-b")
        refused = _post(b, "/clients", f"/clients/invited/{user_id.group(1)}/withdraw", {})
        assert refused.status_code == 422  # type: ignore[attr-defined]
        assert "Lou" in a.get("/clients").text


def test_an_email_with_an_account_cannot_be_invited(client: TestClient) -> None:
    login(client, "coach-a")
    response = _post(client, "/clients", "/clients/invite", {"email": EMAILS["bo"], "name": "Bo"})
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert "already has an account" in response.text  # type: ignore[attr-defined]


# ---------------------------------------------------------------- mail


def test_the_invitation_is_emailed_through_smtp_with_the_sites_address(
    world: World, mailbox: Mailbox
) -> None:
    with TestClient(world.app) as trainer, TestClient(world.app) as client:
        login(trainer, "coach-a")
        shown = _invite(trainer, "max@example.com", "Max")
        mailed = mailbox.link("max@example.com", "/invite/")
        assert mailed == shown and mailed.startswith("https://coach.example/invite/")
        assert mailbox.logins == ["mailer"]
        assert _accept(client, mailed).status_code == 303  # type: ignore[attr-defined]


def test_forgot_sends_a_single_use_reset_link(world: World, mailbox: Mailbox) -> None:
    with TestClient(world.app) as client:
        _signup(client, "ned@example.com", "Ned")
    with TestClient(world.app) as client:
        sent = _post(client, "/forgot", "/forgot", {"email": "ned@example.com"})
        assert "a link to set a new password is on its way" in sent.text  # type: ignore[attr-defined]
        unknown = _post(client, "/forgot", "/forgot", {"email": "nobody@example.com"})
        assert unknown.status_code == sent.status_code == 200  # type: ignore[attr-defined]
        assert "on its way" in unknown.text  # type: ignore[attr-defined]
        link = mailbox.link("ned@example.com", "/reset/")
        assert len(mailbox.messages) == 1  # nothing to the unknown address
        token = link.rsplit("/", 1)[1]
        page = client.get(f"/reset/{token}")
        data = {
            "token": token,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrftoken": csrf_from(page.text),
        }
        assert client.post("/reset", data=data, follow_redirects=False).status_code == 303
        assert client.get(f"/reset/{token}").status_code == 410
    from hingecoach.services.accounts import authenticate

    authenticate(world.app.state.engine, "ned@example.com", NEW_PASSWORD, dt.datetime.now(dt.UTC))


def test_forgot_without_mail_says_whom_to_ask(client: TestClient) -> None:
    page = client.get("/forgot")
    assert "ask your trainer" in page.text.lower() and "account set-password" in page.text


# ---------------------------------------------------------------- account


def test_changing_the_password_needs_the_current_one(world: World) -> None:
    with TestClient(world.app) as client:
        _signup(client, "oli@example.com", "Oli")
        wrong = _post(
            client,
            "/account",
            "/account/password",
            {"current": "not it at all", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
        )
        assert wrong.status_code == 401 and "current password is not right" in wrong.text  # type: ignore[attr-defined]
        with TestClient(world.app) as other:
            other.get("/login")
            data = {
                "email": "oli@example.com",
                "password": PASSWORD,
                "csrftoken": csrf_from(other.get("/login").text),
            }
            assert other.post("/login", data=data, follow_redirects=False).status_code == 303
            done = _post(
                client,
                "/account",
                "/account/password",
                {"current": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
            )
            assert done.status_code == 200 and "Password changed" in done.text  # type: ignore[attr-defined]
            assert other.get("/start", follow_redirects=False).status_code == 303  # ended
        assert client.get("/start").status_code == 200  # this one stays


# ---------------------------------------------------------------- the first assessment


def test_a_red_flag_stops_the_assessment_with_what_to_do(world: World) -> None:
    with TestClient(world.app) as client:
        _signup(client, "pat@example.com", "Pat")
        stopped = _assess(client, {"saddle_numbness": "yes"})
        assert "Stop here for now" in stopped and "emergency" in stopped.lower()
        assert "Where you start" not in stopped
        # nothing placed: the assessment is asked again
        html = client.get("/start").text
        assert 'value="safety"' in html


def test_an_unanswered_red_flag_question_is_asked_again(world: World) -> None:
    with TestClient(world.app) as client:
        _signup(client, "quin@example.com", "Quin")
        html = _step(client, client.get("/start").text, ABOUT)
        partial = dict(CLEAR)
        partial.pop("thoracic_pain")
        state = re.search(r'name="state" value="([^"]*)"', html)
        assert state
        response = client.post(
            "/start",
            data=partial
            | {"state": state.group(1), "step": "safety", "csrftoken": csrf_from(html)},
        )
        assert response.status_code == 422 and "Answer every question" in response.text


def test_a_trainer_fills_in_the_assessment_for_a_client(world: World) -> None:
    with TestClient(world.app) as trainer:
        login(trainer, "coach-a")
        assert "/clients/Bo/assessment" in trainer.get("/clients/Bo").text
        html = trainer.get("/clients/Bo/assessment").text
        assert "First assessment for Bo" in html and 'value="safety"' in html
        state = re.search(r'name="state" value="([^"]*)"', html)
        assert state
        form = CLEAR | {"current_pain": "0", "state": state.group(1), "step": "safety"}
        html = trainer.post(
            "/clients/Bo/assessment", data=form | {"csrftoken": csrf_from(html)}
        ).text
        for answer in SCREENS:
            state = re.search(r'name="state" value="([^"]*)"', html)
            step = re.search(r'name="step" value="([^"]*)"', html)
            assert state and step, html
            data = answer | {"state": state.group(1), "step": step.group(1)}
            html = trainer.post(
                "/clients/Bo/assessment", data=data | {"csrftoken": csrf_from(html)}
            ).text
        assert "Where you start" in html and "Back to Bo" in html
    with TestClient(world.app) as other:
        login(other, "coach-b")
        assert other.get("/clients/Bo/assessment").status_code == 404
        assert other.get("/clients/Nobody/assessment").status_code == 404
    with TestClient(world.app) as ana:
        login(ana, "ana")
        assert ana.get("/clients/Ana/assessment").status_code == 403


def test_a_trainer_asks_a_client_to_take_the_assessment_again(world: World) -> None:
    with TestClient(world.app) as trainer, TestClient(world.app) as bo:
        login(bo, "bo")
        assert bo.get("/today", follow_redirects=False).status_code == 200
        login(trainer, "coach-a")
        asked = _post(trainer, "/clients/Bo", "/clients/Bo/assessment/ask", {})
        assert asked.headers["location"] == "/clients/Bo?saved=assessment-asked"  # type: ignore[attr-defined]
        assert bo.get("/today", follow_redirects=False).headers["location"] == "/start"
        assert "Where you start" in _assess(bo)
        assert bo.get("/today", follow_redirects=False).status_code == 200
        with TestClient(world.app) as other:
            login(other, "coach-b")
            refused = _post(other, "/clients", "/clients/Bo/assessment/ask", {})
            assert refused.status_code == 404  # type: ignore[attr-defined]
