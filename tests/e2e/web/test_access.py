"""Who may see what: every page and API endpoint, for every kind of person.

Trainee Ana and Bo are trainer A's clients; Cy is trainer B's. A page without a session
redirects to /login; a page for the other role is 403; someone else's trainee is 404,
exactly as a name that does not exist (nothing leaks through names or ids).
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.e2e.web.conftest import World, login

TRAINEE_PAGES = ["/today", "/log", "/checkin", "/history", "/decisions"]


@pytest.mark.parametrize("path", [*TRAINEE_PAGES, "/clients", "/clients/Ana", "/account", "/"])
def test_anonymous_pages_redirect_to_login(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        *[("ana", p, 200) for p in TRAINEE_PAGES],
        *[("coach-a", p, 403) for p in TRAINEE_PAGES],
        ("ana", "/clients", 403),
        ("ana", "/clients/Ana", 403),
        ("coach-a", "/clients", 200),
        ("coach-a", "/clients/Ana", 200),
        ("coach-a", "/clients/Bo", 200),
        ("coach-a", "/clients/Cy", 404),
        ("coach-a", "/clients/Nobody", 404),
        ("coach-b", "/clients/Ana", 404),
        ("coach-b", "/clients/Cy", 200),
        ("coach-a", "/clients/Ana/assessment", 200),
        ("coach-b", "/clients/Ana/assessment", 404),
        ("ana", "/clients/Ana/assessment", 403),
        ("ana", "/account/import", 200),
        ("ana", "/account", 200),
        ("coach-b", "/account", 200),
    ],
)
def test_page_access(client: TestClient, who: str, path: str, status: int) -> None:
    login(client, who)
    assert client.get(path).status_code == status


def test_a_trainers_client_list_holds_only_their_clients(client: TestClient) -> None:
    login(client, "coach-b")
    page = client.get("/clients").text
    # the random form token could hold "Bo" by chance: look at the names shown only
    page = re.sub(r'(csrftoken": |name="csrftoken" value=)"[^"]*"', "", page)
    assert "Cy" in page
    assert "Ana" not in page and "Bo" not in page


def test_override_on_someone_elses_client_is_not_found(client: TestClient) -> None:
    login(client, "coach-b")
    from tests.e2e.web.conftest import page_token

    token = page_token(client, "/clients/Cy")
    response = client.post(
        "/clients/Ana/decisions/1/override", data={"why": "mine now", "csrftoken": token}
    )
    assert response.status_code == 404
    assert "Ana" not in response.text


def _api(client: TestClient, world: World, who: str | None, method: str, path: str) -> int:
    headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who else {}
    body: dict[str, object] | None = None
    if path.endswith("/override"):
        body = {"why": "testing access"}
    elif path.endswith("/morning-pain"):
        body = {"pain": 1}
    elif path.endswith("/sessions"):
        body = {"date": "2024-01-01", "exercise_id": "push-up", "sets": [{"reps": 5}]}
    return client.request(method, path, headers=headers, json=body).status_code


NAMED = ["today", "history", "decisions"]


@pytest.mark.parametrize(
    ("who", "method", "path", "status"),
    [
        *[(None, "GET", f"/api/v1/trainees/Ana/{p}", 401) for p in NAMED],
        *[("ana", "GET", f"/api/v1/trainees/Ana/{p}", 200) for p in NAMED],
        *[("ana", "GET", f"/api/v1/trainees/Bo/{p}", 404) for p in NAMED],
        *[("coach-a", "GET", f"/api/v1/trainees/Ana/{p}", 200) for p in NAMED],
        *[("coach-a", "GET", f"/api/v1/trainees/Cy/{p}", 404) for p in NAMED],
        *[("coach-b", "GET", f"/api/v1/trainees/Ana/{p}", 404) for p in NAMED],
        *[("coach-a", "GET", f"/api/v1/trainees/Nobody/{p}", 404) for p in NAMED],
        (None, "GET", "/api/v1/me", 401),
        (None, "GET", "/api/v1/trainees", 401),
        ("ana", "GET", "/api/v1/trainees", 403),
        ("coach-a", "GET", "/api/v1/trainees", 200),
        (None, "POST", "/api/v1/trainees/Ana/sessions", 401),
        ("bo", "POST", "/api/v1/trainees/Ana/sessions", 404),
        ("coach-b", "POST", "/api/v1/trainees/Ana/sessions", 404),
        ("bo", "POST", "/api/v1/trainees/Ana/morning-pain", 404),
        (None, "POST", "/api/v1/trainees/Ana/decisions/1/override", 401),
        ("ana", "POST", "/api/v1/trainees/Ana/decisions/1/override", 403),
        ("coach-b", "POST", "/api/v1/trainees/Ana/decisions/1/override", 404),
    ],
)
def test_api_access(
    client: TestClient, world: World, who: str | None, method: str, path: str, status: int
) -> None:
    assert _api(client, world, who, method, path) == status


def test_api_not_found_says_the_same_for_others_and_for_nobody(
    client: TestClient, world: World
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['coach-a']}"}
    theirs = client.get("/api/v1/trainees/Cy/today", headers=headers).json()["detail"]
    nobody = client.get("/api/v1/trainees/Cz/today", headers=headers).json()["detail"]
    assert theirs.replace("Cy", "X") == nobody.replace("Cz", "X")
    assert "did you mean" not in theirs


def test_a_decision_id_of_another_trainee_is_not_found(client: TestClient, world: World) -> None:
    bo = {"Authorization": f"Bearer {world.tokens['coach-a']}"}
    cy_decisions = client.get(
        "/api/v1/trainees/Cy/decisions",
        headers={"Authorization": f"Bearer {world.tokens['coach-b']}"},
    ).json()
    foreign = cy_decisions[-1]["id"]
    response = client.post(
        f"/api/v1/trainees/Bo/decisions/{foreign}/override", headers=bo, json={"why": "x"}
    )
    assert response.status_code == 404


def test_someone_elses_logged_session_is_not_found_anywhere(
    client: TestClient, world: World
) -> None:
    """Corrections (issue 14) by page and API: another trainee, another trainer, or the
    id under a name the caller may see all answer 404, and nothing is changed."""
    own = {"Authorization": f"Bearer {world.tokens['coach-a']}"}
    listed = client.get("/api/v1/trainees/Ana/sessions", headers=own)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    items = body["items"] if isinstance(body, dict) else body
    sid = items[0]["id"]
    for who, method, path in [
        ("bo", "GET", f"/api/v1/trainees/Ana/sessions/{sid}"),
        ("coach-b", "GET", f"/api/v1/trainees/Ana/sessions/{sid}"),
        ("coach-b", "DELETE", f"/api/v1/trainees/Ana/sessions/{sid}"),
        ("coach-b", "DELETE", f"/api/v1/trainees/Ana/sessions/{sid}/sets/1"),
        ("coach-b", "GET", f"/api/v1/trainees/Cy/sessions/{sid}"),
        ("bo", "GET", f"/api/v1/trainees/Bo/sessions/{sid}"),
    ]:
        assert _api(client, world, who, method, path) == 404, (who, method, path)
    login(client, "bo")
    assert client.get(f"/history/{sid}").status_code == 404
    login(client, "coach-b")
    assert client.get(f"/clients/Ana/sessions/{sid}").status_code == 404
    assert client.get(f"/clients/Cy/sessions/{sid}").status_code == 404
    still = client.get(f"/api/v1/trainees/Ana/sessions/{sid}", headers=own)
    assert still.status_code == 200, "nothing was deleted"
