"""Signing in and out, cookies, CSRF, rate limiting, API tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.e2e.web.conftest import EMAILS, PASSWORD, World, csrf_from, login, make_app


def test_sign_in_sends_each_role_home(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    response = client.post(
        "/login",
        data={"email": EMAILS["ana"], "password": PASSWORD, "csrftoken": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    cookie = response.headers["set-cookie"].lower()
    assert "hingecoach_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_trainer_lands_on_clients(client: TestClient) -> None:
    login(client, "coach-a")
    response = client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/clients"


def test_wrong_password_is_refused_with_one_calm_message(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": EMAILS["ana"], "password": "nope-nope", "csrftoken": csrf_from(page.text)},
    )
    assert response.status_code == 401
    assert "That email and password do not match an account" in response.text
    unknown = client.post(
        "/login",
        data={"email": "nobody@example.com", "password": "x", "csrftoken": csrf_from(page.text)},
    )
    assert unknown.status_code == 401
    assert "That email and password do not match an account" in unknown.text


def test_login_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"email": EMAILS["ana"], "password": PASSWORD})
    assert response.status_code == 403
    assert "form has expired" in response.text


def test_login_with_no_cookie_at_all_is_refused(world: World) -> None:
    with TestClient(world.app) as fresh:
        response = fresh.post(
            "/login", data={"email": EMAILS["ana"], "password": PASSWORD, "csrftoken": "forged"}
        )
    assert response.status_code == 403


def test_a_form_post_without_the_token_is_refused_when_signed_in(client: TestClient) -> None:
    login(client, "ana")
    assert client.post("/checkin", data={"pain": "1"}).status_code == 403
    assert client.post("/checkin", data={"pain": "1", "csrftoken": "forged"}).status_code == 403


def test_sign_out_ends_the_session(client: TestClient) -> None:
    login(client, "ana")
    token = csrf_from(client.get("/today").text)
    response = client.post("/logout", data={"csrftoken": token}, follow_redirects=False)
    assert response.status_code == 303
    after = client.get("/today", follow_redirects=False)
    assert after.status_code == 303
    assert after.headers["location"].startswith("/login?next=/today")


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(client: TestClient) -> None:
    page = client.get("/login?next=/history")
    assert 'value="/history"' in page.text
    response = client.post(
        "/login",
        data={
            "email": EMAILS["ana"],
            "password": PASSWORD,
            "next": "//evil.example.com/",
            "csrftoken": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/today"


def test_login_attempts_are_rate_limited(world: World) -> None:
    app = make_app(world.url, login_rate="3/minute")
    try:
        with TestClient(app) as c:
            token = csrf_from(c.get("/login").text)
            codes = [
                c.post(
                    "/login",
                    data={"email": EMAILS["bo"], "password": "wrong", "csrftoken": token},
                ).status_code
                for _ in range(4)
            ]
            assert codes == [401, 401, 401, 429]
            # Even the right password waits now.
            right = c.post(
                "/login", data={"email": EMAILS["bo"], "password": PASSWORD, "csrftoken": token}
            )
            assert right.status_code == 429
            assert "Too many attempts" in right.text
    finally:
        app.state.engine.dispose()


def test_api_needs_a_valid_bearer_token(client: TestClient, world: World) -> None:
    assert client.get("/api/v1/me").status_code == 401
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer hc_not-a-token"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Bearer"
    good = client.get("/api/v1/me", headers={"Authorization": f"Bearer {world.tokens['ana']}"})
    assert good.status_code == 200
    assert good.json()["trainee_name"] == "Ana"


def test_a_signed_in_cookie_does_not_open_the_api(client: TestClient) -> None:
    login(client, "ana")
    assert client.get("/api/v1/me").status_code == 401


def test_a_new_token_replaces_the_old_one(world: World) -> None:
    with TestClient(world.app) as c:
        login(c, "bo")
        old = world.tokens["bo"]
        page = c.post("/account/token", data={"csrftoken": csrf_from(c.get("/account").text)})
        assert page.status_code == 200
        import re

        new = re.search(r'<pre class="token">([^<]+)</pre>', page.text)
        assert new is not None
        world.tokens["bo"] = new.group(1)
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401
        me = c.get("/api/v1/me", headers={"Authorization": f"Bearer {new.group(1)}"})
        assert me.json()["email"] == EMAILS["bo"]
