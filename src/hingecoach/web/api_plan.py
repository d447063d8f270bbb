"""The plan through the API: ``GET /api/v1/trainees/{name}/plan?weeks=N``.

The same plan as the *Plan* page, the CLI's ``plan`` and the calendar (R-PLAN-1..5): built
from the records as they stand today, from this week's Monday, for a cycle of 4-16 weeks
(R-PLAN-4), past days marked from the history. Every decision keeps its reason and rule
ids. Each load is given in kg and in the trainee's own unit (``unit``), with the label the
pages show.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from hingecoach.coach import Decision, RepTarget, Weekday
from hingecoach.knowledge import LoadMode, Tempo
from hingecoach.plan import Plan, PlannedExercise, PlanSession, PlanWeek, SessionBlock
from hingecoach.plan.defaults import CYCLE_WEEKS
from hingecoach.plan.models import (
    BlockPurpose,
    PlanChange,
    Reason,
    SessionStatus,
    WeekKind,
    WeekLoad,
)
from hingecoach.services import trainees
from hingecoach.services.plans import plan_for
from hingecoach.units import Unit, format_load, shown
from hingecoach.web.api_router import json_router
from hingecoach.web.deps import CatalogueDep, EngineDep, TodayDep, VisibleTrainee

__all__ = ["PLAN_WEEKS_DEFAULT", "PlanPublic", "router"]

PLAN_WEEKS_DEFAULT = 8  # as the Plan page and the CLI

router = json_router(
    {
        401: "No API token, or not a valid one",
        404: "No such trainee among the ones you can see",
        422: "weeks out of 4-16, or the trainee has not been assessed yet",
    }
)

_LO, _HI = CYCLE_WEEKS
Weeks = Annotated[
    int,
    Query(
        description=f"Weeks in the plan: a cycle of {_LO}-{_HI} (R-PLAN-4)",
        # documented, and checked by the planner itself so the 422 names the rule
        json_schema_extra={"minimum": _LO, "maximum": _HI},
    ),
]


class LoadPublic(BaseModel):
    """A load in kg (as stored) and in the trainee's unit."""

    kg: float
    value: float = Field(description="in ``unit``, to the step a person reads off the kit")
    unit: Unit
    label: str = Field(description='as the pages show it, e.g. "24 kg" or "52.9 lb"')


class PlannedExercisePublic(BaseModel):
    exercise_id: str
    name: str
    is_hinge: bool
    sets: int
    reps: RepTarget | None = Field(description="null for a timed set")
    seconds: int | None = Field(description="the set's length, for a timed set")
    load_mode: LoadMode
    load: LoadPublic | None = Field(description="null for bodyweight or a band")
    band: str | None
    load_label: str = Field(description='what to use, in the trainee\'s unit: "bodyweight", …')
    tempo: Tempo
    rest_s: int
    rest_max_s: int
    rpe_target: float
    rpe_max: float
    cues: list[str]
    notes: list[str]


class SessionBlockPublic(BaseModel):
    purpose: BlockPurpose
    superset: bool = Field(description="two exercises done back to back (R-PLAN-3)")
    rest_s: int | None = Field(description="rest after each round of a superset")
    reason: Reason
    exercises: list[PlannedExercisePublic]


class PlanSessionPublic(BaseModel):
    date: dt.date
    weekday: Weekday
    slot: int
    status: SessionStatus
    variant: Literal["A", "B"]
    minutes: int = Field(description="about how long it takes")
    planned_for: dt.date | None = Field(description="the day it was planned for, if moved")
    logged: list[str] = Field(description="what was logged, for past sessions")
    notes: list[Reason]
    blocks: list[SessionBlockPublic]


class WeekLoadPublic(BaseModel):
    """The week's work for the legs and hips, in work sets, when other training (brought
    in from another app) is part of it (R-PLAN-4)."""

    hinge_sets: int = Field(description="hinge work sets: logged on days gone, planned ahead")
    other_sets: int = Field(description="other training for the legs and hips")
    total_sets: int
    other_names: list[str] = Field(description="the other training, as the app named it")
    expected: bool = Field(
        description="a week ahead: the other training counted is what the recent weeks held"
    )
    reason: Reason


class PlanWeekPublic(BaseModel):
    number: int
    starts_on: dt.date
    ends_on: dt.date
    kind: WeekKind
    reason: Reason
    notes: list[Reason]
    load: WeekLoadPublic | None = Field(
        description="the week's load with other training; null when there is none"
    )
    sessions: list[PlanSessionPublic]


class PlanPublic(BaseModel):
    """A training cycle (R-PLAN-1..5). When ``decision`` blocks hinging (a safety rule),
    the plan has no weeks and the decision says why."""

    trainee: str
    unit: Unit = Field(description="the trainee's unit; every load also comes in kg")
    start: dt.date
    end: dt.date
    weeks: int
    deload_every: int
    as_of: dt.date = Field(description="the day the plan was (re)built: today")
    days: list[Weekday] = Field(description="the week's hinge days (R-PLAN-1)")
    schedule_reason: Reason
    blocked: bool = Field(description="a safety decision stops hinging: no sessions")
    decision: Decision
    plan_weeks: list[PlanWeekPublic]
    changes: list[PlanChange] = Field(description="what re-planning changed, and why")
    notes: list[Reason]


def _load(kg: float | None, unit: Unit) -> LoadPublic | None:
    if kg is None:
        return None
    return LoadPublic(kg=kg, value=shown(kg, unit), unit=unit, label=format_load(kg, unit))


def _exercise(ex: PlannedExercise, unit: Unit) -> PlannedExercisePublic:
    return PlannedExercisePublic(
        exercise_id=ex.exercise_id,
        name=ex.name,
        is_hinge=ex.is_hinge,
        sets=ex.sets,
        reps=ex.reps,
        seconds=ex.seconds,
        load_mode=ex.load_mode,
        load=_load(ex.load_kg, unit),
        band=ex.band,
        load_label=ex.load_label,
        tempo=ex.tempo,
        rest_s=ex.rest_s,
        rest_max_s=ex.rest_max_s,
        rpe_target=ex.rpe_target,
        rpe_max=ex.rpe_max,
        cues=list(ex.cues),
        notes=list(ex.notes),
    )


def _block(block: SessionBlock, unit: Unit) -> SessionBlockPublic:
    return SessionBlockPublic(
        purpose=block.purpose,
        superset=block.superset,
        rest_s=block.rest_s,
        reason=block.reason,
        exercises=[_exercise(e, unit) for e in block.exercises],
    )


def _session(session: PlanSession, unit: Unit) -> PlanSessionPublic:
    return PlanSessionPublic(
        date=session.date,
        weekday=session.weekday,
        slot=session.slot,
        status=session.status,
        variant=session.variant,
        minutes=session.minutes,
        planned_for=session.planned_for,
        logged=list(session.logged),
        notes=list(session.notes),
        blocks=[_block(b, unit) for b in session.blocks],
    )


def _week_load(load: WeekLoad | None) -> WeekLoadPublic | None:
    if load is None:
        return None
    return WeekLoadPublic(
        hinge_sets=load.hinge_sets,
        other_sets=load.other_sets,
        total_sets=load.total_sets,
        other_names=list(load.other_names),
        expected=load.expected,
        reason=load.reason,
    )


def _week(week: PlanWeek, unit: Unit) -> PlanWeekPublic:
    return PlanWeekPublic(
        number=week.number,
        starts_on=week.starts_on,
        ends_on=week.ends_on,
        kind=week.kind,
        reason=week.reason,
        notes=list(week.notes),
        load=_week_load(week.load),
        sessions=[_session(s, unit) for s in week.sessions],
    )


def plan_public(name: str, plan: Plan, unit: Unit) -> PlanPublic:
    """The plan as the API shows it (a plain function: tests and other callers use it)."""
    return PlanPublic(
        trainee=name,
        unit=unit,
        start=plan.start,
        end=plan.end,
        weeks=plan.weeks,
        deload_every=plan.deload_every,
        as_of=plan.as_of,
        days=list(plan.schedule.days),
        schedule_reason=plan.schedule.reason,
        blocked=plan.blocked,
        decision=plan.decision,
        plan_weeks=[_week(w, unit) for w in plan.plan_weeks],
        changes=list(plan.changes),
        notes=list(plan.notes),
    )


@router.get("/trainees/{name}/plan", response_model=PlanPublic)
def plan(
    name: VisibleTrainee,
    engine: EngineDep,
    catalogue: CatalogueDep,
    today: TodayDep,
    weeks: Weeks = PLAN_WEEKS_DEFAULT,
) -> PlanPublic:
    """The plan for ``weeks`` weeks from this week's Monday, as it stands today: days,
    sessions, blocks and supersets, deloads, each with its reason and rule ids."""
    monday = today - dt.timedelta(days=today.weekday())
    built = plan_for(engine, name, catalogue, weeks=weeks, as_of=today, start=monday)
    unit: Unit = trainees.get_trainee(engine, name).profile.unit
    return plan_public(name, built, unit)
