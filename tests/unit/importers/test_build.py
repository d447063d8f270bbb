"""From an app's sets to sessions: names mapped, other training kept, every limit checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hingecoach.errors import InputError
from hingecoach.importers import (
    OTHER_TRAINING,
    HistoryFormat,
    ImportPlan,
    SetKind,
    builtin_names,
    plan_import,
    read_rows,
)
from hingecoach.knowledge import Catalogue, load_catalogue

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
TODAY = dt.date(2025, 1, 15)
HEADER = "Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _plan(catalogue: Catalogue, text: str, known: set[str] | None = None) -> ImportPlan:
    fmt, rows = read_rows(text, None)
    return plan_import(
        fmt, rows, builtin_names(catalogue), catalogue, today=TODAY, known_keys=known or set()
    )


@pytest.mark.parametrize(
    ("app_name", "exercise_id"),
    [
        ("Deadlift (Barbell)", "conventional-deadlift"),
        ("Deadlifts", "conventional-deadlift"),
        ("Romanian Deadlift (Dumbbell)", "romanian-deadlift"),
        ("Stiff Leg Deadlift", "romanian-deadlift"),
        ("Trap Bar Deadlift", "trap-bar-deadlift"),
        ("Deadlift (Trap bar)", "trap-bar-deadlift"),
        ("Hex Bar Deadlift", "trap-bar-deadlift"),
        ("Kettlebell Swing", "kettlebell-swing"),
        ("Deadlift (Kettlebell)", "kettlebell-deadlift"),
        ("Good Morning (Barbell)", "weighted-hip-hinge"),
        ("Single Leg Romanian Deadlift (Dumbbell)", "single-leg-rdl"),
        ("Push Up", "push-up"),
        ("Push-ups", "push-up"),
        ("Bench Press (Dumbbell)", "bench-press"),
        ("Overhead Press (Barbell)", "overhead-press"),
        ("Military Press", "overhead-press"),
        ("Squat (Barbell)", None),
        ("Leg Press (Machine)", None),
    ],
)
def test_names_map_to_the_catalogue(catalogue: Catalogue, app_name: str, exercise_id: str) -> None:
    assert builtin_names(catalogue).exercise_id(app_name) == exercise_id


def test_a_users_names_add_to_the_map(catalogue: Catalogue) -> None:
    names = builtin_names(catalogue).with_user_names(
        {"Deficit Pull": "conventional-deadlift"}, catalogue, "names.yaml"
    )
    assert names.exercise_id("Deficit pull") == "conventional-deadlift"
    with pytest.raises(InputError, match="not an exercise id"):
        names.with_user_names({"X": "deadlfit"}, catalogue, "names.yaml")


def test_strong_file_becomes_sessions(catalogue: Catalogue) -> None:
    plan = _plan(catalogue, (FIXTURES / "strong.csv").read_text())
    assert plan.source is HistoryFormat.STRONG
    by_exercise = {(s.session.date, s.session.exercise_id): s.session for s in plan.sessions}
    dl = by_exercise[(dt.date(2024, 10, 29), "conventional-deadlift")]
    assert [(s.load_kg, s.reps, s.work_set) for s in dl.sets] == [
        (60, 5, False),
        (130, 5, True),
        (130, 5, True),
        (130, 5, True),
    ]
    assert [s.rpe for s in dl.work_sets] == [7.5, 8, 8]
    assert dl.notes == "imported from Strong."
    bench = by_exercise[(dt.date(2024, 11, 2), "bench-press")]
    assert [s.work_set for s in bench.sets] == [True, False]  # the drop set is kept, not work
    assert plan.kinds[SetKind.DROP] == 1 and plan.kinds[SetKind.WARM_UP] == 1
    assert plan.set_count == 13  # 14 rows, less the rest timer


def test_unmapped_names_are_kept_as_other_training_and_listed(catalogue: Catalogue) -> None:
    plan = _plan(catalogue, (FIXTURES / "strong.csv").read_text())
    assert dict(plan.unmapped) == {"Squat (Barbell)": 2, "Plank": 1, "Running": 1}
    other = [s.session for s in plan.sessions if s.session.exercise_id == OTHER_TRAINING]
    assert sorted(s.notes.split(",")[0] for s in other) == [
        "Plank",
        "Running",
        "Squat (Barbell)",
    ]
    run = next(s for s in other if s.notes.startswith("Running"))
    assert "30 min" in run.notes  # longer than a timed set holds: kept in the notes


def test_a_second_import_of_the_same_file_adds_nothing(catalogue: Catalogue) -> None:
    text = (FIXTURES / "hevy.csv").read_text()
    first = _plan(catalogue, text)
    keys = {k for s in first.sessions for k in s.keys}
    again = _plan(catalogue, text, known=keys)
    assert again.sessions == [] and again.already_imported == first.set_count


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("2025-02-01,Deadlift,Back,100,5,,,,", "dated 2025-02-01, in the future"),
        ("2024-09-10,Deadlift,Back,0,5,,,,", "a 0 kg work set of Deadlift"),
        ("2024-09-10,Trap Bar Deadlift,Back,,5,,,,", "a 0 kg work set of Trap Bar Deadlift"),
        (
            "2024-09-10,Deadlift,Back,100,500,,,,",
            "line 3: reps: Input should be less than or equal to 1",
        ),
    ],
)
def test_bad_sets_stop_the_whole_import(catalogue: Catalogue, line: str, says: str) -> None:
    text = f"{HEADER}\n2024-09-09,Deadlift,Back,100,5,,,,\n{line}\n"
    with pytest.raises(InputError) as caught:
        _plan(catalogue, text)
    assert says in str(caught.value)
    assert str(caught.value).startswith("nothing imported")


def test_a_0_kg_push_up_or_warm_up_is_fine(catalogue: Catalogue) -> None:
    text = f"{HEADER}\n2024-09-09,Push Up,Chest,0,20,,,,\n"
    plan = _plan(catalogue, text)
    assert plan.sessions[0].session.sets[0].load_kg is None


def test_many_bad_lines_are_counted_in_the_one_line(catalogue: Catalogue) -> None:
    rows = "\n".join("2024-09-10,Deadlift,Back,0,5,,,," for _ in range(4))
    with pytest.raises(InputError, match=r"line 2: .* \(3 more lines like it\)"):
        _plan(catalogue, f"{HEADER}\n{rows}\n")


def test_a_header_without_rows_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(InputError, match="no sets found"):
        _plan(catalogue, f"{HEADER}\n")
