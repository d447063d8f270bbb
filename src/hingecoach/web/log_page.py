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
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from hingecoach.coach import Prescription, Profile, Session
from hingecoach.errors import InputError
from hingecoach.plan.logsheet import LogSheet, shown_loads, typed_loads_to_kg
from hingecoach.services import accounts, workouts
from hingecoach.services.coaching import Today, keep_card, today_for
from hingecoach.services.group_commit import group_commit
from hingecoach.services.spacing import spacing_warning
from hingecoach.services.views import TraineeViews, ViewCache
from hingecoach.units import format_load
from hingecoach.web.deps import (
    CatalogueDep,
    EngineDep,
    TodayDep,
    TraineeAccount,
    ViewsDep,
    in_writer,
)
from hingecoach.web.templating import render, render_fragment, render_string

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_STATIC = Path(__file__).parent / "static"
_TOKEN_SALT = "log-sheet"
_UNSIGNED: OrderedDict[tuple[int, str], tuple[object, tuple[LogSheet, Prescription]]] = (
    OrderedDict()
)
_SHEET_HTML: OrderedDict[tuple[str, str], Markup] = OrderedDict()
_UNSIGNED_LOCK = threading.Lock()  # and the sheets' HTML
_UNSIGNED_MAX = 512
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
    """The sheet and prescription a page was made with. A token checked and read once is
    kept (the models are frozen): a page's drafts and its save send the same token."""
    signer = request.app.state.signer
    key = (id(signer), token)
    with _UNSIGNED_LOCK:
        found = _UNSIGNED.get(key)
        if found is not None:
            _UNSIGNED.move_to_end(key)
            return found[1]
    from itsdangerous import BadSignature

    try:
        data = signer.loads(token, salt=_TOKEN_SALT)
        read = LogSheet.model_validate(data["sheet"]), Prescription.model_validate(data["rx"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InputError("this session page is out of date; open Log again") from None
    with _UNSIGNED_LOCK:
        _UNSIGNED[key] = (signer, read)  # the signer held: its id is not given again
        while len(_UNSIGNED) > _UNSIGNED_MAX:
            _UNSIGNED.popitem(last=False)
    return read


def _sheet_html(sheet: LogSheet, profile: Profile) -> Markup:
    """The sheet as HTML: it depends on the sheet and the unit alone, so a sheet drawn
    before (the same prescription after another log) is not drawn again."""
    key = (sheet.model_dump_json(), profile.unit)
    with _UNSIGNED_LOCK:
        found = _SHEET_HTML.get(key)
        if found is not None:
            _SHEET_HTML.move_to_end(key)
            return found
    html = render_fragment("_log_sheet.html", {"sheet": sheet, "unit": profile.unit})
    with _UNSIGNED_LOCK:
        _SHEET_HTML[key] = html
        while len(_SHEET_HTML) > _UNSIGNED_MAX:
            _SHEET_HTML.popitem(last=False)
    return html


def _trainee(engine: EngineDep, account: TraineeAccount) -> str:
    return accounts.require_trainee(engine, account, account.trainee_name or "")


def _profile(
    engine: Engine, views: ViewCache, name: str, now: TraineeViews | None = None
) -> Profile:
    """The trainee's profile, kept at their revision (``now``: already read)."""
    now = now or views.at(engine, name)
    return now.get("profile", lambda: workouts.profile_for(engine, name))


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
    # Everything but the draft is kept per trainee at their revision (one query for all):
    # the card, the sheet (and its signed token and HTML), the profile, the spacing.
    now = views.at(engine, name)
    card: Today = now.get("today", lambda: today_for(engine, name, catalogue))
    rx = card.prescription
    if rx is None:
        return render(request, "log.html", {"today": card, "rx": None})
    found = workouts.read_draft(engine, name, today)
    draft: workouts.Draft | None = None
    if found is not None:
        draft, stored_sheet = found
        sheet_key: tuple[str, ...] = (f"log-sheet:{today}", draft.key)  # fixed for a draft
        sheet = now.get(sheet_key, lambda: LogSheet.model_validate(stored_sheet))
    else:
        sheet_key = (f"log-sheet:{today}",)
        sheet = now.get(sheet_key, lambda: workouts.sheet_for(engine, name, rx, catalogue, today))
    profile = _profile(engine, views, name, now)
    spacing = now.get(  # R-PLAN-1
        ("spacing", today, rx.exercise_id),
        lambda: spacing_warning(engine, name, _planned(rx, today), catalogue),
    )
    token = now.get(("token", *sheet_key), lambda: _sign(request, sheet, rx))
    sheet_html = now.get(("html", *sheet_key, profile.unit), lambda: _sheet_html(sheet, profile))
    entries = shown_loads(draft.entries, profile.unit) if draft else {}
    data = {
        "uid": account.id,
        "date": today.isoformat(),
        "key": draft.key if draft else workouts.new_key(),
        "token": token,
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
            "sheet_html": sheet_html,
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
    views: ViewsDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
) -> JSONResponse:
    """The whole draft after a change; answers with what the server holds and the
    coach's adjustment after the primary's sets."""
    name = _trainee(engine, account)
    sheet, rx = _unsign(request, body.token)
    profile = _profile(engine, views, name)
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
    views: ViewsDep,
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
    profile = _profile(engine, views, name)
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
    saved = await asyncio.wrap_future(group.submit(item))
    keep_card(views, name, saved.today)  # the saved page and Log read it next
    return RedirectResponse(f"/log/saved/{key}", status_code=303)


@router.get("/log/saved/{key}", response_class=HTMLResponse)
def log_saved(
    request: Request,
    key: str,
    engine: EngineDep,
    views: ViewsDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
) -> Response:
    name = _trainee(engine, account)
    summary = workouts.saved_summary(engine, name, key)
    card = views.get(engine, name, "today", lambda: today_for(engine, name, catalogue))
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
