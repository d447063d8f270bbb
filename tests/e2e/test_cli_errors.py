"""CLI errors (issue 16 item 11): a missing clip is bad input, exit 2, in one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from tests.e2e.cli_runner import Result, run
from tests.e2e.web.conftest import seed


def test_a_missing_clip_is_bad_input() -> None:
    for args in (("analyze", "/nonexistent/set.mp4"), ("live", "--video", "/nonexistent/set.mp4")):
        result = run(*args)
        assert result.code == 2, (args, result.err)
        assert "no such file" in result.err and "Traceback" not in result.err


# -- a database that cannot be used: one line, exit 4 ------------------------------------------


def _damaged_mid_file(path: Path) -> Path:
    """A database with trainees and weeks of sessions, then a stretch in the middle of the
    file overwritten (a crash, a bad disk): the first pages, with the schema, still read."""
    seed(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 2)
        f.write(b"\xde\xad\xbe\xef" * 2048)
    return path


def _one_line_exit_4(result: Result) -> None:
    assert result.code == 4, result.err
    assert "Traceback" not in result.err and result.err.count("\n") == 1, result.err
    assert result.out == ""


@pytest.mark.parametrize("command", [("trainee", "list"), ("history", "Ana"), ("export", "--all")])
def test_a_text_file_a_damaged_database_or_a_bogus_url_is_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 50)
    damaged = _damaged_mid_file(tmp_path / "damaged.db")
    for url, said in (
        (f"sqlite:///{text}", "not a database"),
        (f"sqlite:///{damaged}", "restore it from a backup"),
        ("bogus://somewhere/db", "give sqlite:///PATH or postgresql://"),
    ):
        result = run("--db", url, *command)
        _one_line_exit_4(result)
        assert said in result.err, (url, result.err)


def test_serve_on_a_bad_database_is_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database\n")
    for url in (f"sqlite:///{text}", "bogus://somewhere/db"):
        _one_line_exit_4(run("--db", url, "serve", "--port", "1"))


def test_an_impossible_yaml_date_is_one_line_exit_2(tmp_path: Path) -> None:
    session = tmp_path / "session.yaml"
    session.write_text(
        yaml.safe_dump({"exercise_id": "dowel-hip-hinge", "sets": [{"reps": 10, "rpe": 7}]})
        + "date: 2026-13-45\n"
    )
    result = run("--db", f"sqlite:///{tmp_path / 'coach.db'}", "log", "Ana", "--file", str(session))
    assert result.code == 2 and "Traceback" not in result.err, result.err
    assert "'2026-13-45' at line" in result.err and "YYYY-MM-DD" in result.err
