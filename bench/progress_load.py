"""The progress page's first load for two years of history (issue 17: under 300 ms).

In one process, through the app (Starlette's test client, no sockets): a trainee with 104
weeks of history signs in and opens ``/progress``. Measured: the very first load in a
fresh process (nothing read or drawn yet), then the first load after each change to
their records (a session logged: the cached page is stale, so progress and its charts
are computed again), and a repeat view (cached).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import tempfile
import time
from pathlib import Path

WEEKS = 104
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


def measure(changes: int = 5) -> str:
    from starlette.testclient import TestClient

    from hingecoach.coach import demo_history
    from hingecoach.services.coaching import log_session
    from hingecoach.web.app import create_app
    from hingecoach.web.settings import WebSettings

    with tempfile.TemporaryDirectory(prefix="hingecoach-progress-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'p.db'}"
        _seed(url)
        settings = WebSettings(
            database_url=url,
            secret_key="bench-" + "x" * 40,
            media_dir=Path(tmp) / "media",
            jobs_file=Path(tmp) / "jobs.db",
            jobs_worker=False,
            login_rate="1000/minute",
            login_rate_per_address="1000/minute",
            login_rate_per_account="1000/minute",
        )
        app = create_app(settings)
        with TestClient(app, base_url="https://testserver") as web:
            page = web.get("/login").text
            found = re.search(r'name="csrftoken" value="([^"]+)"', page)
            assert found
            web.post(
                "/login", data={"email": EMAIL, "password": PASSWORD, "csrftoken": found.group(1)}
            )

            def load() -> float:
                begin = time.perf_counter()
                response = web.get("/progress")
                took = time.perf_counter() - begin
                assert response.status_code == 200 and "<svg" in response.text, response.text
                return took

            cold = load()
            repeat = statistics.median(load() for _ in range(5))
            engine, catalogue = app.state.engine, app.state.catalogue
            today = dt.date.today()
            recent = [  # a hinge session: it changes every chart
                s
                for s in demo_history(weeks=WEEKS, seed=21).sessions
                if catalogue.exercises[s.exercise_id].is_hinge
            ][-1]
            after = []
            for i in range(changes):
                day = today - dt.timedelta(days=6 - i)
                log_session(engine, NAME, recent.model_copy(update={"date": day}), catalogue, today)
                after.append(load())
    sets = sum(len(s.sets) for s in demo_history(weeks=WEEKS, seed=21).sessions)
    return (
        f"first load in a fresh process {cold * 1000:.0f} ms; first load after a change "
        f"median {statistics.median(after) * 1000:.0f} ms, worst {max(after) * 1000:.0f} ms "
        f"({changes} changes); repeat view {repeat * 1000:.1f} ms ({WEEKS} weeks, {sets} sets)"
    )


if __name__ == "__main__":
    print(measure())
