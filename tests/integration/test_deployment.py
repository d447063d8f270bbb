"""The multi-process deployment, for real: PostgreSQL, Redis, two `serve --no-worker`
processes and two `hingecoach worker` processes (see docs/deploy.md).

Clips are uploaded at once through the API of both servers; one worker is killed with
SIGKILL while it analyses a clip; every clip still ends analysed, exactly once: one
result each, the killed clip started twice (the second time by the other worker), every
other clip once, and each "done" logged once over both workers.

Needs the machine's PostgreSQL (``HINGECOACH_TEST_POSTGRES_URL``) and Redis
(``HINGECOACH_TEST_REDIS_URL``) and the real clips in ``../shared/data``; skipped without
them, unless ``HINGECOACH_REQUIRE_POSTGRES`` / ``HINGECOACH_REQUIRE_REDIS`` say they are
required (CI), where it fails instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import SHARED
from tests.integration.conftest import _pg_admin_url

pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("HINGECOACH_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
CLIPS = SHARED / "data" / "clips"
# short real clips (2-5 s), side on, each analysed as "done"
UPLOADS = [
    ("jeffchen-good.mp4", "conventional-deadlift"),
    ("mattiolato-deadlift-good-000001.mp4", "conventional-deadlift"),
    ("tobefrank-kb-deadlift.mp4", "kettlebell-deadlift"),
    ("jeffchen-heellift.mp4", "conventional-deadlift"),
]
LEASE_S = 3  # a killed worker's clip is taken over within about this (plus a reap)
DEADLINE_S = 240
PASSWORD = "correct horse battery"


def _required(what: str) -> bool:
    """Set by .ci/run: never skip there."""
    return bool(os.environ.get(f"HINGECOACH_REQUIRE_{what}"))


@pytest.fixture
def database() -> Iterator[str]:
    """A PostgreSQL database of this test's own, dropped afterwards."""
    admin_url = _pg_admin_url()
    if admin_url is None:
        if _required("POSTGRES"):
            pytest.fail("HINGECOACH_TEST_POSTGRES_URL is not set but PostgreSQL is required")
        pytest.skip("set HINGECOACH_TEST_POSTGRES_URL to run the deployment test")
    name = f"hingecoach_deploy_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if _required("POSTGRES"):
            pytest.fail(f"PostgreSQL at {admin_url} is required here but failed: {exc}")
        pytest.skip(f"no PostgreSQL answers at {admin_url} ({exc})")
    yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def redis_queue() -> Iterator[str]:
    """A queue name of this test's own in the test Redis; its keys deleted afterwards."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        if _required("REDIS"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (set HINGECOACH_TEST_REDIS_URL)")
    name = f"hingecoach-test-{uuid.uuid4().hex[:10]}"
    yield name
    from huey import RedisHuey

    RedisHuey(name, url=REDIS_URL).storage.flush_all()


@pytest.fixture
def clip_files() -> list[tuple[Path, str]]:
    files = [(CLIPS / name, exercise) for name, exercise in UPLOADS]
    missing = [str(path) for path, _ in files if not path.is_file()]
    if missing:
        pytest.skip(f"the real clips are not at {CLIPS}: {', '.join(missing)}")
    return files


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _seed(url: str) -> str:
    """A trainee, Ana, with a sign-in and an API token; the token."""
    from hingecoach.coach import demo_profile
    from hingecoach.services.accounts import create_account, issue_api_token
    from hingecoach.services.trainees import add_trainee
    from hingecoach.store.migrate import open_database

    engine = open_database(url)
    add_trainee(engine, "Ana", demo_profile())
    account = create_account(
        engine,
        email="ana@example.com",
        password=PASSWORD,
        display_name="Ana",
        role="trainee",
        trainee_name="Ana",
    )
    token = issue_api_token(engine, account.id, dt.datetime.now(dt.UTC))
    engine.dispose()
    return token


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Deployment:
    servers: list[str]  # base URLs
    workers: list[Process]
    processes: list[Process]


def _start(name: str, args: list[str], env: dict[str, str], logs: Path) -> Process:
    log = logs / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [sys.executable, "-m", "hingecoach", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its children
        )
    return Process(name, popen, log)


def _wait_until_up(base: str, process: Process) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.popen.poll() is None, f"{process.name} ended:\n{process.output()}"
        try:
            if requests.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{process.name} did not start:\n{process.output()}")


@pytest.fixture
def deployment(
    database: str, redis_queue: str, tmp_path: Path
) -> Iterator[tuple[Deployment, str, str]]:
    token = _seed(database)
    env = {
        **os.environ,
        "HINGECOACH_DATABASE_URL": database,
        "HINGECOACH_REDIS_URL": REDIS_URL,
        "HINGECOACH_QUEUE_NAME": redis_queue,
        "HINGECOACH_MEDIA_DIR": str(tmp_path / "media"),
        "HINGECOACH_SECRET_KEY": "deploy-test-" + "k" * 40,
        "HINGECOACH_CLIP_LEASE_SECONDS": str(LEASE_S),
        "HINGECOACH_CLIP_MAX_QUEUED_PER_USER": str(len(UPLOADS)),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    for name in ("HINGECOACH_WORKERS", "HINGECOACH_SERVE_WORKER", "HINGECOACH_JOBS_FILE"):
        env.pop(name, None)
    logs = tmp_path / "logs"
    logs.mkdir()
    processes: list[Process] = []
    servers = []
    try:
        for i in range(2):
            port = _free_port()
            args = ["serve", "--no-worker", "--workers", "1", "--port", str(port)]
            server = _start(f"serve-{i}", args, env, logs)
            processes.append(server)
            servers.append((f"http://127.0.0.1:{port}", server))
        workers = [_start(f"worker-{i}", ["worker"], env, logs) for i in range(2)]
        processes += workers
        for base, server in servers:
            _wait_until_up(base, server)
        yield Deployment([b for b, _ in servers], workers, processes), token, database
    finally:
        for process in processes:
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()


def _upload(base: str, token: str, path: Path, exercise: str) -> int:
    import requests

    with path.open("rb") as f:
        response = requests.post(
            f"{base}/api/v1/trainees/Ana/clips",
            headers={"Authorization": f"Bearer {token}"},
            data={"exercise_id": exercise},
            files={"file": (path.name, f, "video/mp4")},
            timeout=60,
        )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    return int(response.json()["id"])


def _clip_rows(url: str) -> dict[int, Any]:
    from hingecoach.store.records import ClipRecord

    engine = create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(ClipRecord.__table__)).all()
        return {row.id: row for row in rows}
    finally:
        engine.dispose()


def test_two_servers_and_two_workers_analyse_every_clip_once_a_worker_killed(
    deployment: tuple[Deployment, str, str], clip_files: list[tuple[Path, str]]
) -> None:
    import requests

    world, token, database = deployment
    # several clips at once, through both servers' API
    with ThreadPoolExecutor(len(clip_files)) as pool:
        futures = [
            pool.submit(_upload, world.servers[i % 2], token, path, exercise)
            for i, (path, exercise) in enumerate(clip_files)
        ]
        ids = sorted(f.result() for f in futures)
    assert len(set(ids)) == len(clip_files)

    # kill, with SIGKILL, the worker whose process is analysing a clip (a second in)
    deadline = time.monotonic() + DEADLINE_S
    killed_clip = killed_pid = None
    while killed_clip is None:
        assert time.monotonic() < deadline, "no clip was ever taken by a worker"
        for row in _clip_rows(database).values():
            if row.status != "running" or row.started_at is None:
                continue
            if dt.datetime.now(dt.UTC) - row.started_at < dt.timedelta(seconds=1):
                continue
            pid = int(row.claimed_by.split(":")[1])
            group = os.getpgid(pid)
            victim = next(w for w in world.workers if w.popen.pid == group)
            os.killpg(group, signal.SIGKILL)
            victim.popen.wait(timeout=10)
            killed_clip, killed_pid = row.id, pid
            break
        time.sleep(0.1)

    # every clip ends: the killed one taken over by the other worker
    statuses: dict[int, str] = {}
    while time.monotonic() < deadline:
        statuses = {
            clip_id: requests.get(
                f"{world.servers[clip_id % 2]}/api/v1/clips/{clip_id}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            ).json()["status"]
            for clip_id in ids
        }
        if all(s in ("done", "failed") for s in statuses.values()):
            break
        time.sleep(0.5)
    logs = "\n\n".join(f"--- {p.name}\n{p.output()}" for p in world.processes)
    assert statuses == {clip_id: "done" for clip_id in ids}, logs

    rows = _clip_rows(database)
    assert sorted(rows) == ids  # one clip each, no duplicate rows
    for clip_id in ids:
        row = rows[clip_id]
        assert row.report is not None and row.report["reps"], logs
        assert row.lease_until is None
        # the killed clip started twice (the second time elsewhere), every other once
        assert row.attempts == (2 if clip_id == killed_clip else 1), (clip_id, logs)
    assert f":{killed_pid}:" not in rows[killed_clip].claimed_by
    # each clip's "done" is logged once, over both workers (none stored twice)
    done = re.findall(r"clip (\d+): done", "\n".join(w.output() for w in world.workers))
    assert sorted(int(d) for d in done) == ids, logs
    # the other worker is still up, and so are both servers
    assert [p.popen.poll() is None for p in world.processes].count(False) == 1
