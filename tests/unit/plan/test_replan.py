"""R-PLAN-5: re-planning from what actually happened; the history is never rewritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hingecoach.coach import History, Session
from hingecoach.knowledge import Catalogue
from hingecoach.plan import Plan, SessionStatus, build_plan, replan
from tests.unit.coach.builders import DAY0, HOME_GYM, history, profile, run_of, session, sets_of

LIFTER = profile(equipment=HOME_GYM, training_history="intermediate", goal="hypertrophy")
PAST = run_of("kettlebell-deadlift", 3, first_day=-9, reps=9, load=16, rpe=8)
THURSDAY = DAY0 + dt.timedelta(days=3)


def _kb(day: int, rpe: float = 8, reps: int = 10) -> Session:
    return session(day, "kettlebell-deadlift", sets_of(3, reps, load=16, rpe=rpe))


def _plan(catalogue: Catalogue) -> Plan:
    return build_plan(LIFTER, history(*PAST), catalogue, weeks=6, start=DAY0)


def _week1(plan: Plan) -> dict[str, Any]:
    return {s.date.strftime("%a"): s for s in plan.plan_weeks[0].sessions}


def test_missed_wednesday_friday_keeps_the_primary_the_week_is_rebuilt(
    catalogue: Catalogue,
) -> None:
    """R-PLAN-5 "missed Wednesday -> Friday keeps the primary, the week is rebuilt"."""
    plan = _plan(catalogue)
    assert [s.variant for s in plan.plan_weeks[0].sessions] == ["A", "B", "A"]
    lived = history(*PAST, _kb(0))
    again = replan(plan, LIFTER, lived, catalogue, as_of=THURSDAY)
    week = _week1(again)
    assert week["Mon"].status is SessionStatus.DONE and week["Mon"].logged
    assert week["Wed"].status is SessionStatus.MISSED
    friday = week["Fri"]
    assert friday.status is SessionStatus.PLANNED
    assert friday.primary is not None and friday.primary.exercise_id == "kettlebell-deadlift"
    assert friday.variant == "B"  # Friday takes the missed session's secondary and accessory
    notes = again.plan_weeks[0].notes
    assert any("missed" in n.text and "Friday" in n.text and "R-PLAN-5" in n.rules for n in notes)
    assert any("R-PLAN-5" in c.rules and "missed" in c.text for c in again.changes)


def test_a_session_trained_on_another_day_is_moved(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    lived = history(*PAST, _kb(0), _kb(1))  # Tuesday instead of Wednesday
    again = replan(plan, LIFTER, lived, catalogue, as_of=DAY0 + dt.timedelta(days=2))
    week = _week1(again)
    assert week["Tue"].status is SessionStatus.MOVED
    assert week["Tue"].planned_for == DAY0 + dt.timedelta(days=2)
    assert "Wed" not in week and week["Fri"].status is SessionStatus.PLANNED


def test_72_hours_after_a_session_at_rpe_9_5(catalogue: Catalogue) -> None:
    """R-PLAN-1 in a re-plan: Monday's sets at RPE 10, so Wednesday (48 h) is too soon."""
    plan = _plan(catalogue)
    lived = history(*PAST, _kb(0, rpe=10))
    again = replan(plan, LIFTER, lived, catalogue, as_of=DAY0 + dt.timedelta(days=1))
    week = _week1(again)
    assert week["Wed"].status is SessionStatus.DROPPED and not week["Wed"].blocks
    assert "72 h" in week["Wed"].notes[0].text and "R-PLAN-1" in week["Wed"].notes[0].rules
    assert week["Fri"].status is SessionStatus.PLANNED


@pytest.mark.parametrize(
    ("case", "logged", "primary", "rules"),
    [
        (
            "R-PLAN-5 the coach progresses: the rest of the plan moves up a rung",
            [session(0, "dowel-hip-hinge", sets_of(3, 12, rpe=7)),
             session(2, "dowel-hip-hinge", sets_of(3, 12, rpe=7))],
            "hinge-to-squat",
            "R-PROG-1",
        ),
        (
            "R-PLAN-5 the coach regresses: pain 6 steps the rest of the plan down",
            [session(0, "dowel-hip-hinge", sets_of(3, 10, rpe=7, pain=6))],
            "bodyweight-hip-hinge",
            "R-SAFE-3",
        ),
    ],
)  # fmt: skip
def test_r_plan_5_the_coachs_decision_carries_through_the_rest_of_the_plan(
    catalogue: Catalogue, case: str, logged: list[Session], primary: str, rules: str
) -> None:
    who = profile()
    plan = build_plan(
        who, history(), catalogue, weeks=4, start=DAY0,
        placement_or_current_exercise="dowel-hip-hinge",
    )  # fmt: skip
    again = replan(
        plan, who, history(*logged), catalogue, as_of=THURSDAY,
        placement_or_current_exercise="dowel-hip-hinge",
    )  # fmt: skip
    future = [s for _, s in again.sessions() if s.status is SessionStatus.PLANNED]
    assert future and all(s.primary and s.primary.exercise_id == primary for s in future), case
    moved = [c for c in again.changes if "moved you" in c.text]
    assert moved and rules in moved[0].rules and "R-PLAN-5" in moved[0].rules, case
    # the past stays as it was planned
    assert again.plan_weeks[0].sessions[0].primary == plan.plan_weeks[0].sessions[0].primary


def test_the_history_is_never_rewritten_and_replan_is_repeatable(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    lived = history(*PAST, _kb(0), _kb(4), _kb(7))
    before = lived.model_dump()
    later = DAY0 + dt.timedelta(days=9)
    once = replan(plan, LIFTER, lived, catalogue, as_of=later)
    twice = replan(once, LIFTER, lived, catalogue, as_of=later)
    assert lived.model_dump() == before
    assert once.plan_weeks == twice.plan_weeks
    statuses = [s.status.value for _, s in once.sessions() if s.date < later]
    assert statuses == ["done", "missed", "done", "done"]
    for old, new in zip(plan.plan_weeks[0].sessions, once.plan_weeks[0].sessions, strict=True):
        assert old.blocks == new.blocks  # what was planned for a past week is kept as planned


def test_sessions_after_as_of_are_ignored(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    lived = History(sessions=(*PAST, _kb(0), _kb(9)))
    again = replan(plan, LIFTER, lived, catalogue, as_of=DAY0 + dt.timedelta(days=1))
    assert [s.status.value for s in again.plan_weeks[1].sessions] == ["planned"] * 3


def test_a_blocking_decision_plans_no_hinge_sessions(catalogue: Catalogue) -> None:
    """R-SAFE-4 before R-PLAN: sharp pain last session -> no plan until the screen is clear."""
    who = profile()
    past = history(session(-2, "dowel-hip-hinge", sets_of(3, 10, pain=3, quality=["sharp"])))
    plan = build_plan(who, past, catalogue, weeks=4, start=DAY0)
    assert plan.blocked and not plan.plan_weeks and "R-SAFE-4" in plan.decision.rules
    fresh = build_plan(who, history(), catalogue, weeks=4, start=DAY0,
                       placement_or_current_exercise="dowel-hip-hinge")  # fmt: skip
    lived = history(session(0, "dowel-hip-hinge", sets_of(3, 10, pain=3, quality=["sharp"])))
    again = replan(fresh, who, lived, catalogue, as_of=THURSDAY)
    assert again.blocked and all(s.status is not SessionStatus.PLANNED for _, s in again.sessions())
    assert any("No hinge sessions" in c.text for c in again.changes)
