"""`hingecoach import FILE NAME --from ...` and `export --format strong`, as a person runs them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.cli_runner import Result, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
PROFILE: dict[str, Any] = {
    "age": 38,
    "goal": "strength",
    "training_history": "advanced",
    "body_mass_kg": 84,
    "equipment": {"barbell_kg": 20, "plates_kg": [25, 20, 10, 5, 2.5, 1.25]},
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "coach.db"
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(PROFILE))
    added = cli(path, "trainee", "add", "Ana", "--profile", str(profile))
    assert added.code == 0, added.err
    return path


def cli(db: Path, *args: str) -> Result:
    return run("--db", f"sqlite:///{db}", *args)


def _counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        sessions = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
        sets = conn.execute("SELECT count(*) FROM sets").fetchone()[0]
    return int(sessions), int(sets)


@pytest.mark.parametrize(
    ("name", "sessions", "sets"),
    [
        ("strong.csv", 7, 13),
        ("strong_semicolon_lbs.csv", 3, 6),
        ("hevy.csv", 5, 9),
        ("hevy_lbs.csv", 1, 3),
        ("fitnotes.csv", 5, 7),
        ("fitnotes_lbs.csv", 1, 2),
    ],
)
def test_each_format_imports_and_a_second_import_adds_nothing(
    db: Path, name: str, sessions: int, sets: int
) -> None:
    first = cli(db, "import", str(FIXTURES / name), "Ana")
    assert first.code == 0, first.err
    assert f"Imported {sets} sets into Ana's history." in first.out
    assert _counts(db) == (sessions, sets)
    again = cli(db, "import", str(FIXTURES / name), "Ana", "--json")
    assert again.code == 0, again.err
    summary = json.loads(again.out)
    assert summary["written"] == 0 and summary["already_imported"] == sets
    assert _counts(db) == (sessions, sets)


def test_the_preview_lists_other_training_and_writes_nothing(db: Path) -> None:
    shown = cli(db, "import", str(FIXTURES / "strong.csv"), "Ana", "--from", "strong", "--preview")
    assert shown.code == 0, shown.err
    assert "Deadlift (Barbell) -> Conventional deadlift: 4 sets" in shown.out
    assert "Other training" in shown.out and "Squat (Barbell): 2 sets" in shown.out
    assert "Warm-up sets: 1, drop sets: 1" in shown.out
    assert "nothing written" in shown.out
    assert _counts(db) == (0, 0)


def test_a_day_over_the_sessions_limit_is_refused_whole(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HINGECOACH_SESSIONS_MAX_PER_DAY: the export's busiest day (a deadlift, a plank and a
    squat on 29 Oct 2024, three sessions) against a limit of two: nothing is imported, the
    preview already says so, and a bad value of the setting says what to set."""
    monkeypatch.setenv("HINGECOACH_SESSIONS_MAX_PER_DAY", "2")
    for extra in ((), ("--preview",)):
        refused = cli(db, "import", str(FIXTURES / "strong.csv"), "Ana", *extra)
        assert refused.code == 2
        assert (
            "3 sessions on 29 Oct 2024 would give Ana 3 that day, more than the 2 a day takes: "
            "leave that day out, or raise the limit (HINGECOACH_SESSIONS_MAX_PER_DAY)"
        ) in " ".join(refused.err.split())
        assert _counts(db) == (0, 0)
    monkeypatch.setenv("HINGECOACH_SESSIONS_MAX_PER_DAY", "many")
    bad = cli(db, "import", str(FIXTURES / "strong.csv"), "Ana")
    assert bad.code == 2 and "HINGECOACH_SESSIONS_MAX_PER_DAY must be a whole number" in bad.err
    monkeypatch.delenv("HINGECOACH_SESSIONS_MAX_PER_DAY")
    assert cli(db, "import", str(FIXTURES / "strong.csv"), "Ana").code == 0
    assert _counts(db) == (7, 13)


def test_imported_sessions_show_in_the_history(db: Path) -> None:
    assert cli(db, "import", str(FIXTURES / "hevy.csv"), "Ana").code == 0
    history = json.loads(cli(db, "history", "Ana", "--json").out)
    deadlift = next(s for s in history if s["exercise_id"] == "conventional-deadlift")
    assert [s["work_set"] for s in deadlift["sets"]] == [False, True, True, True]
    assert [s["rpe"] for s in deadlift["sets"]] == [None, 8, 8.5, 10]
    other = next(s for s in history if s["exercise_id"] == "other-training")
    assert other["notes"] == "Leg Press (Machine), imported from Hevy."


def test_a_users_names_file_maps_more_names(db: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.yaml"
    names.write_text(yaml.safe_dump({"Squat (Barbell)": "other-training", "Plank": "push-up"}))
    shown = cli(db, "import", str(FIXTURES / "strong.csv"), "Ana", "--names", str(names), "--json")
    assert shown.code == 0, shown.err
    assert json.loads(shown.out)["mapped"]["Plank -> push-up"] == 1


def _bad(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


STRONG = (FIXTURES / "strong.csv").read_text()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (STRONG.replace(",", ";", 3), "not those of a Strong, Hevy or FitNotes export"),
        ("when,what,kg\n2024-01-01,deadlift,100\n", "not those of a Strong, Hevy or FitNotes"),
        (STRONG.replace("2024-11-02 09:15:40", "2099-11-02 09:15:40"), "in the future"),
        (STRONG.replace("Deadlift (Barbell),2,130", "Deadlift (Barbell),2,0"), "0 kg work set"),
    ],
)
def test_bad_files_exit_2_with_one_line_and_write_nothing(
    db: Path, tmp_path: Path, text: str, says: str
) -> None:
    result = cli(db, "import", str(_bad(tmp_path, text)), "Ana")
    assert result.code == 2
    assert says in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err
    assert _counts(db) == (0, 0)


def test_a_file_over_the_size_limit_is_refused_unread(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as f:  # a sparse file: 2 GB on paper, nothing on disk
        f.truncate(2 * 1024**3)
    result = cli(db, "import", str(big), "Ana", "--from", "strong")
    assert result.code == 2 and "2048.0 MB is over the 20 MB limit" in result.err
    monkeypatch.setenv("HINGECOACH_IMPORT_MAX_MB", "0.001")
    small = cli(db, "import", str(FIXTURES / "strong.csv"), "Ana")
    assert small.code == 2 and "over the 0.001 MB limit" in small.err
    assert _counts(db) == (0, 0)


def test_a_csv_needs_a_trainee_and_a_known_source(db: Path) -> None:
    nameless = cli(db, "import", str(FIXTURES / "strong.csv"))
    assert nameless.code == 2 and "name the trainee" in nameless.err
    wrong = cli(db, "import", str(FIXTURES / "strong.csv"), "Ana", "--from", "jefit")
    assert wrong.code == 2 and "--from must be one of strong, hevy, fitnotes" in wrong.err
    nobody = cli(db, "import", str(FIXTURES / "strong.csv"), "Bo")
    assert nobody.code != 0 and "Bo" in nobody.err


def test_the_strong_export_reads_back_to_the_same_sessions(db: Path, tmp_path: Path) -> None:
    assert cli(db, "import", str(FIXTURES / "strong.csv"), "Ana").code == 0
    assert cli(db, "import", str(FIXTURES / "fitnotes.csv"), "Ana").code == 0
    out = tmp_path / "ana-strong.csv"
    exported = cli(db, "export", "Ana", "--format", "strong", "--out", str(out))
    assert exported.code == 0, exported.err
    profile = tmp_path / "p.yaml"
    profile.write_text(yaml.safe_dump(PROFILE))
    assert cli(db, "trainee", "add", "Ana2", "--profile", str(profile)).code == 0
    back = cli(db, "import", str(out), "Ana2")
    assert back.code == 0, back.err

    def sessions(name: str) -> list[tuple[Any, ...]]:
        history = json.loads(cli(db, "history", name, "--json").out)
        return sorted(
            (s["date"], s["exercise_id"], json.dumps(s["sets"], sort_keys=True)) for s in history
        )

    assert sessions("Ana2") == sessions("Ana")
    again = cli(db, "import", str(out), "Ana2", "--json")
    assert json.loads(again.out)["written"] == 0


def test_today_after_an_import_starts_where_the_lifts_say(db: Path, tmp_path: Path) -> None:
    from tests.e2e.test_cli_loop import NO_FLAGS

    assert cli(db, "import", str(FIXTURES / "hevy.csv"), "Ana").code == 0
    screen = tmp_path / "answers.json"
    screen.write_text(json.dumps({**NO_FLAGS, "wall_touch_pass": False}))
    assessed = json.loads(cli(db, "assess", "Ana", "--answers", str(screen), "--json").out)
    assert assessed["placement"]["exercise_id"] == "hero-squat"
    card = cli(db, "today", "Ana")
    assert card.code == 0, card.err
    assert "from your Hevy history: 140 kg x 5 on 4 Nov" in card.out
    assert "Conventional deadlift" in card.out or "conventional deadlift" in card.out


def test_the_history_table_names_other_training_as_the_app_did(db: Path) -> None:
    assert cli(db, "import", str(FIXTURES / "fitnotes.csv"), "Ana").code == 0
    table = cli(db, "history", "Ana")
    assert table.code == 0, table.err
    assert "Lat Pulldown (other" in table.out and "conventional-deadlift" in table.out
