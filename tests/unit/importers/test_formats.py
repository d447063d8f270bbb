"""Reading Strong, Hevy and FitNotes exports, their variants, and refusing what is wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hingecoach.errors import InputError
from hingecoach.importers import HistoryFormat, SetKind, Unit, detect_format, read_rows

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
STRONG_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE"
)


def _read(name: str) -> tuple[HistoryFormat, list[object]]:
    fmt, rows = read_rows((FIXTURES / name).read_text(encoding="utf-8"), None)
    return fmt, list(rows)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("strong.csv", HistoryFormat.STRONG),
        ("strong_semicolon_lbs.csv", HistoryFormat.STRONG),
        ("hevy.csv", HistoryFormat.HEVY),
        ("hevy_lbs.csv", HistoryFormat.HEVY),
        ("fitnotes.csv", HistoryFormat.FITNOTES),
        ("fitnotes_lbs.csv", HistoryFormat.FITNOTES),
    ],
)
def test_the_format_is_guessed_from_the_header(name: str, fmt: HistoryFormat) -> None:
    assert _read(name)[0] is fmt


def test_strong_skips_rest_timer_rows_and_keeps_warm_up_and_drop_sets() -> None:
    _, rows = read_rows((FIXTURES / "strong.csv").read_text(), None)
    deadlift = [r for r in rows if r.exercise_name == "Deadlift (Barbell)"]
    assert [r.kind for r in deadlift] == [SetKind.WARM_UP] + [SetKind.WORK] * 3  # no rest row
    assert [r.weight_kg for r in deadlift] == [60, 130, 130, 130]
    assert [r.rpe for r in deadlift] == [None, 7.5, 8, 8]
    assert deadlift[1].started == dt.datetime(2024, 10, 29, 18, 2, 11)
    drop = [r for r in rows if r.kind is SetKind.DROP]
    assert [(d.exercise_name, d.weight_kg, d.reps) for d in drop] == [
        ("Bench Press (Barbell)", 50, 10)
    ]


def test_the_older_semicolon_strong_export_converts_pounds() -> None:
    _, rows = read_rows((FIXTURES / "strong_semicolon_lbs.csv").read_text(), None)
    first = rows[0]
    assert first.exercise_name == "Deadlift (Barbell)"
    assert first.weight_kg == pytest.approx(102.06, abs=0.01)  # 225 lb
    assert rows[2].weight_kg == pytest.approx(142.88, abs=0.01) and rows[2].rpe == 9


def test_a_strong_file_without_a_unit_column_takes_the_unit_given() -> None:
    text = f"{STRONG_HEADER}\n2024-05-01 08:00:00,A,1h,Deadlift (Barbell),1,315,5,0,0,,,\n"
    _, in_kg = read_rows(text, None)
    _, in_lb = read_rows(text, None, unit=Unit.LB)
    assert in_kg[0].weight_kg == 315
    assert in_lb[0].weight_kg == pytest.approx(142.88, abs=0.01)


def test_strong_twelve_hour_dates_with_a_narrow_space() -> None:
    line = "2024-05-01 6:30:00\u202fPM,A,1h,Deadlift (Barbell),1,100,5,0,0,,,"
    _, rows = read_rows(f"{STRONG_HEADER}\n{line}\n", None)
    assert rows[0].started == dt.datetime(2024, 5, 1, 18, 30)


def test_hevy_dates_set_types_and_pounds() -> None:
    _, rows = read_rows((FIXTURES / "hevy.csv").read_text(), None)
    assert rows[0].started == dt.datetime(2024, 11, 4, 7, 5)
    assert [r.kind for r in rows[:4]] == [
        SetKind.WARM_UP,
        SetKind.WORK,
        SetKind.WORK,
        SetKind.FAILURE,
    ]
    assert SetKind.FAILURE.is_work and not SetKind.DROP.is_work
    _, pounds = read_rows((FIXTURES / "hevy_lbs.csv").read_text(), None)
    assert pounds[1].weight_kg == pytest.approx(83.91, abs=0.01)  # 185 lb


def test_fitnotes_kgs_lbs_and_times() -> None:
    _, rows = read_rows((FIXTURES / "fitnotes.csv").read_text(), None)
    assert rows[0].started == dt.datetime(2024, 9, 10) and rows[0].weight_kg == 120
    plank = next(r for r in rows if r.exercise_name == "Plank")
    assert plank.seconds == 60 and plank.reps is None
    _, pounds = read_rows((FIXTURES / "fitnotes_lbs.csv").read_text(), None)
    assert pounds[0].weight_kg == pytest.approx(102.06, abs=0.01)


def test_every_set_has_its_own_stable_key() -> None:
    text = (FIXTURES / "fitnotes.csv").read_text()
    _, first = read_rows(text, None)
    _, again = read_rows(text, None)
    keys = [r.key for r in first]
    assert len(set(keys)) == len(keys)
    assert keys == [r.key for r in again]
    assert keys[0] == "fitnotes|2024-09-10T00:00:00|Deadlift|1"


def test_detect_format_knows_nothing_else() -> None:
    assert detect_format(["trainee", "date", "exercise_id", "reps"]) is None


@pytest.mark.parametrize(
    ("text", "fmt", "says"),
    [
        ("a,b,c\n1,2,3\n", None, "not those of a Strong, Hevy or FitNotes export"),
        (  # a Strong file saved with tabs: one column, unknown
            STRONG_HEADER.replace(",", "\t") + "\n",
            None,
            "not those of a Strong, Hevy or FitNotes export",
        ),
        ((FIXTURES / "fitnotes.csv").read_text(), HistoryFormat.HEVY, "not a Hevy export"),
        ("", None, "the file is empty"),
        (
            f"{STRONG_HEADER}\n2024-05-01 08:00:00,A,1h,Deadlift (Barbell),1,heavy,5,0,0,,,\n",
            None,
            "line 2: Weight is 'heavy', not a number",
        ),
        (
            f"{STRONG_HEADER}\n2024-05-01 08:00:00,A,1h,Deadlift (Barbell),1,100,5,0,0\n",
            None,
            "line 2: 9 cells for 12 columns",
        ),
        (
            f"{STRONG_HEADER}\n01/05/2024 08:00,A,1h,Deadlift (Barbell),1,100,5,0,0,,,\n",
            None,
            "line 2: Date '01/05/2024 08:00' is not a date",
        ),
        (
            f"{STRONG_HEADER}\n2024-05-01 08:00:00,A,1h,Deadlift (Barbell),X,100,5,0,0,,,\n",
            None,
            "Set Order 'X' is not a set number",
        ),
    ],
)
def test_bad_files_get_one_clear_line(text: str, fmt: HistoryFormat | None, says: str) -> None:
    with pytest.raises(InputError) as caught:
        read_rows(text, fmt)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)
