"""Account -> Import with the test client: a trainer imports into a client's history."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.e2e.web.conftest import csrf_from, login

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
FITNOTES = (FIXTURES / "fitnotes.csv").read_bytes()


def _preview(client: TestClient, trainee: str, token: str | None = None) -> tuple[int, str]:
    page = client.get("/account/import")
    sent = csrf_from(page.text) if token is None else token
    got = client.post(
        "/account/import",
        data={"csrftoken": sent, "trainee": trainee, "source": "", "unit": "kg"},
        files={"file": ("fitnotes.csv", FITNOTES, "text/csv")},
    )
    return got.status_code, got.text


def test_a_trainer_previews_then_imports_into_a_client(client: TestClient) -> None:
    login(client, "coach-a")
    page = client.get("/account/import")
    assert page.status_code == 200 and '<option value="Bo">Bo</option>' in page.text
    assert "Cy" not in page.text  # another trainer's client
    status, html = _preview(client, "Bo")
    assert status == 200
    assert "FitNotes export: 7 new sets in 5 sessions" in html
    assert "Lat Pulldown: 1 set" in html
    token = re.search(r'name="token" value="([0-9a-f]+)"', html)
    assert token is not None
    done = client.post(
        "/account/import/commit",
        data={
            "csrftoken": csrf_from(html),
            "token": token.group(1),
            "trainee": "Bo",
            "source": "",
            "unit": "kg",
        },
    )
    assert done.status_code == 200 and "Imported 7 sets into Bo" in done.text
    again = client.post(
        "/account/import/commit",
        data={"csrftoken": csrf_from(html), "token": token.group(1), "trainee": "Bo"},
    )
    assert again.status_code == 422 and "expired" in again.text  # the kept file is gone


def test_someone_elses_client_and_a_forged_form_are_refused(client: TestClient) -> None:
    login(client, "coach-b")
    status, html = _preview(client, "Bo")
    assert status == 422 and "not one of the trainees you can see" in html
    status, html = _preview(client, "Cy", token="forged")
    assert status == 403 and "did not come from this site" in html  # hingecoach.web.csrf
