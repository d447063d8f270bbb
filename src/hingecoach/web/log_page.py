"""The *Log* page: today's whole session as a sheet to tick off, its draft, one save;
and what makes the app installable and usable offline (manifest, service worker).

The page carries the sheet and the prescription signed (``token``), so the draft and the
save are read against exactly the sheet the trainee saw. The browser keeps its own copy
and sends the whole draft after every change (``POST /log/draft``, JSON); *Save* posts
the sheet once under the session's idempotency key, then redirects (post/redirect/get).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from hingecoach.coach import Prescription, Profile, Session
from hingecoach.errors import InputError
from hingecoach.plan.logsheet import LogSheet, shown_loads, typed_loads_to_kg
from hingecoach.services import accounts, trainees, workouts
from hingecoach.services.coaching import Today, today_for
from hingecoach.services.group_commit import group_commit
from hingecoach.services.spacing import spacing_warning
from hingecoach.units import format_load
from hingecoach.web.deps import (
    CatalogueDep,
    EngineDep,
    TodayDep,
    TraineeAccount,
    ViewsDep,
    in_writer,
)
from hingecoach.web.templating import render, render_string

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_STATIC = Path(__file__).parent / "static"
_TOKEN_SALT = "log-sheet"
_NOTES_MAX = 2000


class DraftIn(BaseModel):
    """What the browser sends after each change: the whole draft."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=workouts.KEY_PATTERN)
    token: str = Field(min_length=1, max_length=100_000)
    revision: int = Field(ge=0, le=2**31 - 1)
    entries: dict[str, Any] = Field(max_length=200)
    notes: str = Field(default="", max_length=_NOTES_MAX)


def _sign(request: Request, sheet: LogSheet, rx: Prescription) -> str:
    payload = {"sheet": sheet.model_dump(mode="json"), "rx": rx.model_dump(mode="json")}
    token: str = request.app.state.signer.dumps(payload, salt=_TOKEN_SALT)
    return token


def _unsign(request: Request, token: str) -> tuple[LogSheet, Prescription]:
    from itsdangerous import BadSignature

    try:
        data = request.app.state.signer.loads(token, salt=_TOKEN_SALT)
        return LogSheet.model_validate(data["sheet"]), Prescription.model_validate(data["rx"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InputError("this session page is out of date; open Log again") from None


def _trainee(engine: EngineDep, account: TraineeAccount) -> str:
    return accounts.require_trainee(engine, account, account.trainee_name or "")


def _profile(engine: EngineDep, name: str) -> Profile:
    return trainees.get_trainee(engine, name).profile


def _advice_view(
    request: Request, draft: workouts.Draft | None, profile: Profile
) -> dict[str, Any] | None:
    """The coach's word after the primary's sets, for the page's script."""
    advice = draft.advice if draft is not None else None
    if advice is None:
        return None
    nxt = advice.next_set
    decision = advice.decision
    show = decision.action.value != "hold" or decision.blocks_hinging
    return {
        "stop": decision.blocks_hinging,
        "primary_done": advice.primary_done,
        "html": render_string(request, "_decision.html", {"decision": decision}) if show else "",
        "next": None
        if nxt is None
        else {
            "reps": nxt.reps.target if nxt.reps is not None else None,
            "seconds": nxt.seconds,
            "load": None
            if nxt.load_kg is None
            else float(format_load(nxt.load_kg, profile.unit, with_unit=False)),
            "load_label": nxt.load_label,
            "rest_s": nxt.rest_s,
            "changes": [f"{c.what}: {c.after}. {c.reason}" for c in nxt.changes],
        },
    }


def _draft_json(request: Request, draft: workouts.Draft, profile: Profile) -> dict[str, Any]:
    return {
        "key": draft.key,
        "status": draft.status,
        "revision": draft.revision,
        "advice": _advice_view(request, draft, profile),
    }


def _planned(rx: Prescription, today: dt.date) -> Session:
    """Today's session as far as spacing cares: its exercise and date."""
    return Session(date=today, exercise_id=rx.exercise_id)


@router.get("/log", response_class=HTMLResponse)
def log_page(
    request: Request,
    engine: EngineDep,
    views: ViewsDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    today: TodayDep,
) -> Response:
    # sync: the draft's query, the signing and the page run in the thread pool
    name = _trainee(engine, account)
    card: Today = views.get(engine, name, "today", lambda: today_for(engine, name, catalogue))
    rx = card.prescription
    if rx is None:
        return render(request, "log.html", {"today": card, "rx": None})
    found = workouts.read_draft(engine, name, today)
    draft: workouts.Draft | None = None
    if found is not None:
        draft, stored_sheet = found
        sheet = LogSheet.model_validate(stored_sheet)
    else:
        sheet = views.get(
            engine,
            name,
            f"log-sheet:{today}",
            lambda: workouts.sheet_for(engine, name, rx, catalogue, today),
        )
    profile = _profile(engine, name)
    entries = shown_loads(draft.entries, profile.unit) if draft else {}
    spacing = spacing_warning(engine, name, _planned(rx, today), catalogue)  # R-PLAN-1
    data = {
        "uid": account.id,
        "date": today.isoformat(),
        "key": draft.key if draft else workouts.new_key(),
        "token": _sign(request, sheet, rx),
        "revision": draft.revision if draft else 0,
        "has_draft": draft is not None,
        "entries": entries,
        "notes": draft.notes if draft else "",
        "advice": _advice_view(request, draft, profile),
    }
    return render(
        request,
        "log.html",
        {
            "today": card,
            "rx": rx,
            "sheet": sheet,
            "spacing": spacing.message if spacing else None,
            "unit": profile.unit,
            "data_json": json.dumps(data).replace("</", "<\\/"),
        },
    )


@router.post("/log/draft")
async def log_draft(
    request: Request,
    body: DraftIn,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
) -> JSONResponse:
    """The whole draft after a change; answers with what the server holds and the
    coach's adjustment after the primary's sets."""
    name = _trainee(engine, account)
    sheet, rx = _unsign(request, body.token)
    profile = _profile(engine, name)
    entries = workouts.parse_entries(typed_loads_to_kg(sheet, body.entries, profile.unit, profile))
    draft = await in_writer(
        lambda: workouts.sync_draft(
            engine,
            name,
            key=body.key,
            sheet=sheet,
            rx=rx,
            entries=entries,
            notes=body.notes,
            revision=body.revision,
            catalogue=catalogue,
        )
    )
    return JSONResponse(_draft_json(request, draft, profile))


@router.post("/log/save")
async def log_save(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    today: TodayDep,
    key: Annotated[str, Form(max_length=64)],
    token: Annotated[str, Form(max_length=100_000)],
    entries_json: Annotated[str, Form(max_length=200_000)] = "{}",
    notes: Annotated[str, Form(max_length=_NOTES_MAX)] = "",
    confirm_spacing: Annotated[bool, Form()] = False,
) -> Response:
    """Save the session once (its key makes a repeat a no-op), then show it saved. A
    hinge session under 48 h from another is saved only once confirmed (R-PLAN-1).

    Saves that arrive together are committed together with the API's session logs
    (group commit): each is answered once the batch holding it is durable, and one
    refused or failing save leaves its batch-mates stored."""
    name = _trainee(engine, account)
    sheet, rx = _unsign(request, token)
    try:
        raw = json.loads(entries_json or "{}")
    except ValueError:
        raise InputError("the sets did not arrive whole; open Log again") from None
    profile = _profile(engine, name)
    entries = workouts.parse_entries(typed_loads_to_kg(sheet, raw, profile.unit, profile))
    item = workouts.save_item(
        name,
        key=key,
        sheet=sheet,
        rx=rx,
        entries=entries,
        notes=notes,
        catalogue=catalogue,
        today=today,
        confirmed=confirm_spacing,  # a repeat is answered, never asked
        how_to_confirm="go back, tick 'I did train' above Save and save again",
    )
    group = group_commit(engine, request.app.state.settings.log_batch_max)
    await asyncio.wrap_future(group.submit(item))
    return RedirectResponse(f"/log/saved/{key}", status_code=303)


@router.get("/log/saved/{key}", response_class=HTMLResponse)
def log_saved(
    request: Request,
    key: str,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
) -> Response:
    name = _trainee(engine, account)
    summary = workouts.saved_summary(engine, name, key)
    card = today_for(engine, name, catalogue)
    return render(request, "saved.html", {"today": card, "saved": summary})


# ---------------------------------------------------------------- installable, offline


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from the root so it may control every page."""
    return FileResponse(
        _STATIC / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return FileResponse(_STATIC / "manifest.webmanifest", media_type="application/manifest+json")
