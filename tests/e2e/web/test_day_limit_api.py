"""HINGECOACH_SESSIONS_MAX_PER_DAY through the API: one session past a full day is
answered 422 with what to do, and nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from tests.e2e.web.conftest import World


def test_the_api_refuses_a_session_past_a_full_day_and_stores_nothing(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HINGECOACH_SESSIONS_MAX_PER_DAY", "2")
    headers = {"Authorization": f"Bearer {world.tokens['bo']}"}
    day = dt.date.today() - dt.timedelta(days=1)  # the seed's last session was 2 days ago
    body = {"date": day.isoformat(), "exercise_id": "push-up", "sets": [{"reps": 10}]}
    path = "/api/v1/trainees/Bo/sessions"
    assert [client.post(path, headers=headers, json=body).status_code for _ in range(2)] == [
        201,
        201,
    ]
    before = len(client.get("/api/v1/trainees/Bo/history", headers=headers).json())
    refused = client.post(path, headers=headers, json=body)
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        f"Bo already has 2 sessions logged on {day:%d %b %Y}, and a day takes at most 2: "
        "correct or delete one of them instead of logging another"
    )
    assert len(client.get("/api/v1/trainees/Bo/history", headers=headers).json()) == before
    today = body | {"date": dt.date.today().isoformat()}
    assert client.post(path, headers=headers, json=today).status_code == 201
