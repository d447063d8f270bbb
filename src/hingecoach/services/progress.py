"""Progress for a stored trainee (R-TRACK-2/3): the whole history, read once.

The sessions planned a week are the ones the planner would choose for the trainee's days
and current rung (R-PLAN-1 with R-RX-3), so adherence is measured against the same week
the plan page shows.

Kept across processes (issue 17): :func:`cached_progress` stores the computed progress as
JSON in ``progress_cache`` under a fingerprint of what it was computed from (the trainee's
revision, read first as the view cache does, so it is invalidated exactly as that cache
is; the day and the window; the catalogue; the code), so a freshly started process reads
one row instead of reading and validating every set and computing the series again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, Table, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from hingecoach.coach import History
from hingecoach.coach.dose import sessions_per_week
from hingecoach.coach.tracking import Progress, progress
from hingecoach.knowledge import Catalogue
from hingecoach.plan import Schedule, choose_schedule
from hingecoach.plan.defaults import SESSIONS_PER_WEEK
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.views import Revision, trainee_revision
from hingecoach.services.window import oldest_session_date
from hingecoach.store.records import ProgressCacheRecord

__all__ = ["cached_progress", "progress_for", "wait_for_stores"]

_log = logging.getLogger(__name__)

# Bump when what is stored changes meaning without the code fingerprint seeing it.
STORED_FORMAT = 1


def progress_for(engine: Engine, name: str, catalogue: Catalogue, *, as_of: dt.date) -> Progress:
    """The trainee's progress as of ``as_of``. One read-only transaction."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        profile = uow.trainees.profile(trainee)
        oldest = oldest_session_date(as_of)
        # Only the window's sessions: one stored before dates were checked (year 1) would
        # stretch the weekly series over millennia.
        sessions = uow.sessions.sessions(trainee)
        history = History(sessions=tuple(s for s in sessions if oldest <= s.date <= as_of))
    suggested = SESSIONS_PER_WEEK
    for session in reversed(history.sessions):
        ex = catalogue.exercises.get(session.exercise_id)
        if ex is not None and ex.is_hinge:
            suggested = sessions_per_week(profile, ex)
            break
    week = choose_schedule(profile.days_available, profile.goal, suggested)
    chosen = week if isinstance(week, Schedule) else week.alternative
    planned = chosen.sessions_per_week if chosen is not None else None
    return progress(history, catalogue, profile=profile, planned_per_week=planned, as_of=as_of)


def cached_progress(engine: Engine, name: str, catalogue: Catalogue, *, as_of: dt.date) -> Progress:
    """The same value as :func:`progress_for`, read from ``progress_cache`` when it was
    computed from exactly what the trainee's records, the day, the catalogue and the code
    are now; otherwise computed and stored there. Storing is best effort (a cache): a
    busy or read-only database only means it is computed again next time."""
    revision = trainee_revision(engine, name)  # before reading anything (see views.py)
    trainee_id = revision[0]
    fingerprint = _fingerprint(revision, catalogue, as_of)
    table = ProgressCacheRecord.__table__
    assert isinstance(table, Table)
    with engine.connect() as conn:
        body = conn.execute(
            select(table.c.body).where(
                table.c.trainee_id == trainee_id, table.c.fingerprint == fingerprint
            )
        ).scalar()
    if body is not None:
        try:
            return Progress.model_validate_json(body)
        except ValueError:  # written by code that no longer reads the same: compute
            pass
    result = progress_for(engine, name, catalogue, as_of=as_of)
    # Kept for other processes off the page's path (this one has it in its view cache):
    # one writer thread, so a process's writes land in the order they were computed.
    _STORES.submit(_store, engine, name, trainee_id, fingerprint, result)
    return result


_STORES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="progress-store")


def wait_for_stores() -> None:
    """Return once every progress computed so far in this process has been stored (or
    given up on): for tests and the benchmark."""
    _STORES.submit(lambda: None).result()


def _store(engine: Engine, name: str, trainee_id: int, fingerprint: str, result: Progress) -> None:
    text = result.model_dump_json()
    if Progress.model_validate_json(text) != result:  # kept only if it reads back the same
        return
    table = ProgressCacheRecord.__table__
    assert isinstance(table, Table)
    try:
        with engine.begin() as conn:
            conn.execute(delete(table).where(table.c.trainee_id == trainee_id))
            conn.execute(
                insert(table).values(trainee_id=trainee_id, fingerprint=fingerprint, body=text)
            )
    except SQLAlchemyError as exc:  # another process stored it first, the trainee went...
        _log.info("progress of %s not kept for other processes: %s", name, exc.__class__)


def _fingerprint(revision: Revision, catalogue: Catalogue, as_of: dt.date) -> str:
    parts = [
        STORED_FORMAT,
        _code_fingerprint(),
        _catalogue_fingerprint(catalogue),
        as_of.isoformat(),
        oldest_session_date(as_of).isoformat(),
        [str(part) for part in revision],
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


@cache
def _code_fingerprint() -> str:
    """The release and the source of everything that computes progress (so an edited
    checkout never serves what older code computed)."""
    from hingecoach import __version__, coach, knowledge, plan

    digest = hashlib.sha256(__version__.encode())
    for package in (coach, plan, knowledge):
        root = Path(package.__file__ or "").parent
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


_catalogues: dict[int, tuple[Catalogue, str]] = {}
_catalogues_lock = threading.Lock()


def _catalogue_fingerprint(catalogue: Catalogue) -> str:
    with _catalogues_lock:
        known = _catalogues.get(id(catalogue))
        if known is not None and known[0] is catalogue:
            return known[1]
        digest = hashlib.sha256(catalogue.model_dump_json().encode()).hexdigest()
        if len(_catalogues) > 8:
            _catalogues.clear()
        _catalogues[id(catalogue)] = (catalogue, digest)
        return digest
