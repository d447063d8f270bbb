"""``hingecoach account ...`` on a fresh database: the operator's first trainer, passwords
from standard input only, one-line refusals, an invitation link to send."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.e2e.cli_runner import Result, run

PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'accounts.db'}"


def _run(monkeypatch: pytest.MonkeyPatch, db: str, *args: str, stdin: str = "") -> Result:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run("--db", db, "account", *args)


def test_the_first_trainer_then_a_client_invited_and_listed(
    monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    added = _run(
        monkeypatch,
        db,
        "add",
        "Coach@Example.com",
        "--role",
        "trainer",
        "--name",
        "Cleo",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert added.code == 0, added.err
    assert "Added the trainer account coach@example.com" in added.out
    invited = _run(
        monkeypatch,
        db,
        "invite",
        "ria@example.com",
        "--trainer",
        "coach@example.com",
        "--name",
        "Ria",
        "--base-url",
        "https://coach.example",
    )
    assert invited.code == 0, invited.err
    assert "https://coach.example/invite/" in invited.out
    listed = _run(monkeypatch, db, "list")
    assert "coach@example.com" in listed.out and "Cleo" in listed.out
    assert "ria@example.com" in listed.out and "invited" in listed.out


def test_refusals_are_one_line_with_what_to_do(monkeypatch: pytest.MonkeyPatch, db: str) -> None:
    args = ("add", "a@example.com", "--role", "trainer", "--password-stdin")
    assert _run(monkeypatch, db, *args, stdin=PASSWORD + "\n").code == 0
    duplicate = _run(monkeypatch, db, *args, stdin=PASSWORD + "\n")
    assert duplicate.code != 0 and "already exists" in duplicate.err
    weak = _run(
        monkeypatch,
        db,
        "add",
        "b@example.com",
        "--role",
        "trainer",
        "--password-stdin",
        stdin="short\n",
    )
    assert weak.code == 2 and "at least 8 characters" in weak.err
    guessable = _run(
        monkeypatch,
        db,
        "add",
        "c@example.com",
        "--role",
        "trainer",
        "--password-stdin",
        stdin="aaaaaaaaaa\n",
    )
    assert guessable.code == 2 and "too easy to guess" in guessable.err
    unknown = _run(
        monkeypatch,
        db,
        "add",
        "d@example.com",
        "--role",
        "trainee",
        "--trainee",
        "Nobody",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert unknown.code == 2 and "unknown trainee 'Nobody'" in unknown.err
    no_terminal = _run(monkeypatch, db, "add", "e@example.com", "--role", "trainer")
    assert no_terminal.code == 2 and "--password-stdin" in no_terminal.err
    for result in (duplicate, weak, guessable, unknown, no_terminal):
        assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def test_link_set_password_and_delete(monkeypatch: pytest.MonkeyPatch, db: str) -> None:
    from hingecoach.coach import demo_profile
    from hingecoach.services.accounts import authenticate
    from hingecoach.services.trainees import add_trainee
    from hingecoach.store.migrate import open_database

    engine = open_database(db)
    add_trainee(engine, "Sam", demo_profile())
    made = _run(
        monkeypatch,
        db,
        "add",
        "sam@example.com",
        "--role",
        "trainee",
        "--name",
        "Sam",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert made.code == 0, made.err
    linked = _run(monkeypatch, db, "link", "sam@example.com", "--trainee", "Sam")
    assert linked.code == 0 and "now signs in to Sam's records" in linked.out
    new = "another fine passphrase"
    assert (
        _run(
            monkeypatch, db, "set-password", "sam@example.com", "--password-stdin", stdin=new + "\n"
        ).code
        == 0
    )
    import datetime as dt

    assert (
        authenticate(engine, "sam@example.com", new, dt.datetime.now(dt.UTC)).trainee_name == "Sam"
    )
    deleted = _run(monkeypatch, db, "delete", "sam@example.com")
    assert deleted.code == 0 and "records, if any, are kept" in deleted.out
    gone = _run(monkeypatch, db, "delete", "sam@example.com")
    assert gone.code == 2 and "unknown account" in gone.err
    engine.dispose()
