"""The stored coaching loop through the real command line, as a trainee or trainer uses it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.cli_runner import Result, run
from tests.unit.coach.builders import NO_RED_FLAGS

NO_FLAGS: dict[str, Any] = {
    **NO_RED_FLAGS,
    "current_pain": 0,
    "wall_touch_pass": True,
    "dowel_hinge_pass": True,
    "aslr_score": 2,
    "toe_touch_clean": False,
    "single_leg_stance_s": 20,
    "unloaded_hinge_pain": 0,
}

PROFILE: dict[str, Any] = {
    "age": 45,
    "goal": "learn",
    "training_history": "novice",
    "body_mass_kg": 70,
    "equipment": {"kettlebells_kg": [8, 12, 16]},
    "days_available": ["monday", "wednesday", "friday"],
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "profile": tmp_path / "profile.yaml",
        "answers": tmp_path / "answers.json",
        "db": tmp_path / "coach.db",
    }
    paths["profile"].write_text(yaml.safe_dump(PROFILE))
    paths["answers"].write_text(json.dumps(NO_FLAGS))
    return paths


def cli(db: Path, *args: str) -> Result:
    return run("--db", f"sqlite:///{db}", *args)


def _session_file(
    tmp_path: Path, exercise: str, reps: int, set_extra: dict[str, Any] | None = None
) -> Path:
    path = tmp_path / f"session-{exercise}-{reps}.json"
    sets = [{"rpe": 7, "reps": reps} | (set_extra or {}) for _ in range(3)]
    day = dt.date.today() - dt.timedelta(days=1)
    path.write_text(json.dumps({"date": day.isoformat(), "exercise_id": exercise, "sets": sets}))
    return path


def _sessions_in(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])


def test_the_whole_loop(files: dict[str, Path], tmp_path: Path) -> None:
    db = files["db"]
    assert cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"])).code == 0
    placed = json.loads(cli(db, "assess", "Kim", "--answers", str(files["answers"]), "--json").out)
    start = placed["placement"]["exercise_id"]
    assert start is not None and placed["placement"]["reasons"]

    card = cli(db, "today", "Kim")
    assert card.code == 0, card.err
    assert "Why:" in card.out and "tempo" in card.out

    logged = cli(db, "log", "Kim", "--file", str(_session_file(tmp_path, start, 12)), "--json")
    assert logged.code == 0, logged.err
    nxt = json.loads(logged.out)
    assert nxt["decision"]["rules"] and nxt["decision"]["reason"]

    history = json.loads(cli(db, "history", "Kim", "--json").out)
    assert len(history) == 1 and history[0]["exercise_id"] == start

    decisions = json.loads(cli(db, "decisions", "Kim", "--json").out)
    assert [d["context"] for d in decisions][:1] == ["screen"]
    assert all(d["rules"] and d["reason"] for d in decisions)

    # A trainer overrides the coach: recorded with who and why, and it steers today.
    done = cli(
        db,
        "override",
        "Kim",
        "--exercise",
        "kettlebell-deadlift",
        "--by",
        "Coach Lee",
        "--why",
        "Moves well under load in the gym",
    )
    assert done.code == 0, done.err
    again = json.loads(cli(db, "today", "Kim", "--json").out)
    assert again["prescription"]["exercise_id"] == "kettlebell-deadlift"
    last = json.loads(cli(db, "decisions", "Kim", "--json").out)
    assert any(o["made_by"] == "Coach Lee" for d in last for o in d["overrides"])
    # people read exercise names, not ids
    assert "Next session for Kim: Kettlebell deadlift." in done.out
    listed = cli(db, "decisions", "Kim").out
    assert "Coach Lee" in listed and ": Kettlebell deadlift. Why: Moves well" in listed
    assert "kettlebell-deadlift" not in listed


def test_export_import_round_trip_through_the_cli(files: dict[str, Path], tmp_path: Path) -> None:
    db = files["db"]
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    cli(db, "assess", "Kim", "--answers", str(files["answers"]))
    cli(db, "log", "Kim", "--file", str(_session_file(tmp_path, "dowel-hip-hinge", 10)))
    out = tmp_path / "kim.json"
    assert cli(db, "export", "Kim", "--out", str(out)).code == 0
    other = tmp_path / "other.db"
    assert cli(other, "import", str(out)).code == 0
    again = tmp_path / "again.json"
    assert cli(other, "export", "Kim", "--out", str(again)).code == 0
    assert json.loads(again.read_text()) == json.loads(out.read_text())
    csv_text = cli(db, "export", "--all", "--format", "csv").out
    assert csv_text.splitlines()[0].startswith("trainee,date,exercise_id,set")
    assert len(csv_text.splitlines()) == 4


@pytest.mark.parametrize(
    ("what", "set_extra", "exercise", "message"),
    [
        ("negative reps", {"reps": -3}, "dowel-hip-hinge", "greater than or equal to 0"),
        ("a load the trainee cannot make", {"load_kg": 14}, "kettlebell-deadlift", "14 kg"),
        ("an unknown exercise", {}, "dowel-hinge-deluxe", "unknown exercise"),
        (
            "a fault that is not in the catalogue",
            {"form": "minor", "faults": ["wobble"]},
            "dowel-hip-hinge",
            "unknown fault",
        ),
    ],
)
def test_bad_sessions_are_refused_and_nothing_is_written(
    files: dict[str, Path],
    tmp_path: Path,
    what: str,
    set_extra: dict[str, Any],
    exercise: str,
    message: str,
) -> None:
    db = files["db"]
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    cli(db, "assess", "Kim", "--answers", str(files["answers"]))
    result = cli(db, "log", "Kim", "--file", str(_session_file(tmp_path, exercise, 10, set_extra)))
    assert result.code == 2, what
    assert message in result.err and "Traceback" not in result.err
    assert _sessions_in(db) == 0


def test_a_session_dated_in_the_future_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    db = files["db"]
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    path = tmp_path / "future.json"
    day = dt.date.today() + dt.timedelta(days=3)
    path.write_text(
        json.dumps(
            {"date": day.isoformat(), "exercise_id": "dowel-hip-hinge", "sets": [{"reps": 10}]}
        )
    )
    result = cli(db, "log", "Kim", "--file", str(path))
    assert result.code == 2 and "in the future" in result.err
    assert _sessions_in(db) == 0


def test_unknown_trainee_and_malformed_files(files: dict[str, Path], tmp_path: Path) -> None:
    db = files["db"]
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    unknown = cli(db, "today", "Kym")
    assert unknown.code == 2 and "did you mean 'Kim'" in unknown.err
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "hingecoach-export", "trainees": [')
    bad = cli(db, "import", str(broken))
    assert bad.code == 2 and "not valid JSON" in bad.err
    wrong = tmp_path / "profile-bad.yaml"
    wrong.write_text(yaml.safe_dump({**PROFILE, "body_mass_kg": "heavy"}))
    refused = cli(db, "trainee", "add", "Lou", "--profile", str(wrong))
    assert refused.code == 2 and "body_mass_kg" in refused.err


def test_a_database_from_a_newer_release_is_refused(files: dict[str, Path]) -> None:
    db = files["db"]
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    result = cli(db, "trainee", "list")
    assert result.code == 4 and "newer hingecoach" in result.err


def test_stateless_commands_from_files(files: dict[str, Path], tmp_path: Path) -> None:
    """`assess`, `next` and `adjust` work on files alone, for scripts."""
    placed = run(
        "assess", "--profile", str(files["profile"]), "--answers", str(files["answers"]), "--json"
    )
    assert placed.code == 0, placed.err
    start = json.loads(placed.out)["placement"]["exercise_id"]
    history = tmp_path / "history.json"
    history.write_text(json.dumps({"sessions": []}))
    nxt = run(
        "next",
        "--profile",
        str(files["profile"]),
        "--history",
        str(history),
        "--start",
        start,
        "--json",
    )
    assert nxt.code == 0, nxt.err
    assert json.loads(nxt.out)["prescription"]["exercise_id"] == start
    one_set = tmp_path / "set.json"
    one_set.write_text(json.dumps({"reps": 10, "pain": 7}))
    adjusted = run(
        "adjust",
        "--profile",
        str(files["profile"]),
        "--history",
        str(history),
        "--start",
        start,
        "--set",
        str(one_set),
        "--json",
    )
    assert adjusted.code == 0, adjusted.err
    body = json.loads(adjusted.out)
    assert body["decision"]["action"] == "stop" and "R-SAFE-3" in body["decision"]["rules"]
    assert body["next_set"] is None


def test_schema_prints_json_schema() -> None:
    schema = json.loads(run("schema", "profile").out)
    assert "body_mass_kg" in schema["properties"]
    assert run("schema", "profil").code == 2


def test_interactive_log_adjusts_after_each_set(files: dict[str, Path], monkeypatch: Any) -> None:
    """`hingecoach log NAME` asks set by set and shows the next set after each."""
    import io

    db = files["db"]
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    cli(db, "assess", "Kim", "--answers", str(files["answers"]))
    # set 1: 12 reps, RPE 7, clean, pain 0; set 2: 12 reps, RPE 7, clean, pain 4; then stop
    answers = "12\n7\nclean\n0\n12\n7\nclean\n4\n\n\nfelt good\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    result = cli(db, "log", "Kim")
    assert result.code == 0, result.err + result.out
    assert "Set 2:" in result.out and "Set 3:" in result.out
    assert "R-SAFE-3" in result.out  # pain 4: finish, no progression, next set easier
    assert _sessions_in(db) == 1


TRACKS = Path(__file__).resolve().parents[1] / "fixtures" / "tracks"


def test_a_clip_of_a_set_is_logged_and_steers_the_coach(files: dict[str, Path]) -> None:
    """`log NAME --video CLIP`: reps, form and faults come from the analysis (R-FORM-4) and
    feed the next decision like the person's own ratings (R-REG-1)."""
    db = files["db"]
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    cli(db, "assess", "Kim", "--answers", str(files["answers"]))
    result = cli(
        db,
        "log",
        "Kim",
        "--video",
        str(TRACKS / "kb-deadlift-rounded.npz"),
        "--video",
        str(TRACKS / "kb-deadlift-clean.npz"),
        "--exercise",
        "kettlebell-deadlift",
        "--load-kg",
        "16",
        "--rpe",
        "7",
        "--json",
    )
    assert result.code == 0, result.err
    [session] = json.loads(cli(db, "history", "Kim", "--json").out)
    first, second = session["sets"]
    assert first["reps"] == 4 and first["form"] == "breakdown"
    assert "back-rounding" in first["faults"]
    assert second["form"] == "clean" and second["faults"] == []
    decision = json.loads(
        result.out.split("\n", 2)[-1] if not result.out.startswith("{") else result.out
    )["decision"]
    assert "R-REG-1" in decision["rules"]


def test_a_clip_filmed_from_the_front_is_refused_and_nothing_is_logged(
    files: dict[str, Path],
) -> None:
    db = files["db"]
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    cli(db, "assess", "Kim", "--answers", str(files["answers"]))
    result = cli(
        db,
        "log",
        "Kim",
        "--video",
        str(TRACKS / "goblet-squat-front.npz"),
        "--exercise",
        "kettlebell-deadlift",
    )
    assert result.code == 3 and "side" in result.err
    assert _sessions_in(db) == 0


def test_notes_from_the_command_line_are_dated_entries(files: dict[str, Path]) -> None:
    db = files["db"]
    profile = str(files["profile"])
    assert cli(db, "trainee", "add", "Kim", "--profile", profile, "--notes", "First.").code == 0
    edited = cli(db, "trainee", "edit", "Kim", "--note", "Second: knees soft.")
    assert edited.code == 0, edited.err
    shown = cli(db, "trainee", "show", "Kim")
    assert "Notes (newest first):" in shown.out
    assert shown.out.index("command line: Second: knees soft.") < shown.out.index(
        "command line: First."
    )
    notes = json.loads(cli(db, "trainee", "show", "Kim", "--json").out)["notes"]
    assert [n["text"] for n in notes] == ["Second: knees soft.", "First."]
    assert all(n["author"] == "command line" and n["written_at"] for n in notes)
    empty = cli(db, "trainee", "edit", "Kim", "--note", "  ")
    assert empty.code != 0 and "a note needs some text" in empty.err


def test_an_lb_trainee_reads_and_types_pounds_in_today_and_log(
    files: dict[str, Path], tmp_path: Path, monkeypatch: Any
) -> None:
    """An lb trainee's card and `log` are in lb; "180 lb"-style input is read as the owned
    load in kg it means, and a load that is not one is asked again."""
    import io

    db = files["db"]
    strength = PROFILE | {
        "goal": "strength",
        "training_history": "intermediate",
        "unit": "lb",
        "equipment": {"kettlebells_kg": [12, 16, 20]},
    }
    files["profile"].write_text(yaml.safe_dump(strength))
    cli(db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    cli(db, "assess", "Kim", "--answers", str(files["answers"]))
    past = _session_file(tmp_path, "kettlebell-deadlift", 10, {"load_kg": 16})
    assert cli(db, "log", "Kim", "--file", str(past)).code == 0
    card = cli(db, "today", "Kim")
    assert "one 44 lb kettlebell" in card.out and "about 44 lb" in card.out
    assert " kg" not in card.out, card.out
    plan = cli(db, "plan", "Kim", "--weeks", "4")
    assert plan.code == 0, plan.err
    assert "@ 44 lb" in plan.out and " kg" not in plan.out, plan.out
    # set 1: the load shown (44 lb: the 20 kg bell); set 2: "heavy", then "35.25 lb"
    answers = "4\n\n7\nclean\n0\n4\nheavy\n35.25 lb\n7\nclean\n0\n\nok\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    result = cli(db, "log", "Kim", "--confirm-spacing")
    assert result.code == 0, result.err + result.out
    assert "Load in lb [44]" in result.out
    assert "like '80 kg' or '180 lb'" in result.err + result.out
    from hingecoach.services.coaching import list_sessions
    from hingecoach.store.migrate import open_database

    engine = open_database(f"sqlite:///{db}")
    logged = list_sessions(engine, "Kim")[-1]
    engine.dispose()
    assert [s.load_kg for s in logged.sets] == [20, 16], "the owned bells, stored in kg"
