"""Today's card and the progress page come from a cache; no change is ever hidden by it.

Each test looks at a page (so it is cached), changes something the way a person would
(log a session set by set, check in the next morning, a trainer's override, a profile
edited from the command line), and looks again: the change shows on the very next view.
Two apps on one database stand for two server processes (``serve --workers``), each with
a cache of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hingecoach.services import coaching
from tests.e2e.cli_runner import run
from tests.e2e.web.conftest import csrf_from, login, make_app, seed
from tests.e2e.web.logsheet import primary_entries, save


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], FastAPI]]:
    """A world of its own per test: the tests here change Ana's records."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    tokens = seed(url)
    app = make_app(url)
    yield url, tokens, app
    app.state.engine.dispose()


def _card(html: str) -> str:
    """The text of today's card (the prescription and the decision), tags removed."""
    start = html.index('<main id="main">')
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:]).split())


def _log_session(client: TestClient, reps: str, pain: str = "0") -> str:
    """Tick every primary set of today's session on the log page, then save it; with pain,
    the first set only (the coach stops the hinge sets after it and the page skips them)."""
    page = client.get("/log").text
    entries = primary_entries(page, int(reps), pain=int(pain))
    if pain != "0":
        entries = dict(list(entries.items())[:1])
    saved = save(client, page, entries)
    assert saved.status_code == 303, saved.text
    return client.get(saved.headers["location"]).text


def test_a_logged_session_shows_on_the_next_today_card(
    fresh: tuple[str, dict[str, str], FastAPI],
) -> None:
    _, _, app = fresh
    with TestClient(app) as client:
        login(client, "ana")
        before = _card(client.get("/today").text)
        assert before == _card(client.get("/today").text)  # a repeat view: the same card
        today = dt.date.today().isoformat()
        assert f"{today}:" not in before
        _log_session(client, reps="9")
        after = _card(client.get("/today").text)
        assert f"{today}: 3 sets of 9/9/9" in after, "the card is based on today's session"


def test_a_painful_session_steps_the_next_card_down(
    fresh: tuple[str, dict[str, str], FastAPI],
) -> None:
    _, _, app = fresh
    with TestClient(app) as client:
        login(client, "ana")
        before = _card(client.get("/today").text)
        assert "Hero squat" not in before and "Pain 6/10" not in before
        _log_session(client, reps="8", pain="6")
        after = _card(client.get("/today").text)
        assert "Step down one rung" in after and "Hero squat" in after
        assert "Pain 6/10 in set 1 last session" in after


def test_a_morning_check_in_shows_on_the_next_today_card(
    fresh: tuple[str, dict[str, str], FastAPI],
) -> None:
    _, _, app = fresh
    with TestClient(app) as client:
        login(client, "ana")
        _log_session(client, reps="9")
        before = _card(client.get("/today").text)
        assert "next morning" not in before
        page = client.get("/checkin").text
        checked = client.post("/checkin", data={"csrftoken": csrf_from(page), "pain": "7"})
        assert checked.status_code == 200, checked.text
        after = _card(client.get("/today").text)
        assert "next morning: pain 7/10" in after and "Mirror check" in after


def test_a_quiet_morning_check_in_shows_on_the_next_progress_page(
    fresh: tuple[str, dict[str, str], FastAPI],
) -> None:
    _, _, app = fresh
    with TestClient(app) as client:
        login(client, "ana")
        _log_session(client, reps="9")
        today = dt.date.today().isoformat()
        before = client.get("/progress").text
        assert f"<td>{today}</td><td>0</td><td></td>" in before, "no next-morning pain yet"
        page = client.get("/checkin").text
        checked = client.post("/checkin", data={"csrftoken": csrf_from(page), "pain": "1"})
        assert checked.status_code == 200, checked.text
        after = client.get("/progress").text
        assert f"<td>{today}</td><td>0</td><td>1</td>" in after


def test_an_override_from_another_server_process_shows_on_the_next_card(
    fresh: tuple[str, dict[str, str], FastAPI],
) -> None:
    url, tokens, app = fresh
    other = make_app(url)  # a second server process: a cache of its own
    with TestClient(app) as trainee, TestClient(other) as trainer:
        login(trainee, "ana")
        assert "Dowel hip hinge" not in trainee.get("/today").text
        headers = {"Authorization": f"Bearer {tokens['coach-a']}"}
        decisions = trainer.get("/api/v1/trainees/Ana/decisions?last=1", headers=headers)
        response = trainer.post(
            f"/api/v1/trainees/Ana/decisions/{decisions.json()[-1]['id']}/override",
            headers=headers,
            json={"why": "Back to the dowel for a week.", "exercise_id": "dowel-hip-hinge"},
        )
        assert response.status_code == 200, response.text
        assert "Dowel hip hinge" in trainee.get("/today").text
        api = trainee.get(
            "/api/v1/trainees/Ana/today", headers={"Authorization": f"Bearer {tokens['ana']}"}
        ).json()
        assert api["prescription"]["exercise_id"] == "dowel-hip-hinge"
    other.state.engine.dispose()


def test_a_profile_edited_from_the_command_line_shows_on_the_next_card(
    fresh: tuple[str, dict[str, str], FastAPI],
) -> None:
    url, _, app = fresh
    with TestClient(app) as client:
        login(client, "ana")
        before = _card(client.get("/today").text)
        assert "Reps" in before and "Time" not in before
        edited = run("--db", url, "trainee", "edit", "Ana", "--set", "preferred_dose=seconds")
        assert edited.code == 0, edited.err
        after = _card(client.get("/today").text)
        assert "Time 60 s" in after and "Reps" not in after


def test_the_progress_page_follows_a_logged_session(
    fresh: tuple[str, dict[str, str], FastAPI],
) -> None:
    _, _, app = fresh
    with TestClient(app) as client:
        login(client, "ana")
        before = client.get("/progress").text
        assert client.get("/progress").text == before  # a repeat view: the same page
        assert ">20<br>" not in before
        _log_session(client, reps="20")
        after = client.get("/progress").text
        assert ">20<br>" in after, "20 reps is the new most-reps record"
        records = after[after.index('id="records"') :]
        assert dt.date.today().strftime("%d %b %Y") in records


def test_a_repeat_view_runs_no_coach_work(
    fresh: tuple[str, dict[str, str], FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, tokens, app = fresh
    calls: list[str] = []
    real = coaching.today_for

    def counted(*args: object, **kwargs: object) -> coaching.Today:
        calls.append("today")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(coaching, "today_for", counted)
    with TestClient(app) as client:
        login(client, "ana")
        first = client.get("/today").text
        for _ in range(3):
            assert client.get("/today").text == first
        assert calls == ["today"]
        headers = {"Authorization": f"Bearer {tokens['ana']}"}
        rx = client.get("/api/v1/trainees/Ana/today", headers=headers).json()["prescription"]
        assert calls == ["today"], "the API shares the cached card"
        session = {
            "date": dt.date.today().isoformat(),
            "exercise_id": rx["exercise_id"],
            "sets": [{"reps": 10, "rpe": 7}] * 3,
        }
        logged = client.post("/api/v1/trainees/Ana/sessions", headers=headers, json=session)
        assert logged.status_code == 201, logged.text
        client.get("/today")
        assert calls == ["today", "today"], "a change is computed again, once"
