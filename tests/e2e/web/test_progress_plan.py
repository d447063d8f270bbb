"""Progress (R-TRACK-2/3) and plan (R-PLAN-5) pages, their downloads and the progress API.

Same world as the other web tests: Ana and Bo are trainer A's clients, Cy is trainer B's.
Bo gets two more sessions with back rounding, so his progress has an insight about it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from hingecoach.coach import Session, SetLog
from hingecoach.services.coaching import list_sessions, log_session
from tests.e2e.web.conftest import World, login

TRAINEE_ROUTES = ["/progress", "/plan", "/plan/print", "/plan.ics"]
CLIENT_ROUTES = ["progress", "plan", "plan/print", "plan.ics"]


@pytest.fixture(scope="module", autouse=True)
def bo_rounds_his_back(world: World) -> None:
    engine = world.app.state.engine
    catalogue = world.app.state.catalogue
    last = [s for s in list_sessions(engine, "Bo") if catalogue.exercises[s.exercise_id].is_hinge][
        -1
    ]
    today = dt.date.today()
    for day in (today - dt.timedelta(days=1), today):
        sets = [SetLog(reps=10, rpe=7)] + [
            SetLog(reps=8, rpe=8, form="minor", faults=("back-rounding",)) for _ in range(2)
        ]
        session = Session(date=day, exercise_id=last.exercise_id, sets=tuple(sets))
        log_session(engine, "Bo", session, catalogue, today)


@pytest.mark.parametrize("path", [*TRAINEE_ROUTES, *[f"/clients/Ana/{p}" for p in CLIENT_ROUTES]])
def test_anonymous_is_sent_to_log_in(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        *[("ana", p, 200) for p in TRAINEE_ROUTES],
        *[("coach-a", p, 403) for p in TRAINEE_ROUTES],
        *[("coach-a", f"/clients/Ana/{p}", 200) for p in CLIENT_ROUTES],
        *[("coach-a", f"/clients/Cy/{p}", 404) for p in CLIENT_ROUTES],
        *[("coach-a", f"/clients/Nobody/{p}", 404) for p in CLIENT_ROUTES],
        *[("coach-b", f"/clients/Ana/{p}", 404) for p in CLIENT_ROUTES],
        *[("ana", f"/clients/Ana/{p}", 403) for p in CLIENT_ROUTES],
        *[("ana", f"/clients/Bo/{p}", 403) for p in CLIENT_ROUTES],
    ],
)
def test_page_access(client: TestClient, who: str, path: str, status: int) -> None:
    login(client, who)
    assert client.get(path).status_code == status


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        (None, "Ana", 401),
        ("ana", "Ana", 200),
        ("ana", "Bo", 404),
        ("bo", "Ana", 404),
        ("coach-a", "Ana", 200),
        ("coach-a", "Cy", 404),
        ("coach-a", "Nobody", 404),
        ("coach-b", "Ana", 404),
        ("coach-b", "Cy", 200),
    ],
)
def test_progress_api_access(
    client: TestClient, world: World, who: str | None, name: str, status: int
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who else {}
    response = client.get(f"/api/v1/trainees/{name}/progress", headers=headers)
    assert response.status_code == status
    if status == 404:
        assert "Ana" not in response.text or name == "Ana"


def test_progress_api_gives_the_series_and_insights(client: TestClient, world: World) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['bo']}"}
    body = client.get("/api/v1/trainees/Bo/progress", headers=headers).json()
    for key in ("rung", "e1rm", "volume", "faults", "pain", "adherence", "records", "insights"):
        assert key in body
    assert body["rung"] and body["adherence"] and body["insights"]
    assert any("back-rounding" in week["counts"] for week in body["faults"])
    assert all(i["rules"] for i in body["insights"])


def test_progress_page_shows_charts_tables_and_an_insight(client: TestClient) -> None:
    login(client, "bo")
    page = client.get("/progress").text
    assert page.count("<svg") >= 5
    assert 'role="img"' in page and "viewBox" in page
    assert "<details>" in page and "<table>" in page
    assert re.search(r"Back rounding flagged in [2-5] of the last 5 sessions", page)
    assert "R-REG-1" in page and "R-TRACK-3" in page
    assert 'href="/progress"' in page  # the nav links to it
    counts = re.findall(r"<summary>The numbers \((\d+) (rows?)\)</summary>", page)
    assert counts, "each chart's numbers are a table to open"
    assert all((n == "1") == (word == "row") for n, word in counts), counts


@pytest.mark.parametrize(("rows", "said"), [(1, "1 row"), (2, "2 rows"), (0, "0 rows")])
def test_a_charts_numbers_say_how_many_rows(rows: int, said: str) -> None:
    from types import SimpleNamespace

    from hingecoach.web.templating import render_fragment

    chart = SimpleNamespace(key="rung", title="Rung", svg="", head=["From"], rows=[["x"]] * rows)
    progress = SimpleNamespace(empty=False, insights=[])
    values = {"progress": progress, "charts": [chart], "spans": [], "span": 12, "base": ""}
    page = str(render_fragment("_progress_body.html", values | {"trainer_view": False}))
    assert f"<summary>The numbers ({said})</summary>" in page


def test_progress_span_picks_the_weeks_and_ignores_nonsense(client: TestClient) -> None:
    login(client, "ana")
    assert client.get("/progress?span=all").status_code == 200
    assert client.get("/progress?span=12").status_code == 200
    assert client.get("/progress?span=<script>").status_code == 200


def test_trainer_reaches_progress_and_plan_from_the_client_page(client: TestClient) -> None:
    login(client, "coach-a")
    page = client.get("/clients/Bo").text
    assert 'href="/clients/Bo/progress"' in page and 'href="/clients/Bo/plan"' in page
    progress = client.get("/clients/Bo/progress").text
    assert "Back rounding flagged" in progress
    assert 'href="/clients/Bo/progress?span=all"' in progress


def test_plan_page_shows_weeks_and_download_links(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/plan").text
    assert "Week 1" in page and "Week 8" in page
    assert 'href="/plan/print"' in page and 'href="/plan.ics"' in page
    printable = client.get("/plan/print")
    assert printable.headers["content-type"].startswith("text/html")
    assert 'class="week' in printable.text


@pytest.mark.parametrize(
    ("who", "path"), [("ana", "/plan.ics"), ("coach-a", "/clients/Bo/plan.ics")]
)
def test_calendar_parses(client: TestClient, who: str, path: str) -> None:
    login(client, who)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert events
    assert all(str(e["uid"]).endswith("@hingecoach") for e in events)
