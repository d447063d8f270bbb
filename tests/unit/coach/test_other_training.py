"""Other training (imported under a name that is no catalogue exercise): counted for the gap
around a hinge session (R-PLAN-1), never for hinge progression (R-PROG, R-REG, placement)."""

from __future__ import annotations

import pytest

from hingecoach.coach import History, Session, prescribe
from hingecoach.coach.history_placement import history_start, imported_note
from hingecoach.coach.other_training import other_training_days, works_legs_and_hips
from hingecoach.coach.spacing import check_spacing
from hingecoach.knowledge import Catalogue
from hingecoach.units import format_load
from tests.unit.coach.builders import HOME_GYM, profile, session, sets_of, work

OTHER = "other-training"


def other(day: int, name: str, n: int, **kwargs: object) -> Session:
    """A session of other training as the importers write it (the app's name in the notes)."""
    base = session(day, OTHER, sets_of(n, 5, load=100, **kwargs))
    return base.model_copy(update={"notes": imported_note("Strong", name)})


@pytest.mark.parametrize(
    ("name", "legs"),
    [
        ("Squat (Barbell)", True),
        ("Front Squat (Barbell)", True),
        ("Bulgarian Split Squats", True),
        ("Leg Press", True),
        ("Walking Lunges (Dumbbell)", True),
        ("Seated Leg Curl (Machine)", True),
        ("Hip Thrust (Barbell)", True),
        ("Sumo Deadlift (Barbell)", True),
        ("Power Clean", True),
        ("Step-up", True),
        ("Leg Extension (Machine)", False),  # single-joint, barely loads hips and back
        ("Standing Calf Raise", False),
        ("Pull Up", False),
        ("Bent Over Row (Barbell)", False),
        ("Running", False),
        ("Plank", False),
    ],
)
def test_r_plan_1_which_other_training_works_the_legs_and_hips(name: str, legs: bool) -> None:
    assert works_legs_and_hips(name) is legs


# R-PLAN-1 with other training: (stored sessions, the new hinge session's day, expected)
# expected: None, or (days apart, the leg day's names in the message)
LEG_DAY = [("Squat (Barbell)", 5), ("Leg Press", 3)]


@pytest.mark.parametrize(
    ("earlier", "new_day", "expected"),
    [
        # a hard leg day the day before is under 48 h, as a hinge session would be
        ([(0, LEG_DAY)], 1, (1, "Squat (Barbell) and Leg Press, 8 work sets", "before")),
        # a late entry: the leg day came the day after
        ([(2, LEG_DAY)], 1, (1, "Squat (Barbell) and Leg Press, 8 work sets", "after")),
        # two days is 48 h: fine
        ([(0, LEG_DAY)], 2, None),
        # the same day is one training day, not a gap
        ([(1, LEG_DAY)], 1, None),
        # three work sets for the legs count, summed over the day's names
        (
            [(0, [("Lunge", 2), ("Leg Curl", 1)])],
            1,
            (1, "Lunge and Leg Curl, 3 work sets", "before"),
        ),
        # two light sets do not
        ([(0, [("Lunge", 2)])], 1, None),
        # upper body and a run do not count for the legs and hips
        ([(0, [("Pull Up", 6), ("Bent Over Row (Barbell)", 5), ("Running", 1)])], 1, None),
    ],
)
def test_r_plan_1_a_hard_leg_day_counts_for_the_gap_when_logging(
    catalogue: Catalogue,
    earlier: list[tuple[int, list[tuple[str, int]]]],
    new_day: int,
    expected: tuple[int, str, str] | None,
) -> None:
    stored = [other(day, name, n) for day, names in earlier for name, n in names]
    warning = check_spacing(stored, session(new_day, "kettlebell-deadlift", sets_of(3)), catalogue)
    if expected is None:
        assert warning is None
        return
    days_apart, what, when = expected
    assert warning is not None and warning.rule == "R-PLAN-1"
    assert warning.days_apart == days_apart and warning.other_training == what
    assert f"({what}), one day {when} this hinge session" in warning.message
    assert "48 h" in warning.message and "log it anyway" in warning.message


def test_r_plan_1_a_hinge_session_nearby_is_named_before_a_leg_day(catalogue: Catalogue) -> None:
    stored = [other(0, "Squat (Barbell)", 5), session(0, "kettlebell-deadlift", sets_of(3))]
    warning = check_spacing(stored, session(1, "kettlebell-deadlift", sets_of(3)), catalogue)
    assert warning is not None and warning.other_training is None
    assert "You already have a hinge session" in warning.message


def test_r_plan_1_other_training_itself_is_never_held_up(catalogue: Catalogue) -> None:
    stored = [session(0, "kettlebell-deadlift", sets_of(3))]
    assert check_spacing(stored, other(1, "Squat (Barbell)", 5), catalogue) is None
    assert (
        check_spacing(
            [other(0, "Squat (Barbell)", 5)], session(1, "push-up", sets_of(3)), catalogue
        )
        is None
    )


def test_other_training_days_sum_the_legs_and_keep_every_name(catalogue: Catalogue) -> None:
    days = other_training_days(
        [other(0, "Squat (Barbell)", 5, rpe=9.5), other(0, "Pull Up", 3), other(0, "Leg Press", 3)],
        catalogue,
    )
    assert len(days) == 1
    day = days[0]
    assert day.names == ("Squat (Barbell)", "Pull Up", "Leg Press")
    assert day.legs_names == ("Squat (Barbell)", "Leg Press") and day.legs_sets == 8
    assert day.legs_top_rpe == 9.5 and day.counts_for_spacing


# --- other training never drives hinge progression -------------------------------------

HINGE_RUNS = {
    # every set at the top of the range, twice: add load (R-PROG-2)
    "top twice": [
        session(0, "kettlebell-deadlift", sets_of(3, 12, load=16, rpe=7)),
        session(2, "kettlebell-deadlift", sets_of(3, 12, load=16, rpe=7)),
    ],
    # a failed minimum twice running: step down (R-REG-7)
    "failed twice": [
        session(0, "kettlebell-deadlift", [work(10, load=20), work(4, load=20), work(4, load=20)]),
        session(2, "kettlebell-deadlift", [work(10, load=20), work(4, load=20), work(4, load=20)]),
    ],
    # half way up the range: hold
    "mid range": [session(0, "kettlebell-deadlift", sets_of(3, 9, load=16, rpe=8))],
}
OTHER_WEEK = [
    other(1, "Squat (Barbell)", 5, rpe=7),
    other(3, "Leg Press", 4, rpe=7),
    other(3, "Romanian Deadlift (Smith Machine)", 4, rpe=7),
    other(4, "Running", 1),
]


@pytest.mark.parametrize("run", list(HINGE_RUNS))
def test_r_prog_2_r_reg_7_other_training_never_drives_hinge_progression(
    catalogue: Catalogue, run: str
) -> None:
    """The same hinge sessions with a week of heavy leg training around them (and after
    them) give the same decision and prescription: other training is not a hinge set."""
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    hinges = HINGE_RUNS[run]
    alone = History(sessions=tuple(hinges))
    with_other = History(sessions=tuple(sorted([*hinges, *OTHER_WEEK], key=lambda s: s.date)))
    decision_alone, rx_alone = prescribe(who, alone, catalogue)
    decision_other, rx_other = prescribe(who, with_other, catalogue)
    assert decision_other.action == decision_alone.action
    assert decision_other.rules == decision_alone.rules
    assert rx_alone is not None and rx_other is not None
    assert (rx_other.exercise_id, rx_other.load_kg, rx_other.sets, rx_other.reps) == (
        rx_alone.exercise_id,
        rx_alone.load_kg,
        rx_alone.sets,
        rx_alone.reps,
    )


def test_other_training_never_places_from_an_imported_history(catalogue: Catalogue) -> None:
    """A heavy imported squat history does not decide the rung or the load: only the
    imported hinge sessions do."""
    imported = imported_note("Strong")
    hinges = [
        session(d, "romanian-deadlift", sets_of(3, 8, load=40, rpe=8)).model_copy(
            update={"notes": imported}
        )
        for d in (0, 7, 14)
    ]
    squats = [other(d, "Squat (Barbell)", 8, rpe=8) for d in (1, 3, 8, 10, 15, 16)]
    alone = history_start(History(sessions=tuple(hinges)), catalogue)
    mixed = history_start(
        History(sessions=tuple(sorted([*hinges, *squats], key=lambda s: s.date))), catalogue
    )
    assert alone is not None and mixed == alone
    assert mixed.exercise_id == "romanian-deadlift"


def test_placement_evidence_is_in_the_trainees_unit(catalogue: Catalogue) -> None:
    imported = imported_note("Strong")
    hinges = [
        session(d, "conventional-deadlift", sets_of(3, 5, load=140, rpe=8)).model_copy(
            update={"notes": imported}
        )
        for d in (0, 3)
    ]
    start = history_start(History(sessions=tuple(hinges)), catalogue)
    assert start is not None
    assert f": {format_load(140, 'lb')} x 5 on " in start.evidence("lb")
    assert format_load(140, "lb").endswith(" lb")
    assert ": 140 kg x 5 on " in start.evidence("kg")
