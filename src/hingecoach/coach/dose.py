"""The base dose of a rung for a person: sets, reps or seconds, rest, tempo, effort.

R-RX-2 dose by purpose, R-RX-3 goals, R-RX-4 tempo, R-RX-5 effort. Progression and
regression then change this base (bridge steps, modifiers, load); ``prescription`` records
every change with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from hingecoach.coach.decisions import Purpose
from hingecoach.coach.defaults import (
    ACCESSORY_REPS,
    ACCESSORY_REST_S,
    ACCESSORY_SETS,
    HYPERTROPHY_REPS,
    HYPERTROPHY_REST_S,
    HYPERTROPHY_SESSIONS_PER_WEEK,
    HYPERTROPHY_SETS,
    LEARNING_REPS,
    LEARNING_REST_S,
    LEARNING_SESSIONS_PER_WEEK,
    LEARNING_SETS,
    POWER_REPS,
    POWER_REST_S,
    POWER_SESSIONS_PER_WEEK,
    POWER_SETS,
    PRIMARY_HARD_RPE,
    PRIMARY_REST_HARD_S,
    RPE_BEGINNER,
    RPE_BEGINNER_TARGET,
    RPE_WORK,
    RPE_WORK_TARGET,
    SECONDARY_REPS,
    SECONDARY_REST_S,
    SECONDARY_SETS,
    STRENGTH_REPS,
    STRENGTH_REST_S,
    STRENGTH_SESSIONS_PER_WEEK,
    STRENGTH_SETS,
    TEMPO_LEARNING,
    TEMPO_STRENGTH,
    WARM_UP_REPS,
    WARM_UP_REST_S,
    WARM_UP_SETS,
)
from hingecoach.coach.ladder import is_learning_rung
from hingecoach.coach.models import Experience, Goal, Profile
from hingecoach.knowledge import DoseMode, Exercise, Tempo

__all__ = ["BaseDose", "base_dose", "dose_for_purpose", "sessions_per_week"]


@dataclass(frozen=True)
class BaseDose:
    """A dose before progression and regression change it."""

    purpose: Purpose
    sets: int
    reps: tuple[int, int] | None  # (min, max)
    seconds: int | None
    rest_s: tuple[int, int]
    tempo: Tempo
    rpe: tuple[float, float]
    rpe_target: float
    rule: str  # the rule that set it (R-RX-2 or R-RX-3)
    why: str  # in plain words


def _tempo(down_s: float, up_s: float, like: Tempo) -> Tempo:
    return Tempo(down_s=down_s, up_s=up_s, bottom_s=like.bottom_s, top_s=like.top_s)


def _range_to(top: int, default: tuple[int, int]) -> tuple[int, int]:
    """The default range, moved so its top is the rung's graduation top (R-PROG-1)."""
    lo, hi = default
    return (max(1, top - (hi - lo)), top) if top != hi else default


def _effort(profile: Profile) -> tuple[tuple[float, float], float]:
    """R-RX-5: work sets RPE 7-9; beginners RPE 6-8."""
    if profile.training_history is Experience.NOVICE:
        return RPE_BEGINNER, RPE_BEGINNER_TARGET
    return RPE_WORK, RPE_WORK_TARGET


def dose_for_purpose(purpose: Purpose) -> tuple[int, tuple[int, int], tuple[int, int]]:
    """R-RX-2 table: (sets, reps range, rest range) for a purpose; used by session plans."""
    if purpose is Purpose.WARM_UP:
        return WARM_UP_SETS, WARM_UP_REPS, WARM_UP_REST_S
    if purpose is Purpose.PRIMARY:
        return STRENGTH_SETS, STRENGTH_REPS, STRENGTH_REST_S
    if purpose is Purpose.ACCESSORY:
        return ACCESSORY_SETS[1], ACCESSORY_REPS, ACCESSORY_REST_S
    if purpose is Purpose.LEARNING:
        return LEARNING_SETS, LEARNING_REPS, LEARNING_REST_S
    return SECONDARY_SETS, SECONDARY_REPS, SECONDARY_REST_S


def is_strength_block(profile: Profile, ex: Exercise) -> bool:
    """R-RX-3: strength dosing only for intermediate and above, on lifting rungs."""
    return (
        profile.goal is Goal.STRENGTH
        and profile.training_history is not Experience.NOVICE
        and not is_learning_rung(ex)
    )


def base_dose(profile: Profile, ex: Exercise, last_rpe: float | None = None) -> BaseDose:
    """The dose of ``ex`` for this person (R-RX-2..5).

    ``last_rpe`` is the last work set's rating on this rung: a primary set at RPE 8.5 or
    more earns up to 5 min rest (R-RX-2).
    """
    grad = ex.graduation
    rpe, rpe_target = _effort(profile)
    learning_tempo = _tempo(*TEMPO_LEARNING, like=ex.tempo)
    if is_learning_rung(ex):
        timed = profile.preferred_dose is DoseMode.SECONDS and ex.timed
        sets = max(LEARNING_SETS, grad.min_sets)
        return BaseDose(
            purpose=Purpose.LEARNING,
            sets=sets,
            reps=None if timed else _range_to(grad.top_reps, LEARNING_REPS),
            seconds=grad.top_seconds if timed else None,
            rest_s=LEARNING_REST_S,
            tempo=learning_tempo,
            rpe=RPE_BEGINNER,
            rpe_target=RPE_BEGINNER_TARGET,
            rule="R-RX-2",
            why=(
                f"learning rung: {sets} x {grad.top_seconds} s"
                if timed
                else f"learning rung: {sets} x 8-{grad.top_reps}"
            ),
        )
    explosive = ex.tempo.up_s == 0
    if is_strength_block(profile, ex):
        rest = STRENGTH_REST_S
        if last_rpe is not None and last_rpe >= PRIMARY_HARD_RPE:
            rest = (rest[0], PRIMARY_REST_HARD_S)
        return BaseDose(
            purpose=Purpose.PRIMARY,
            sets=STRENGTH_SETS,
            reps=STRENGTH_REPS,
            seconds=None,
            rest_s=rest,
            tempo=ex.tempo if explosive else _tempo(*TEMPO_STRENGTH, like=ex.tempo),
            rpe=rpe,
            rpe_target=rpe_target,
            rule="R-RX-3",
            why="strength block: 4-6 reps at about 80-85 % of your estimated max",
        )
    if profile.goal is Goal.POWER and ex.power:
        return BaseDose(
            purpose=Purpose.PRIMARY,
            sets=max(POWER_SETS, grad.min_sets),
            reps=_range_to(grad.top_reps, POWER_REPS),
            seconds=None,
            rest_s=POWER_REST_S,
            tempo=ex.tempo,
            rpe=rpe,
            rpe_target=rpe_target,
            rule="R-RX-3",
            why="power work: crisp reps, full rest",
        )
    hypertrophy = profile.goal is Goal.HYPERTROPHY
    return BaseDose(
        purpose=Purpose.SECONDARY,
        sets=max(HYPERTROPHY_SETS if hypertrophy else SECONDARY_SETS, grad.min_sets),
        reps=_range_to(grad.top_reps, HYPERTROPHY_REPS if hypertrophy else SECONDARY_REPS),
        seconds=None,
        rest_s=HYPERTROPHY_REST_S if hypertrophy else SECONDARY_REST_S,
        tempo=learning_tempo if hypertrophy and not explosive else ex.tempo,
        rpe=rpe,
        rpe_target=rpe_target,
        rule="R-RX-3" if hypertrophy else "R-RX-2",
        why=(
            "hypertrophy: 8-12 reps at about 65-75 % of your estimated max"
            if hypertrophy
            else "a multi-joint hinge: 3 x 8-12 with 90-180 s rest"
        ),
    )


def sessions_per_week(profile: Profile, ex: Exercise) -> tuple[int, int]:
    """R-RX-3: how many hinge sessions a week suit the goal on this rung."""
    if is_learning_rung(ex) or profile.goal in (Goal.LEARN, Goal.PAIN_FREE):
        return LEARNING_SESSIONS_PER_WEEK
    if is_strength_block(profile, ex):
        return STRENGTH_SESSIONS_PER_WEEK
    if profile.goal is Goal.HYPERTROPHY:
        return HYPERTROPHY_SESSIONS_PER_WEEK
    if profile.goal is Goal.POWER:
        return POWER_SESSIONS_PER_WEEK
    return LEARNING_SESSIONS_PER_WEEK
