"""The calendar feed: a private URL made, copied and revoked from Account -> Calendar or the
API; no sign-in to fetch it; 404 once revoked or replaced; it follows re-planning; events
at the trainee's training time in their time zone; cached privately; limited per address."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from fastapi.testclient import TestClient

from hingecoach.services.trainees import edit_trainee
from hingecoach.web.app import create_app
from tests.e2e.web.conftest import World, csrf_from, login

FEED = re.compile(r'value="(http://testserver(/calendar/hcal_[A-Za-z0-9_-]+\.ics))"')


def _auth(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def _events(body: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def _issue_on_the_page(client: TestClient) -> str:
    """Account -> Calendar -> Make a calendar link: the path of the URL shown."""
    page = client.get("/account/calendar")
    assert page.status_code == 200
    made = client.post("/account/calendar", data={"csrftoken": csrf_from(page.text)})
    assert made.status_code == 200
    found = FEED.search(made.text)
    assert found, "the new link is shown to copy"
    assert 'data-copy="feed-url"' in made.text and "webcal://testserver/calendar/" in made.text
    return found.group(2)


def _issue_by_api(client: TestClient, world: World, who: str = "ana", name: str = "Ana") -> str:
    made = client.post(f"/api/v1/trainees/{name}/calendar-feed", headers=_auth(world, who))
    assert made.status_code == 201, made.text
    url: str = made.json()["url"]
    return url.removeprefix("http://testserver")


def test_make_fetch_and_revoke_from_the_account_page(client: TestClient, world: World) -> None:
    login(client, "ana")
    account = client.get("/account")
    assert 'href="/account/calendar"' in account.text
    path = _issue_on_the_page(client)

    with TestClient(world.app) as anonymous:  # no sign-in: the token is the credential
        feed = anonymous.get(path)
        assert feed.status_code == 200
        assert feed.headers["content-type"].startswith("text/calendar")
        assert feed.headers["cache-control"] == "private, max-age=300"
        assert _events(feed.content), "the plan's sessions are events"

    page = client.get("/account/calendar")
    assert "You have a calendar link, made" in page.text
    assert path not in page.text  # shown once: only its digest is kept
    revoked = client.post(
        "/account/calendar/revoke",
        data={"csrftoken": csrf_from(page.text)},
        follow_redirects=True,
    )
    assert revoked.status_code == 200 and "The calendar link is revoked" in revoked.text
    gone = client.get(path)
    assert gone.status_code == 404
    assert gone.headers["cache-control"] == "no-store"
    assert "revoked or replaced" in gone.text


def test_a_new_link_stops_the_old_one(client: TestClient, world: World) -> None:
    old = _issue_by_api(client, world)
    new = _issue_by_api(client, world, "coach-a", "Ana")  # her trainer may make one too
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    state = client.get("/api/v1/trainees/Ana/calendar-feed", headers=_auth(world, "ana")).json()
    assert state["active"] is True and state["url"] is None and state["issued_at"]
    deleted = client.delete("/api/v1/trainees/Ana/calendar-feed", headers=_auth(world, "ana"))
    assert deleted.status_code == 204
    assert client.get(new).status_code == 404
    state = client.get("/api/v1/trainees/Ana/calendar-feed", headers=_auth(world, "ana")).json()
    assert state["active"] is False and state["issued_at"] is None
    again = client.delete("/api/v1/trainees/Ana/calendar-feed", headers=_auth(world, "ana"))
    assert again.status_code == 204


@pytest.mark.parametrize(
    "token",
    ["hcal_" + "A" * 43, "not-a-token", "hcal_", "hcal_" + "x" * 500, "%00", "..%2F..%2Fetc"],
)
def test_a_token_that_opens_no_feed_is_not_found(client: TestClient, token: str) -> None:
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_an_unchanged_feed_answers_not_modified(client: TestClient, world: World) -> None:
    path = _issue_by_api(client, world)
    first = client.get(path)
    etag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    head = client.head(path)
    assert head.status_code == 200 and head.headers["etag"] == etag


def test_the_feed_follows_a_re_plan(client: TestClient, world: World) -> None:
    path = _issue_by_api(client, world)
    before = _events(client.get(path).content)
    later = dt.date.today() + dt.timedelta(days=8)  # past this week: planned, not logged
    days_before = {
        e.decoded("dtstart").weekday() for e in before if e.decoded("dtstart").date() > later
    }
    assert days_before == {0, 2, 4}  # Monday, Wednesday, Friday

    edit_trainee(world.app.state.engine, "Ana", changes={"days_available": ["tuesday", "saturday"]})
    after = _events(client.get(path).content)
    days_after = {
        e.decoded("dtstart").weekday() for e in after if e.decoded("dtstart").date() > later
    }
    assert days_after == {1, 5}  # the re-planned week: Tuesday and Saturday
    edit_trainee(
        world.app.state.engine,
        "Ana",
        changes={"days_available": ["monday", "wednesday", "friday"]},
    )


def test_events_start_at_the_training_time_in_the_trainees_time_zone(
    client: TestClient, world: World
) -> None:
    path = _issue_by_api(client, world)
    floating = _events(client.get(path).content)
    start = floating[0].decoded("dtstart")
    assert start.tzinfo is None and (start.hour, start.minute) == (18, 0)  # the default

    changed = client.patch(
        "/api/v1/trainees/Ana/calendar-feed",
        json={"time_zone": "America/New_York", "training_time": "07:30"},
        headers=_auth(world, "ana"),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["time_zone"] == "America/New_York"
    assert changed.json()["training_time"] == "07:30"
    body = client.get(path).content
    calendar = icalendar.Calendar.from_ical(body)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body.decode()
    for event in _events(body):
        start = event.decoded("dtstart")
        assert start.tzinfo == ZoneInfo("America/New_York")
        assert (start.hour, start.minute) == (7, 30)
    # only the time changes: the time zone stays
    later = client.patch(
        "/api/v1/trainees/Ana/calendar-feed",
        json={"training_time": "06:45"},
        headers=_auth(world, "ana"),
    ).json()
    assert later["time_zone"] == "America/New_York" and later["training_time"] == "06:45"
    # the one-off download follows the same time and zone (and asks for no refresh)
    login(client, "ana")
    download = client.get("/plan.ics")
    assert download.status_code == 200
    assert "REFRESH-INTERVAL" not in download.text
    for event in _events(download.content):
        start = event.decoded("dtstart")
        assert start.tzinfo == ZoneInfo("America/New_York")
        assert (start.hour, start.minute) == (6, 45)
    cleared = client.patch(
        "/api/v1/trainees/Ana/calendar-feed",
        json={"time_zone": None, "training_time": None},
        headers=_auth(world, "ana"),
    ).json()
    assert cleared["time_zone"] is None and cleared["training_time"] == "18:00"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "is not a time zone"),
        ({"time_zone": "../../etc/passwd"}, "is not a time zone"),
        ({"training_time": "25:00"}, "training_time"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_wrong_time_zone_or_time_is_refused(
    client: TestClient, world: World, body: dict[str, str], says: str
) -> None:
    got = client.patch("/api/v1/trainees/Ana/calendar-feed", json=body, headers=_auth(world, "ana"))
    assert got.status_code == 422
    assert says in got.text


def test_the_page_saves_the_time_and_zone_and_refuses_a_wrong_zone(
    client: TestClient, world: World
) -> None:
    login(client, "bo")
    page = client.get("/account/calendar")
    token = csrf_from(page.text)
    wrong = client.post(
        "/account/calendar/settings",
        data={"csrftoken": token, "time_zone": "Europe/Atlantis", "training_time": "06:00"},
    )
    assert wrong.status_code == 422
    assert "Europe/Atlantis" in wrong.text and "is not a time zone" in wrong.text
    saved = client.post(
        "/account/calendar/settings",
        data={"csrftoken": token, "time_zone": "Europe/Lisbon", "training_time": "06:00"},
        follow_redirects=True,
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    assert 'value="06:00"' in saved.text and 'value="Europe/Lisbon"' in saved.text
    path = _issue_on_the_page(client)
    start = _events(client.get(path).content)[0].decoded("dtstart")
    assert start.tzinfo == ZoneInfo("Europe/Lisbon") and (start.hour, start.minute) == (6, 0)


def test_the_calendar_page_is_for_signed_in_trainees(client: TestClient) -> None:
    anonymous = client.get("/account/calendar", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    login(client, "coach-a")
    assert client.get("/account/calendar").status_code == 403
    assert client.post("/account/calendar", data={}).status_code == 403  # no CSRF token


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        (None, "Ana", 401),
        ("bo", "Ana", 404),  # another trainee
        ("coach-b", "Ana", 404),  # another trainer's client
        ("coach-a", "Cy", 404),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "PATCH"])
def test_only_who_may_see_the_trainee_reaches_the_feed(
    client: TestClient, world: World, who: str | None, name: str, status: int, method: str
) -> None:
    headers = _auth(world, who) if who else {}
    got = client.request(
        method,
        f"/api/v1/trainees/{name}/calendar-feed",
        headers=headers,
        json={"training_time": "05:00"} if method == "PATCH" else None,
    )
    assert got.status_code == status, got.text


def test_fetches_are_limited_per_address(world: World) -> None:
    settings = dataclasses.replace(world.app.state.settings, calendar_feed_rate="3/minute")
    app = create_app(settings)
    with TestClient(app) as client:
        path = _issue_by_api(client, world)
        answers = [client.get(path).status_code for _ in range(3)]
        answers.append(client.get("/calendar/hcal_guess.ics").status_code)
        assert answers == [200, 200, 200, 429]
        slow = client.get(path)
        assert slow.status_code == 429 and slow.headers["retry-after"] == "60"
        assert "Wait a minute" in slow.text
    app.state.engine.dispose()
