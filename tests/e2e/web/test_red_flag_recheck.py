"""R-SAFE-4: after sharp or shooting pain the card asks for the red-flag questions again,
and the trainee can answer them in the browser (the guided form at /start)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from tests.e2e.web.conftest import World, login


def test_sharp_pain_leads_the_trainee_to_the_red_flag_questions(
    client: TestClient, world: World
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['bo']}"}
    rx = client.get("/api/v1/trainees/Bo/today", headers=headers).json()["prescription"]
    body = {
        "date": dt.date.today().isoformat(),
        "exercise_id": rx["exercise_id"],
        "sets": [{"reps": 3, "load_kg": rx.get("load_kg"), "pain": 4, "pain_quality": ["sharp"]}],
    }
    logged = client.post(
        "/api/v1/trainees/Bo/sessions?confirm_spacing=true", headers=headers, json=body
    )
    assert logged.status_code == 201, logged.text
    login(client, "bo")
    today = client.get("/today")
    assert "answer the red-flag questions" in today.text
    assert 'href="/start">Answer the red-flag questions</a>' in today.text
    form = client.get("/start")
    assert form.status_code == 200
    assert 'name="current_pain"' in form.text, "the guided form opens on the safety step"
