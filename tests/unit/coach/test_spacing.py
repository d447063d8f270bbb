"""R-PLAN-1 at logging time: a hinge session under 48 h from another asks to confirm, and
two sessions on one day count as one training day for the rules that count in a row
(R-PROG-2, R-REG-7 and the others that read the run)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hingecoach.coach import History, Prescription, Session, prescribe
from hingecoach.coach.decisions import Action
from hingecoach.coach.history import read_state
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


def _merged_pair_by_pair(sessions_newest_first: Sequence[Session]) -> list[Session]:
    """The training days as defined one log at a time: each earlier log of the day folded
    into the later ones (sets in the order logged, the later prescription, the worse
    next-morning pain, either fatigue flag, notes joined, at most 2000 characters)."""
    merged: list[Session] = []
    for earlier in sessions_newest_first:
        later = merged[-1] if merged else None
        if later is None or (later.date, later.exercise_id) != (earlier.date, earlier.exercise_id):
            merged.append(earlier)
            continue
        pains = [p for p in (earlier.next_morning_pain, later.next_morning_pain) if p is not None]
        merged[-1] = later.model_copy(
            update={
                "sets": earlier.sets + later.sets,
                "prescription": later.prescription or earlier.prescription,
                "next_morning_pain": max(pains) if pains else None,
                "fatigue_flag": earlier.fatigue_flag or later.fatigue_flag,
                "notes": " / ".join(n for n in (earlier.notes, later.notes) if n)[:2000],
            }
        )
    return merged


def _kettlebell_rx(catalogue: Catalogue) -> Prescription:
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    past = history(session(0, "kettlebell-deadlift", sets_of(3, 10, load=16, rpe=8)))
    _, rx = prescribe(who, past, catalogue)
    assert rx is not None and rx.exercise_id == "kettlebell-deadlift"
    return rx


_LOGS = st.lists(
    st.tuples(
        st.integers(0, 2),  # days back
        st.sampled_from(["kettlebell-deadlift", "wall-hip-hinge"]),
        st.lists(st.integers(1, 15), min_size=0, max_size=3),  # reps of each set
        st.booleans(),  # followed a prescription (the kettlebell's)
        st.none() | st.integers(0, 10),  # next-morning pain
        st.booleans(),  # fatigue flag
        st.sampled_from(["", "easy", "x" * 1500]),  # notes, long ones cut at 2000
    ),
    max_size=12,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(logs=_LOGS)
def test_a_day_logged_many_times_merges_as_one_log_at_a_time(
    catalogue: Catalogue, logs: list[tuple[int, str, list[int], bool, int | None, bool, str]]
) -> None:
    """Each day's logs are merged in one go (not one pair at a time, which cost the
    square of the day's logs); the training days are exactly those of the pairwise fold:
    sets, prescription, pain, fatigue flag and notes."""
    rx = _kettlebell_rx(catalogue)
    newest_first = [
        session(
            -back,
            ex,
            [work(r) for r in reps],
            prescription=rx if with_rx and ex == rx.exercise_id else None,
            morning=morning,
            fatigue=fatigue,
        ).model_copy(update={"notes": notes})
        for back, ex, reps, with_rx, morning, fatigue, notes in sorted(logs, key=lambda x: x[0])
    ]
    merged = one_session_per_day(newest_first)
    expected = _merged_pair_by_pair(newest_first)
    assert merged == expected
    assert [m.model_dump() for m in merged] == [e.model_dump() for e in expected]
    assert [m.model_fields_set for m in merged] == [e.model_fields_set for e in expected]


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


def test_a_merged_day_reads_as_its_sets_do(catalogue: Catalogue) -> None:
    """What the rules read of a merged day (its work sets, the summary a decision shows,
    its pain, its fault cues) is what its sets say, warm-ups left out, faults newest first."""
    from hingecoach.coach.graduation import summarise_session
    from hingecoach.coach.history import SessionView
    from hingecoach.coach.prescription import _recent_faults
    from hingecoach.coach.safety import session_pain

    ex = "kettlebell-deadlift"
    faulty = work(12, load=16, form="minor", faults=["chest-drop", "back-rounding"])
    early = session(0, ex, [faulty, work(12, load=16, warm_up=True)])
    minor = work(11, load=16, pain=2, form="minor", faults=["hips-rise-early", "chest-drop"])
    late = session(0, ex, [work(12, load=16), minor], morning=1)
    day = one_session_per_day([late, early])[0]
    assert [s.reps for s in day.work_sets] == [12, 12, 11]
    view = SessionView(day, (), 0, None)
    assert summarise_session(view) == "3 sets of 12/12/11 at 16 kg, clean/minor, pain 2/10"
    clean = SessionView(session(1, ex, [work(12, load=16)]), (), 0, None)
    assert summarise_session(clean) == "1 set of 12 at 16 kg, clean, pain 0/10"
    assert session_pain(day) == 2
    assert session_pain(day.model_copy(update={"next_morning_pain": 4})) == 4
    assert session_pain(session(1, ex, [])) == 0
    state = read_state(history(early, late), catalogue)
    assert state is not None
    assert _recent_faults(state, state.exercise) == [
        "chest-drop",
        "back-rounding",
        "hips-rise-early",
    ]
