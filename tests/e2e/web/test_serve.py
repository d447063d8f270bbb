"""`hingecoach serve`: several server processes by default, the database made ready first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hingecoach.cli.web_cmds import default_workers
from hingecoach.store.engine import ENV_DATABASE_URL
from tests.e2e.cli_runner import run


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[dict[str, Any]]]:
    """``uvicorn.run`` replaced by a recorder; the user data directory in ``tmp_path``."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("HINGECOACH_SECRET_KEY", raising=False)
    monkeypatch.delenv("HINGECOACH_WORKERS", raising=False)
    url = f"sqlite:///{tmp_path / 'web.db'}"
    monkeypatch.setenv(ENV_DATABASE_URL, url)  # serve sets it for its server processes
    return url, calls


def test_serve_starts_one_server_process_per_core(
    served: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    url, calls = served
    result = run("--db", url, "serve", "--port", "8123")
    assert result.code == 0, result.err
    assert calls[0]["workers"] == default_workers() >= 1
    assert f"Server processes: {default_workers()}" in result.out
    assert calls[0]["app"] == "hingecoach.web.app:create_app" and calls[0]["factory"]
    # made once, before the processes start (not by each at once): schema and secret key
    from hingecoach.store.migrate import SCHEMA_HEAD, current_revision, open_database

    engine = open_database(url)
    with engine.connect() as conn:
        assert current_revision(conn) == SCHEMA_HEAD
    engine.dispose()
    assert (tmp_path / "data" / "hingecoach" / "web-secret-key").is_file()


def test_serve_takes_a_number_of_server_processes(
    served: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, calls = served
    assert run("--db", url, "serve", "--workers", "3").code == 0
    monkeypatch.setenv("HINGECOACH_WORKERS", "1")
    assert run("--db", url, "serve").code == 0
    assert [c["workers"] for c in calls] == [3, 1]
    refused = run("--db", url, "serve", "--workers", "0")
    assert refused.code != 0 and len(calls) == 2
