"""What the coach hands back: decisions with their reasons, prescriptions and placements.

A :class:`Decision` never comes bare: it names the action (RULES.md section 10), the rule
ids that decided it, a plain reason, what to do now, what would change it, and the
evidence (which session, which set, which fault, which pain rating). A
:class:`Prescription` is the next session's dose (R-RX-1), with a reason and a rule id for
every change from last time. Both are pydantic models so the CLI, the web pages and the
API can show and store them, and a session log can carry the prescription it followed.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hingecoach.coach.defaults import SCHEMA_VERSION
from hingecoach.knowledge import LoadMode, ModifierKind, RegressionSign, Tempo

__all__ = [
    "Action",
    "AppliedModifier",
    "Change",
    "Decision",
    "Evidence",
    "NextSet",
    "Placement",
    "Prescription",
    "Purpose",
    "ReasonLine",
    "RepTarget",
    "RuleId",
    "most_severe",
]

RuleId = Annotated[str, Field(pattern=r"^R-[A-Z]+-\d+$")]
ExerciseId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Action(StrEnum):
    """What the coach decided (RULES.md section 10). ``hold`` means carry on as planned."""

    PROGRESS = "progress"
    ADD_LOAD = "add-load"
    HOLD = "hold"
    REGRESS = "regress"
    STEP_DOWN = "step-down"
    STOP = "stop"
    REFER = "refer"
    EMERGENCY = "emergency"

    @property
    def blocks_hinging(self) -> bool:
        """No hinge work today (R-SAFE-1..4)."""
        return self in _BLOCKING

    @property
    def severity(self) -> int:
        """How strongly the action changes training: 0 is the most severe (emergency),
        then refer, stop, step down, regress, hold, add load, progress."""
        return _SEVERITY.index(self)

    @property
    def heading(self) -> str:
        """A plain heading for a card, for the trainee (R-SAFE-6: calm, says what to do)."""
        return _TITLES[self]


_BLOCKING = frozenset({Action.STOP, Action.REFER, Action.EMERGENCY})
_SEVERITY = (
    Action.EMERGENCY,
    Action.REFER,
    Action.STOP,
    Action.STEP_DOWN,
    Action.REGRESS,
    Action.HOLD,
    Action.ADD_LOAD,
    Action.PROGRESS,
)
_TITLES = {
    Action.PROGRESS: "Move up a rung",
    Action.ADD_LOAD: "Add load",
    Action.HOLD: "Keep going",
    Action.REGRESS: "Make it a little easier",
    Action.STEP_DOWN: "Step down one rung",
    Action.STOP: "No hinging today",
    Action.REFER: "See a clinician first",
    Action.EMERGENCY: "Get emergency care now",
}


class Evidence(_Model):
    """One fact a decision rests on: a session, a set, a fault, a pain rating, a screen."""

    note: str = Field(min_length=1, description="the fact in plain words")
    date: dt.date | None = None
    set_number: int | None = Field(default=None, ge=1)
    fault_id: str | None = None
    pain: int | None = Field(default=None, ge=0, le=10)
    screen: str | None = None


class Decision(_Model):
    """What to do, why, what to do right now, and what would change it."""

    action: Action
    rules: tuple[RuleId, ...] = Field(min_length=1)
    reason: str = Field(min_length=1)
    do_now: str = Field(min_length=1, description="what to do now (R-SAFE-6)")
    would_change: str = Field(min_length=1)
    evidence: tuple[Evidence, ...] = ()
    advice: tuple[str, ...] = ()

    @property
    def blocks_hinging(self) -> bool:
        return self.action.blocks_hinging


class Purpose(StrEnum):
    """Where the hinge sits in the session (R-RX-2)."""

    LEARNING = "learning"
    WARM_UP = "warm-up"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ACCESSORY = "accessory"


class RepTarget(_Model):
    """A rep range and the reps to aim for this time (R-RX-1)."""

    min: int = Field(ge=1, le=50)
    max: int = Field(ge=1, le=50)
    target: int = Field(ge=1, le=50)

    @model_validator(mode="after")
    def _ordered(self) -> RepTarget:
        if not self.min <= self.target <= self.max:
            raise ValueError(
                f"reps must satisfy min <= target <= max, got {self.min}/{self.target}/{self.max}"
            )
        return self

    def __str__(self) -> str:
        return f"{self.min}-{self.max} (aim for {self.target})"


class AppliedModifier(_Model):
    """A simplifying method in use (R-REG-6), the sign that caused it and how to undo it."""

    id: ExerciseId
    name: str
    kind: ModifierKind
    step: str | None = None
    sign: RegressionSign | None = None
    rule: RuleId
    how_to_undo: str

    def label(self) -> str:
        return f"{self.name} ({self.step})" if self.step else self.name


class Change(_Model):
    """One change from last time with its reason and rule (R-RX-1)."""

    what: str
    before: str | None = None
    after: str
    reason: str
    rule: RuleId


class Prescription(_Model):
    """The next hinge session (R-RX-1). Stored with each session it was followed in."""

    schema_version: Literal[1] = SCHEMA_VERSION
    exercise_id: ExerciseId
    exercise_name: str
    purpose: Purpose
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
    rpe_min: float = Field(ge=1, le=10)
    rpe_max: float = Field(ge=1, le=10)
    cues: tuple[str, ...] = ()
    modifiers: tuple[AppliedModifier, ...] = ()
    bridge_step: int = Field(default=0, ge=0, le=3, description="R-PROG-3 bridge in progress")
    changes: tuple[Change, ...] = ()
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_dose(self) -> Prescription:
        if (self.reps is None) == (self.seconds is None):
            raise ValueError("a prescription has either reps or seconds, not both or neither")
        if self.rest_max_s < self.rest_s:
            raise ValueError("rest_max_s must be at least rest_s")
        if not self.rpe_min <= self.rpe_target <= self.rpe_max:
            raise ValueError("rpe_target must lie between rpe_min and rpe_max")
        return self

    def dose_label(self) -> str:
        """E.g. ``3 x 8-12 (aim for 12)`` or ``3 x 60 s``."""
        each = f"{self.seconds} s" if self.seconds is not None else str(self.reps)
        return f"{self.sets} x {each}"


class NextSet(_Model):
    """The next set within a session, after adjusting for the sets logged so far."""

    set_number: int = Field(ge=1)
    exercise_id: ExerciseId
    reps: RepTarget | None = None
    seconds: int | None = None
    load_kg: float | None = None
    band: str | None = None
    load_label: str
    tempo: Tempo
    rest_s: int
    modifiers: tuple[AppliedModifier, ...] = ()
    cues: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()


class ReasonLine(_Model):
    """One line of a placement's reasons: the screen that decided it (R-ASSESS-4)."""

    screen: str
    text: str
    rules: tuple[RuleId, ...] = Field(min_length=1)


class Placement(_Model):
    """Where a person starts on the ladder, and why (R-ASSESS-3, R-ASSESS-4).

    ``safety`` holds the screen's decision when it blocks hinge training (R-SAFE-1/2/4 or
    the refer gate of R-ASSESS-3); then ``exercise_id`` is ``None``.
    """

    exercise_id: ExerciseId | None
    exercise_name: str | None = None
    modifiers: tuple[AppliedModifier, ...] = ()
    reasons: tuple[ReasonLine, ...] = Field(min_length=1)
    safety: Decision | None = None

    @model_validator(mode="after")
    def _placed_or_blocked(self) -> Placement:
        blocked = self.safety is not None and self.safety.blocks_hinging
        if blocked == (self.exercise_id is not None):
            raise ValueError("a placement names a starting exercise or a blocking decision")
        return self

    @property
    def blocked(self) -> bool:
        return self.exercise_id is None


def most_severe(*decisions: Decision | None) -> Decision:
    """The most severe of the decisions given (the first among equals): what a script reads
    at the top of an answer that holds several (a screen and a placement, for example)."""
    given = [d for d in decisions if d is not None]
    if not given:
        raise ValueError("most_severe needs at least one decision")
    return min(given, key=lambda d: d.action.severity)
