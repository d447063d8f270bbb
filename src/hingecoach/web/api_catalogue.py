"""The exercise catalogue through the API (R-CAT-1..4): the same data as ``hingecoach
catalogue list|show|ladder``.

- ``GET /api/v1/catalogue``: every exercise (optionally one stage or pattern);
- ``GET /api/v1/catalogue/{exercise_id}``: one exercise, with its faults and modifiers
  (an id, a name or an alias; an unknown one is 404 with the nearest ids);
- ``GET /api/v1/catalogue/{exercise_id}/ladder``: its rung: what it progresses and
  regresses to, and the easiest way up to it from the floor;
- ``GET /api/v1/ladder``: the whole hinge ladder, stage by stage, and the pushes.

Any valid token may read it: the catalogue is the same for everyone.
"""

from __future__ import annotations

from collections import deque
from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel, Field

from hingecoach.knowledge import (
    Catalogue,
    DoseMode,
    Equipment,
    Exercise,
    Fault,
    Graduation,
    LoadMode,
    Modifier,
    Pattern,
    Tempo,
    find_exercise,
    ladder_by_stage,
)
from hingecoach.web.api_router import json_router
from hingecoach.web.deps import ApiAccount, CatalogueDep

__all__ = ["router"]

router = json_router()

ExerciseId = Annotated[
    str,
    Path(min_length=1, max_length=80, description="An exercise id (or its name or an alias)"),
]


class ExerciseRef(BaseModel):
    id: str
    name: str
    stage: int | None = Field(description="0-4 on the hinge ladder; null for a push")


class ExerciseSummaryPublic(BaseModel):
    id: str
    name: str
    aliases: list[str]
    pattern: Pattern
    stage: int | None = Field(description="0-4 on the hinge ladder; null for a push")
    stage_label: str | None
    equipment: list[Equipment]
    load_modes: list[LoadMode]
    dose_modes: list[DoseMode]
    progresses_to: list[str]
    regresses_to: list[str]
    beginner_friendly: bool


class ExercisePublic(ExerciseSummaryPublic):
    """Everything about one exercise: what it teaches, set-up, cues, faults and fixes,
    ways to make it easier, when it graduates, where it leads."""

    teaches: str
    focus: str
    tempo: Tempo
    setup: list[str]
    cues: list[str]
    graduation: Graduation
    faults: list[Fault]
    modifiers: list[Modifier]


class RungPublic(BaseModel):
    """One exercise's place on the hinge ladder."""

    exercise: ExerciseRef
    stage_label: str | None
    progresses_to: list[ExerciseRef] = Field(description="the next rungs up")
    regresses_to: list[ExerciseRef] = Field(description="the rungs down, when it is too hard")
    path_from_floor: list[ExerciseRef] = Field(
        description="the fewest rungs from a floor exercise up to this one, this one last"
    )


class StagePublic(BaseModel):
    stage: int
    label: str
    exercises: list[ExerciseSummaryPublic] = Field(description="floor first")


class LadderPublic(BaseModel):
    stages: list[StagePublic]
    pushes: list[ExerciseSummaryPublic] = Field(description="pushes paired in supersets")


def _ref(ex: Exercise) -> ExerciseRef:
    return ExerciseRef(id=ex.id, name=ex.name, stage=None if ex.stage is None else int(ex.stage))


def _summary_fields(ex: Exercise) -> dict[str, object]:
    return {
        "id": ex.id,
        "name": ex.name,
        "aliases": list(ex.aliases),
        "pattern": ex.pattern,
        "stage": None if ex.stage is None else int(ex.stage),
        "stage_label": None if ex.stage is None else ex.stage.label,
        "equipment": list(ex.equipment),
        "load_modes": list(ex.load_modes),
        "dose_modes": list(ex.dose_modes),
        "progresses_to": list(ex.progresses_to),
        "regresses_to": list(ex.regresses_to),
        "beginner_friendly": ex.beginner_friendly,
    }


def _summary(ex: Exercise) -> ExerciseSummaryPublic:
    return ExerciseSummaryPublic.model_validate(_summary_fields(ex))


def _refs(catalogue: Catalogue, ids: list[str]) -> list[ExerciseRef]:
    return [_ref(catalogue.exercises[i]) for i in ids if i in catalogue.exercises]


def path_from_floor(catalogue: Catalogue, exercise_id: str) -> list[Exercise]:
    """The fewest rungs from a floor exercise (nothing below it) up to this one, by
    following regressions down (breadth first, so the shortest way; ties by id)."""
    exercises = catalogue.exercises
    came_from: dict[str, str | None] = {exercise_id: None}
    queue = deque([exercise_id])
    while queue:
        current = queue.popleft()
        below = sorted(i for i in exercises[current].regresses_to if i in exercises)
        if not below:
            chain = [current]
            while (up := came_from[chain[-1]]) is not None:
                chain.append(up)
            return [exercises[i] for i in chain]
        for lower in below:
            if lower not in came_from:
                came_from[lower] = current
                queue.append(lower)
    return [exercises[exercise_id]]  # only a cycle below (the catalogue checks forbid it)


@router.get("/catalogue", response_model=list[ExerciseSummaryPublic])
def catalogue_list(
    catalogue: CatalogueDep,
    account: ApiAccount,
    stage: Annotated[int | None, Query(ge=0, le=4, description="Only this stage")] = None,
    pattern: Annotated[Pattern | None, Query(description="Only hinges or pushes")] = None,
) -> list[ExerciseSummaryPublic]:
    """Every exercise: stage, equipment, how it is loaded and dosed, where it leads;
    hinges by stage, then pushes."""
    rows = [
        ex
        for ex in catalogue.exercises.values()
        if (stage is None or ex.stage == stage) and (pattern is None or ex.pattern == pattern)
    ]
    rows.sort(key=lambda e: (e.stage is None, e.stage if e.stage is not None else 0, e.id))
    return [_summary(ex) for ex in rows]


@router.get(
    "/catalogue/{exercise_id}",
    response_model=ExercisePublic,
    responses={404: {"description": "No such exercise (the nearest ids are named)"}},
)
def catalogue_exercise(
    exercise_id: ExerciseId, catalogue: CatalogueDep, account: ApiAccount
) -> ExercisePublic:
    """One exercise, with the faults it is prone to (and their fixes) and its modifiers."""
    ex = find_exercise(catalogue, exercise_id)
    return ExercisePublic.model_validate(
        {
            **_summary_fields(ex),
            "teaches": ex.teaches,
            "focus": ex.focus,
            "tempo": ex.tempo,
            "setup": list(ex.setup),
            "cues": list(ex.cues),
            "graduation": ex.graduation,
            "faults": [catalogue.faults[f] for f in ex.faults if f in catalogue.faults],
            "modifiers": [catalogue.modifiers[m] for m in ex.modifiers if m in catalogue.modifiers],
        }
    )


@router.get(
    "/catalogue/{exercise_id}/ladder",
    response_model=RungPublic,
    responses={404: {"description": "No such exercise (the nearest ids are named)"}},
)
def catalogue_rung(
    exercise_id: ExerciseId, catalogue: CatalogueDep, account: ApiAccount
) -> RungPublic:
    """Where an exercise sits on the ladder: the rungs up and down, and the way up to it."""
    ex = find_exercise(catalogue, exercise_id)
    return RungPublic(
        exercise=_ref(ex),
        stage_label=None if ex.stage is None else ex.stage.label,
        progresses_to=_refs(catalogue, ex.progresses_to),
        regresses_to=_refs(catalogue, ex.regresses_to),
        path_from_floor=[_ref(e) for e in path_from_floor(catalogue, ex.id)] if ex.is_hinge else [],
    )


@router.get("/ladder", response_model=LadderPublic)
def ladder(catalogue: CatalogueDep, account: ApiAccount) -> LadderPublic:
    """The hinge ladder, stage by stage, floor first; and the pushes for supersets."""
    stages = [
        StagePublic(stage=int(stage), label=stage.label, exercises=[_summary(ex) for ex in members])
        for stage, members in ladder_by_stage(catalogue).items()
        if members
    ]
    pushes = sorted(
        (ex for ex in catalogue.exercises.values() if not ex.is_hinge), key=lambda e: e.id
    )
    return LadderPublic(stages=stages, pushes=[_summary(ex) for ex in pushes])
