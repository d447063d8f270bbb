"""The HTML pages. Each route reads the request, calls one use case, renders a template."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from hingecoach.errors import (
    AuthenticationError,
    InputError,
    UnknownIdError,
)
from hingecoach.services import accounts, attention, coaching, trainees
from hingecoach.web.deps import (
    CatalogueDep,
    ClientName,
    EngineDep,
    OwnTrainee,
    PageAccount,
    TodayDep,
    TraineeAccount,
    TrainerAccount,
    ViewsDep,
    cached_view,
)
from hingecoach.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_FLAG_LABELS = {
    "pain": "Pain, safety or a step back",
    "ready": "Ready to progress",
    "stalled": "Stalled",
    "quiet": "Gone quiet",
}


def _home_for(account: accounts.Account) -> str:
    if account.role == "trainer":
        return "/clients"
    return "/today" if account.trainee_name else "/start"


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


# ---------------------------------------------------------------- sign in and out


@router.get("/", response_class=HTMLResponse)
def home(account: PageAccount) -> Response:
    return RedirectResponse(_home_for(account), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next) or "", "email": ""})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    engine: EngineDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else "unknown"
    if not limiter.allow(address, email.strip().lower()):
        return render(
            request,
            "login.html",
            {
                "next": _safe_next(next) or "",
                "email": email,
                "error": "Too many attempts. Wait a minute, then try again.",
            },
            status=429,
        )
    try:
        account = accounts.authenticate(engine, email, password, dt.datetime.now(dt.UTC))
    except AuthenticationError as exc:
        return render(
            request,
            "login.html",
            {"next": _safe_next(next) or "", "email": email, "error": str(exc).capitalize()},
            status=401,
        )
    sign_in(request, account)
    return RedirectResponse(_safe_next(next) or _home_for(account), status_code=303)


def sign_in(request: Request, account: accounts.Account) -> None:
    """A new server-side session for this browser (any earlier one of it ends)."""
    from hingecoach.services.web_sessions import end_session, start_session

    engine = request.app.state.engine
    end_session(engine, request.session.get("sid"))
    request.session.clear()
    request.session["sid"] = start_session(engine, account.id, dt.datetime.now(dt.UTC))


@router.post("/logout")
def logout(request: Request) -> Response:
    from hingecoach.services.web_sessions import end_session

    end_session(request.app.state.engine, request.session.get("sid"))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _account_unit(engine: Engine, account: accounts.Account) -> str:
    """The unit a trainee's loads are shown in (kg for a trainer, or before a profile)."""
    if account.trainee_name is None:
        return "kg"
    try:
        return trainees.get_trainee(engine, account.trainee_name).profile.unit
    except UnknownIdError:
        return "kg"


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, engine: EngineDep, account: PageAccount) -> Response:
    return render(request, "account.html", {"token": None, "unit": _account_unit(engine, account)})


@router.post("/account/token", response_class=HTMLResponse)
def new_token(request: Request, engine: EngineDep, account: PageAccount) -> Response:
    token = accounts.issue_api_token(engine, account.id, dt.datetime.now(dt.UTC))
    return render(request, "account.html", {"token": token})


# ---------------------------------------------------------------- trainee pages


@router.get("/today", response_class=HTMLResponse)
async def today(
    request: Request,
    engine: EngineDep,
    views: ViewsDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
) -> Response:
    # async: a repeat view is one small query and a render (see cached_view)
    try:
        result = await cached_view(
            views, engine, name, "today", lambda: coaching.today_for(engine, name, catalogue)
        )
    except InputError:
        from hingecoach.services.intake import placed

        if not placed(engine, name):  # nothing to prescribe from: the assessment first
            return RedirectResponse("/start", status_code=303)
        raise
    return render(request, "today.html", {"today": result, "name": name})


@router.get("/checkin", response_class=HTMLResponse)
def checkin_page(request: Request, account: TraineeAccount) -> Response:
    return render(request, "checkin.html", {"result": None, "error": None})


@router.post("/checkin", response_class=HTMLResponse)
def checkin(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    pain: Annotated[int, Form(ge=0, le=10)],
) -> Response:
    try:
        result = coaching.record_morning_pain(engine, name, pain, catalogue)
    except InputError as exc:
        return render(request, "checkin.html", {"result": None, "error": str(exc)}, status=422)
    return render(request, "checkin.html", {"result": result, "error": None, "pain": pain})


@router.get("/decisions", response_class=HTMLResponse)
def decisions(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    from hingecoach.web.sessions import decision_values

    values = decision_values(engine, catalogue, name, page, "/decisions")
    return render(request, "decisions.html", values | {"name": name})


# ---------------------------------------------------------------- trainer pages


@router.get("/clients", response_class=HTMLResponse)
def clients(
    request: Request, engine: EngineDep, account: TrainerAccount, today: TodayDep
) -> Response:
    message = None
    if request.query_params.get("deleted") == "client":
        message = "Client deleted, with all their records, clips and sign-in."
    elif request.query_params.get("withdrawn"):
        message = "Invitation withdrawn: the link no longer works."
    return clients_page(request, engine, account, today, message=message)


def clients_page(
    request: Request,
    engine: EngineDep,
    account: accounts.Account,
    today: dt.date,
    status: int = 200,
    **values: Any,
) -> Response:
    """Clients: those with records by attention, then those invited or not yet assessed."""
    from hingecoach.services.account_links import pending_clients

    catalogue = request.app.state.catalogue
    names = {e.id: e.name for e in catalogue.exercises.values()}
    rows = attention.clients_by_attention(engine, account.id, today, names)
    pending = pending_clients(engine, account.id)
    context = {"rows": rows, "pending": pending, "labels": _FLAG_LABELS, "message": None}
    return render(request, "trainer/clients.html", context | values, status=status)


def _client_page(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    name: str,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    try:
        result: coaching.Today | None = coaching.today_for(engine, name, catalogue)
        not_ready = None
    except InputError as exc:  # not assessed yet: the notes and the rest still show
        if isinstance(exc, UnknownIdError):
            raise
        result, not_ready = None, str(exc)
    from urllib.parse import quote

    from hingecoach.web.sessions import decision_values, history_values

    client_url = f"/clients/{quote(name, safe='')}"
    base = f"{client_url}/sessions"
    history = history_values(engine, catalogue, name, 1, base) | {"list_url": base}
    history |= decision_values(engine, catalogue, name, 1, client_url)
    notes = trainees.list_notes(engine, name)
    # an override sets the next hinge session: only hinge rungs are offered
    exercises = sorted((e.name, e.id) for e in catalogue.exercises.values() if e.is_hinge)
    return render(
        request,
        "trainer/client.html",
        {
            "name": name,
            "today": result,
            **history,
            "notes": notes,
            "exercises": exercises,
            "not_ready": not_ready,
            "message": message,
            "error": error,
        },
        status=status,
    )


@router.get("/clients/{name}", response_class=HTMLResponse)
def client(
    request: Request,
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
) -> Response:
    params = request.query_params
    saved = None
    if params.get("saved") == "notes":
        saved = "Notes saved."
    elif params.get("saved") == "note-deleted":
        saved = "Note deleted."
    elif params.get("saved") == "assessment-asked":
        saved = "Asked: the assessment comes first the next time they open the app."
    elif params.get("saved") == "override" and params.get("decision", "").isdigit():
        nxt = params.get("next", "")
        if nxt not in catalogue.exercises:  # only ever echo a real exercise id
            nxt = "as chosen"
        saved = f"Recorded: decision #{params['decision']} overridden. Next session: {nxt}."
    return _client_page(request, engine, catalogue, name, message=saved)


@router.post("/clients/{name}/notes", response_class=HTMLResponse)
def client_notes(
    request: Request,
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    notes: Annotated[str, Form(max_length=trainees.NOTE_MAX_CHARS)] = "",
) -> Response:
    """A trainer adds a dated note on their client (newest first on the client page);
    saved, then back to the client page (a refresh cannot add it twice)."""
    from urllib.parse import quote

    try:
        trainees.add_note(
            engine, name, notes, author_id=account.id, author_name=account.display_name
        )
    except InputError as exc:
        if isinstance(exc, UnknownIdError):
            raise
        message = str(exc).capitalize() + "."
        return _client_page(request, engine, catalogue, name, error=message, status=422)
    return RedirectResponse(f"/clients/{quote(name)}?saved=notes#notes", status_code=303)


@router.post("/clients/{name}/notes/{note_id}/delete")
def delete_client_note(
    name: ClientName,
    note_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    engine: EngineDep,
    account: TrainerAccount,
) -> Response:
    """A trainer deletes a note of their own (anyone else's: refused)."""
    from urllib.parse import quote

    trainees.delete_note(engine, name, note_id, author_id=account.id)
    return RedirectResponse(f"/clients/{quote(name)}?saved=note-deleted#notes", status_code=303)


@router.post("/clients/{name}/decisions/{decision_id}/override", response_class=HTMLResponse)
def override(
    request: Request,
    name: ClientName,
    decision_id: int,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    why: Annotated[str, Form(max_length=2000)] = "",
    exercise_id: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    try:
        record, target = coaching.override_decision(
            engine,
            name,
            decision_id,
            made_by=account.display_name,
            why=why,
            exercise_id=exercise_id or None,
            catalogue=catalogue,
        )
    except InputError as exc:
        if isinstance(exc, UnknownIdError):
            raise
        return _client_page(request, engine, catalogue, name, error=str(exc), status=422)
    # Post/redirect/get: refreshing the page afterwards cannot record the override twice.
    from urllib.parse import quote, urlencode

    query = urlencode({"saved": "override", "decision": record.id, "next": target})
    return RedirectResponse(f"/clients/{quote(name)}?{query}", status_code=303)


@router.post("/clients/{name}/delete", response_class=HTMLResponse)
def delete_client(
    request: Request,
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    confirm: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """A trainer deletes a client: every record, the clips with their files, their
    sign-in. The name typed again guards against a slip."""
    if confirm.strip() != name:
        return _client_page(
            request,
            engine,
            catalogue,
            name,
            error=f"Nothing deleted: to delete {name}, type the name {name} exactly.",
            status=422,
        )
    trainees.delete_trainee(engine, name, request.app.state.clip_jobs.media_dir)
    return RedirectResponse("/clients?deleted=client", status_code=303)
