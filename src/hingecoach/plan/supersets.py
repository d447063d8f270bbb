"""Supersets: a hinge paired with a complementary push (R-PLAN-3).

Deadlifts pair with the push-up, the kettlebell swing (and the pull-throughs that lead to
it) with the bench press, the single-leg RDL with the overhead press. Never a hinge with a
hinge, and never the heavy primary: the pair is the secondary hinge (or, when there is
none, the accessory one). The push is scaled to what the person owns: no bench or no
weights for the bench press, or no weights for the overhead press, and it becomes a
push-up; a novice with a bench starts with the incline push-up.
"""

from __future__ import annotations

from hingecoach.coach import Experience, History, Profile
from hingecoach.knowledge import Catalogue, Exercise
from hingecoach.plan.defaults import (
    EASIER_PUSH,
    PUSH_FOR_DEADLIFTS,
    SUPERSET_REST_S,
)
from hingecoach.plan.equipment import fits_equipment
from hingecoach.plan.models import BlockPurpose, PlannedExercise, Reason, SessionBlock

__all__ = ["choose_push", "pair", "push_for"]


def push_for(hinge: Exercise) -> str:
    """The push R-PLAN-3 pairs with this hinge (before scaling to equipment): the
    catalogue's ``superset_push`` (the swing family's bench press, the single-leg RDL's
    overhead press), else the deadlifts' push-up."""
    return hinge.superset_push or PUSH_FOR_DEADLIFTS


def _latest_push(history: History, catalogue: Catalogue) -> str | None:
    for session in reversed(history.sessions):
        ex = catalogue.exercises.get(session.exercise_id)
        if ex is not None and not ex.is_hinge:
            return ex.id
    return None


def choose_push(
    hinge: Exercise, profile: Profile, history: History, catalogue: Catalogue
) -> Exercise | None:
    """The push for this hinge, scaled to the person's equipment (R-PLAN-3)."""
    equipment = profile.equipment
    wanted = push_for(hinge)
    candidates = [wanted] if wanted == PUSH_FOR_DEADLIFTS else [wanted, PUSH_FOR_DEADLIFTS]
    for push_id in candidates:
        push = catalogue.exercises.get(push_id)
        if push is None or push.is_hinge or not fits_equipment(push, equipment):
            continue
        if push.id == PUSH_FOR_DEADLIFTS:
            easier = catalogue.exercises.get(EASIER_PUSH)
            novice = profile.training_history is Experience.NOVICE
            latest = _latest_push(history, catalogue)
            if (
                easier is not None
                and fits_equipment(easier, equipment)
                and (latest == EASIER_PUSH or (novice and latest is None))
            ):
                return easier
        return push
    return None


def pair(
    purpose: BlockPurpose, hinge: PlannedExercise, push: PlannedExercise, why: str
) -> SessionBlock:
    """A superset block: the hinge, then the push, then rest (R-PLAN-3)."""
    rest_s, _ = SUPERSET_REST_S
    if hinge.load_kg is not None or push.load_kg is not None:
        rest_s = SUPERSET_REST_S[1]
    return SessionBlock(
        purpose=purpose,
        exercises=(hinge, push),
        rest_s=rest_s,
        reason=Reason(
            text=f"{why} Superset: {hinge.name.lower()}, then straight into "
            f"{push.name.lower()}, then rest; a push does not tire the hinge muscles, so the "
            "pair saves time without costing the hinge.",
            rules=("R-PLAN-2", "R-PLAN-3"),
        ),
    )
