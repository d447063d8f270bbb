"""The first assessment in the browser, at /start: "About you" (for someone without
records yet), the red-flag questions (any that stops ends it there, with what to do now),
then the movement screens one per step, then the placement with its reasons.

What was answered so far travels in a signed form field, so nothing is stored until the
end (or a red-flag stop, which is kept for the trainer to see).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from hingecoach.coach import Profile, RedFlagAnswers, ScreenAnswers
from hingecoach.errors import InputError, PermissionDeniedError, format_validation_error
from hingecoach.services import intake
from hingecoach.services.accounts import Account
from hingecoach.web.deps import (
    CatalogueDep,
    ClientName,
    EngineDep,
    PageAccount,
    TodayDep,
    TrainerAccount,
)
from hingecoach.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_SALT = "intake"
_GOALS = ("learn", "pain-free", "strength", "hypertrophy", "power")
_LEVELS = ("novice", "intermediate", "advanced")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_QUALITIES = ("sharp", "shooting", "below-knee", "numbness", "tingling", "weakness", "burning")


def _state_token(request: Request, state: dict[str, Any]) -> str:
    token: str = request.app.state.signer.dumps(state, salt=_SALT)
    return token


def _state(request: Request, token: str) -> dict[str, Any]:
    from itsdangerous import BadSignature

    try:
        state = request.app.state.signer.loads(token, salt=_SALT)
    except BadSignature:
        raise InputError("this form is out of date; open /start again") from None
    return state if isinstance(state, dict) else {}


def _page(request: Request, step: str, state: dict[str, Any], **values: Any) -> Response:
    status = 422 if values.get("error") else 200
    context: dict[str, Any] = {
        "action": request.url.path,
        "client": request.path_params.get("name"),  # a trainer filling it in for a client
        "step": step,
        "state_token": _state_token(request, state),
        "red_flags": intake.RED_FLAGS,
        "screens": intake.SCREENS,
        "goals": _GOALS,
        "levels": _LEVELS,
        "days": _DAYS,
        "qualities": _QUALITIES,
        "values": {},
    }
    return render(request, "assessment.html", context | values, status=status)


def _first_step(account: Account) -> str:
    return "about" if account.trainee_name is None else "safety"


@router.get("/start", response_class=HTMLResponse)
def start(request: Request, account: PageAccount) -> Response:
    if account.role != "trainee":
        raise PermissionDeniedError("the first assessment is for trainees")
    return _page(request, _first_step(account), {})


def _profile_from(form: Any) -> Profile:
    """The about-you step: loads (body mass, kettlebells) typed in the unit chosen there,
    kept in kg; the unit becomes the trainee's own."""
    from hingecoach.units import parse_load, parse_loads, parse_unit

    unit = parse_unit(str(form.get("unit") or "kg"))
    bells = parse_loads(str(form.get("kettlebells") or ""), unit)
    body = parse_load(str(form.get("body_mass") or form.get("body_mass_kg") or ""), unit)
    data = {
        "age": form.get("age") or None,
        "goal": form.get("goal") or "learn",
        "training_history": form.get("training_history") or "novice",
        "body_mass_kg": round(body, 2) if body is not None else None,
        "equipment": {"kettlebells_kg": bells},
        "days_available": [d for d in form.getlist("days") if d in _DAYS],
        "unit": unit,
    }
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error("about you", exc)) from None


def _red_flags_from(form: Any) -> dict[str, Any]:
    missing = [q.text for q in intake.RED_FLAGS if form.get(q.field) not in ("yes", "no")]
    if missing:
        raise InputError(f"answer every question, yes or no (still open: {missing[0]})")
    data: dict[str, Any] = {q.field: form.get(q.field) == "yes" for q in intake.RED_FLAGS}
    data["clinician_cleared"] = form.get("clinician_cleared") == "yes"
    data["current_pain"] = form.get("current_pain") or 0
    data["pain_quality"] = [q for q in form.getlist("pain_quality") if q in _QUALITIES]
    try:
        RedFlagAnswers.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error("the safety questions", exc)) from None
    return data


def _screen_answer(form: Any, step: intake.ScreenStep) -> Any:
    value = (form.get(step.field) or "").strip()
    if step.kind == "yes-no":
        if value not in ("yes", "no"):
            raise InputError("answer yes or no")
        return value == "yes"
    if not value:
        raise InputError("give an answer to go on")
    return value


@router.get("/clients/{name}/assessment", response_class=HTMLResponse)
def client_assessment(
    request: Request, name: ClientName, engine: EngineDep, account: TrainerAccount
) -> Response:
    """A trainer fills in the assessment for their client (the client's answers)."""
    return _page(request, "safety", {})


@router.post("/clients/{name}/assessment/ask")
def ask_for_assessment(name: ClientName, engine: EngineDep, account: TrainerAccount) -> Response:
    """Ask the client to take the assessment again (their next page is /start)."""
    from urllib.parse import quote

    intake.ask_again(engine, name)
    return RedirectResponse(f"/clients/{quote(name)}?saved=assessment-asked", status_code=303)


@router.post("/clients/{name}/assessment", response_class=HTMLResponse)
async def client_assessment_step(
    request: Request,
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    today: TodayDep,
) -> Response:
    acting = dataclasses.replace(account, trainee_name=name)  # the client's records
    return await _advance(request, engine, catalogue, acting, today)


@router.post("/start", response_class=HTMLResponse)
async def start_step(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: PageAccount,
    today: TodayDep,
) -> Response:
    if account.role != "trainee":
        raise PermissionDeniedError("the first assessment is for trainees")
    return await _advance(request, engine, catalogue, account, today)


async def _advance(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: Account,
    today: dt.date,
) -> Response:
    """One step of the assessment posted: the next step, a stop, or the placement."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    state = _state(request, str(form.get("state") or ""))
    step = str(form.get("step") or "")
    try:
        if step == "about" and account.trainee_name is None:
            state["profile"] = _profile_from(form).model_dump(mode="json")
            return _page(request, "safety", state)
        if step == "safety":
            red_flags = _red_flags_from(form)
            profile = await run_in_threadpool(_profile, engine, account, state)
            stop = intake.safety_stop(RedFlagAnswers.model_validate(red_flags), profile)
            if stop is not None:
                await run_in_threadpool(
                    intake.record_stop, engine, account, _new_profile(state), stop
                )
                return _page(request, "stop", {}, decision=stop)
            state["answers"] = red_flags
            return _page(request, "screen-0", state)
        if step.startswith("screen-") and step[7:].isdigit() and "answers" in state:
            index = int(step[7:])
            screen = intake.SCREENS[min(index, len(intake.SCREENS) - 1)]
            state["answers"][screen.field] = _screen_answer(form, screen)
            if index + 1 < len(intake.SCREENS):
                return _page(request, f"screen-{index + 1}", state)
            return await run_in_threadpool(
                _finish, request, engine, catalogue, account, state, today
            )
    except InputError as exc:
        return _page(request, step, state, error=str(exc).capitalize() + ".", values=form)
    return _page(request, _first_step(account), {})


def _new_profile(state: dict[str, Any]) -> Profile | None:
    data = state.get("profile")
    return Profile.model_validate(data) if data else None


def _profile(engine: EngineDep, account: Any, state: dict[str, Any]) -> Profile:
    profile = _new_profile(state) or intake.profile_of(engine, account.trainee_name)
    if profile is None:
        raise InputError("start again from 'About you'")
    return profile


def _finish(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: Any,
    state: dict[str, Any],
    today: dt.date,
) -> Response:
    try:
        answers = ScreenAnswers.model_validate(state["answers"])
    except ValidationError as exc:
        raise InputError(format_validation_error("the screens", exc)) from None
    result = intake.finish_assessment(
        engine, account, _new_profile(state), answers, catalogue, today
    )
    names = {e.id: e.name for e in catalogue.exercises.values()}
    return _page(request, "placed", {}, result=result, names=names)
