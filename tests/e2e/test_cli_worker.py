"""`hingecoach worker` and `serve --no-worker`: a start line naming the queue and the
database (never its password), one-line errors, a clean stop, pages-only serving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from hingecoach.store.engine import ENV_DATABASE_URL
from tests.e2e.cli_runner import run


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HINGECOACH_MEDIA_DIR", str(tmp_path / "media"))
    # serve sets some for its processes: restored (unset) after each test
    for name in (
        "HINGECOACH_REDIS_URL",
        "HINGECOACH_QUEUE_NAME",
        "HINGECOACH_SERVE_WORKER",
        "HINGECOACH_SERVER_PROCESSES",
        ENV_DATABASE_URL,
    ):
        monkeypatch.delenv(name, raising=False)
    return dict(os.environ)


def test_an_unreachable_redis_is_one_line_and_a_non_zero_exit(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HINGECOACH_REDIS_URL", "redis://:hunter2@127.0.0.1:1/0")
    result = run("--db", f"sqlite:///{tmp_path / 'x.db'}", "worker")
    assert result.code == 4
    assert result.err.startswith("error: cannot reach the clip queue (Redis at")
    assert "check HINGECOACH_REDIS_URL" in result.err
    assert "hunter2" not in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_an_unreachable_database_is_one_line_and_a_non_zero_exit(env: dict[str, str]) -> None:
    result = run("--db", "postgresql://coach:hunter2@127.0.0.1:1/coach", "worker")
    assert result.code == 4
    assert result.err.startswith("error: cannot open the database at")
    assert "hunter2" not in result.err and "Traceback" not in result.err


def test_a_worker_starts_says_where_it_works_and_stops_cleanly_on_sigterm(
    env: dict[str, str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "hingecoach", "--db", url, "worker", "--processes", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        line = worker.stdout.readline()
        assert line.startswith("hingecoach worker: 2 processes; queue: SQLite file ")
        assert f"database: {url}" in line and str(tmp_path / "media") in line
        time.sleep(1)
        assert worker.poll() is None
        children = subprocess.run(
            ["ps", "--ppid", str(worker.pid), "-o", "pid="], capture_output=True, text=True
        ).stdout.split()
        assert len(children) >= 2  # the worker processes (and Huey's scheduler)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
        _, err = worker.communicate()
        assert "Traceback" not in err
        for pid in children:  # none left behind
            assert (
                not Path(f"/proc/{pid}").exists()
                or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
            )
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_serve_no_worker_serves_pages_only(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    url = f"sqlite:///{tmp_path / 'web.db'}"
    monkeypatch.setenv(ENV_DATABASE_URL, url)
    result = run("--db", url, "serve", "--no-worker", "--workers", "2")
    assert result.code == 0, result.err
    assert "Clip analysis: by `hingecoach worker` processes" in result.out
    assert os.environ["HINGECOACH_SERVE_WORKER"] == "0"
    from hingecoach.web.settings import WebSettings

    assert not WebSettings.from_env().jobs_worker  # the app factory of each process
    monkeypatch.delenv("HINGECOACH_SERVE_WORKER")
    assert run("--db", url, "serve", "--workers", "1").code == 0
    assert WebSettings.from_env().jobs_worker
    assert len(calls) == 2
