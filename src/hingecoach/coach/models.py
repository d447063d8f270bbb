"""What the coach is told: a person's profile, their screen answers and their history.

These are the inputs of the pure core (R-ASSESS-1, R-ASSESS-2, R-TRACK-1). They are plain,
versioned pydantic models (``schema_version``) built from plain dicts, the way the CLI reads
them from JSON or YAML files::

    Profile.model_validate({"age": 34, "goal": "strength", ...})

Unknown fields are errors, and every validation message names the field and the problem.
Units live in the names (``body_mass_kg``, ``seconds``). Dates are not checked here: the
caller refuses dates in the future.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hingecoach.coach.decisions import Prescription
from hingecoach.coach.defaults import PAIN_MAX, RIR_MAX_USABLE, SCHEMA_VERSION
from hingecoach.knowledge import DoseMode

__all__ = [
    "Experience",
    "FormRating",
    "Goal",
    "History",
    "OwnedEquipment",
    "PainQuality",
    "Profile",
    "ScreenAnswers",
    "Session",
    "SetLog",
    "Weekday",
]

Pain = Annotated[int, Field(ge=0, le=PAIN_MAX, description="0 = none, 10 = worst imaginable")]
Kg = Annotated[float, Field(gt=0, le=500)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=60)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Goal(StrEnum):
    """What the person trains for (R-ASSESS-1, R-RX-3)."""

    LEARN = "learn"  # learn the movement
    PAIN_FREE = "pain-free"  # move without pain
    STRENGTH = "strength"
    HYPERTROPHY = "hypertrophy"
    POWER = "power"


class Experience(StrEnum):
    """Training history (R-ASSESS-1): novice = none or years off; intermediate = about
    6 months of consistent training; advanced = years of it."""

    NOVICE = "novice"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


class PainQuality(StrEnum):
    """How pain feels (R-SAFE-4). All but ``burning`` stop hinging and ask the red flags."""

    SHARP = "sharp"
    SHOOTING = "shooting"
    BELOW_KNEE = "below-knee"
    NUMBNESS = "numbness"
    TINGLING = "tingling"
    WEAKNESS = "weakness"
    BURNING = "burning"

    @property
    def stops_hinging(self) -> bool:
        """R-SAFE-4: sharp, shooting, below-the-knee, numbness, tingling or weakness."""
        return self is not PainQuality.BURNING


class FormRating(StrEnum):
    """How a set looked (R-TRACK-1): clean, a minor fault, or a breakdown."""

    CLEAN = "clean"
    MINOR = "minor"
    BREAKDOWN = "breakdown"


def _sorted_weights(values: list[float]) -> list[float]:
    return sorted(round(v, 2) for v in values)


class OwnedEquipment(_Input):
    """What the person has at hand (R-ASSESS-1, R-RX-6). Loads are exact, in kg.

    ``kettlebells_kg`` and ``dumbbells_kg`` list every implement owned (list a size twice to
    own a pair); ``plates_kg`` lists plate *pairs* (``[20, 10, 10]`` = two 20s and four 10s);
    ``bands`` names resistance bands, lightest first; ``cable_stack_kg`` lists the pin
    settings of a cable station (empty = no cable).
    """

    kettlebells_kg: list[Kg] = []
    dumbbells_kg: list[Kg] = []
    barbell_kg: Kg | None = None
    trap_bar_kg: Kg | None = None
    safety_squat_bar_kg: Kg | None = None
    cambered_bar_kg: Kg | None = None
    plates_kg: list[Kg] = []
    bands: list[Annotated[str, Field(min_length=1, max_length=40)]] = []
    cable_stack_kg: list[Kg] = []
    wall: bool = True
    dowel: bool = Field(default=True, description="a dowel, PVC pipe or broom handle")
    blocks: bool = Field(default=False, description="boxes, steps or plates to raise a start")
    bench: bool = False
    mirror: bool = False

    _sort = field_validator("kettlebells_kg", "dumbbells_kg", "plates_kg", "cable_stack_kg")(
        _sorted_weights
    )

    @field_validator("bands")
    @classmethod
    def _unique_bands(cls, bands: list[str]) -> list[str]:
        if len(set(bands)) != len(bands):
            raise ValueError("each band name must appear once")
        return bands


class Profile(_Input):
    """The person (R-ASSESS-1)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    name: str | None = Field(default=None, max_length=80)
    age: int = Field(ge=10, le=110)
    goal: Goal
    training_history: Experience
    body_mass_kg: float = Field(gt=20, le=400)
    equipment: OwnedEquipment = OwnedEquipment()
    days_available: list[Weekday] = Field(default=[], max_length=7)
    preferred_dose: DoseMode = Field(
        default=DoseMode.REPS, description="reps, or seconds for timed sets"
    )
    baseline_pain: Pain = 0
    unit: Literal["kg", "lb"] = Field(
        default="kg", description="the unit loads are shown and typed in (stored in kg)"
    )
    time_zone: str | None = Field(
        default=None,
        max_length=64,
        description="an IANA time zone such as Europe/Lisbon, for the calendar (None: the "
        "calendar's own local time)",
    )
    training_time: dt.time | None = Field(
        default=None, description="when sessions start, for the calendar (None: 18:00)"
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, zone: str | None) -> str | None:
        if zone is None or not zone.strip():
            return None
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{zone!r} is not a time zone; use a name such as Europe/London"
            ) from None
        return zone

    @field_validator("training_time")
    @classmethod
    def _whole_minutes(cls, at: dt.time | None) -> dt.time | None:
        return None if at is None else at.replace(second=0, microsecond=0, tzinfo=None)

    @field_validator("days_available")
    @classmethod
    def _unique_days(cls, days: list[Weekday]) -> list[Weekday]:
        if len(set(days)) != len(days):
            raise ValueError("each weekday must appear once")
        return days


class RedFlagAnswers(_Input):
    """The red-flag questions and pain now (R-SAFE-1, R-SAFE-2, R-SAFE-3, R-SAFE-4): all
    the safety screen reads, so it can stop a person before the movement screens.

    Every red-flag question must be answered explicitly (no defaults), so a missing answer
    is reported rather than taken as "no".
    """

    schema_version: Literal[1] = SCHEMA_VERSION
    # R-SAFE-1 emergency
    saddle_numbness: bool
    new_bladder_problems: bool
    new_bowel_problems: bool
    symptoms_in_both_legs: bool
    worsening_leg_weakness: bool
    new_sexual_dysfunction_with_back_or_leg_pain: bool
    # R-SAFE-2 see a clinician first
    major_trauma: bool
    minor_trauma: bool
    osteoporosis: bool
    history_of_cancer: bool
    unexplained_weight_loss: bool
    fever_or_chills: bool
    immunosuppression_or_steroids: bool
    new_back_pain: bool = Field(description="a new episode of back pain (R-SAFE-2 uses age)")
    pain_worse_lying_down_or_at_night: bool
    thoracic_pain: bool
    clinician_cleared: bool = Field(
        default=False, description="a clinician has cleared hinge training (R-SAFE-2)"
    )
    # pain now (R-SAFE-3, R-SAFE-4)
    current_pain: Pain
    pain_quality: tuple[PainQuality, ...] = ()
    _dedupe = field_validator("pain_quality")(lambda v: tuple(dict.fromkeys(v)))


class ScreenAnswers(RedFlagAnswers):
    """Red-flag questions and the short screens (R-SAFE-1, R-SAFE-2, R-ASSESS-2)."""

    # R-ASSESS-2 screens
    wall_touch_pass: bool
    dowel_hinge_pass: bool
    aslr_score: int = Field(ge=0, le=3, description="active straight-leg raise, 0 = pain")
    toe_touch_clean: bool
    single_leg_stance_s: float | None = Field(default=None, ge=0, le=600)
    unloaded_hinge_pain: Pain = Field(description="pain during five unloaded hinges")
    technique_video_exercise_id: Slug | None = Field(
        default=None, description="the exercise a technique video showed clean (R-FORM)"
    )


class SetLog(_Input):
    """One logged set (R-TRACK-1). ``load_kg`` of None means bodyweight or a band."""

    reps: int | None = Field(default=None, ge=0, le=100)
    seconds: float | None = Field(default=None, ge=0, le=600)
    load_kg: float | None = Field(default=None, ge=0, le=1000)
    band: str | None = None
    rpe: float | None = Field(default=None, ge=1, le=10)
    rir: float | None = Field(default=None, ge=0, le=10)
    form: FormRating = FormRating.CLEAN
    faults: tuple[Slug, ...] = ()
    pain: Pain = 0
    pain_quality: tuple[PainQuality, ...] = ()
    work_set: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> SetLog:
        if (self.reps is None) == (self.seconds is None):
            raise ValueError("give either reps or seconds for a set, not both or neither")
        if self.rpe is not None and self.rir is not None and abs(10 - self.rir - self.rpe) > 1:
            raise ValueError(f"rpe {self.rpe:g} and rir {self.rir:g} disagree; give one of them")
        if self.form is FormRating.CLEAN and self.faults:
            raise ValueError("form is 'clean' but faults are listed; use 'minor' or 'breakdown'")
        return self

    @property
    def effort_rpe(self) -> float | None:
        """RPE, or 10 - RIR when only reps in reserve were logged (clamped to 1-10)."""
        if self.rpe is not None:
            return self.rpe
        if self.rir is not None:
            return max(1.0, 10.0 - self.rir)
        return None

    @property
    def usable_rpe(self) -> float | None:
        """The rating if it may steer load (R-RX-5: more than 4 RIR is not used)."""
        rpe = self.effort_rpe
        if rpe is None or rpe < 10 - RIR_MAX_USABLE:
            return None
        return rpe

    @property
    def stopping_qualities(self) -> tuple[PainQuality, ...]:
        return tuple(q for q in self.pain_quality if q.stops_hinging)


_IS_WORK_SET = operator.attrgetter("work_set")


class Session(_Input):
    """One training session of one exercise (R-TRACK-1)."""

    date: dt.date
    exercise_id: Slug
    prescription: Prescription | None = Field(
        default=None, description="the prescription this session followed"
    )
    sets: tuple[SetLog, ...] = ()
    next_morning_pain: Pain | None = None
    fatigue_flag: bool = False
    notes: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _prescription_matches(self) -> Session:
        if self.prescription is not None and self.prescription.exercise_id != self.exercise_id:
            raise ValueError(
                f"prescription is for {self.prescription.exercise_id!r} "
                f"but the session logs {self.exercise_id!r}"
            )
        return self

    @property
    def work_sets(self) -> tuple[SetLog, ...]:
        return tuple(filter(_IS_WORK_SET, self.sets))  # the rules read it often: no genexpr


class History(_Input):
    """Every session logged, oldest first (sorted by date on input, stable)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    sessions: tuple[Session, ...] = ()

    @field_validator("sessions")
    @classmethod
    def _by_date(cls, sessions: tuple[Session, ...]) -> tuple[Session, ...]:
        if all(a.date <= b.date for a, b in itertools.pairwise(sessions)):
            return sessions
        return tuple(sorted(sessions, key=lambda s: s.date))
