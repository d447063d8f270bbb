"""The progress page's first load for two years of history (issue 17: under 300 ms).

Through the app (Starlette's test client, no sockets): a trainee with 104 weeks of
history signs in and opens ``/progress``. Measured, side by side:

- the first load in a *fresh process*: a new Python process per sample (``FRESH_RUNS`` of
  each kind, the median and the worst), started on the same database, timed once the app
  is up and the trainee has signed in (which lands on today's page), so nothing of the
  progress page has been read, computed or drawn in it yet. Two kinds: right after a
  session was logged elsewhere (another process, the CLI: nothing computed for it is
  stored anywhere), and when the records have not changed since a process computed them
  (a restart, another worker: the stored progress is read);
- the first load after each change to their records in one long-lived process (a
  session logged: the cached page is stale, so progress and its charts are computed
  again);
- a repeat view (cached).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WEEKS = 104
FRESH_RUNS = 5
EMAIL, PASSWORD, NAME = "lena@example.com", "lena-bench-pass", "Lena"


def _seed(url: str) -> None:
    from hingecoach.coach import demo_history, demo_profile, demo_screen_answers
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.accounts import create_account
    from hingecoach.services.coaching import assess_trainee
    from hingecoach.services.trainees import add_trainee
    from hingecoach.services.uow import UnitOfWork
    from hingecoach.store.migrate import open_database

    engine, catalogue, today = open_database(url), load_catalogue(None), dt.date.today()
    history = demo_history(weeks=WEEKS, seed=21)
    shift = (today - dt.timedelta(days=8)) - history.sessions[-1].date
    add_trainee(engine, NAME, demo_profile().model_copy(update={"name": NAME}))
    first = history.sessions[0].date + shift
    assess_trainee(engine, NAME, demo_screen_answers(), catalogue, first)
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(NAME)
        for s in history.sessions:
            uow.sessions.add(trainee, s.model_copy(update={"date": s.date + shift}))
        uow.commit()
    create_account(
        engine,
        email=EMAIL,
        password=PASSWORD,
        display_name=NAME,
        role="trainee",
        trainee_name=NAME,
    )
    engine.dispose()


def _app_and_client(url: str, tmp: Path) -> tuple[Any, Any]:
    from starlette.testclient import TestClient

    from hingecoach.web.app import create_app
    from hingecoach.web.settings import WebSettings

    settings = WebSettings(
        database_url=url,
        secret_key="bench-" + "x" * 40,
        media_dir=tmp / "media",
        jobs_file=tmp / "jobs.db",
        jobs_worker=False,
        login_rate="1000/minute",
        login_rate_per_address="1000/minute",
        login_rate_per_account="1000/minute",
    )
    app = create_app(settings)
    return app, TestClient(app, base_url="https://testserver")


def _sign_in(web: Any) -> None:
    page = web.get("/login").text
    found = re.search(r'name="csrftoken" value="([^"]+)"', page)
    assert found
    landed = web.post(
        "/login", data={"email": EMAIL, "password": PASSWORD, "csrftoken": found.group(1)}
    )
    assert landed.status_code == 200, landed.text


def _load(web: Any) -> float:
    begin = time.perf_counter()
    response = web.get("/progress")
    took = time.perf_counter() - begin
    assert response.status_code == 200 and "<svg" in response.text, response.text
    return took


def fresh_load(url: str, tmp: str) -> float:
    """In this (new) process: open the app, sign in, time the first ``/progress``."""
    _, client = _app_and_client(url, Path(tmp))
    with client as web:
        _sign_in(web)
        return _load(web)


def _fresh_process(url: str, tmp: Path) -> float:
    here = str(Path(__file__).parent)
    code = (
        f"import sys; sys.path.insert(0, {here!r}); import progress_load; "
        f"print(progress_load.fresh_load({url!r}, {str(tmp)!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return float(done.stdout.strip().splitlines()[-1])


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.0f} ms, worst {max(samples) * 1000:.0f} ms"


def measure(changes: int = 5, fresh_runs: int = FRESH_RUNS) -> str:
    from hingecoach.coach import demo_history
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.coaching import log_session
    from hingecoach.store.migrate import open_database

    today = dt.date.today()
    logged = [0]
    with tempfile.TemporaryDirectory(prefix="hingecoach-progress-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'p.db'}"
        _seed(url)
        catalogue = load_catalogue(None)
        recent = [  # a hinge session: it changes every chart
            s
            for s in demo_history(weeks=WEEKS, seed=21).sessions
            if catalogue.exercises[s.exercise_id].is_hinge
        ][-1]

        def log_one(engine: Any) -> None:  # one more session in the last week
            logged[0] += 1
            day = today - dt.timedelta(days=logged[0] % 7)
            log_session(engine, NAME, recent.model_copy(update={"date": day}), catalogue, today)

        fresh_changed, fresh_stored = [], []
        elsewhere = open_database(url)
        for _ in range(fresh_runs):
            log_one(elsewhere)  # logged by another process: nothing stored matches
            fresh_changed.append(_fresh_process(url, Path(tmp)))
            fresh_stored.append(_fresh_process(url, Path(tmp)))
        elsewhere.dispose()
        app, client = _app_and_client(url, Path(tmp))
        with client as web:
            _sign_in(web)
            _load(web)
            repeat = statistics.median(_load(web) for _ in range(5))
            after = []
            for _ in range(changes):
                log_one(app.state.engine)
                after.append(_load(web))
    sets = sum(len(s.sets) for s in demo_history(weeks=WEEKS, seed=21).sessions)
    return (
        f"first load in a fresh process: just after a change elsewhere {_ms(fresh_changed)}, "
        f"records unchanged {_ms(fresh_stored)} ({fresh_runs} processes each); first load "
        f"after a change in a running process {_ms(after)} ({changes} changes); repeat view "
        f"{repeat * 1000:.1f} ms ({WEEKS} weeks, {sets} sets)"
    )


if __name__ == "__main__":
    print(measure())
