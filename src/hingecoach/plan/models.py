"""What the planner hands back: a plan of weeks, sessions and blocks, each with its reasons.

::

    Plan                  the cycle: schedule, weeks, the coach's decision, re-plan changes
    └── PlanWeek          one calendar week (Monday to Sunday): build or deload, and why,
        │                 with its load when other training is part of it (WeekLoad)
        └── PlanSession   one hinge session on a date: planned, done, moved, missed, dropped
            └── SessionBlock   warm-up, primary, secondary or accessory (R-PLAN-2); two
                └── PlannedExercise  exercises in one block make a superset (R-PLAN-3)

    Schedule / ScheduleRefusal   the week's days (R-PLAN-1), or why not and what instead

Every decision carries its reason and rule ids (:class:`Reason`). The models are frozen
pydantic models, so the CLI prints them as JSON and the renderers read them as they are.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from hingecoach.coach import Decision, Goal, RepTarget, Weekday
from hingecoach.coach.defaults import SCHEMA_VERSION
from hingecoach.knowledge import LoadMode, Tempo
from hingecoach.plan.defaults import REP_SECONDS_MIN, SESSION_MINUTES_ROUND

__all__ = [
    "WEEKDAYS",
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
    "WeekLoad",
    "day_label",
]

RuleId = Annotated[str, Field(pattern=r"^R-[A-Z]+-\d+$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=60)]
WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)  # Monday first, as date.weekday() counts


def day_label(day: dt.date, *, short: bool = False) -> str:
    """``Wednesday 5 March`` (or ``Wed 5 Mar``), the same on every platform."""
    if short:
        return f"{day:%a} {day.day} {day:%b}"
    return f"{day:%A} {day.day} {day:%B}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reason(_Model):
    """A decision of the planner in plain words, with the rules behind it."""

    text: str = Field(min_length=1)
    rules: tuple[RuleId, ...] = Field(min_length=1)

    def __str__(self) -> str:
        return f"{self.text} ({', '.join(self.rules)})"


class WeekKind(StrEnum):
    BUILD = "build"  # progressive overload (R-PLAN-4)
    DELOAD = "deload"  # same days and exercises, half the sets, lighter, RPE <= 6 (R-PLAN-4)


class BlockPurpose(StrEnum):
    """Where a block sits in the session (R-PLAN-2, doses of R-RX-2)."""

    WARM_UP = "warm-up"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ACCESSORY = "accessory"


class SessionStatus(StrEnum):
    PLANNED = "planned"  # still ahead
    DONE = "done"  # a hinge session was logged on the day
    MOVED = "moved"  # done on another day of the same week
    MISSED = "missed"  # the day passed with no hinge session that week to match it
    DROPPED = "dropped"  # taken out by a re-plan: too close to the session before (R-PLAN-1)

    @property
    def in_the_past(self) -> bool:
        return self is not SessionStatus.PLANNED


class PlannedExercise(_Model):
    """One exercise in a block, dosed (R-RX-1..6)."""

    exercise_id: Slug
    name: str
    is_hinge: bool
    sets: int = Field(ge=1, le=10)
    reps: RepTarget | None = None
    seconds: int | None = Field(default=None, ge=5, le=600)
    load_mode: LoadMode = LoadMode.BODYWEIGHT
    load_kg: float | None = Field(default=None, ge=0, le=1000)
    band: str | None = None
    load_label: str = "bodyweight"
    tempo: Tempo
    rest_s: int = Field(ge=0, le=600)
    rest_max_s: int = Field(ge=0, le=600)
    rpe_target: float = Field(ge=1, le=10)
    rpe_max: float = Field(ge=1, le=10)
    cues: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_dose(self) -> PlannedExercise:
        if (self.reps is None) == (self.seconds is None):
            raise ValueError("a planned exercise has either reps or seconds")
        if self.rpe_target > self.rpe_max:
            raise ValueError("rpe_target must not exceed rpe_max")
        return self

    def dose_label(self) -> str:
        """``3 x 8-12 (aim for 10)`` or ``3 x 60 s``."""
        each = f"{self.seconds} s" if self.seconds is not None else str(self.reps)
        return f"{self.sets} x {each}"

    def reps_label(self) -> str:
        """``8-12, aim 10`` or ``60 s``: short, for tables."""
        if self.seconds is not None:
            return f"{self.seconds} s"
        assert self.reps is not None
        if self.reps.min == self.reps.max:
            return str(self.reps.target)
        return f"{self.reps.min}-{self.reps.max}, aim {self.reps.target}"

    def rest_label(self) -> str:
        def mmss(seconds: int) -> str:
            return f"{seconds // 60}:{seconds % 60:02d}"

        if self.rest_max_s > self.rest_s:
            return f"{mmss(self.rest_s)}-{mmss(self.rest_max_s)}"
        return mmss(self.rest_s)

    @property
    def work_seconds(self) -> float:
        """Seconds under work for one set (tempo x reps, or the timed set)."""
        if self.seconds is not None:
            return float(self.seconds)
        assert self.reps is not None
        t = self.tempo
        per_rep = (
            max(t.down_s, REP_SECONDS_MIN) + t.bottom_s + max(t.up_s, REP_SECONDS_MIN) + t.top_s
        )
        return per_rep * self.reps.target


class SessionBlock(_Model):
    """A block of the session; two exercises make a superset of a hinge and a push
    (R-PLAN-3), done back to back with ``rest_s`` after each round."""

    purpose: BlockPurpose
    exercises: tuple[PlannedExercise, ...] = Field(min_length=1, max_length=2)
    rest_s: int | None = Field(default=None, ge=0, le=600, description="rest after each round")
    reason: Reason

    @model_validator(mode="after")
    def _pairs(self) -> SessionBlock:
        if len(self.exercises) == 2:
            hinges = sum(e.is_hinge for e in self.exercises)
            if hinges != 1:
                raise ValueError("R-PLAN-3: a superset pairs one hinge with one push")
            if self.purpose is BlockPurpose.PRIMARY:
                raise ValueError("R-PLAN-3: the heavy primary sets are not paired")
            if self.rest_s is None:
                raise ValueError("a superset names its rest after each round")
        return self

    @property
    def superset(self) -> bool:
        return len(self.exercises) == 2

    @property
    def hinge(self) -> PlannedExercise | None:
        return next((e for e in self.exercises if e.is_hinge), None)

    @property
    def seconds(self) -> float:
        """About how long the block takes, rests included."""
        if self.superset:
            assert self.rest_s is not None
            rounds = max(e.sets for e in self.exercises)
            work = sum(e.work_seconds for e in self.exercises)
            return rounds * (work + self.rest_s)
        ex = self.exercises[0]
        return ex.sets * (ex.work_seconds + (ex.rest_s + ex.rest_max_s) / 2)


class PlanSession(_Model):
    """One hinge session on a date."""

    date: dt.date
    slot: int = Field(ge=0, le=6, description="position in the week's schedule (stable ids)")
    status: SessionStatus = SessionStatus.PLANNED
    variant: Literal["A", "B"] = "A"
    blocks: tuple[SessionBlock, ...] = ()
    planned_for: dt.date | None = Field(
        default=None, description="the day it was planned for, when it was moved"
    )
    notes: tuple[Reason, ...] = ()
    logged: tuple[str, ...] = Field(default=(), description="what was logged, for past sessions")

    @property
    def weekday(self) -> Weekday:
        return WEEKDAYS[self.date.weekday()]

    @property
    def primary(self) -> PlannedExercise | None:
        for block in self.blocks:
            if block.purpose is BlockPurpose.PRIMARY:
                return block.exercises[0]
        return None

    def exercises(self) -> Iterator[PlannedExercise]:
        for block in self.blocks:
            yield from block.exercises

    @property
    def minutes(self) -> int:
        """About how long the session takes, rounded up to 5 minutes."""
        total = sum(block.seconds for block in self.blocks) / 60
        step = SESSION_MINUTES_ROUND
        return max(step, math.ceil(total / step) * step)


class WeekLoad(_Model):
    """The week's work for the legs and hips, in work sets, when other training is part of
    it (R-PLAN-4): the hinge sets (logged on days gone, planned ahead) and the other
    training (logged, or, for a week ahead, what the recent weeks held)."""

    hinge_sets: int = Field(ge=0)
    other_sets: int = Field(ge=0, description="other training for the legs and hips")
    other_names: tuple[str, ...] = Field(description="the other training, as the app named it")
    expected: bool = Field(description="a week ahead: the other training the recent weeks held")
    reason: Reason

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_sets(self) -> int:
        return self.hinge_sets + self.other_sets


class PlanWeek(_Model):
    """One calendar week, Monday to Sunday."""

    number: int = Field(ge=1)
    starts_on: dt.date
    kind: WeekKind
    reason: Reason
    sessions: tuple[PlanSession, ...] = ()
    notes: tuple[Reason, ...] = Field(default=(), description="what a re-plan changed here")
    load: WeekLoad | None = Field(
        default=None, description="the week's load with other training, when there is some"
    )

    @property
    def ends_on(self) -> dt.date:
        return self.starts_on + dt.timedelta(days=6)

    @property
    def is_deload(self) -> bool:
        return self.kind is WeekKind.DELOAD


class Schedule(_Model):
    """The week's hinge days (R-PLAN-1)."""

    days: tuple[Weekday, ...] = Field(min_length=1, max_length=7)
    min_gap_h: int
    reason: Reason

    @property
    def sessions_per_week(self) -> int:
        return len(self.days)

    def label(self) -> str:
        return ", ".join(d.value.capitalize() for d in self.days)


class ScheduleRefusal(_Model):
    """Why the days given cannot hold the sessions wanted, and what can (R-PLAN-1)."""

    wanted: int
    days_available: tuple[Weekday, ...]
    reason: Reason
    alternative: Schedule | None = Field(
        default=None, description="the nearest valid schedule on the days given"
    )
    with_another_day: Schedule | None = Field(
        default=None, description="the sessions wanted, by adding the fewest days"
    )

    def message(self) -> str:
        lines = [self.reason.text]
        if self.alternative is not None:
            alt = self.alternative
            lines.append(
                f"On your days the nearest valid week is: {alt.label()} "
                f"({alt.sessions_per_week} session{'s' if alt.sessions_per_week > 1 else ''})."
            )
        if self.with_another_day is not None:
            lines.append(
                f"For {self.wanted} sessions a week, train on {self.with_another_day.label()}."
            )
        lines.append(f"({', '.join(self.reason.rules)})")
        return "\n".join(lines)


class PlanChange(_Model):
    """What a re-plan changed and why (R-PLAN-5)."""

    on: dt.date
    text: str
    rules: tuple[RuleId, ...] = Field(min_length=1)


class Plan(_Model):
    """A training cycle (R-PLAN-1..5). ``decision`` is the coach's decision behind the
    primary; when it blocks hinging the plan has no weeks, and the decision says why."""

    schema_version: Literal[1] = SCHEMA_VERSION
    name: str | None = None
    goal: Goal
    start: dt.date
    weeks: int = Field(ge=1, le=52)
    deload_every: int = Field(ge=1, le=52)
    as_of: dt.date = Field(description="the day the plan was last (re)built")
    schedule: Schedule
    decision: Decision
    plan_weeks: tuple[PlanWeek, ...] = ()
    changes: tuple[PlanChange, ...] = ()
    notes: tuple[Reason, ...] = ()

    @property
    def blocked(self) -> bool:
        return self.decision.blocks_hinging

    def sessions(self) -> Iterator[tuple[PlanWeek, PlanSession]]:
        for week in self.plan_weeks:
            for session in week.sessions:
                yield week, session

    @property
    def end(self) -> dt.date:
        return self.plan_weeks[-1].ends_on if self.plan_weeks else self.start
