"""Importing a Strong, Hevy or FitNotes history through the API: preview, commit, access."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.e2e.web.conftest import World

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
STRONG = (FIXTURES / "strong.csv").read_text(encoding="utf-8")


def _auth(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def _history_size(client: TestClient, world: World) -> int:
    got = client.get("/api/v1/trainees/Ana/history", headers=_auth(world, "coach-a"))
    assert got.status_code == 200
    return len(got.json())


def test_preview_then_commit_then_nothing_new(client: TestClient, world: World) -> None:
    before = _history_size(client, world)
    shown = client.post(
        "/api/v1/trainees/Ana/imports/preview", json={"csv": STRONG}, headers=_auth(world, "ana")
    )
    assert shown.status_code == 200, shown.text
    preview = shown.json()
    assert preview["source"] == "strong" and preview["sets"] == 13 and preview["written"] == 0
    assert preview["other_training"] == {"Plank": 1, "Running": 1, "Squat (Barbell)": 2}
    assert preview["mapped"]["Deadlift (Barbell) -> conventional-deadlift"] == 4
    assert _history_size(client, world) == before

    done = client.post(
        "/api/v1/trainees/Ana/imports", json={"csv": STRONG}, headers=_auth(world, "ana")
    )
    assert done.status_code == 201, done.text
    assert done.json()["written"] == 13
    assert _history_size(client, world) == before + 7

    again = client.post(
        "/api/v1/trainees/Ana/imports", json={"csv": STRONG}, headers=_auth(world, "coach-a")
    )
    assert again.status_code == 201
    assert again.json()["written"] == 0 and again.json()["already_imported"] == 13
    assert _history_size(client, world) == before + 7


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [(None, "Ana", 401), ("bo", "Ana", 404), ("coach-b", "Ana", 404), ("coach-a", "Cy", 404)],
)
@pytest.mark.parametrize("path", ["imports", "imports/preview"])
def test_only_who_may_see_the_trainee_may_import(
    client: TestClient, world: World, who: str | None, name: str, status: int, path: str
) -> None:
    headers = _auth(world, who) if who else {}
    got = client.post(f"/api/v1/trainees/{name}/{path}", json={"csv": STRONG}, headers=headers)
    assert got.status_code == status


def test_a_bad_file_is_422_with_one_line_and_writes_nothing(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _history_size(client, world)
    future = STRONG.replace("2024-11-02 09:15:40", "2099-11-02 09:15:40")
    got = client.post(
        "/api/v1/trainees/Ana/imports", json={"csv": future}, headers=_auth(world, "ana")
    )
    assert got.status_code == 422
    assert "in the future" in got.json()["detail"] and "\n" not in got.json()["detail"]
    monkeypatch.setenv("HINGECOACH_IMPORT_MAX_MB", "0.0001")
    big = client.post(
        "/api/v1/trainees/Ana/imports", json={"csv": STRONG}, headers=_auth(world, "ana")
    )
    assert big.status_code == 422 and "over the 0.0001 MB limit" in big.json()["detail"]
    assert _history_size(client, world) == before


def test_the_import_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/trainees/{name}/imports"]
    assert "post" in paths["/api/v1/trainees/{name}/imports/preview"]
