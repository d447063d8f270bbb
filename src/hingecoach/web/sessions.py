"""Logged sessions as a resource: read one, correct it, delete it (pages and API).

- ``/history/{id}`` (a trainee, their own) and ``/clients/{name}/sessions/{id}`` (a
  trainer, their client's): the session as it is now, its corrections (who, when, what),
  a form to edit each set or delete it, and a button to delete the whole session;
- ``/api/v1/trainees/{name}/sessions/{id}``: GET, PATCH (sets and/or notes), DELETE; and
  ``.../sets/{number}``: PATCH (some fields of one set), DELETE.

Access is checked as everywhere else (``accounts.require_trainee``): a trainee corrects
only their own sessions, a trainer only their clients'; anyone else's is 404, exactly as
a session that does not exist. Every correction is one transaction (see
``services.corrections``) and answers with the coach's new decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hingecoach.coach import Session, SetLog
from hingecoach.errors import InputError, UnknownIdError, format_validation_error
from hingecoach.knowledge import Catalogue
from hingecoach.services import corrections
from hingecoach.services.accounts import Account
from hingecoach.units import Unit, format_load, parse_load
from hingecoach.web.api_router import json_router
from hingecoach.web.deps import (
    ApiAccount,
    CatalogueDep,
    ClientName,
    EngineDep,
    OwnTrainee,
    TodayDep,
    TraineeAccount,
    TrainerAccount,
    VisibleTrainee,
)
from hingecoach.web.schemas import TodayPublic
from hingecoach.web.templating import render

__all__ = [
    "api_router",
    "decision_values",
    "history_values",
    "router",
    "sets_from_form",
]

router = APIRouter(include_in_schema=False)
api_router = json_router()

SessionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The session's id")]
SetNumber = Annotated[int, Path(ge=1, le=100, description="The set's number, from 1")]
Name = Annotated[str, Path(min_length=1, max_length=80, description="The trainee's name")]
FORM_RATINGS = ("clean", "minor", "breakdown")


# ---------------------------------------------------------------- the edit form


def sets_from_form(
    before: Session, form: Mapping[str, str], unit: Unit = "kg"
) -> tuple[SetLog, ...]:
    """The sets as the edit form has them: ``amount-N`` (reps, or seconds for a timed
    set), ``load-N`` (in ``unit``, or with its own: "180 lb"; empty for none),
    ``pain-N``, ``form-N``, ``delete-N``. A load left as shown keeps its stored kg."""
    sets: list[SetLog] = []
    for number, old in enumerate(before.sets, start=1):
        if form.get(f"delete-{number}"):
            continue
        data: dict[str, Any] = old.model_dump()
        amount = (form.get(f"amount-{number}") or "").strip()
        if not amount:
            what = "seconds" if old.seconds is not None else "reps"
            raise InputError(f"set {number}: say how many {what}, or tick Delete")
        data["seconds" if old.seconds is not None else "reps"] = amount
        load = (form.get(f"load-{number}") or "").strip()
        try:
            kept = load == format_load(old.load_kg, unit, with_unit=False)
            data["load_kg"] = old.load_kg if kept else parse_load(load, unit)
        except InputError as exc:
            raise InputError(f"set {number}: {exc}") from None
        data["pain"] = (form.get(f"pain-{number}") or "0").strip()
        rating = form.get(f"form-{number}") or data["form"]
        data["form"] = rating
        if rating == "clean":
            data["faults"] = ()
        try:
            sets.append(SetLog.model_validate(data))
        except ValidationError as exc:
            raise InputError(format_validation_error(f"set {number}", exc)) from None
    if not sets:
        raise InputError("every set is ticked Delete: delete the whole session instead")
    return tuple(sets)


def _exercise_name(catalogue: Catalogue, exercise_id: str) -> str:
    ex = catalogue.exercises.get(exercise_id)
    return ex.name if ex is not None else exercise_id.replace("-", " ")


def _author(account: Account, why: str = "") -> corrections.Author:
    return corrections.Author(name=account.display_name, user_id=account.id, why=why)


# ---------------------------------------------------------------- pages


def _detail_page(
    request: Request,
    engine: EngineDep,
    catalogue: Catalogue,
    name: str,
    session_id: int,
    base: str,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    stored, changes = corrections.session_detail(engine, name, session_id)
    return render(
        request,
        "session.html",
        {
            "name": name,
            "stored": stored,
            "s": stored.session,
            "exercise_name": _exercise_name(catalogue, stored.session.exercise_id),
            "corrections": changes,
            "base": base,
            "ratings": FORM_RATINGS,
            "message": message,
            "error": error,
        },
        status=status,
    )


def _trainee_base(session_id: int) -> str:
    return f"/history/{session_id}"


def _client_base(name: str, session_id: int) -> str:
    return f"/clients/{quote(name, safe='')}/sessions/{session_id}"


_SAVED = {
    "edit": "Saved. The coach decided your next session again from the corrected history.",
}
HISTORY_PER_PAGE = 20  # sessions a history page shows (about 2,500 px on a phone)
Page = Annotated[int, Query(ge=1, le=100_000, description="The page, from 1 (newest)")]


def exercise_names(catalogue: Catalogue) -> dict[str, str]:
    """Exercise ids to the names people read."""
    return {ex_id: ex.name for ex_id, ex in catalogue.exercises.items()}


def history_values(
    engine: EngineDep, catalogue: Catalogue, name: str, page: int, session_base: str
) -> dict[str, Any]:
    """What a history list shows: one page of sessions and how to open each."""
    return {
        "history": corrections.session_page(engine, name, page, HISTORY_PER_PAGE),
        "exercise_names": exercise_names(catalogue),
        "session_base": session_base,
        "name": name,
    }


DECISIONS_PER_PAGE = 20  # decisions a page shows, each one line until opened


def decision_values(
    engine: EngineDep, catalogue: Catalogue, name: str, page: int, url: str
) -> dict[str, Any]:
    """What a decision log shows: one page of decisions, newest first, with names."""
    from hingecoach.services.decision_log import decision_page

    found = decision_page(engine, name, page, DECISIONS_PER_PAGE)
    return {
        "decisions": list(found.items),
        "decision_corrections": found.corrections,
        "decision_list": found,
        "decisions_url": url,
        "exercise_names": exercise_names(catalogue),
    }


@router.get("/history", response_class=HTMLResponse)
def trainee_history(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    page: Page = 1,
) -> Response:
    values = history_values(engine, catalogue, name, page, "/history")
    if request.query_params.get("deleted") == "session":
        values["message"] = "Session deleted. The coach decided your next session again."
    return render(request, "history.html", values | {"list_url": "/history"})


@router.get("/clients/{name}/sessions", response_class=HTMLResponse)
def client_history(
    request: Request,
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    page: Page = 1,
) -> Response:
    base = f"/clients/{quote(name, safe='')}/sessions"
    values = history_values(engine, catalogue, name, page, base)
    if request.query_params.get("deleted") == "session":
        values["message"] = f"Session deleted. The coach decided {name}'s next session again."
    return render(request, "history.html", values | {"list_url": base, "for_trainer": True})


@router.get("/history/{session_id}", response_class=HTMLResponse)
def trainee_session(
    request: Request,
    session_id: SessionId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
) -> Response:
    message = _SAVED.get(request.query_params.get("saved", ""))
    base = _trainee_base(session_id)
    return _detail_page(request, engine, catalogue, name, session_id, base, message=message)


@router.get("/clients/{name}/sessions/{session_id}", response_class=HTMLResponse)
def client_session(
    request: Request,
    name: ClientName,
    session_id: SessionId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
) -> Response:
    message = _SAVED.get(request.query_params.get("saved", ""))
    base = _client_base(name, session_id)
    return _detail_page(request, engine, catalogue, name, session_id, base, message=message)


async def _edit(
    request: Request,
    engine: EngineDep,
    catalogue: Catalogue,
    account: Account,
    name: str,
    session_id: int,
    base: str,
    today: dt.date,
) -> Response:
    form = await request.form()
    fields = {key: str(value) for key, value in form.items()}
    stored, _ = corrections.session_detail(engine, name, session_id)
    try:
        unit: Unit = "lb" if stored.unit == "lb" else "kg"
        sets = sets_from_form(stored.session, fields, unit)
        corrections.edit_session(
            engine,
            name,
            session_id,
            sets=sets,
            notes=fields.get("notes", stored.session.notes)[:2000],
            author=_author(account, fields.get("why", "")[:2000]),
            catalogue=catalogue,
            today=today,
        )
    except InputError as exc:
        if isinstance(exc, UnknownIdError):
            raise
        error = "Nothing changed: " + str(exc) + "."
        return _detail_page(
            request, engine, catalogue, name, session_id, base, error=error, status=422
        )
    return RedirectResponse(f"{base}?saved=edit", status_code=303)


@router.post("/history/{session_id}/edit", response_class=HTMLResponse)
async def trainee_edit(
    request: Request,
    session_id: SessionId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    today: TodayDep,
) -> Response:
    base = _trainee_base(session_id)
    return await _edit(request, engine, catalogue, account, name, session_id, base, today)


@router.post("/clients/{name}/sessions/{session_id}/edit", response_class=HTMLResponse)
async def client_edit(
    request: Request,
    name: ClientName,
    session_id: SessionId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    today: TodayDep,
) -> Response:
    base = _client_base(name, session_id)
    return await _edit(request, engine, catalogue, account, name, session_id, base, today)


async def _delete(
    request: Request,
    engine: EngineDep,
    catalogue: Catalogue,
    account: Account,
    name: str,
    session_id: int,
    today: dt.date,
) -> corrections.CorrectionResult:
    form = await request.form()
    why = str(form.get("why") or "")[:2000]
    return corrections.delete_session(
        engine, name, session_id, author=_author(account, why), catalogue=catalogue, today=today
    )


@router.post("/history/{session_id}/delete")
async def trainee_delete(
    request: Request,
    session_id: SessionId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    today: TodayDep,
) -> Response:
    await _delete(request, engine, catalogue, account, name, session_id, today)
    return RedirectResponse("/history?deleted=session", status_code=303)


@router.post("/clients/{name}/sessions/{session_id}/delete")
async def client_delete(
    request: Request,
    name: ClientName,
    session_id: SessionId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    today: TodayDep,
) -> Response:
    await _delete(request, engine, catalogue, account, name, session_id, today)
    return RedirectResponse(
        f"/clients/{quote(name, safe='')}/sessions?deleted=session", status_code=303
    )


# ---------------------------------------------------------------- API


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionPublic(_Schema):
    id: int
    version: int = Field(description="1 as logged, one more per correction")
    session: Session


class SessionUpdate(_Schema):
    sets: list[SetLog] | None = Field(default=None, min_length=1, max_length=100)
    notes: str | None = Field(default=None, max_length=2000)
    why: str = Field(default="", max_length=2000, description="why, kept with the correction")


class SetUpdate(_Schema):
    """The fields to change; the others stay as logged."""

    reps: int | None = None
    seconds: float | None = None
    load_kg: float | None = None
    rpe: float | None = None
    rir: float | None = None
    form: str | None = None
    faults: list[str] | None = None
    pain: int | None = None
    why: str = Field(default="", max_length=2000)


class CorrectionPublic(_Schema):
    id: int
    session_id: int
    action: str
    made_at: dt.datetime
    made_by: str
    why: str
    changes: list[str]
    replaced_decision_id: int | None
    decision_id: int | None


class CorrectedPublic(_Schema):
    correction: CorrectionPublic
    today: TodayPublic


def _corrected(result: corrections.CorrectionResult) -> CorrectedPublic:
    c = result.correction
    return CorrectedPublic(
        correction=CorrectionPublic(
            id=c.id,
            session_id=c.session_id,
            action=c.action,
            made_at=c.made_at,
            made_by=c.made_by,
            why=c.why,
            changes=list(c.changes),
            replaced_decision_id=c.replaced_decision_id,
            decision_id=c.decision_id,
        ),
        today=TodayPublic(
            decision_id=result.today.decision_id,
            decision=result.today.decision,
            prescription=result.today.prescription,
        ),
    )


_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API token, or not a valid one"},
    404: {"description": "No such trainee or session among the ones you can see"},
    422: {"description": "The correction is not valid; nothing was changed"},
}


@api_router.get(
    "/trainees/{name}/sessions", response_model=list[SessionPublic], responses=_RESPONSES
)
def list_sessions(
    name: VisibleTrainee,
    engine: EngineDep,
    account: ApiAccount,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[SessionPublic]:
    """Logged sessions with their ids, newest first, a page at a time."""
    found = corrections.session_page(engine, name, page, per_page)
    return [SessionPublic(id=i.id, version=i.version, session=i.session) for i in found.items]


@api_router.get(
    "/trainees/{name}/sessions/{session_id}", response_model=SessionPublic, responses=_RESPONSES
)
def get_session(
    name: VisibleTrainee, session_id: SessionId, engine: EngineDep, account: ApiAccount
) -> SessionPublic:
    """One logged session, as corrected."""
    stored, _ = corrections.session_detail(engine, name, session_id)
    return SessionPublic(id=stored.id, version=stored.version, session=stored.session)


@api_router.patch(
    "/trainees/{name}/sessions/{session_id}",
    response_model=CorrectedPublic,
    responses=_RESPONSES,
)
def patch_session(
    name: VisibleTrainee,
    session_id: SessionId,
    body: SessionUpdate,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
) -> CorrectedPublic:
    """Correct a session: replace its sets and/or its notes; the coach decides again."""
    if body.sets is None and body.notes is None:
        raise InputError("send the corrected 'sets' and/or 'notes'")
    return _corrected(
        corrections.edit_session(
            engine,
            name,
            session_id,
            sets=body.sets,
            notes=body.notes,
            author=_author(account, body.why),
            catalogue=catalogue,
            today=today,
        )
    )


@api_router.delete(
    "/trainees/{name}/sessions/{session_id}",
    response_model=CorrectedPublic,
    responses=_RESPONSES,
)
def delete_session(
    name: VisibleTrainee,
    session_id: SessionId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
    why: Annotated[str, Query(max_length=2000)] = "",
) -> CorrectedPublic:
    """Delete a whole session (kept in the corrections record); the coach decides again."""
    return _corrected(
        corrections.delete_session(
            engine,
            name,
            session_id,
            author=_author(account, why),
            catalogue=catalogue,
            today=today,
        )
    )


@api_router.patch(
    "/trainees/{name}/sessions/{session_id}/sets/{number}",
    response_model=CorrectedPublic,
    responses=_RESPONSES,
)
def patch_set(
    name: VisibleTrainee,
    session_id: SessionId,
    number: SetNumber,
    body: SetUpdate,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
) -> CorrectedPublic:
    """Change some fields of one set (the others stay); the coach decides again."""
    changes = body.model_dump(exclude_unset=True, exclude={"why"})
    return _corrected(
        corrections.edit_set(
            engine,
            name,
            session_id,
            number,
            changes,
            author=_author(account, body.why),
            catalogue=catalogue,
            today=today,
        )
    )


@api_router.delete(
    "/trainees/{name}/sessions/{session_id}/sets/{number}",
    response_model=CorrectedPublic,
    responses=_RESPONSES,
)
def delete_set(
    name: VisibleTrainee,
    session_id: SessionId,
    number: SetNumber,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
    why: Annotated[str, Query(max_length=2000)] = "",
) -> CorrectedPublic:
    """Delete one set of a session; the coach decides again."""
    return _corrected(
        corrections.delete_set(
            engine,
            name,
            session_id,
            number,
            author=_author(account, why),
            catalogue=catalogue,
            today=today,
        )
    )
