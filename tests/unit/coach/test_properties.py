"""Properties that hold for any person and any valid history (Hypothesis).

A regression never raises load or moves up the ladder; a progression moves at most one
rung; a prescribed load is always one the person can make; safety outcomes are never
overridden; the engine never crashes on a valid history (empty, one set, long, only pain,
only faults).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hingecoach.coach import (
    Action,
    History,
    OwnedEquipment,
    Profile,
    Session,
    SetLog,
    adjust_set,
    available_loads,
    place,
    prescribe,
)
from hingecoach.coach.loads import choose_load_mode
from hingecoach.knowledge import Catalogue, load_catalogue

from .builders import NO_RED_FLAGS, answers

PROPS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@cache
def cat() -> Catalogue:
    return load_catalogue([])


HINGES = sorted(e.id for e in cat().exercises.values() if e.is_hinge)
FAULTS = sorted(cat().faults)

equipment = st.builds(
    OwnedEquipment,
    kettlebells_kg=st.lists(st.sampled_from([4, 6, 8, 12, 16, 20, 24, 28, 32]), max_size=5),
    dumbbells_kg=st.lists(st.sampled_from([2.5, 5, 7.5, 10, 12.5, 15]), max_size=4),
    barbell_kg=st.sampled_from([None, 15, 20]),
    trap_bar_kg=st.sampled_from([None, 25, 30]),
    plates_kg=st.lists(st.sampled_from([1.25, 2.5, 5, 10, 20]), max_size=6),
    bands=st.sampled_from([[], ["light"], ["light", "medium", "heavy"]]),
    cable_stack_kg=st.lists(st.sampled_from([5, 10, 15, 20, 25]), max_size=4),
    blocks=st.booleans(),
)

profiles = st.builds(
    Profile,
    age=st.integers(16, 85),
    goal=st.sampled_from(["learn", "pain-free", "strength", "hypertrophy", "power"]),
    training_history=st.sampled_from(["novice", "intermediate", "advanced"]),
    body_mass_kg=st.floats(40, 150),
    equipment=equipment,
    preferred_dose=st.sampled_from(["reps", "seconds"]),
    baseline_pain=st.integers(0, 4),
)


@st.composite
def set_logs(
    draw: Any, loads: tuple[float, ...] = (), pain: Any = None, faulty: Any = None
) -> SetLog:
    form = draw(
        faulty if faulty is not None else st.sampled_from(["clean", "clean", "minor", "breakdown"])
    )
    faults = (
        draw(st.lists(st.sampled_from(FAULTS), max_size=2, unique=True)) if form != "clean" else []
    )
    timed = draw(st.booleans()) if draw(st.integers(0, 5)) == 0 else False
    return SetLog(
        reps=None if timed else draw(st.integers(0, 20)),
        seconds=draw(st.floats(0, 90)) if timed else None,
        load_kg=draw(st.sampled_from(loads)) if loads and draw(st.booleans()) else None,
        rpe=draw(st.one_of(st.none(), st.sampled_from([5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10]))),
        pain=draw(pain if pain is not None else st.sampled_from([0, 0, 0, 1, 2, 3, 4, 6, 8])),
        pain_quality=draw(st.lists(st.sampled_from(["burning", "sharp", "tingling"]), max_size=1))
        if draw(st.integers(0, 9)) == 0
        else [],
        form=form,
        faults=faults,
        work_set=draw(st.integers(0, 6)) != 0,
    )


@st.composite
def histories(
    draw: Any, who: Profile, pain: Any = None, faulty: Any = None, max_sessions: int = 12
) -> History:
    current = draw(st.sampled_from(HINGES))
    count = draw(st.integers(0, max_sessions))
    day = dt.date(2024, 1, 1)
    sessions = []
    for _ in range(count):
        ex = current if draw(st.integers(0, 4)) else draw(st.sampled_from([*HINGES, "push-up"]))
        exercise = cat().exercises[ex]
        loads: tuple[float, ...] = ()
        for mode in exercise.load_modes:
            loads += available_loads(who.equipment, mode)
        sets = draw(st.lists(set_logs(loads, pain, faulty), max_size=6))
        sessions.append(
            Session(
                date=day,
                exercise_id=ex,
                sets=tuple(sets),
                next_morning_pain=draw(st.one_of(st.none(), st.integers(0, 8))),
                fatigue_flag=draw(st.integers(0, 9)) == 0,
            )
        )
        day += dt.timedelta(days=draw(st.integers(1, 9)))
    return History(sessions=tuple(sessions))


def _last_hinge(history: History) -> Session | None:
    for s in reversed(history.sessions):
        if cat().exercises[s.exercise_id].is_hinge:
            return s
    return None


def _below(start: str) -> set[str]:
    """Every rung reachable from ``start`` by regressions."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in cat().exercises[todo.pop()].regresses_to:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _check(who: Profile, history: History, start: str) -> None:
    decision, rx = prescribe(
        who, history, cat(), placement_or_current_exercise=None if _last_hinge(history) else start
    )
    assert decision.rules and decision.reason and decision.do_now
    last = _last_hinge(history)
    current = last.exercise_id if last else start
    if rx is None:
        assert decision.action in (Action.STOP, Action.REFER, Action.EMERGENCY)
        return
    # no rung needs a load the person lacks (R-RX-6)
    assert choose_load_mode(cat().exercises[rx.exercise_id], who.equipment) is not None
    # a prescribed load is always one the person can make (R-RX-6)
    if rx.load_kg is not None:
        assert rx.load_kg in available_loads(who.equipment, rx.load_mode)
    if rx.band is not None:
        assert rx.band in who.equipment.bands
    # a progression moves at most one rung (R-PROG-1)
    if decision.action is Action.PROGRESS:
        assert rx.exercise_id == current or rx.exercise_id in cat().exercises[current].progresses_to
    elif decision.action is Action.STEP_DOWN:
        assert rx.exercise_id in _below(current)  # never up the ladder (R-REG-7)
    elif "R-RX-6" in decision.rules and rx.exercise_id != current:
        assert rx.exercise_id in _below(current)  # the rung they can do now (R-RX-6)
    else:
        assert rx.exercise_id == current
    # a regression never raises load (R-REG)
    if decision.action in (Action.REGRESS, Action.STEP_DOWN) and last is not None:
        before = [s.load_kg for s in last.work_sets if s.load_kg is not None]
        if before and rx.load_kg is not None:
            owned = available_loads(who.equipment, rx.load_mode)
            if owned and owned[0] <= before[-1]:
                assert rx.load_kg <= before[-1]


@PROPS
@given(st.data(), profiles)
def test_the_engine_never_crashes_and_keeps_its_promises(data: Any, who: Profile) -> None:
    history = data.draw(histories(who))
    _check(who, history, data.draw(st.sampled_from(HINGES)))


@PROPS
@given(st.data(), profiles)
def test_only_pain_histories(data: Any, who: Profile) -> None:
    history = data.draw(histories(who, pain=st.integers(3, 10)))
    _check(who, history, "dowel-hip-hinge")


@PROPS
@given(st.data(), profiles)
def test_only_fault_histories(data: Any, who: Profile) -> None:
    history = data.draw(histories(who, faulty=st.sampled_from(["minor", "breakdown"])))
    _check(who, history, "kettlebell-deadlift")


@PROPS
@given(profiles, st.sampled_from(HINGES))
def test_empty_and_one_set_histories(who: Profile, start: str) -> None:
    _check(who, History(), start)
    one = History(
        sessions=(Session(date=dt.date(2024, 1, 1), exercise_id=start, sets=(SetLog(reps=5),)),)
    )
    _check(who, one, start)


red_flags = st.sampled_from(
    [
        k
        for k in NO_RED_FLAGS
        if k
        in {
            "saddle_numbness",
            "new_bladder_problems",
            "new_bowel_problems",
            "symptoms_in_both_legs",
            "worsening_leg_weakness",
            "new_sexual_dysfunction_with_back_or_leg_pain",
        }
    ]
)


@PROPS
@given(st.data(), profiles, red_flags)
def test_safety_outcomes_are_never_overridden(data: Any, who: Profile, flag: str) -> None:
    """An emergency answer wins over any screens, video and history (R-SAFE-1)."""
    screens = answers(
        **{flag: True},
        aslr_score=data.draw(st.integers(0, 3)),
        wall_touch_pass=data.draw(st.booleans()),
        technique_video_exercise_id=data.draw(st.sampled_from([None, *HINGES])),
        clinician_cleared=data.draw(st.booleans()),
    )
    placement = place(who, screens, cat())
    assert placement.blocked and placement.safety is not None
    assert placement.safety.action is Action.EMERGENCY
    history = data.draw(histories(who))
    decision, rx = prescribe(who, history, cat(), placement_or_current_exercise=placement)
    assert decision.action is Action.EMERGENCY and rx is None
    decision, rx = prescribe(
        who, history, cat(), placement_or_current_exercise="dowel-hip-hinge", screen_answers=screens
    )
    assert decision.action is Action.EMERGENCY and rx is None


@PROPS
@given(st.data(), profiles, st.sampled_from(HINGES))
def test_within_a_session_loads_stay_makeable_and_regressions_never_add_load(
    data: Any, who: Profile, start: str
) -> None:
    _, rx = prescribe(who, History(), cat(), placement_or_current_exercise=start)
    assert rx is not None
    loads = available_loads(who.equipment, rx.load_mode)
    sets = data.draw(st.lists(set_logs(loads), max_size=7))
    _, planned = adjust_set(who, rx, [], cat())
    for k in range(1, len(sets) + 1):
        if planned is None:
            break  # the session is already over
        decision, nxt = adjust_set(who, rx, sets[:k], cat())
        assert decision.do_now and decision.rules
        logged = sets[k - 1]
        if logged.stopping_qualities or logged.pain >= 6:  # R-SAFE-3, R-SAFE-4
            assert decision.action is Action.STOP and nxt is None
        if nxt is not None and nxt.load_kg is not None:
            assert nxt.load_kg in loads  # R-RX-6
        if (
            decision.action is Action.REGRESS
            and nxt is not None
            and nxt.load_kg is not None
            and planned.load_kg is not None
        ):
            assert nxt.load_kg <= planned.load_kg  # a regression never adds load
        planned = nxt


@settings(max_examples=8, deadline=None, database=None)
@given(st.integers(0, 10_000), st.integers(0, 110))
def test_years_long_histories(seed: int, weeks: int) -> None:
    """Up to two years of (demo) training, any seed: the promises still hold."""
    from hingecoach.coach import demo_history, demo_profile

    _check(demo_profile(), demo_history(weeks=weeks, seed=seed), "hero-squat")
