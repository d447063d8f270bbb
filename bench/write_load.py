"""Writes under load (issue 17): the API's session POST at 50 concurrent writers, each
request storing a session (``confirm_spacing=true``, so none is answered 409), on SQLite
and on PostgreSQL, with group commit off (``HINGECOACH_LOG_BATCH_MAX=1``: a transaction
and a commit per log, as before) and on (the default), side by side in one run.

PostgreSQL is ``$HINGECOACH_TEST_POSTGRES_URL``'s server: a database of its own is made
for each run and dropped after.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from web_load import (
    CLIENTS,
    GYM_USERS,
    Load,
    _sign_in,
    _with_python,
    _with_wrk,
    _wrk,
    gym_log_requests,
    server,
    with_wrk_many,
)

PATH = "/api/v1/trainees/Ana/sessions?confirm_spacing=true"


@contextmanager
def _postgres_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database's URL (None: no server here)."""
    from sqlalchemy import create_engine, text

    url = os.environ.get("HINGECOACH_TEST_POSTGRES_URL", "")
    if not url:
        yield None
        return
    admin_url = "postgresql+psycopg://" + url.split("://", 1)[1]
    name = f"hingecoach_writes_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        yield None
        return
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _database(backend: str) -> Iterator[str | None]:
    if backend == "SQLite":
        yield ""  # web_load.server makes a fresh file
    else:
        with _postgres_database() as url:
            yield url


def _one(url: str, batch: int) -> Load:
    wrk = _wrk()
    with server(url or None, {"HINGECOACH_LOG_BATCH_MAX": str(batch)}, weeks=4) as served:
        base = served.base
        _cookie, token, body = _sign_in(base)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if wrk:
            return _with_wrk(wrk, base + PATH, headers, "POST", body)
        return _with_python(base + PATH, headers, "POST", body)


def _gym(url: str) -> Load | None:
    """The API log at CLIENTS connections with no pause, each request one of GYM_USERS
    people's (group commit on): many people logging as fast as the server answers."""
    wrk = _wrk()
    if not wrk:
        return None
    with server(url or None, weeks=4, gym=GYM_USERS) as served:
        return with_wrk_many(wrk, served.base, gym_log_requests(served))


def split(url: str, logs: int = 32) -> str:
    """In one process, no HTTP: where a log's time goes, work (reads, checks, the coach,
    inserts) against commit, for ``logs`` logs one by one and the same number together."""
    import datetime as dt
    import threading

    from hingecoach.coach import Session
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.coaching import Today
    from hingecoach.services.demo import seed_web_demo
    from hingecoach.services.group_commit import GroupCommit
    from hingecoach.services.uow import UnitOfWork
    from hingecoach.services.workouts import log_item
    from hingecoach.store.migrate import open_database

    engine, catalogue, today = open_database(url), load_catalogue(None), dt.date.today()
    seed_web_demo(engine, catalogue, today)
    one = {"reps": 12, "load_kg": 8.0, "rpe": 7, "form": "clean", "pain": 0}
    session = Session.model_validate(
        {"date": today, "exercise_id": "weighted-hip-hinge", "sets": [one] * 3}
    )

    def item() -> Callable[[UnitOfWork], tuple[Today, bool]]:
        return log_item(
            "Ana", session, catalogue, today, key=None, confirmed=True, how_to_confirm=""
        )

    parts = []
    for together in (False, True):
        group = GroupCommit(engine, max_batch=logs)
        group.run(item())  # warm
        before = group.stats
        if together:
            release = threading.Event()

            def hold_writer(_uow: UnitOfWork, gate: threading.Event = release) -> bool:
                return gate.wait(30)

            hold = group.submit(hold_writer)
            futures = [group.submit(item()) for _ in range(logs)]
            release.set()
            hold.result()
            for future in futures:
                future.result()
        else:
            for _ in range(logs):
                group.run(item())
        after = group.stats
        work = (after.work_s - before.work_s) / logs * 1000
        commit = (after.commit_s - before.commit_s) / logs * 1000
        label = f"{logs} in one batch" if together else "one by one"
        parts.append(f"{label}: work {work:.1f} ms + commit {commit:.2f} ms a log")
    engine.dispose()
    return "; ".join(parts)


def split_all() -> list[tuple[str, str]]:
    import tempfile
    from pathlib import Path

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("SQLite", split(f"sqlite:///{Path(tmp) / 'split.db'}")))
    with _postgres_database() as url:
        rows.append(("PostgreSQL", split(url) if url else "skipped: no PostgreSQL"))
    return rows


def measure() -> list[tuple[str, str]]:
    """Closed loop (saturation): CLIENTS connections, no pause. One trainee (Ana) logging
    every request, with group commit off and on; then each request one of GYM_USERS
    people's."""
    rows = []
    for backend in ("SQLite", "PostgreSQL"):
        parts = []
        for label, batch in (("one commit per log", 1), ("group commit", 32)):
            with _database(backend) as url:
                if url is None:
                    parts.append("skipped: no PostgreSQL ($HINGECOACH_TEST_POSTGRES_URL)")
                    break
                load = _one(url, batch)
            parts.append(f"{label} {load.line()}")
        with _database(backend) as url:
            gym = _gym(url) if url is not None else None
        if gym is not None:
            parts.append(f"group commit, {GYM_USERS} people each logging their own {gym.line()}")
        rows.append((f"{backend}, {CLIENTS} writers", "; ".join(parts)))
    return rows


def _on_each_database(measure: Callable[[str | None], str]) -> list[tuple[str, str]]:
    """``measure(url)`` on SQLite (``None``: a fresh file) and on PostgreSQL, one row each."""
    rows = []
    for backend in ("SQLite", "PostgreSQL"):
        with _database(backend) as url:
            if url is None:
                rows.append((backend, "skipped: no PostgreSQL ($HINGECOACH_TEST_POSTGRES_URL)"))
                continue
            rows.append((backend, measure(url or None)))
    return rows


def cpu_all() -> list[tuple[str, str]]:
    """The server's CPU per request of the log path, on SQLite and PostgreSQL."""
    from web_load import measure_cpu

    def cpu(url: str | None) -> str:
        costs = measure_cpu(url)
        text = "; ".join(cost.line() for cost in costs)
        return f"{text} ({costs[0].requests} requests each)"

    return _on_each_database(cpu)


def gym_all() -> list[tuple[str, str]]:
    """The open loop of a gym's people (see ``web_load.measure_gym``), on SQLite and
    PostgreSQL."""
    from web_load import measure_gym

    def gym(url: str | None) -> str:
        loads, note = measure_gym(url)
        return "; ".join(load.line() for load in loads) + f" ({note})"

    return _on_each_database(gym)


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--cpu"]:
        for label, text in cpu_all():
            print(f"{label}, server CPU per request: {text}")
        sys.exit()
    if sys.argv[1:2] == ["--gym"]:
        from web_load import gym_arrivals

        print(f"open loop: {gym_arrivals()}")
        for label, text in gym_all():
            print(f"{label}: {text}")
        sys.exit()
    for label, text in split_all():
        print(f"{label}, where a log's time goes: {text}")
    for label, text in measure():
        print(f"{label}: {text}")
