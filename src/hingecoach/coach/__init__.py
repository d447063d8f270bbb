"""The coach: safety, assessment, prescription, progression and regression (pure functions).

Inputs are plain pydantic models built from dicts (``Profile``, ``ScreenAnswers``,
``History``); outputs are decisions with their reasons and rule ids (``Decision``,
``Prescription``, ``Placement``, ``NextSet``). Nothing here reads files, prints or keeps
state; every default number lives in :mod:`hingecoach.coach.defaults`.

    screen(answers, profile) -> Decision
    place(profile, answers, catalogue) -> Placement
    prescribe(profile, history, catalogue, *, placement_or_current_exercise=None,
              screen_answers=None) -> tuple[Decision, Prescription | None]
    adjust_set(profile, prescription, logged_sets_so_far, catalogue)
        -> tuple[Decision, NextSet | None]
    estimate_e1rm(load_kg, reps, rpe=None) -> E1rmEstimate | None
"""

from hingecoach.coach.adjust import adjust_set
from hingecoach.coach.assessment import place
from hingecoach.coach.decisions import (
    Action,
    AppliedModifier,
    Change,
    Decision,
    Evidence,
    NextSet,
    Placement,
    Prescription,
    Purpose,
    ReasonLine,
    RepTarget,
)
from hingecoach.coach.demo import demo_history, demo_profile, demo_screen_answers
from hingecoach.coach.e1rm import E1rmEstimate, estimate_e1rm, load_for, rpe_chart_pct
from hingecoach.coach.loads import available_loads, next_increment, round_down
from hingecoach.coach.models import (
    Experience,
    FormRating,
    Goal,
    History,
    OwnedEquipment,
    PainQuality,
    Profile,
    RedFlagAnswers,
    ScreenAnswers,
    Session,
    SetLog,
    Weekday,
)
from hingecoach.coach.prescription import prescribe
from hingecoach.coach.safety import screen

__all__ = [
    "Action",
    "AppliedModifier",
    "Change",
    "Decision",
    "E1rmEstimate",
    "Evidence",
    "Experience",
    "FormRating",
    "Goal",
    "History",
    "NextSet",
    "OwnedEquipment",
    "PainQuality",
    "Placement",
    "Prescription",
    "Profile",
    "Purpose",
    "ReasonLine",
    "RedFlagAnswers",
    "RepTarget",
    "ScreenAnswers",
    "Session",
    "SetLog",
    "Weekday",
    "adjust_set",
    "available_loads",
    "demo_history",
    "demo_profile",
    "demo_screen_answers",
    "estimate_e1rm",
    "load_for",
    "next_increment",
    "place",
    "prescribe",
    "round_down",
    "rpe_chart_pct",
    "screen",
]
