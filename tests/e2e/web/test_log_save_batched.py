"""The *Log* page's *Save* goes through the group commit (issue 17): saves posted at once
wait together and share one commit; each is answered (303 to the saved page) only once
stored; one refused for spacing (409) leaves the others stored; a refresh re-posting a
key in the same batch stores nothing more."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hingecoach.services.coaching import list_sessions
from hingecoach.services.group_commit import group_commit
from hingecoach.services.uow import UnitOfWork
from tests.e2e.web.conftest import PASSWORD, csrf_from, make_app, seed
from tests.e2e.web.logsheet import add_barbell_trainee, log_data, primary_entries

RAE = "rae@example.com"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    seed(url)
    add_barbell_trainee(url, "Rae", RAE, PASSWORD)
    application = make_app(url)
    yield application
    application.state.engine.dispose()


def _wait_for(predicate: Any, what: str) -> None:
    deadline = time.monotonic() + 10
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def test_saves_posted_at_once_share_a_commit_and_a_refused_one_fails_alone(
    app: FastAPI,
) -> None:
    with TestClient(app) as client:
        page = client.get("/login").text
        client.post(
            "/login", data={"email": RAE, "password": PASSWORD, "csrftoken": csrf_from(page)}
        )
        page = client.get("/log").text
        data = log_data(page)
        entries = json.dumps(primary_entries(page, reps=10))
        engine = app.state.engine
        before = len(list_sessions(engine, "Rae"))

        def form(key: str, confirmed: bool) -> dict[str, str]:
            fields = {"csrftoken": csrf_from(page), "key": key, "token": data["token"]}
            fields["entries_json"] = entries
            return fields | ({"confirm_spacing": "true"} if confirmed else {})

        group = group_commit(engine, app.state.settings.log_batch_max)
        release, started = threading.Event(), threading.Event()
        answers: dict[str, tuple[int, str, int]] = {}

        def hold(_uow: UnitOfWork) -> None:
            started.set()
            release.wait(10)

        held = group.submit(hold)
        assert started.wait(10)

        def post(label: str, key: str, confirmed: bool) -> None:
            response = client.post("/log/save", data=form(key, confirmed), follow_redirects=False)
            # what a fresh transaction holds as the answer arrives
            answers[label] = (
                response.status_code,
                response.headers.get("location", response.text),
                len(list_sessions(engine, "Rae")),
            )

        # three confirmed saves, then the first one's key again (a refresh re-posting),
        # then an unconfirmed save: it comes after the others in the batch, so it sees
        # them and is asked about spacing
        order = [(f"save{i}", f"batched-save-{i:04d}", True) for i in range(3)]
        order += [("replay", "batched-save-0000", True), ("asked", "batched-save-asked", False)]
        threads = []
        for label, key, confirmed in order:
            thread = threading.Thread(target=post, args=(label, key, confirmed))
            thread.start()
            threads.append(thread)
            _wait_for(lambda: group.waiting == len(threads), f"{label} waiting")
        assert not answers, "nothing answered before its batch is stored"
        batches = group.stats.batches
        release.set()
        held.result(10)
        for thread in threads:
            thread.join(20)
        after = len(list_sessions(engine, "Rae"))

    stats = group.stats
    assert stats.batches == batches + 2 and stats.largest >= 5, "the five saves: one batch"
    for i in range(3):
        status, location, seen = answers[f"save{i}"]
        assert status == 303 and location == f"/log/saved/batched-save-{i:04d}"
        assert seen == before + 3, "answered only once every save of its batch is stored"
    assert answers["replay"][:2] == (303, "/log/saved/batched-save-0000")
    status, text, _ = answers["asked"]
    assert status == 409 and "48 h" in text and "I did train" in text
    assert after == before + 3, "one session per key, none for the refused save"
