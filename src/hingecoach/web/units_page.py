"""A trainee's unit, kg or lb (``POST /account/unit``; the form is on the Account page).

Stored in the trainee's profile (``unit``); every load shown to them is in it and every
load they type is read in it (``hingecoach.units``). Storage stays in kg.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from hingecoach.services import trainees
from hingecoach.units import parse_unit
from hingecoach.web.deps import EngineDep, OwnTrainee, TraineeAccount

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.post("/account/unit")
def set_unit(
    engine: EngineDep,
    account: TraineeAccount,
    name: OwnTrainee,
    unit: Annotated[str, Form(max_length=10)] = "kg",
) -> Response:
    trainees.edit_trainee(engine, name, changes={"unit": parse_unit(unit)})
    return RedirectResponse("/account?saved=unit", status_code=303)
