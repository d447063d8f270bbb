"""The Log page's whole session: the sheet, the draft a reload resumes, one save per key;
and the API's session POST with an Idempotency-Key."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hingecoach.coach import demo_history
from tests.e2e.web.conftest import PASSWORD, csrf_from, make_app, seed
from tests.e2e.web.logsheet import (
    add_barbell_trainee,
    draft,
    log_data,
    primary_entries,
    save,
    set_rows,
)

RAE = "rae@example.com"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    """A world of its own per test: every test here logs sessions."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    tokens = seed(url)
    add_barbell_trainee(url, "Rae", RAE, PASSWORD)
    application = make_app(url)
    yield application, tokens
    application.state.engine.dispose()


def _sign_in_rae(client: TestClient) -> str:
    """Signs Rae in; answers with her Log page."""
    page = client.get("/login").text
    client.post("/login", data={"email": RAE, "password": PASSWORD, "csrftoken": csrf_from(page)})
    log = client.get("/log")
    assert log.status_code == 200
    return log.text


def _history(client: TestClient, token: str, name: str) -> list[dict[str, Any]]:
    response = client.get(
        f"/api/v1/trainees/{name}/history", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    sessions: list[dict[str, Any]] = response.json()
    return sessions


def _rae_sessions(client: TestClient) -> list[dict[str, Any]]:
    from hingecoach.services.coaching import list_sessions

    engine = client.app.state.engine  # type: ignore[attr-defined]
    return [s.model_dump(mode="json") for s in list_sessions(engine, "Rae")]


def test_the_log_page_lists_the_whole_session_in_order(
    app: tuple[FastAPI, dict[str, str]],
) -> None:
    with TestClient(app[0]) as client:
        page = _sign_in_rae(client)
    titles = ["Warm-up", "Ramp-up", "Primary", "Secondary superset", "Accessory"]
    found = [page.find(f"<h2>{t}</h2>") for t in titles]
    assert -1 not in found and found == sorted(found), "every part, in order"
    assert '4 reps · 65 kg · <span class="plates">20 + 2.5 kg a side</span>' in page
    assert '3 reps · 37.5 kg · <span class="plates">5 + 2.5 + 1.25 kg a side' in page, (
        "a ramp-up set, with plates she owns (one pair of 1.25s each side)"
    )
    rows = set_rows(page)
    parts = [r["part"] for r in rows]
    assert parts == sorted(
        parts, key=["warm-up", "ramp-up", "primary", "secondary", "accessory"].index
    )
    superset = [r for r in rows if r["part"] == "secondary"]
    assert [r["hinge"] for r in superset[:4]] == ["1", "0", "1", "0"], "the pair alternates"
    assert superset[0]["rest"] == "0" and int(superset[1]["rest"]) > 0, "rest after the round"
    data = log_data(page)
    assert data["key"] and data["token"] and data["entries"] == {}


def test_a_draft_is_resumed_after_a_reload_and_an_old_revision_never_wins(
    app: tuple[FastAPI, dict[str, str]],
) -> None:
    with TestClient(app[0]) as client:
        page = _sign_in_rae(client)
        entries = primary_entries(page, reps=9)
        first_two = dict(list(entries.items())[:2])
        answer = draft(client, page, first_two, revision=5)
        assert answer.status_code == 200, answer.text
        assert answer.json()["revision"] == 5
        assert draft(client, page, {}, revision=3).json()["revision"] == 5, "older: ignored"
        again = log_data(client.get("/log").text)
    assert again["key"] == log_data(page)["key"], "the same session goes on"
    assert again["has_draft"] and again["revision"] == 5
    assert set(again["entries"]) == set(first_two)
    assert all(e["amount"] == 9 and e["status"] == "done" for e in again["entries"].values())


def test_a_painful_set_in_the_draft_stops_the_hinge_and_says_why(
    app: tuple[FastAPI, dict[str, str]],
) -> None:
    with TestClient(app[0]) as client:
        page = _sign_in_rae(client)
        first = next(iter(primary_entries(page, reps=8)))
        hurt = {first: {"status": "done", "amount": 8, "pain": 6, "pain_quality": ["sharp"]}}
        advice = draft(client, page, hurt, revision=1).json()["advice"]
    assert advice["stop"] is True
    assert 'role="alert"' in advice["html"] and "R-SAFE" in advice["html"]


def test_save_twice_with_one_key_stores_one_session(
    app: tuple[FastAPI, dict[str, str]],
) -> None:
    application, _ = app
    with TestClient(application) as client:
        page = _sign_in_rae(client)
        before = len(_rae_sessions(client))
        rows = set_rows(page)
        entries = primary_entries(page, reps=10)
        push = next(r for r in rows if r["hinge"] == "0")
        entries[push["key"]] = {"status": "done", "amount": 7}
        first = save(client, page, entries)
        second = save(client, page, entries)  # a double tap, or a refresh re-posting
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        shown = client.get(first.headers["location"]).text
        assert client.get(first.headers["location"]).status_code == 200  # refresh: a GET
        after = _rae_sessions(client)
    assert len(after) == before + 2, "the primary and the push, once"
    push_session, primary = after[-2:]
    assert push_session["exercise_id"] == "push-up" and push_session["sets"][0]["reps"] == 7
    assert primary["exercise_id"] == "romanian-deadlift"
    work = [s["reps"] for s in primary["sets"] if s.get("work_set", True)]
    assert work == [10] * len([r for r in rows if r["primary"] == "1"])
    assert "Saved: 5 sets" in shown
    assert 'Dowel hip hinge: <span class="tag">skipped</span>' in shown


def test_a_tampered_sheet_and_an_empty_save_are_refused(
    app: tuple[FastAPI, dict[str, str]],
) -> None:
    with TestClient(app[0]) as client:
        page = _sign_in_rae(client)
        data = log_data(page)
        tampered = client.post(
            "/log/save",
            data={
                "csrftoken": csrf_from(page),
                "key": data["key"],
                "token": data["token"] + "x",
                "entries_json": "{}",
            },
        )
        empty = save(client, page, {})
        unknown = save(client, page, {"p9-e0-s1": {"status": "done", "amount": 5}})
    assert tampered.status_code == 422 and "out of date" in tampered.text
    assert empty.status_code == 422 and "No set is ticked done" in empty.text
    assert unknown.status_code == 422 and "not in today" in unknown.text


def test_the_api_logs_one_session_for_one_idempotency_key(
    app: tuple[FastAPI, dict[str, str]],
) -> None:
    application, tokens = app
    session = (
        demo_history(weeks=1, seed=3).sessions[-1].model_copy(update={"date": dt.date.today()})
    )
    body = session.model_dump(mode="json", exclude_none=True)
    auth = {"Authorization": f"Bearer {tokens['ana']}"}
    with TestClient(application) as client:
        before = len(_history(client, tokens["ana"], "Ana"))
        headers = auth | {"Idempotency-Key": "retry-test-0001"}
        first = client.post("/api/v1/trainees/Ana/sessions", json=body, headers=headers)
        second = client.post("/api/v1/trainees/Ana/sessions", json=body, headers=headers)
        bad = client.post(
            "/api/v1/trainees/Ana/sessions", json=body, headers=auth | {"Idempotency-Key": "x"}
        )
        after = len(_history(client, tokens["ana"], "Ana"))
    assert first.status_code == 201, first.text
    assert second.status_code == 200 and second.headers["Idempotent-Replayed"] == "true"
    assert second.json()["prescription"] == first.json()["prescription"]
    assert after == before + 1
    assert bad.status_code == 422


def _choose_lb(client: TestClient) -> str:
    """Rae switches to lb; answers with her Log page."""
    account = client.get("/account")
    response = client.post(
        "/account/unit",
        data={"csrftoken": csrf_from(account.text), "unit": "lb"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client.get("/log").text


def test_an_lb_trainee_reads_and_types_pounds_and_the_owned_load_is_stored_in_kg(
    app: tuple[FastAPI, dict[str, str]],
) -> None:
    with TestClient(app[0]) as client:
        _sign_in_rae(client)
        page = _choose_lb(client)
        assert '4 reps · 143.25 lb · <span class="plates">44 + 5.5 lb a side</span>' in page
        assert "65 kg" not in page and "kg a side" not in page, "no kg left on the sheet"
        assert 'value="143.25"' in page, "the load to type over is in lb"
        assert "(55 lb x 5, 82.75 lb x 3, 110.25 lb x 2)" in page, "the ramp-up, in lb"
        entries = primary_entries(page, reps=8)
        first, second, *_ = entries
        entries[first] |= {"load": 143.25}  # as shown: the 65 kg she owns, not 64.98
        entries[second] |= {"load": "143.25 lb"}
        answer = draft(client, page, entries, revision=1)
        assert answer.status_code == 200, answer.text
        again = log_data(client.get("/log").text)
        assert again["entries"][first]["load"] == 143.25, "the draft comes back in lb"
        assert save(client, page, entries).status_code == 303
        primary = _rae_sessions(client)[-1]
    assert [s["load_kg"] for s in primary["sets"][:2]] == [65, 65]


def test_a_load_typed_as_words_is_refused_with_what_to_type(
    app: tuple[FastAPI, dict[str, str]],
) -> None:
    with TestClient(app[0]) as client:
        _sign_in_rae(client)
        page = _choose_lb(client)
        first = next(iter(primary_entries(page, reps=8)))
        answer = draft(client, page, {first: {"status": "done", "amount": 8, "load": "heavy"}}, 1)
    assert answer.status_code == 422
    assert "like '80 kg' or '180 lb'" in html.unescape(answer.text)


def test_the_log_page_says_why_a_full_day_takes_no_more(
    app: tuple[FastAPI, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """HINGECOACH_SESSIONS_MAX_PER_DAY on the Log page: a day already full answers the save
    422 with what to do, and nothing is stored."""
    from hingecoach.coach.models import Session
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.coaching import log_session

    monkeypatch.setenv("HINGECOACH_SESSIONS_MAX_PER_DAY", "1")
    with TestClient(app[0]) as client:
        page = _sign_in_rae(client)
        today = dt.date.today()
        earlier = Session.model_validate(
            {"date": today, "exercise_id": "push-up", "sets": [{"reps": 10}]}
        )
        engine = client.app.state.engine  # type: ignore[attr-defined]
        log_session(engine, "Rae", earlier, load_catalogue(None), today)
        before = len(_rae_sessions(client))
        refused = save(client, page, primary_entries(page, reps=4))
        after = len(_rae_sessions(client))
    assert refused.status_code == 422
    assert (
        f"Rae already has 1 session logged on {today:%d %b %Y}, and a day takes at most 1: "
        "correct or delete one of them instead of logging another"
    ) in html.unescape(refused.text)
    assert after == before
