"""Import a Strong, Hevy or FitNotes history through the API: preview, then commit.

``POST /api/v1/trainees/{name}/imports/preview`` checks the file and says what it would
add (nothing is written); ``POST /api/v1/trainees/{name}/imports`` adds it, all or nothing.
Either needs a token that may see the trainee. A second commit of the same file adds
nothing. Files over ``HINGECOACH_IMPORT_MAX_MB`` (default 20 MB) are refused.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Literal

from fastapi import Path, status
from pydantic import BaseModel, ConfigDict, Field

from hingecoach.importers import HistoryFormat, ImportPlan, SetKind, Unit, builtin_names
from hingecoach.knowledge import Catalogue
from hingecoach.services.transfer import IMPORT_MAX_MB_DEFAULT, check_import_size, import_history
from hingecoach.web.api_router import json_router
from hingecoach.web.deps import (
    ApiAccount,
    CatalogueDep,
    EngineDep,
    TodayDep,
    VisibleTrainee,
    in_writer,
)

__all__ = ["ENV_IMPORT_MAX_MB", "router"]

ENV_IMPORT_MAX_MB = "HINGECOACH_IMPORT_MAX_MB"

router = json_router(
    {
        401: "No API token, or not a valid one",
        404: "No such trainee among the ones you can see",
        422: "The file is not a valid export; one line says what to fix",
    }
)

Name = Annotated[str, Path(min_length=1, max_length=80, description="The trainee's name")]


class HistoryImportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    csv: str = Field(min_length=1, description="The CSV file the app exported, as text")
    source: Literal["strong", "hevy", "fitnotes"] | None = Field(
        default=None, description="The app; guessed from the header when left out"
    )
    unit: Literal["kg", "lb"] = Field(
        default="kg", description="The weight unit of a Strong file that does not say"
    )
    names: dict[str, str] = Field(
        default={}, description='Your own names: {"Name in the app": "exercise-id"}'
    )


class HistoryImportPublic(BaseModel):
    source: str
    sessions: int = Field(description="sessions added (or, in a preview, that would be)")
    sets: int
    already_imported: int = Field(description="sets already in the history, left out")
    mapped: dict[str, int] = Field(description='"Name in the app -> exercise-id": sets')
    other_training: dict[str, int] = Field(
        description="names that map to no exercise: kept as other training, with their sets"
    )
    warm_up_sets: int
    drop_sets: int
    written: int = Field(description="sets written (0 in a preview)")
    first_date: dt.date | None
    last_date: dt.date | None


def _max_mb() -> float:
    return float(os.environ.get(ENV_IMPORT_MAX_MB, "") or IMPORT_MAX_MB_DEFAULT)


def _run(
    engine: EngineDep,
    name: str,
    body: HistoryImportCreate,
    catalogue: Catalogue,
    today: dt.date,
    *,
    preview: bool,
) -> HistoryImportPublic:
    check_import_size(len(body.csv.encode()), _max_mb(), "the file")
    names = builtin_names(catalogue).with_user_names(body.names, catalogue, "names")
    plan, written = import_history(
        engine,
        name,
        body.csv.lstrip("\ufeff"),
        fmt=HistoryFormat(body.source) if body.source else None,
        names=names,
        catalogue=catalogue,
        today=today,
        unit=Unit(body.unit),
        preview=preview,
    )
    return _public(plan, written)


def _public(plan: ImportPlan, written: int) -> HistoryImportPublic:
    return HistoryImportPublic(
        source=plan.source.value,
        sessions=len(plan.sessions),
        sets=plan.set_count,
        already_imported=plan.already_imported,
        mapped={f"{n} -> {i}": c for (n, i), c in sorted(plan.mapped.items())},
        other_training=dict(sorted(plan.unmapped.items())),
        warm_up_sets=plan.kinds[SetKind.WARM_UP],
        drop_sets=plan.kinds[SetKind.DROP],
        written=written,
        first_date=plan.first_date,
        last_date=plan.last_date,
    )


@router.post("/trainees/{name}/imports/preview", response_model=HistoryImportPublic)
def preview_import(
    name: VisibleTrainee,
    body: HistoryImportCreate,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
) -> HistoryImportPublic:
    """What importing this Strong, Hevy or FitNotes export would add; writes nothing."""
    return _run(engine, name, body, catalogue, today, preview=True)


@router.post(
    "/trainees/{name}/imports",
    response_model=HistoryImportPublic,
    status_code=status.HTTP_201_CREATED,
)
async def commit_import(
    name: VisibleTrainee,
    body: HistoryImportCreate,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
) -> HistoryImportPublic:
    """Add a Strong, Hevy or FitNotes export to the trainee's history, all or nothing; sets
    already imported are left out."""
    return await in_writer(_import, engine, name, body, catalogue, today)


def _import(
    engine: EngineDep, name: str, body: HistoryImportCreate, catalogue: Catalogue, today: dt.date
) -> HistoryImportPublic:
    return _run(engine, name, body, catalogue, today, preview=False)
