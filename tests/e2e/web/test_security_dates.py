"""Hardening (issue 16, item 4): a session's date inside the window and at least one set,
in the API, the CLI and imports; the progress page never fails on old data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hingecoach.coach.models import Session as CoachSession
from hingecoach.coach.models import SetLog
from hingecoach.services.uow import UnitOfWork
from tests.e2e.cli_runner import run
from tests.e2e.web.conftest import World, login

API = "/api/v1/trainees/Ana/sessions"


def _post(client: TestClient, world: World, body: dict[str, object]) -> object:
    return client.post(API, json=body, headers={"authorization": f"Bearer {world.tokens['ana']}"})


@pytest.mark.parametrize(
    ("date", "sets", "message"),
    [
        ("0001-01-01", [{"reps": 5}], "more than 10 years ago"),
        ((dt.date.today() - dt.timedelta(days=3660)).isoformat(), [{"reps": 5}], "years ago"),
        (dt.date.today().isoformat(), [], "log at least one set"),
    ],
)
def test_the_api_refuses_dates_out_of_the_window_and_empty_sessions(
    client: TestClient, world: World, date: str, sets: list[object], message: str
) -> None:
    before = client.get(
        "/api/v1/trainees/Ana/history", headers={"authorization": f"Bearer {world.tokens['ana']}"}
    ).json()
    response = client.post(
        API,
        json={"date": date, "exercise_id": "kettlebell-deadlift", "sets": sets},
        headers={"authorization": f"Bearer {world.tokens['ana']}"},
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    after = client.get(
        "/api/v1/trainees/Ana/history", headers={"authorization": f"Bearer {world.tokens['ana']}"}
    ).json()
    assert after == before


def test_progress_never_fails_on_a_session_stored_before_the_check(
    client: TestClient, world: World
) -> None:
    engine = world.app.state.engine
    with UnitOfWork(engine, write=True) as uow:
        uow.sessions.add(
            uow.trainees.get("Bo"),
            CoachSession(
                date=dt.date(1, 1, 1), exercise_id="kettlebell-deadlift", sets=(SetLog(reps=5),)
            ),
        )
        uow.commit()
    login(client, "coach-a")
    for span in ("12", "all"):
        page = client.get(f"/clients/Bo/progress?span={span}")
        assert page.status_code == 200, span
    api = client.get(
        "/api/v1/trainees/Bo/progress", headers={"authorization": f"Bearer {world.tokens['bo']}"}
    )
    assert api.status_code == 200
    assert len(api.content) < 200_000


def _cli_world(tmp_path: Path) -> Path:
    db = tmp_path / "coach.db"
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {
                "age": 45,
                "goal": "learn",
                "training_history": "novice",
                "body_mass_kg": 70,
                "equipment": {"kettlebells_kg": [8, 12, 16]},
                "days_available": ["monday", "wednesday", "friday"],
            }
        )
    )
    assert (
        run("--db", f"sqlite:///{db}", "trainee", "add", "Kim", "--profile", str(profile)).code == 0
    )
    return db


@pytest.mark.parametrize(
    ("date", "sets", "message"),
    [("1900-01-01", [{"reps": 10}], "years ago"), (None, [], "at least one set")],
)
def test_the_cli_refuses_them_too(
    tmp_path: Path, date: str | None, sets: list[object], message: str
) -> None:
    db = _cli_world(tmp_path)
    path = tmp_path / "session.json"
    day = date or dt.date.today().isoformat()
    path.write_text(json.dumps({"date": day, "exercise_id": "dowel-hip-hinge", "sets": sets}))
    result = run("--db", f"sqlite:///{db}", "log", "Kim", "--file", str(path))
    assert result.code == 2, result.err
    assert message in result.err and "Traceback" not in result.err


def test_an_import_with_an_ancient_or_empty_session_writes_nothing(tmp_path: Path) -> None:
    source = _cli_world(tmp_path)
    export = tmp_path / "export.json"
    assert run("--db", f"sqlite:///{source}", "export", "Kim", "--out", str(export)).code == 0
    document = json.loads(export.read_text())
    document["trainees"][0]["sessions"] = [
        {"date": "0001-01-01", "exercise_id": "dowel-hip-hinge", "sets": [{"reps": 10}]},
        {"date": dt.date.today().isoformat(), "exercise_id": "dowel-hip-hinge", "sets": []},
    ]
    export.write_text(json.dumps(document))
    target = tmp_path / "target.db"
    result = run("--db", f"sqlite:///{target}", "import", str(export))
    assert result.code == 2, result.err
    assert "years ago" in result.err and "at least one set" in result.err
    assert "nothing imported" in result.err
