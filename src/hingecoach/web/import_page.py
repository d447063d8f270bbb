"""Account -> Import: bring a Strong, Hevy or FitNotes history in, with a preview first.

``GET /account/import`` shows the form; ``POST /account/import`` (the file) checks it all
and shows what would be added, writing nothing but the file, kept for the next step under
the media directory (``imports/``, named by account and a random token);
``POST /account/import/commit`` adds it, all or nothing, and removes the kept file. A
trainee imports into their own history, a trainer into a client's.
"""

from __future__ import annotations

import re
import secrets
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select

from hingecoach.errors import InputError
from hingecoach.importers import HistoryFormat, Unit, builtin_names
from hingecoach.knowledge import Catalogue
from hingecoach.services import accounts
from hingecoach.services.transfer import (
    check_import_size,
    decode_export,
    import_history,
    import_summary,
)
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import TraineeRecord
from hingecoach.web.api_import import _max_mb
from hingecoach.web.deps import CatalogueDep, EngineDep, PageAccount, TodayDep, in_writer
from hingecoach.web.templating import render

__all__ = ["router"]

router = APIRouter()
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
SOURCES = [("", "Guess from the file"), *((f.value, f.label) for f in HistoryFormat)]


def _names_for(engine: Engine, account: accounts.Account) -> list[str]:
    if account.role == "trainee":
        return [account.trainee_name] if account.trainee_name else []
    with UnitOfWork(engine) as uow:
        query = select(TraineeRecord.name).where(TraineeRecord.trainer_id == account.id)
        return sorted(uow.db.scalars(query))


def _page(
    request: Request, engine: Engine, account: accounts.Account, **values: Any
) -> HTMLResponse:
    status = 422 if values.get("error") else 200
    base = {"names": _names_for(engine, account), "sources": SOURCES, "preview": None}
    return render(request, "import.html", base | values, status=status)


def _pending(request: Request, account: accounts.Account, token: str) -> Path:
    if not _TOKEN.match(token):
        raise InputError("this import has expired; choose the file again")
    folder: Path = request.app.state.settings.media_dir / "imports"
    return folder / f"{account.id}-{token}.csv"


def _run(
    engine: Engine,
    name: str,
    text: str,
    source: str,
    unit: str,
    catalogue: Catalogue,
    today: Any,
    *,
    preview: bool,
    filename: str = "the file",
) -> dict[str, Any]:
    plan, written = import_history(
        engine,
        name,
        text,
        fmt=HistoryFormat(source) if source else None,
        names=builtin_names(catalogue),
        catalogue=catalogue,
        today=today,
        unit=Unit.LB if unit == "lb" else Unit.KG,
        preview=preview,
        source=filename,
    )
    summary = import_summary(plan, catalogue)
    summary["written"] = written
    return summary


@router.get("/account/import", response_class=HTMLResponse)
def import_form(request: Request, engine: EngineDep, account: PageAccount) -> Response:
    return _page(request, engine, account)


@router.post("/account/import", response_class=HTMLResponse)
async def import_preview(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: PageAccount,
    today: TodayDep,
) -> Response:
    """Check the whole file and show what it would add; nothing is imported yet."""
    limit = _max_mb()
    async with request.form(max_files=1, max_fields=10) as form:
        name = str(form.get("trainee") or "")
        source = str(form.get("source") or "")
        unit = str(form.get("unit") or "kg")
        upload = form.get("file")
        try:
            if isinstance(upload, str) or upload is None or not upload.filename:
                raise InputError("choose the CSV file the app exported")
            check_import_size(upload.size or 0, limit, upload.filename)
            text = decode_export(await upload.read(), upload.filename)
            if source not in ("", *(f.value for f in HistoryFormat)):
                raise InputError("choose Strong, Hevy or FitNotes")
            name = accounts.require_trainee(engine, account, name)
            summary = _run(
                engine,
                name,
                text,
                source,
                unit,
                catalogue,
                today,
                preview=True,
                filename=Path(upload.filename).name,
            )
        except InputError as exc:
            return _page(request, engine, account, error=str(exc))
    token = secrets.token_hex(16)
    path = _pending(request, account, token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    chosen = {"trainee": name, "source": source, "unit": unit, "token": token}
    return _page(request, engine, account, preview=summary, chosen=chosen)


@router.post("/account/import/commit", response_class=HTMLResponse)
async def import_commit(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: PageAccount,
    today: TodayDep,
    token: str = Form(max_length=64),
    trainee: str = Form(max_length=80),
    source: str = Form("", max_length=20),
    unit: str = Form("kg", max_length=4),
) -> Response:
    """Add the previewed file, all or nothing; sets already imported are left out."""
    try:
        name = accounts.require_trainee(engine, account, trainee)
        path = _pending(request, account, token)
        if not path.is_file():
            raise InputError("this import has expired; choose the file again")
        text = path.read_text(encoding="utf-8")
        commit = partial(_run, preview=False)
        summary = await in_writer(commit, engine, name, text, source, unit, catalogue, today)
    except InputError as exc:
        return _page(request, engine, account, error=str(exc))
    path.unlink(missing_ok=True)
    return _page(request, engine, account, done=summary, trainee=name)
