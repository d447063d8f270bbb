"""Fixing mistakes: edit or delete a logged set or session, in the pages and the API.

A trainee corrects only their own sessions, a trainer only their clients'; anyone else's
is 404. Every correction keeps who changed what and when, the coach decides again from
the corrected history, and the decision log names the decision the correction replaced.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.e2e.web.conftest import World, csrf_from, login


def _headers(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def _latest_hinge(client: TestClient, world: World, name: str = "Ana") -> dict[str, Any]:
    found = client.get(
        f"/api/v1/trainees/{name}/sessions?per_page=10", headers=_headers(world, "coach-a")
    ).json()
    return next(s for s in found if s["session"]["exercise_id"] != "push-up")


@pytest.mark.parametrize(
    ("who", "method", "status"),
    [
        (None, "PATCH", 401),
        ("bo", "PATCH", 404),
        ("coach-b", "PATCH", 404),
        ("bo", "DELETE", 404),
        ("coach-b", "DELETE", 404),
        ("bo", "GET", 404),
    ],
)
def test_only_the_trainee_and_their_trainer_may_correct_a_session(
    client: TestClient, world: World, who: str | None, method: str, status: int
) -> None:
    target = _latest_hinge(client, world)
    headers = _headers(world, who) if who else {}
    path = f"/api/v1/trainees/Ana/sessions/{target['id']}"
    body = {"notes": "not mine"} if method == "PATCH" else None
    response = client.request(method, path, headers=headers, json=body)
    assert response.status_code == status
    after = client.get(path, headers=_headers(world, "ana")).json()
    assert after == target  # nothing changed


def test_a_session_id_of_another_trainee_is_not_found_under_this_one(
    client: TestClient, world: World
) -> None:
    bos = _latest_hinge(client, world, "Bo")
    response = client.patch(
        f"/api/v1/trainees/Ana/sessions/{bos['id']}/sets/1",
        headers=_headers(world, "ana"),
        json={"reps": 1},
    )
    assert response.status_code == 404


def test_a_trainee_edits_a_sets_reps_and_the_coach_decides_again(
    client: TestClient, world: World
) -> None:
    headers = _headers(world, "ana")
    target = _latest_hinge(client, world)
    before = client.get("/api/v1/trainees/Ana/today", headers=headers).json()
    number = next(
        i for i, s in enumerate(target["session"]["sets"], start=1) if s.get("work_set", True)
    )
    old_reps = target["session"]["sets"][number - 1]["reps"]
    response = client.patch(
        f"/api/v1/trainees/Ana/sessions/{target['id']}/sets/{number}",
        headers=headers,
        json={"reps": old_reps - 1, "why": "I miscounted"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    correction = body["correction"]
    assert correction["made_by"] == "Ana" and correction["why"] == "I miscounted"
    assert correction["changes"] == [f"set {number}: reps {old_reps} -> {old_reps - 1}"]
    assert correction["replaced_decision_id"] == before["decision_id"]
    assert body["today"]["decision_id"] == correction["decision_id"] != before["decision_id"]
    # what a person sees now is the corrected history
    stored = client.get(f"/api/v1/trainees/Ana/sessions/{target['id']}", headers=headers).json()
    assert stored["version"] == target["version"] + 1
    assert stored["session"]["sets"][number - 1]["reps"] == old_reps - 1
    history = client.get("/api/v1/trainees/Ana/history", headers=headers).json()
    assert old_reps - 1 in [s["reps"] for s in history[-2]["sets"] + history[-1]["sets"]]
    today = client.get("/api/v1/trainees/Ana/today", headers=headers).json()
    assert today["decision_id"] == correction["decision_id"]
    decisions = client.get("/api/v1/trainees/Ana/decisions?last=1", headers=headers).json()
    assert decisions[0]["context"] == "correction"


def test_a_trainer_deletes_a_clients_set_then_the_session(client: TestClient, world: World) -> None:
    headers = _headers(world, "coach-a")
    target = _latest_hinge(client, world, "Bo")
    count = len(target["session"]["sets"])
    path = f"/api/v1/trainees/Bo/sessions/{target['id']}"
    response = client.delete(f"{path}/sets/{count}?why=logged twice", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["correction"]["changes"][0].startswith("deleted a set")
    assert len(client.get(path, headers=headers).json()["session"]["sets"]) == count - 1
    total = len(client.get("/api/v1/trainees/Bo/history", headers=headers).json())
    response = client.delete(path, headers=headers)
    assert response.status_code == 200
    assert response.json()["correction"]["action"] == "delete"
    assert client.get(path, headers=headers).status_code == 404
    assert len(client.get("/api/v1/trainees/Bo/history", headers=headers).json()) == total - 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"reps": -3}, "set 1"),
        ({"reps": None, "seconds": None}, "reps or seconds"),
        ({"pain": 11}, "set 1"),
        ({"form": "clean", "faults": ["rushed-tempo"]}, "faults are listed"),
    ],
)
def test_a_bad_correction_is_refused_and_changes_nothing(
    client: TestClient, world: World, body: dict[str, Any], message: str
) -> None:
    headers = _headers(world, "ana")
    target = _latest_hinge(client, world)
    path = f"/api/v1/trainees/Ana/sessions/{target['id']}"
    response = client.patch(f"{path}/sets/1", headers=headers, json=body)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert client.get(path, headers=headers).json() == target


def test_the_last_set_cannot_be_deleted_alone(client: TestClient, world: World) -> None:
    headers = _headers(world, "ana")
    target = _latest_hinge(client, world)
    path = f"/api/v1/trainees/Ana/sessions/{target['id']}"
    response = client.patch(path, headers=headers, json={"sets": []})
    assert response.status_code == 422


def test_a_trainee_edits_reps_in_the_page_and_today_changes(
    client: TestClient, world: World
) -> None:
    login(client, "ana")
    target = _latest_hinge(client, world)
    sets = target["session"]["sets"]
    number = len(sets)
    path = f"/history/{target['id']}"
    today_before = client.get("/today").text
    history = client.get("/history").text
    assert f'href="{path}"' in history
    page = client.get(path)
    assert page.status_code == 200
    form: dict[str, str] = {"csrftoken": csrf_from(page.text), "why": "typo"}
    for i, s in enumerate(sets, start=1):
        form |= {f"amount-{i}": str(s["reps"]), f"pain-{i}": str(s["pain"])}
        form |= {f"form-{i}": s["form"], f"load-{i}": ""}
    form[f"amount-{number}"] = "1"
    response = client.post(f"{path}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    shown = client.get(response.headers["location"]).text
    assert "Saved." in shown and "corrected" in shown
    assert f"set {number}: reps {sets[-1]['reps']} -&gt; 1" in shown
    assert "Replaced decision #" in shown
    today_after = client.get("/today").text
    assert today_after != today_before
    assert "/1</li>" in today_after or "/1," in today_after  # the evidence quotes the new reps
    decisions = client.get("/decisions").text
    assert "correction" in decisions


def test_a_bad_page_edit_says_why_and_changes_nothing(client: TestClient, world: World) -> None:
    login(client, "ana")
    target = _latest_hinge(client, world)
    path = f"/history/{target['id']}"
    page = client.get(path)
    response = client.post(f"{path}/edit", data={"csrftoken": csrf_from(page.text), "amount-1": ""})
    assert response.status_code == 422
    assert "Nothing changed: set 1: say how many" in response.text
    assert _latest_hinge(client, world) == target


def test_a_trainer_opens_and_deletes_a_clients_session_in_the_page(
    client: TestClient, world: World
) -> None:
    login(client, "coach-a")
    target = _latest_hinge(client, world, "Bo")
    page = client.get(f"/clients/Bo/sessions/{target['id']}")
    assert page.status_code == 200
    response = client.post(
        f"/clients/Bo/sessions/{target['id']}/delete",
        data={"csrftoken": csrf_from(page.text), "why": "a duplicate"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Session deleted" in client.get(response.headers["location"]).text
    assert client.get(f"/clients/Bo/sessions/{target['id']}").status_code == 404
    login(client, "coach-b")
    assert client.get(f"/clients/Bo/sessions/{target['id']}").status_code == 404


def test_an_lb_trainee_reads_and_types_pounds_in_the_edit_form(
    client: TestClient, world: World
) -> None:
    login(client, "bo")
    account = client.get("/account")
    response = client.post(
        "/account/unit",
        data={"csrftoken": csrf_from(account.text), "unit": "lb"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    target = _latest_hinge(client, world, "Bo")
    path = f"/history/{target['id']}"
    page = client.get(path)
    assert "Load (lb)" in page.text and "Load (kg)" not in page.text
    sets = target["session"]["sets"]
    form: dict[str, str] = {"csrftoken": csrf_from(page.text)}
    for i, s in enumerate(sets, start=1):
        form |= {f"amount-{i}": str(s["reps"]), f"pain-{i}": str(s["pain"])}
        form |= {f"form-{i}": s["form"], f"load-{i}": ""}
    form["load-1"] = "35"  # in the trainee's unit
    form["load-2"] = "16 kg"  # or with its own
    response = client.post(f"{path}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    shown = client.get(path).text
    assert 'value="35"' in shown and 'value="35.25"' in shown
    stored = client.get(
        f"/api/v1/trainees/Bo/sessions/{target['id']}", headers=_headers(world, "bo")
    ).json()
    assert stored["session"]["sets"][0]["load_kg"] == pytest.approx(35 * 0.45359237)
    assert stored["session"]["sets"][1]["load_kg"] == pytest.approx(16)
