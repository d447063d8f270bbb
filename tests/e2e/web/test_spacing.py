"""R-PLAN-1 when logging: a hinge session under 48 h from another asks first (the API
answers 409 unless confirmed; the web shows why and asks)."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient

from tests.e2e.web.conftest import World, csrf_from, login
from tests.e2e.web.logsheet import log_data, primary_entries, save


def _yesterdays_hinge() -> dict[str, object]:
    day = dt.date.today() - dt.timedelta(days=1)  # the seed's last session was 2 days ago
    return {"date": day.isoformat(), "exercise_id": "wall-hip-hinge", "sets": [{"reps": 10}]}


def test_api_refuses_a_hinge_session_a_day_after_another_until_confirmed(
    client: TestClient, world: World
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['bo']}"}
    before = len(client.get("/api/v1/trainees/Bo/history", headers=headers).json())
    response = client.post(
        "/api/v1/trainees/Bo/sessions", headers=headers, json=_yesterdays_hinge()
    )
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "48 h" in detail and "confirm_spacing=true" in detail
    assert len(client.get("/api/v1/trainees/Bo/history", headers=headers).json()) == before
    response = client.post(
        "/api/v1/trainees/Bo/sessions?confirm_spacing=true",
        headers=headers,
        json=_yesterdays_hinge(),
    )
    assert response.status_code == 201
    assert len(client.get("/api/v1/trainees/Bo/history", headers=headers).json()) == before + 1


def test_a_push_up_session_is_never_held_up(client: TestClient, world: World) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['bo']}"}
    body = _yesterdays_hinge() | {"exercise_id": "push-up"}
    assert (
        client.post("/api/v1/trainees/Bo/sessions", headers=headers, json=body).status_code == 201
    )


def test_the_web_says_why_and_logs_only_once_confirmed(client: TestClient, world: World) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['ana']}"}
    client.post(
        "/api/v1/trainees/Ana/sessions?confirm_spacing=true",
        headers=headers,
        json=_yesterdays_hinge(),
    )
    count = len(client.get("/api/v1/trainees/Ana/history", headers=headers).json())
    login(client, "ana")
    page = client.get("/log").text
    assert 'id="spacing"' in page and "48 h" in page, "the Log page says why before saving"
    assert 'name="confirm_spacing"' in page
    entries = primary_entries(page, reps=10)
    asked = save(client, page, entries)
    assert asked.status_code == 409
    assert "48 h" in asked.text and "I did train" in asked.text
    assert len(client.get("/api/v1/trainees/Ana/history", headers=headers).json()) == count
    data = log_data(page)
    confirmed = client.post(
        "/log/save",
        data={
            "csrftoken": csrf_from(page),
            "key": data["key"],
            "token": data["token"],
            "entries_json": json.dumps(entries),
            "confirm_spacing": "true",
        },
    )
    assert confirmed.status_code == 200 and "Saved" in confirmed.text
    assert len(client.get("/api/v1/trainees/Ana/history", headers=headers).json()) == count + 1
    again = save(client, page, entries)  # the same key again: answered, never asked
    assert again.status_code == 303
