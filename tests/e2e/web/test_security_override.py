"""Overrides (issue 16 item 3, issue 14's override bug): one to a non-hinge exercise is
refused with a clear 4xx, in the API and the web form; one to any hinge rung, including
the rung the coach just stepped the trainee down from, is what the next session does on
Today, Log, the plan and `hingecoach today`. Safety calls are never overridden."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.cli_runner import run
from tests.e2e.web.conftest import World, login, page_token


def _api(world: World, who: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.tokens[who]}"}


def _today(client: TestClient, world: World, name: str = "Bo") -> dict[str, Any]:
    response = client.get(f"/api/v1/trainees/{name}/today", headers=_api(world, "coach-a"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _log_short_session(client: TestClient, world: World, day: dt.date, pain: int = 0) -> None:
    rx = _today(client, world)["prescription"]
    sets = [{"reps": 1, "load_kg": rx.get("load_kg"), "rpe": 7, "pain": pain}] * 3
    body = {"date": day.isoformat(), "exercise_id": rx["exercise_id"], "prescription": rx}
    response = client.post(
        "/api/v1/trainees/Bo/sessions?confirm_spacing=true",
        json=body | {"sets": sets},
        headers=_api(world, "bo"),
    )
    assert response.status_code == 201, response.text


def test_an_override_to_a_push_up_is_refused_in_the_api(client: TestClient, world: World) -> None:
    decision_id = _today(client, world, "Ana")["decision_id"]
    response = client.post(
        f"/api/v1/trainees/Ana/decisions/{decision_id}/override",
        json={"why": "chest day", "exercise_id": "push-up"},
        headers=_api(world, "coach-a"),
    )
    assert response.status_code == 422
    assert "not a hinge exercise" in response.json()["detail"]
    assert _today(client, world, "Ana")["prescription"]["exercise_id"] != "push-up"


def test_the_web_form_offers_only_hinge_rungs_and_refuses_others(
    client: TestClient, world: World
) -> None:
    login(client, "coach-a")
    page = client.get("/clients/Ana").text
    offered = set(re.findall(r'<option value="([a-z-]+)">', page))
    assert "kettlebell-deadlift" in offered
    assert not offered & {"push-up", "incline-push-up", "bench-press", "overhead-press"}
    decision_id = _today(client, world, "Ana")["decision_id"]
    response = client.post(
        f"/clients/Ana/decisions/{decision_id}/override",
        data={"why": "chest day", "exercise_id": "push-up", "csrftoken": csrf(client)},
    )
    assert response.status_code == 422
    assert "Push-up is not a hinge exercise" in response.text
    assert client.get("/clients/Ana").status_code == 200


def csrf(client: TestClient) -> str:
    return page_token(client, "/clients/Ana")


def test_an_override_to_the_rung_just_left_is_what_the_next_session_does(
    client: TestClient, world: World
) -> None:
    today = dt.date.today()
    before = _today(client, world)["prescription"]["exercise_id"]
    _log_short_session(client, world, today - dt.timedelta(days=1))
    _log_short_session(client, world, today)
    stepped = _today(client, world)
    assert stepped["decision"]["action"] == "step-down"
    assert stepped["prescription"]["exercise_id"] != before

    login(client, "coach-a")
    response = client.post(
        f"/clients/Bo/decisions/{stepped['decision_id']}/override",
        data={"why": "a bad night's sleep", "exercise_id": before, "csrftoken": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text

    assert _today(client, world)["prescription"]["exercise_id"] == before
    name = world.app.state.catalogue.exercises[before].name
    with TestClient(world.app) as bo:
        login(bo, "bo")
        assert name in bo.get("/today").text
        assert name in bo.get("/log").text
        assert name in bo.get("/plan").text
    cli = run("--db", world.url, "today", "Bo", "--json")
    assert cli.code == 0, cli.err
    assert f'"{before}"' in cli.out


def test_an_override_cannot_undo_a_safety_call(client: TestClient, world: World) -> None:
    today = dt.date.today()
    _log_short_session(client, world, today, pain=7)
    after_pain = _today(client, world)
    assert "R-SAFE-3" in after_pain["decision"]["rules"]
    higher = "conventional-deadlift"
    response = client.post(
        f"/api/v1/trainees/Bo/decisions/{after_pain['decision_id']}/override",
        json={"why": "push on", "exercise_id": higher},
        headers=_api(world, "coach-a"),
    )
    assert response.status_code == 409
    assert "safety rules" in response.json()["detail"]
    decisions = client.get("/api/v1/trainees/Bo/decisions", headers=_api(world, "coach-a")).json()
    assert not any(o["why"] == "push on" for d in decisions for o in d["overrides"])


def test_a_client_not_yet_assessed_has_a_working_page(client: TestClient, world: World) -> None:
    from hingecoach.coach import demo_profile
    from hingecoach.services.accounts import assign_client
    from hingecoach.services.trainees import add_trainee

    engine = world.app.state.engine
    add_trainee(engine, "Eve", demo_profile())
    assign_client(engine, "Eve", "coach-a@example.com")
    login(client, "coach-a")
    page = client.get("/clients/Eve")
    assert page.status_code == 200
    assert "has not been assessed yet" in page.text
    assert 'action="/clients/Eve/notes"' in page.text
    assert 'action="/clients/Eve/delete"' in page.text
