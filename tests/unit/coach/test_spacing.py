"""R-PLAN-1 at logging time: a hinge session under 48 h from another asks to confirm, and
two sessions on one day count as one training day for the rules that count in a row
(R-PROG-2, R-REG-7 and the others that read the run)."""

from __future__ import annotations

import pytest

from hingecoach.coach import History, prescribe
from hingecoach.coach.decisions import Action
from hingecoach.coach.spacing import check_spacing, one_session_per_day
from hingecoach.knowledge import Catalogue
from tests.unit.coach.builders import HOME_GYM, follow, history, profile, session, sets_of, work


@pytest.mark.parametrize(
    ("earlier", "new", "days_apart"),
    [
        # R-PLAN-1: same day and the next day are under 48 h; two days is enough
        ([(0, "kettlebell-deadlift")], (0, "kettlebell-deadlift"), 0),
        ([(0, "kettlebell-deadlift")], (1, "kettlebell-deadlift"), 1),
        ([(0, "kettlebell-deadlift")], (2, "kettlebell-deadlift"), None),
        ([(0, "kettlebell-deadlift")], (1, "wall-hip-hinge"), 1),  # any hinge counts
        ([(0, "push-up")], (0, "kettlebell-deadlift"), None),  # a push day does not
        ([(0, "kettlebell-deadlift")], (0, "push-up"), None),  # nor is a push-up held up
        ([(3, "kettlebell-deadlift")], (2, "kettlebell-deadlift"), 1),  # a late entry
        ([(0, "kettlebell-deadlift"), (4, "kettlebell-deadlift")], (5, "wall-hip-hinge"), 1),
    ],
)
def test_r_plan_1_spacing_when_logging(
    catalogue: Catalogue,
    earlier: list[tuple[int, str]],
    new: tuple[int, str],
    days_apart: int | None,
) -> None:
    stored = [session(day, ex, sets_of(3)) for day, ex in earlier]
    warning = check_spacing(stored, session(new[0], new[1], sets_of(3)), catalogue)
    if days_apart is None:
        assert warning is None
        return
    assert warning is not None and warning.days_apart == days_apart
    assert warning.rule == "R-PLAN-1"
    assert "48 h" in warning.message and "log it anyway" in warning.message


def test_sessions_of_one_day_merge_into_one_training_day() -> None:
    a = session(0, "kettlebell-deadlift", [work(10, load=16)], morning=1)
    b = session(0, "kettlebell-deadlift", [work(8, load=16)], morning=3)
    c = session(2, "kettlebell-deadlift", [work(12, load=16)])
    merged = one_session_per_day([c, b, a])
    assert [s.date for s in merged] == [c.date, a.date]
    assert [x.reps for x in merged[1].sets] == [10, 8]  # the order logged
    assert merged[1].next_morning_pain == 3


def test_r_reg_7_a_session_logged_twice_in_a_day_is_not_twice_running(
    catalogue: Catalogue,
) -> None:
    """The bug that stepped a trainee down: one failed set, logged twice by accident on one
    day, counted as failing the minimum twice running (R-REG-7)."""
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    past = history(session(0, "kettlebell-deadlift", sets_of(3, 10, load=16, rpe=8)))
    past, _, _ = follow(who, catalogue, past, lambda rx: [work(10, load=16), work(6, load=16)])
    twice = History(sessions=(*past.sessions, past.sessions[-1]))
    decision, rx = prescribe(who, twice, catalogue)
    assert decision.action is not Action.STEP_DOWN
    assert rx is not None and rx.exercise_id == "kettlebell-deadlift"


def test_r_prog_2_two_logs_of_one_day_are_not_two_for_two(catalogue: Catalogue) -> None:
    """Double progression needs the top of the range on two training days (R-PROG-2)."""
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    top = sets_of(3, 12, load=16, rpe=7)
    once = history(session(0, "kettlebell-deadlift", top))
    same_day = History(sessions=(*once.sessions, *once.sessions))
    two_days = history(
        session(0, "kettlebell-deadlift", top), session(2, "kettlebell-deadlift", top)
    )
    decided_twice, _ = prescribe(who, two_days, catalogue)
    decided_same_day, _ = prescribe(who, same_day, catalogue)
    decided_once, _ = prescribe(who, once, catalogue)
    assert decided_same_day.reason == decided_once.reason
    assert "Every set reached the top" in decided_twice.reason
    assert "Every set reached the top" not in decided_same_day.reason
