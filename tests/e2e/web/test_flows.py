"""The things people do: see today's card, check in, override (logging: test_log_sheet)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.e2e.web.conftest import World, csrf_from, login


def test_today_shows_the_card_with_its_reasons(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/today").text
    for label in ("Sets", "Reps", "Load", "Tempo", "Rest", "Why:"):
        assert label in page
    assert re.search(r'class="rule" href="/rules/R-[A-Z]+-\d+">R-', page), "rule ids are shown"


def test_trainer_override_is_recorded_with_who_and_why(client: TestClient, world: World) -> None:
    login(client, "coach-a")
    page = client.get("/clients/Ana").text
    decision_id = int(re.findall(r'id="decision-(\d+)"', page)[0])
    response = client.post(
        f"/clients/Ana/decisions/{decision_id}/override",
        data={
            "csrftoken": csrf_from(page),
            "why": "She moved well on video; stay one more week.",
            "exercise_id": "dowel-hip-hinge",
        },
    )
    assert response.status_code == 200
    assert "Recorded" in response.text
    assert "Overridden by <strong>Coach-A</strong>" in response.text
    decisions = client.get(
        "/api/v1/trainees/Ana/decisions",
        headers={"Authorization": f"Bearer {world.tokens['ana']}"},
    ).json()
    override = next(d for d in decisions if d["id"] == decision_id)["overrides"][-1]
    assert override["made_by"] == "Coach-A"
    assert override["why"] == "She moved well on video; stay one more week."
    assert override["made_at"]


def test_override_without_a_reason_is_refused_on_the_page(client: TestClient) -> None:
    login(client, "coach-a")
    page = client.get("/clients/Bo").text
    decision_id = re.findall(r'id="decision-(\d+)"', page)[0]
    response = client.post(
        f"/clients/Bo/decisions/{decision_id}/override",
        data={"csrftoken": csrf_from(page), "why": "  "},
    )
    assert response.status_code == 422
    assert "Say why you override the coach" in response.text


def test_trainer_sees_clients_in_order_of_attention(client: TestClient) -> None:
    login(client, "coach-a")
    page = client.get("/clients").text
    assert "Ana" in page and "Bo" in page


def test_the_reasons_on_clients_are_words_not_ids(client: TestClient, world: World) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['coach-a']}"}
    rows = client.get("/api/v1/trainees", headers=headers).json()
    reasons = [why for row in rows for why in row["why"]]
    assert reasons, "the seeded clients give the trainer something to read"
    ids = re.compile(r"R-[A-Z]+-\d|\b[a-z]+(?:-[a-z]+)+\b(?! rung)")
    assert not [w for w in reasons if ids.search(w)], reasons


def test_morning_check_in(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/checkin").text
    first = client.post("/checkin", data={"csrftoken": csrf_from(page), "pain": "1"})
    assert first.status_code in (200, 422)  # the last session may already have one
    again = client.post("/checkin", data={"csrftoken": csrf_from(page), "pain": "1"})
    assert again.status_code == 422
    assert "already has next-morning pain" in again.text


def test_api_log_session_and_next_set(client: TestClient, world: World) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['coach-a']}"}
    today = client.get("/api/v1/trainees/Ana/today", headers=headers).json()
    rx = today["prescription"]
    step = client.post(
        "/api/v1/trainees/Ana/next-set",
        headers=headers,
        json={"prescription": rx, "sets": [{"reps": 8, "load_kg": rx["load_kg"]}]},
    )
    assert step.status_code == 200, step.text
    assert step.json()["decision"]["rules"]
    import datetime as dt

    session = {
        "date": dt.date.today().isoformat(),
        "exercise_id": rx["exercise_id"],
        "sets": [{"reps": 8, "load_kg": rx["load_kg"]}] * 2,
    }
    logged = client.post("/api/v1/trainees/Ana/sessions", headers=headers, json=session)
    assert logged.status_code == 201, logged.text
    assert logged.json()["decision"]["reason"]
    future = dict(session, date="2999-01-01")
    refused = client.post("/api/v1/trainees/Ana/sessions", headers=headers, json=future)
    assert refused.status_code == 422
    assert "in the future" in refused.json()["detail"]


def test_a_trainer_keeps_notes_on_a_client(client: TestClient) -> None:
    login(client, "coach-a")
    page = client.get("/clients/Bo").text
    response = client.post(
        "/clients/Bo/notes",
        data={"csrftoken": csrf_from(page), "notes": "Left knee niggle in 2024; keep stance wide."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    shown = client.get(response.headers["location"]).text
    assert "Notes saved." in shown and "keep stance wide" in shown


def test_notes_of_another_trainers_client_are_out_of_reach(client: TestClient) -> None:
    login(client, "coach-a")
    page = client.get("/clients/Bo").text
    response = client.post("/clients/Cy/notes", data={"csrftoken": csrf_from(page), "notes": "x"})
    assert response.status_code == 404


def test_a_trainee_cannot_write_trainer_notes(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/today").text
    response = client.post("/clients/Ana/notes", data={"csrftoken": csrf_from(page), "notes": "x"})
    assert response.status_code == 403
