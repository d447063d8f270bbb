"""Plans: weekly schedules, session structure, cycles and deloads (pure functions).

Built on the coach (:func:`hingecoach.coach.prescribe` gives every session's primary),
nothing here reads files, prints or keeps state; every default number lives in
:mod:`hingecoach.plan.defaults`, each with its rule id.

    build_plan(profile, history, catalogue, *, weeks, start, deload_every=5,
               placement_or_current_exercise=None, screen_answers=None,
               sessions_per_week=None, days=None) -> Plan          R-PLAN-1..4
    replan(plan, profile, history, catalogue, *, as_of, ...) -> Plan     R-PLAN-5
    choose_schedule(days, goal, suggested, *, wanted=None)
        -> Schedule | ScheduleRefusal                                   R-PLAN-1
    lay_out(profile, history, catalogue, prescription, *, variant="A")
        -> tuple[SessionBlock, ...]                                     R-PLAN-2, R-PLAN-3
    deload_exercise(exercise, equipment) -> PlannedExercise             R-PLAN-4
    early_deload(profile, history, catalogue, *, since=None) -> Reason | None
"""

from hingecoach.plan.cycle import deload_exercise, early_deload, overload
from hingecoach.plan.equipment import fits_equipment
from hingecoach.plan.models import (
    BlockPurpose,
    Plan,
    PlanChange,
    PlannedExercise,
    PlanSession,
    PlanWeek,
    Reason,
    Schedule,
    ScheduleRefusal,
    SessionBlock,
    SessionStatus,
    WeekKind,
)
from hingecoach.plan.planner import build_plan, plan_schedule
from hingecoach.plan.replan import replan
from hingecoach.plan.schedule import choose_schedule, is_valid_week
from hingecoach.plan.structure import lay_out
from hingecoach.plan.supersets import choose_push, push_for

__all__ = [
    "BlockPurpose",
    "Plan",
    "PlanChange",
    "PlanSession",
    "PlanWeek",
    "PlannedExercise",
    "Reason",
    "Schedule",
    "ScheduleRefusal",
    "SessionBlock",
    "SessionStatus",
    "WeekKind",
    "build_plan",
    "choose_push",
    "choose_schedule",
    "deload_exercise",
    "early_deload",
    "fits_equipment",
    "is_valid_week",
    "lay_out",
    "overload",
    "plan_schedule",
    "push_for",
    "replan",
]
