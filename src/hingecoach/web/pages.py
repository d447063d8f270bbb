"""The HTML pages. Each route reads the request, calls one use case, renders a template."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hingecoach.errors import (
    AuthenticationError,
    InputError,
    UnknownIdError,
)
from hingecoach.services import accounts, attention, coaching, trainees
from hingecoach.web.deps import (
    CatalogueDep,
    EngineDep,
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
    return "/clients" if account.role == "trainer" else "/today"


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
    request.session.clear()
    request.session["uid"] = account.id
    return RedirectResponse(_safe_next(next) or _home_for(account), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, account: PageAccount) -> Response:
    return render(request, "account.html", {"token": None})


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
) -> Response:
    # async: a repeat view is one small query and a render (see cached_view)
    name = accounts.require_trainee(engine, account, account.trainee_name or "")
    result = await cached_view(
        views, engine, name, "today", lambda: coaching.today_for(engine, name, catalogue)
    )
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
    pain: Annotated[int, Form(ge=0, le=10)],
) -> Response:
    name = accounts.require_trainee(engine, account, account.trainee_name or "")
    try:
        result = coaching.record_morning_pain(engine, name, pain, catalogue)
    except InputError as exc:
        return render(request, "checkin.html", {"result": None, "error": str(exc)}, status=422)
    return render(request, "checkin.html", {"result": result, "error": None, "pain": pain})


@router.get("/history", response_class=HTMLResponse)
def history(request: Request, engine: EngineDep, account: TraineeAccount) -> Response:
    name = accounts.require_trainee(engine, account, account.trainee_name or "")
    sessions = coaching.list_sessions(engine, name, last=60)
    return render(request, "history.html", {"sessions": list(reversed(sessions)), "name": name})


@router.get("/decisions", response_class=HTMLResponse)
def decisions(request: Request, engine: EngineDep, account: TraineeAccount) -> Response:
    name = accounts.require_trainee(engine, account, account.trainee_name or "")
    records = coaching.list_decisions(engine, name, last=50)
    return render(request, "decisions.html", {"decisions": list(reversed(records)), "name": name})


# ---------------------------------------------------------------- trainer pages


@router.get("/clients", response_class=HTMLResponse)
def clients(
    request: Request, engine: EngineDep, account: TrainerAccount, today: TodayDep
) -> Response:
    rows = attention.clients_by_attention(engine, account.id, today)
    deleted = request.query_params.get("deleted") == "client"
    message = "Client deleted, with all their records, clips and sign-in." if deleted else None
    return render(
        request,
        "trainer/clients.html",
        {"rows": rows, "labels": _FLAG_LABELS, "message": message},
    )


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
    result = coaching.today_for(engine, name, catalogue)
    sessions = coaching.list_sessions(engine, name, last=20)
    records = coaching.list_decisions(engine, name, last=30)
    notes = trainees.list_notes(engine, name)
    exercises = sorted((e.name, e.id) for e in catalogue.exercises.values())
    return render(
        request,
        "trainer/client.html",
        {
            "name": name,
            "today": result,
            "sessions": list(reversed(sessions)),
            "decisions": list(reversed(records)),
            "notes": notes,
            "exercises": exercises,
            "message": message,
            "error": error,
        },
        status=status,
    )


@router.get("/clients/{name}", response_class=HTMLResponse)
def client(
    request: Request,
    name: str,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
) -> Response:
    accounts.require_trainee(engine, account, name)
    params = request.query_params
    saved = None
    if params.get("saved") == "notes":
        saved = "Notes saved."
    elif params.get("saved") == "note-deleted":
        saved = "Note deleted."
    elif params.get("saved") == "override" and params.get("decision", "").isdigit():
        nxt = params.get("next", "")
        if nxt not in catalogue.exercises:  # only ever echo a real exercise id
            nxt = "as chosen"
        saved = f"Recorded: decision #{params['decision']} overridden. Next session: {nxt}."
    return _client_page(request, engine, catalogue, name, message=saved)


@router.post("/clients/{name}/notes", response_class=HTMLResponse)
def client_notes(
    request: Request,
    name: str,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    notes: Annotated[str, Form(max_length=trainees.NOTE_MAX_CHARS)] = "",
) -> Response:
    """A trainer adds a dated note on their client (newest first on the client page);
    saved, then back to the client page (a refresh cannot add it twice)."""
    from urllib.parse import quote

    accounts.require_trainee(engine, account, name)
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
    name: str,
    note_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    engine: EngineDep,
    account: TrainerAccount,
) -> Response:
    """A trainer deletes a note of their own (anyone else's: refused)."""
    from urllib.parse import quote

    accounts.require_trainee(engine, account, name)
    trainees.delete_note(engine, name, note_id, author_id=account.id)
    return RedirectResponse(f"/clients/{quote(name)}?saved=note-deleted#notes", status_code=303)


@router.post("/clients/{name}/decisions/{decision_id}/override", response_class=HTMLResponse)
def override(
    request: Request,
    name: str,
    decision_id: int,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    why: Annotated[str, Form(max_length=2000)] = "",
    exercise_id: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    accounts.require_trainee(engine, account, name)
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
    name: str,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    confirm: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """A trainer deletes a client: every record, the clips with their files, their
    sign-in. The name typed again guards against a slip."""
    accounts.require_trainee(engine, account, name)
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
