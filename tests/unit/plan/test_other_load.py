"""Other training in the plan: a hard leg day counts for the gap (R-PLAN-1), and every week
counts other training in its load (R-PLAN-4); with 10+ work sets a week for the legs and
hips elsewhere the accessory hinge is left out (R-PLAN-2). The hinge work itself is never
steered by it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hingecoach.coach import History, Session
from hingecoach.coach.history_placement import imported_note
from hingecoach.knowledge import Catalogue, load_catalogue
from hingecoach.plan import Plan, PlanWeek, SessionStatus, WeekKind, build_plan, replan
from hingecoach.plan.cycle import early_deload
from hingecoach.plan.defaults import (
    HARD_GAP_H,
    HARD_SESSION_RPE,
    MIN_GAP_H,
    OTHER_HARD_DAY_SETS,
    OTHER_LEGS_SETS_ENOUGH,
    OTHER_LOAD_WEEKS,
)
from tests.unit.coach.builders import DAY0, HOME_GYM, profile, session, sets_of

CATALOGUE = load_catalogue([])
START = 28  # the plan starts on day 28 after DAY0, a Monday
WHO = profile(goal="hypertrophy", training_history="intermediate", equipment=HOME_GYM)


def hinges(days: range | tuple[int, ...] = (14, 16, 18, 21, 23, 25)) -> list[Session]:
    """Kettlebell deadlifts with a rep more each time (so no early deload is due)."""
    return [
        session(d, "kettlebell-deadlift", sets_of(3, 8 + i % 5, load=20, rpe=8))
        for i, d in enumerate(days)
    ]


def other(day: int, name: str, n: int, rpe: float | None = 8) -> Session:
    base = session(day, "other-training", sets_of(n, 5, load=100, rpe=rpe))
    return base.model_copy(update={"notes": imported_note("Strong", name)})


def leg_weeks(per_week: list[tuple[int, str, int]], weeks: range) -> list[Session]:
    """The same leg days every week: (weekday, name, work sets)."""
    return [other(7 * w + d, name, n) for w in weeks for d, name, n in per_week]


def plan_of(sessions: list[Session], catalogue: Catalogue, weeks: int = 6) -> Plan:
    history = History(sessions=tuple(sorted(sessions, key=lambda s: s.date)))
    return build_plan(WHO, history, catalogue, weeks=weeks, start=DAY0 + dt.timedelta(START))


def accessory_hinges(week: PlanWeek) -> set[str]:
    return {
        e.name
        for s in week.sessions
        for b in s.blocks
        if b.purpose.value == "accessory"
        for e in b.exercises
        if e.is_hinge
    }


THREE_LEG_DAYS = [(1, "Squat (Barbell)", 5), (1, "Leg Press", 3), (3, "Squat (Barbell)", 5)]
THREE_LEG_DAYS += [(3, "Leg Press", 3), (5, "Lunge", 8)]  # 24 work sets a week
RECENT = range(0, OTHER_LOAD_WEEKS)


@pytest.mark.parametrize(
    ("case", "sessions", "other_sets", "accessory_kept"),
    [
        ("no other training", [], None, True),
        ("one leg day a week", leg_weeks([(1, "Squat (Barbell)", 5)], RECENT), 5, True),
        ("three leg days a week", leg_weeks(THREE_LEG_DAYS, RECENT), 24, False),
        # a heavy block that ended two months ago says nothing about the weeks ahead
        ("long ago", leg_weeks(THREE_LEG_DAYS, range(-8, -4)), None, True),
        # upper body and runs are kept in the history, not counted for the legs and hips
        ("upper body", leg_weeks([(1, "Pull Up", 8), (3, "Running", 1)], RECENT), None, True),
    ],
)
def test_r_plan_4_other_training_counts_in_the_weeks_load(
    catalogue: Catalogue,
    case: str,
    sessions: list[Session],
    other_sets: int | None,
    accessory_kept: bool,
) -> None:
    plan = plan_of([*hinges(), *sessions], catalogue)
    for week in plan.plan_weeks:
        assert (week.kind is WeekKind.DELOAD) is (week.number == 5), case  # every 5 weeks
        if other_sets is None:
            assert week.load is None, case
        else:
            load = week.load
            assert load is not None and load.expected and load.other_sets == other_sets
            planned = sum(
                e.sets
                for s in week.sessions
                for b in s.blocks
                if b.purpose.value != "warm-up"
                for e in b.exercises
                if e.is_hinge
            )
            assert load.hinge_sets == planned and load.total_sets == planned + other_sets
            assert f"about {other_sets} work sets a week" in load.reason.text
            assert "R-PLAN-4" in load.reason.rules
        assert bool(accessory_hinges(week)) is accessory_kept, case
        if not accessory_kept:
            assert load is not None and "R-PLAN-2" in load.reason.rules
            assert "leaves out the light accessory hinge (banded hip hinge)" in load.reason.text
            assert f"{OTHER_LEGS_SETS_ENOUGH} or more work sets a week" in load.reason.text


def test_r_plan_4_the_weeks_load_names_the_other_training_in_plain_words(
    catalogue: Catalogue,
) -> None:
    plan = plan_of([*hinges(), *leg_weeks(THREE_LEG_DAYS, RECENT)], catalogue)
    load = plan.plan_weeks[0].load
    assert load is not None
    text = load.reason.text
    assert text.startswith(
        "Other training: in your last 4 weeks you also trained your legs and hips about 3 "
        "days a week (Squat (Barbell), Leg Press and Lunge), about 24 work sets a week."
    )


def test_r_plan_4_a_deload_week_asks_to_ease_the_other_training_too(
    catalogue: Catalogue,
) -> None:
    plan = plan_of([*hinges(), *leg_weeks(THREE_LEG_DAYS, RECENT)], catalogue)
    deload = next(w for w in plan.plan_weeks if w.is_deload)
    build = next(w for w in plan.plan_weeks if not w.is_deload)
    assert deload.load is not None and build.load is not None
    assert "ease your other leg training too, about half the sets" in deload.load.reason.text
    assert "ease your other leg training" not in build.load.reason.text
    assert deload.load.hinge_sets < build.load.hinge_sets  # about half the hinge sets


def test_r_plan_4_other_training_is_no_early_deload_trigger(catalogue: Catalogue) -> None:
    """R-PLAN-4 names the triggers (a flat e1RM, fatigue or soreness flags); heavy leg
    training with a flat e1RM of its own is neither, and never reads as the hinge's."""
    heavy_flat = leg_weeks([(1, "Squat (Barbell)", 8), (3, "Squat (Barbell)", 8)], RECENT)
    history = History(sessions=tuple(sorted([*hinges(), *heavy_flat], key=lambda s: s.date)))
    assert early_deload(WHO, history, catalogue) is None
    flat_hinge = [
        session(d, "kettlebell-deadlift", sets_of(3, 8, load=20, rpe=8)) for d in (0, 2, 4, 7)
    ]
    squats = [other(d, "Squat (Barbell)", 5, rpe=7 + d / 4) for d in (1, 3, 5, 8)]
    mixed = History(sessions=tuple(sorted([*flat_hinge, *squats], key=lambda s: s.date)))
    reason = early_deload(WHO, mixed, catalogue)
    assert reason is not None and "kettlebell deadlift has been flat" in reason.text


@pytest.mark.parametrize(
    ("leg_day", "rpe", "moved_or_dropped", "gap_h"),
    [
        (-1, 8.0, True, 48),  # Sunday's leg day: Monday is 24 h after it
        (-2, 8.0, False, 48),  # Saturday's: Monday is 48 h after, fine
        (-2, 9.5, True, 72),  # Saturday's at RPE 9.5: 72 h, as after a hard hinge session
        (-3, 9.5, False, 72),  # Friday's at RPE 9.5: Monday is 72 h after it
    ],
)
def test_r_plan_1_a_hard_leg_day_keeps_the_first_hinge_session_away(
    catalogue: Catalogue, leg_day: int, rpe: float, moved_or_dropped: bool, gap_h: int
) -> None:
    legs = [other(START + leg_day, "Squat (Barbell)", 5, rpe=rpe)]
    first = plan_of([*hinges(), *legs], catalogue).plan_weeks[0].sessions[0]
    monday = DAY0 + dt.timedelta(START)
    if not moved_or_dropped:
        assert first.date == monday and first.status is SessionStatus.PLANNED
        return
    assert first.date != monday or first.status is SessionStatus.DROPPED
    note = (first.notes or ())[0] if first.notes else None
    assert note is not None and "R-PLAN-1" in note.rules
    assert f"at least {gap_h} h after your leg training on " in note.text
    assert "(Squat (Barbell), 5 work sets)" in note.text


def test_r_plan_1_a_few_light_leg_sets_do_not_move_a_session(catalogue: Catalogue) -> None:
    first = plan_of([*hinges(), other(START - 1, "Lunge", 2)], catalogue).plan_weeks[0]
    assert first.sessions[0].date == DAY0 + dt.timedelta(START) and not first.sessions[0].notes


def test_r_plan_5_a_replanned_week_shows_the_other_training_logged(catalogue: Catalogue) -> None:
    """R-PLAN-5 with R-PLAN-1/4: a week gone shows the other training logged in it, by the
    app's names, counted with its hinge work; a leg day on a hinge day is one training day
    and the logged summary names it as the app did."""
    monday = DAY0 + dt.timedelta(START)
    plan = plan_of(hinges(), catalogue)
    lived = [
        *hinges(),
        session(START, "kettlebell-deadlift", sets_of(3, 10, load=20, rpe=8)),
        other(START, "Squat (Barbell)", 5),  # same day: not a gap
        other(START + 1, "Leg Press", 4),  # Tuesday: Wednesday is 24 h later
        other(START + 1, "Pull Up", 3),
    ]
    history = History(sessions=tuple(sorted(lived, key=lambda s: s.date)))
    again = replan(plan, WHO, history, catalogue, as_of=monday + dt.timedelta(days=2))
    week = again.plan_weeks[0]
    done = week.sessions[0]
    assert done.status is SessionStatus.DONE
    assert "Squat (Barbell): 5/5/5/5/5 reps at 100 kg" in done.logged
    load = week.load
    assert load is not None and not load.expected
    assert load.other_sets == 9 and load.other_names == ("Squat (Barbell)", "Leg Press")
    assert "Mon 31 Mar Squat (Barbell), 5 work sets" in load.reason.text
    assert "Tue 1 Apr Leg Press, 4 work sets" in load.reason.text
    friday = week.sessions[-1]
    assert friday.status is SessionStatus.PLANNED
    assert load.hinge_sets == 3 + sum(
        e.sets
        for b in friday.blocks
        if b.purpose.value != "warm-up"
        for e in b.exercises
        if e.is_hinge
    )
    wednesday = next(s for s in week.sessions if s.date == monday + dt.timedelta(days=2))
    assert wednesday.status is SessionStatus.DROPPED  # 24 h after Tuesday's leg press
    assert any(
        "leg training on Tuesday 1 April (Leg Press, 4 work sets)" in n.text
        for n in wednesday.notes
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    days=st.lists(st.integers(min_value=-4, max_value=-1), min_size=1, max_size=3, unique=True),
    sets=st.integers(min_value=0, max_value=8),
    rpe=st.sampled_from([None, 7.0, 9.5]),
    weekdays=st.sampled_from(
        [
            ["monday", "wednesday", "friday"],
            ["tuesday", "thursday", "saturday"],
            ["monday", "wednesday", "friday", "sunday"],
            ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        ]
    ),
)
def test_r_plan_1_no_planned_hinge_session_within_the_gap_after_a_hard_leg_day(
    days: list[int], sets: int, rpe: float | None, weekdays: list[str]
) -> None:
    """Whatever the leg days just before the plan, no hinge session is planned under 48 h
    after one with 3+ work sets for the legs and hips (72 h after RPE 9.5)."""
    catalogue = CATALOGUE
    legs = [other(START + d, "Squat (Barbell)", sets, rpe=rpe) for d in days if sets]
    who = WHO.model_copy(update={"days_available": weekdays})
    history = History(sessions=tuple(sorted([*hinges(), *legs], key=lambda s: s.date)))
    plan = build_plan(who, history, catalogue, weeks=4, start=DAY0 + dt.timedelta(START))
    hard = [s.date for s in legs if len(s.work_sets) >= OTHER_HARD_DAY_SETS]
    need = HARD_GAP_H if rpe is not None and rpe >= HARD_SESSION_RPE else MIN_GAP_H
    for _, planned in plan.sessions():
        if planned.status is SessionStatus.PLANNED:
            for leg_day in hard:
                assert (planned.date - leg_day).days * 24 >= need
