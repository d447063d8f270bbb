"""Invariants of any plan (Hypothesis): recovery gaps (R-PLAN-1), never hinge + hinge
(R-PLAN-3), a deload never adds volume or load (R-PLAN-4), every exercise exists and fits
the person's equipment (R-PLAN-2, R-RX-6), and a re-plan keeps the past (R-PLAN-5)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hingecoach.coach import History, Profile, Session, available_loads
from hingecoach.coach.loads import can_load, choose_load_mode
from hingecoach.errors import ScheduleRefusedError
from hingecoach.knowledge import Catalogue, load_catalogue
from hingecoach.plan import BlockPurpose, Plan, SessionStatus, build_plan, fits_equipment, replan
from hingecoach.plan.defaults import HARD_GAP_H, HARD_SESSION_RPE, MIN_GAP_H
from tests.unit.coach.builders import DAY0, session, sets_of

CATALOGUE: Catalogue = load_catalogue([])
HINGES = sorted(i for i, e in CATALOGUE.exercises.items() if e.is_hinge)
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

equipment = st.fixed_dictionaries(
    {
        "kettlebells_kg": st.lists(st.sampled_from([8, 12, 16, 20, 24, 32]), max_size=4),
        "dumbbells_kg": st.lists(st.sampled_from([5, 10, 15, 20]), max_size=4),
        "barbell_kg": st.sampled_from([None, 20]),
        "trap_bar_kg": st.sampled_from([None, 25]),
        "plates_kg": st.lists(st.sampled_from([1.25, 2.5, 5, 10, 20]), max_size=5),
        "bands": st.sampled_from([[], ["light"], ["light", "medium", "heavy"]]),
        "cable_stack_kg": st.sampled_from([[], [5, 10, 15, 20, 25]]),
        "blocks": st.booleans(),
        "bench": st.booleans(),
        "wall": st.booleans(),
        "dowel": st.booleans(),
    }
)
profiles = st.builds(
    lambda goal, experience, kit, days: Profile.model_validate(
        {
            "age": 40,
            "goal": goal,
            "training_history": experience,
            "body_mass_kg": 75,
            "equipment": kit,
            "days_available": days,
        }
    ),
    st.sampled_from(["learn", "pain-free", "strength", "hypertrophy", "power"]),
    st.sampled_from(["novice", "intermediate", "advanced"]),
    equipment,
    st.lists(st.sampled_from(DAYS), unique=True, max_size=7),
)


@st.composite
def cases(draw: Any) -> tuple[Profile, History, str, int, int, int | None]:
    who = draw(profiles)
    usable = [i for i in HINGES if choose_load_mode(CATALOGUE.exercises[i], who.equipment)]
    start = draw(st.sampled_from(usable))
    loads = available_loads(who.equipment, CATALOGUE.exercises[start].load_modes[0])
    load = draw(st.sampled_from(loads)) if loads else None
    logged = []
    for i in range(draw(st.integers(0, 4))):
        logged.append(
            session(
                -14 + 2 * i,
                start,
                sets_of(
                    3,
                    draw(st.integers(6, 12)),
                    load=load,
                    rpe=draw(st.sampled_from([7, 8, 9, 10])),
                ),
                fatigue=draw(st.booleans()),
            )
        )
    return (
        who,
        History(sessions=tuple(logged)),
        start,
        draw(st.integers(4, 16)),
        draw(st.integers(4, 6)),
        draw(st.sampled_from([None, 2, 3])),
    )


def _plan(case: tuple[Profile, History, str, int, int, int | None]) -> Plan | None:
    who, past, start, weeks, every, wanted = case
    try:
        return build_plan(
            who,
            past,
            CATALOGUE,
            weeks=weeks,
            start=DAY0,
            deload_every=every,
            placement_or_current_exercise=start,
            sessions_per_week=wanted,
        )
    except ScheduleRefusedError as refused:
        assert refused.refusal.reason.rules == ("R-PLAN-1",)
        event("refused")
        return None


def _trained(plan: Plan) -> list[dt.date]:
    return [
        s.date
        for _, s in plan.sessions()
        if s.status not in (SessionStatus.MISSED, SessionStatus.DROPPED)
    ]


@SETTINGS
@given(cases())
def test_r_plan_1_no_two_hinge_sessions_closer_than_the_minimum_gap(case: Any) -> None:
    plan = _plan(case)
    if plan is None:
        return
    past: History = case[1]
    dates = _trained(plan)
    if past.sessions:
        last = past.sessions[-1]
        hard = any((s.effort_rpe or 0) >= HARD_SESSION_RPE for s in last.work_sets)
        if dates:
            assert (dates[0] - last.date).days * 24 >= (HARD_GAP_H if hard else MIN_GAP_H)
    for a, b in itertools.pairwise(dates):
        assert (b - a).days * 24 >= MIN_GAP_H, (a, b)


@SETTINGS
@given(cases())
def test_r_plan_3_never_a_hinge_hinge_superset_nor_a_paired_primary(case: Any) -> None:
    plan = _plan(case)
    if plan is None:
        return
    for _, s in plan.sessions():
        for block in s.blocks:
            if block.superset:
                assert sum(e.is_hinge for e in block.exercises) == 1
                assert block.purpose is not BlockPurpose.PRIMARY


@SETTINGS
@given(cases())
def test_r_plan_4_a_deload_never_raises_volume_or_load(case: Any) -> None:
    plan = _plan(case)
    if plan is None:
        return
    weeks = plan.plan_weeks
    for before, week in itertools.pairwise(weeks):
        if not week.is_deload or before.is_deload:
            continue
        ref = {s.variant: s for s in before.sessions}
        for s in week.sessions:
            old = ref.get(s.variant)
            if old is None:
                continue
            for old_block, block in zip(old.blocks, s.blocks, strict=True):
                for a, b in zip(old_block.exercises, block.exercises, strict=True):
                    assert a.exercise_id == b.exercise_id
                    assert b.sets <= a.sets
                    if a.load_kg is not None:
                        assert b.load_kg is not None and b.load_kg <= a.load_kg
                    if block.purpose is not BlockPurpose.WARM_UP:
                        assert b.rpe_max <= 6
            old_volume = sum(e.sets for e in old.exercises())
            assert sum(e.sets for e in s.exercises()) <= old_volume


@SETTINGS
@given(cases())
def test_every_exercise_exists_and_fits_the_equipment(case: Any) -> None:
    plan = _plan(case)
    if plan is None:
        return
    kit = case[0].equipment
    for _, s in plan.sessions():
        for block in s.blocks:
            for ex in block.exercises:
                known = CATALOGUE.exercises[ex.exercise_id]
                assert ex.load_mode in known.load_modes
                assert can_load(kit, ex.load_mode)
                if ex.load_kg is not None:
                    assert round(ex.load_kg, 2) in available_loads(kit, ex.load_mode)
                if ex.band is not None:
                    assert ex.band in kit.bands
                if block.purpose is not BlockPurpose.PRIMARY:  # the coach owns the primary
                    assert fits_equipment(known, kit), ex.exercise_id


@settings(max_examples=25, deadline=None)
@given(cases(), st.lists(st.booleans(), min_size=6, max_size=6), st.integers(1, 20))
def test_r_plan_5_a_replan_keeps_the_past(case: Any, did: list[bool], days: int) -> None:
    plan = _plan(case)
    if plan is None or plan.blocked:
        return
    who, past, start = case[0], case[1], case[2]
    planned = [s for _, s in plan.sessions() if s.status is SessionStatus.PLANNED][:6]
    logged = [
        Session(date=s.date, exercise_id=start, sets=tuple(sets_of(3, 10)))
        for s, yes in zip(planned, did, strict=False)
        if yes
    ]
    lived = History(sessions=(*past.sessions, *logged))
    as_of = DAY0 + dt.timedelta(days=days)
    again = replan(plan, who, lived, CATALOGUE, as_of=as_of, placement_or_current_exercise=start)
    old = {(s.date, s.slot): s for _, s in plan.sessions()}
    for _, s in again.sessions():
        if s.status in (SessionStatus.DONE, SessionStatus.MISSED):
            assert s.blocks == old[(s.date, s.slot)].blocks
        if s.status is SessionStatus.DONE:
            assert s.date <= as_of and s.logged
    assert sum(s.status is SessionStatus.DONE for _, s in again.sessions()) == len(
        [x for x in logged if x.date <= as_of]
    )
