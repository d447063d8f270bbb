"""The plan through the API: weeks bounded by R-PLAN-4, loads in kg and the trainee's
unit, the same access as every trainee route, and the routes in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hingecoach.coach import demo_profile
from hingecoach.services.accounts import assign_client
from hingecoach.services.trainees import add_trainee
from hingecoach.units import KG_PER_LB
from tests.e2e.web.conftest import EMAILS, World

STRONG = Path(__file__).resolve().parents[2] / "fixtures" / "imports" / "strong.csv"


def _auth(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def _exercises(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        ex
        for week in plan["plan_weeks"]
        for session in week["sessions"]
        for block in session["blocks"]
        for ex in block["exercises"]
    ]


@pytest.fixture(scope="module")
def dee(world: World) -> str:
    """A client of coach A who shows loads in lb, with a Strong history (deadlifts)."""
    engine = world.app.state.engine
    add_trainee(engine, "Dee", demo_profile().model_copy(update={"unit": "lb"}))
    assign_client(engine, "Dee", EMAILS["coach-a"])
    with TestClient(world.app) as client:
        done = client.post(
            "/api/v1/trainees/Dee/imports",
            json={"csv": STRONG.read_text(encoding="utf-8")},
            headers=_auth(world, "coach-a"),
        )
    assert done.status_code == 201, done.text
    return "Dee"


def test_the_plan_has_the_weeks_asked_for_from_this_monday(
    client: TestClient, world: World
) -> None:
    got = client.get("/api/v1/trainees/Ana/plan", headers=_auth(world, "ana"))
    assert got.status_code == 200, got.text
    plan = got.json()
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    assert plan["trainee"] == "Ana" and plan["weeks"] == 8 and len(plan["plan_weeks"]) == 8
    assert plan["start"] == monday.isoformat() and plan["as_of"] == today.isoformat()
    assert plan["schedule_reason"]["rules"] == ["R-PLAN-1"]
    sessions = [s for w in plan["plan_weeks"] for s in w["sessions"]]
    assert sessions and all(s["blocks"] for s in sessions if s["status"] == "planned")
    # every block says why, with its rule ids
    assert all(b["reason"]["rules"] for s in sessions for b in s["blocks"])

    four = client.get("/api/v1/trainees/Ana/plan?weeks=4", headers=_auth(world, "ana")).json()
    assert four["weeks"] == 4 and len(four["plan_weeks"]) == 4
    assert four["plan_weeks"][0] == plan["plan_weeks"][0]


@pytest.mark.parametrize("weeks", ["3", "17", "0", "-1", "1000"])
def test_weeks_outside_a_cycle_are_refused_with_the_rule(
    client: TestClient, world: World, weeks: str
) -> None:
    got = client.get(f"/api/v1/trainees/Ana/plan?weeks={weeks}", headers=_auth(world, "ana"))
    assert got.status_code == 422
    assert got.json()["detail"] == f"weeks: a cycle is 4-16 weeks (R-PLAN-4), got {weeks}"


def test_weeks_that_are_not_a_number_are_refused(client: TestClient, world: World) -> None:
    got = client.get("/api/v1/trainees/Ana/plan?weeks=many", headers=_auth(world, "ana"))
    assert got.status_code == 422
    assert got.json()["detail"][0]["loc"] == ["query", "weeks"]


def test_loads_come_in_kg_and_in_the_trainees_unit(
    client: TestClient, world: World, dee: str
) -> None:
    got = client.get(f"/api/v1/trainees/{dee}/plan", headers=_auth(world, "coach-a"))
    assert got.status_code == 200, got.text
    plan = got.json()
    assert plan["unit"] == "lb"
    loaded = [ex for ex in _exercises(plan) if ex["load"] is not None]
    assert loaded, "a deadlifter's plan has loaded exercises"
    for ex in loaded:
        load = ex["load"]
        assert load["unit"] == "lb" and load["label"].endswith(" lb")
        assert load["value"] == pytest.approx(load["kg"] / KG_PER_LB, abs=0.25)
        assert "lb" in ex["load_label"] and "kg" not in ex["load_label"]
    # the history placed Dee on loaded rungs, not the floor
    assert {ex["exercise_id"] for ex in loaded} & {"trap-bar-deadlift", "kettlebell-deadlift"}


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        (None, "Ana", 401),
        ("bo", "Ana", 404),  # another trainee's plan
        ("coach-b", "Ana", 404),  # another trainer's client
        ("coach-a", "Cy", 404),
        ("coach-a", "Nobody", 404),
        ("ana", "Ana", 200),
        ("coach-a", "Bo", 200),
    ],
)
def test_only_who_may_see_the_trainee_sees_the_plan(
    client: TestClient, world: World, who: str | None, name: str, status: int
) -> None:
    headers = _auth(world, who) if who else {}
    got = client.get(f"/api/v1/trainees/{name}/plan?weeks=4", headers=headers)
    assert got.status_code == status, got.text
    if status == 404:  # the same answer as a name that does not exist
        assert "not one of the trainees you can see" in got.json()["detail"]


def test_the_new_routes_are_in_the_openapi_document(client: TestClient) -> None:
    """The schemathesis run (test_api_schema.py) takes every operation of this document."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/trainees/{name}/plan" in paths
    assert {"get", "post", "delete", "patch"} <= set(paths["/api/v1/trainees/{name}/calendar-feed"])
    for path in (
        "/api/v1/catalogue",
        "/api/v1/catalogue/{exercise_id}",
        "/api/v1/catalogue/{exercise_id}/ladder",
        "/api/v1/ladder",
    ):
        assert "get" in paths[path]
    weeks = next(
        p
        for p in paths["/api/v1/trainees/{name}/plan"]["get"]["parameters"]
        if p["name"] == "weeks"
    )
    assert weeks["schema"]["minimum"] == 4 and weeks["schema"]["maximum"] == 16
    ok = paths["/api/v1/trainees/{name}/plan"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/PlanPublic")
