"""The API for new clients: a trainer invites one and gets the link; answers in,
placement out; other people's trainees answer as names that do not exist."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hingecoach.coach import demo_screen_answers
from tests.e2e.web.conftest import World


def _auth(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def test_a_trainer_invites_a_client_and_gets_the_link(client: TestClient, world: World) -> None:
    body = {"email": "api-new@example.com", "name": "Api New"}
    made = client.post("/api/v1/trainees", json=body, headers=_auth(world, "coach-a"))
    assert made.status_code == 201, made.text
    data = made.json()
    assert "/invite/" in data["invite_url"] and data["mailed"] is False
    assert client.get(data["invite_url"].split("testserver", 1)[1]).status_code == 200
    again = client.post("/api/v1/trainees", json=body, headers=_auth(world, "coach-a"))
    assert again.status_code == 409
    trainee = client.post("/api/v1/trainees", json=body, headers=_auth(world, "ana"))
    assert trainee.status_code == 403
    assert client.post("/api/v1/trainees", json=body).status_code == 401


def test_answers_in_placement_out(client: TestClient, world: World) -> None:
    answers = demo_screen_answers().model_dump(mode="json")
    placed = client.post(
        "/api/v1/trainees/Ana/assessment", json=answers, headers=_auth(world, "coach-a")
    )
    assert placed.status_code == 201, placed.text
    result = placed.json()
    assert result["placement"]["exercise_id"] and result["placement"]["reasons"]
    assert result["decision"]["action"] == "hold"
    own = client.post("/api/v1/trainees/Ana/assessment", json=answers, headers=_auth(world, "ana"))
    assert own.status_code == 201
    for who in ("bo", "coach-b"):  # another trainee, another trainer: as if unknown
        other = client.post(
            "/api/v1/trainees/Ana/assessment", json=answers, headers=_auth(world, who)
        )
        unknown = client.post(
            "/api/v1/trainees/Nobody/assessment", json=answers, headers=_auth(world, who)
        )
        assert other.status_code == unknown.status_code == 404
        assert other.json()["detail"].replace("Ana", "X") == unknown.json()["detail"].replace(
            "Nobody", "X"
        )
    missing = dict(answers)
    missing.pop("saddle_numbness")
    refused = client.post(
        "/api/v1/trainees/Ana/assessment", json=missing, headers=_auth(world, "coach-a")
    )
    assert refused.status_code == 422


def test_the_new_routes_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/trainees"]
    assert "post" in paths["/api/v1/trainees/{name}/assessment"]
