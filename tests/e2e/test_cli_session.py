"""``hingecoach session list|show|edit|delete``: fixing a logged mistake from the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from hingecoach.coach import demo_history, demo_profile, demo_screen_answers
from hingecoach.knowledge import load_catalogue
from hingecoach.services.coaching import assess_trainee, log_session
from hingecoach.services.trainees import add_trainee
from hingecoach.store.migrate import open_database
from tests.e2e.cli_runner import Result, run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "coach.db"
    engine = open_database(f"sqlite:///{path}")
    catalogue = load_catalogue(None)
    today = dt.date.today()
    history = demo_history(weeks=1, seed=3)
    shift = (today - dt.timedelta(days=2)) - history.sessions[-1].date
    add_trainee(engine, "Ana", demo_profile())
    assess_trainee(engine, "Ana", demo_screen_answers(), catalogue, today - dt.timedelta(20))
    for s in history.sessions:
        log_session(engine, "Ana", s.model_copy(update={"date": s.date + shift}), catalogue, today)
    engine.dispose()
    return path


def cli(db: Path, *args: str) -> Result:
    return run("--db", f"sqlite:///{db}", *args)


def _sessions(db: Path) -> list[dict[str, object]]:
    result = cli(db, "session", "list", "Ana", "--json")
    assert result.code == 0, result.err
    found: list[dict[str, object]] = json.loads(result.out)
    return found


def test_list_shows_ids_and_plain_names_newest_first(db: Path) -> None:
    result = cli(db, "session", "list", "Ana")
    assert result.code == 0, result.err
    first = _sessions(db)[0]
    assert str(first["id"]) in result.out
    assert "Wall hip hinge" in result.out or "Push-up" in result.out
    dates = [s["session"]["date"] for s in _sessions(db)]  # type: ignore[index]
    assert dates == sorted(dates, reverse=True)


def test_edit_a_sets_reps_then_show_who_changed_what(db: Path) -> None:
    target = _sessions(db)[0]
    sid = str(target["id"])
    old = target["session"]["sets"][0]["reps"]  # type: ignore[index]
    result = cli(db, "session", "edit", "Ana", sid, "--set", "1", "--reps", "3", "--by", "Ana")
    assert result.code == 0, result.err
    assert f"set 1: reps {old} -> 3" in result.out
    assert "The coach decided again" in result.out
    shown = cli(db, "session", "show", "Ana", sid)
    assert "set 1 (warm-up): 3 reps" in shown.out
    assert "Corrected by Ana" in shown.out
    exercise = load_catalogue(None).exercises[target["session"]["exercise_id"]]  # type: ignore[index]
    assert f": {exercise.name} on " in shown.out and f" {exercise.id} " not in shown.out
    assert _sessions(db)[0]["version"] == 2


def test_delete_a_set_then_the_whole_session(db: Path) -> None:
    before = _sessions(db)
    sid = str(before[0]["id"])
    assert cli(db, "session", "delete", "Ana", sid, "--set", "1", "--by", "Ana").code == 0
    result = cli(db, "session", "delete", "Ana", sid, "--by", "Ana", "--why", "a duplicate")
    assert result.code == 0, result.err
    assert "deleted the whole session" in result.out
    assert [s["id"] for s in _sessions(db)] == [s["id"] for s in before[1:]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "1", "--reps", "-2"), "set 1"),
        (("--reps", "5"), "say which set"),
        (("--set", "99", "--reps", "5"), "no set 99"),
        ((), "nothing to change"),
    ],
)
def test_a_bad_edit_is_one_clear_line_and_changes_nothing(
    db: Path, args: tuple[str, ...], message: str
) -> None:
    before = _sessions(db)
    result = cli(db, "session", "edit", "Ana", str(before[0]["id"]), "--by", "Ana", *args)
    assert result.code != 0
    assert message in result.err
    assert "Traceback" not in result.err
    assert _sessions(db) == before


def test_an_unknown_session_id_is_refused(db: Path) -> None:
    result = cli(db, "session", "delete", "Ana", "9999", "--by", "Ana")
    assert result.code != 0
    assert "9999" in result.err


def test_log_refuses_a_hinge_session_a_day_after_another_unless_confirmed(
    db: Path, tmp_path: Path
) -> None:
    day = dt.date.today() - dt.timedelta(days=1)  # the fixture's last session: 2 days ago
    file = tmp_path / "session.json"
    file.write_text(
        json.dumps(
            {"date": day.isoformat(), "exercise_id": "wall-hip-hinge", "sets": [{"reps": 9}]}
        )
    )
    before = len(_sessions(db))
    refused = cli(db, "log", "Ana", "--file", str(file))
    assert refused.code != 0
    assert "48 h" in refused.err and "--confirm-spacing" in refused.err
    assert len(_sessions(db)) == before
    assert cli(db, "log", "Ana", "--file", str(file), "--confirm-spacing").code == 0
    assert len(_sessions(db)) == before + 1


def test_an_lb_trainee_types_and_reads_pounds(db: Path) -> None:
    assert cli(db, "trainee", "edit", "Ana", "--set", "unit=lb").code == 0
    sid = str(_sessions(db)[0]["id"])
    result = cli(db, "session", "edit", "Ana", sid, "--set", "2", "--load", "35", "--by", "Ana")
    assert result.code == 0, result.err
    stored = _sessions(db)[0]["session"]["sets"][1]  # type: ignore[index]
    assert stored["load_kg"] == pytest.approx(35 * 0.45359237)  # stored in kg
    assert "set 2: 8 reps @ 35 lb" in cli(db, "session", "show", "Ana", sid).out
    assert "@ 15.9 kg" in cli(db, "session", "show", "Ana", sid, "--unit", "kg").out
    typed = cli(db, "session", "edit", "Ana", sid, "--set", "2", "--load", "16 kg", "--by", "A")
    assert typed.code == 0, typed.err
    assert "@ 35.25 lb" in cli(db, "session", "show", "Ana", sid).out
    bad = cli(db, "session", "edit", "Ana", sid, "--set", "2", "--load", "heavy", "--by", "A")
    assert bad.code != 0 and "'180 lb'" in bad.err
