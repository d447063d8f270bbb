"""Uploaded clips: stored, analysed in the background, shown, logged as a set.

A clip's life: ``queued`` when uploaded, ``running`` while a worker analyses it, then
``done`` (with the form report and an annotated video) or ``failed`` (with the error's
stable code and a message that says what to re-film). Files live under the media
directory; the database keeps paths relative to it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, and_, func, or_, select, update

from hingecoach.coach import Session
from hingecoach.errors import ConflictError, HingecoachError, InputError, UnknownIdError
from hingecoach.form import FormReport
from hingecoach.knowledge import Catalogue, find_exercise
from hingecoach.services import accounts, coaching
from hingecoach.services.accounts import Account
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import ClipRecord, TraineeRecord

if TYPE_CHECKING:
    from hingecoach.capture.pipeline import EarlyStop

__all__ = [
    "ENV_MEDIA_DIR",
    "VIDEO_SUFFIXES",
    "Clip",
    "ClipStatus",
    "QueueWait",
    "analyse_clip",
    "claim_clip",
    "create_clip",
    "default_media_dir",
    "delete_clip",
    "get_clip",
    "list_clips",
    "log_clip",
    "queue_wait",
    "reap_stale_claims",
    "record_analysed_clip",
    "release_claim",
    "remove_media",
    "renew_claim",
    "sniff_video",
    "unfinished_clip_ids",
    "waiting_clip_count",
]

log = logging.getLogger(__name__)

ClipStatus = Literal["queued", "running", "done", "failed"]
ENV_MEDIA_DIR = "HINGECOACH_MEDIA_DIR"

TRACK_SUFFIXES = (".npz", ".json", ".csv")  # pose tracks (hingecoach.capture.tracks)

# Container families by extension, and how each starts (checked on the first bytes).
VIDEO_SUFFIXES = {".mp4": "isobmff", ".mov": "isobmff", ".avi": "riff-avi", ".webm": "ebml"}
_ISO_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def default_media_dir() -> Path:
    """Where clips are kept: ``$HINGECOACH_MEDIA_DIR``, else ``clips/`` in the user data
    directory (the web app's default too)."""
    explicit = os.environ.get(ENV_MEDIA_DIR, "").strip()
    if explicit:
        return Path(explicit)
    from platformdirs import user_data_path

    return user_data_path("hingecoach", appauthor=False) / "clips"


def remove_media(media_dir: Path, paths: Iterable[str | None]) -> list[Path]:
    """Delete these files (paths relative to the media directory, as clips store them);
    the ones removed. Called once the database no longer refers to them (after the
    commit): a failed delete leaves a file behind, never a clip without its file. Only
    files inside the media directory are touched."""
    root = media_dir.resolve()
    removed = []
    for relative in paths:
        if not relative:
            continue
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or path == root:
            log.warning("not deleting %s: outside the media folder %s", path, root)
            continue
        try:
            if path.is_file():
                path.unlink()
                removed.append(path)
        except OSError as exc:
            log.warning("could not delete the clip file %s: %s", path, exc)
    return removed


def sniff_video(head: bytes) -> str | None:
    """The container family the first bytes show (``isobmff``, ``riff-avi``, ``ebml``)."""
    if len(head) >= 8 and head[4:8] in _ISO_BOXES:
        return "isobmff"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "riff-avi"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "ebml"
    return None


@dataclass(frozen=True)
class Clip:
    id: int
    trainee: str
    uploaded_at: dt.datetime
    filename: str
    stored_path: str
    exercise_id: str
    status: ClipStatus
    error_code: str | None
    error_message: str | None
    report: FormReport | None
    annotated_path: str | None
    finished_at: dt.datetime | None
    logged_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def from_track(self) -> bool:
        """Analysed from a recorded pose track (the demo's clip), not from a video."""
        return self.stored_path.lower().endswith(TRACK_SUFFIXES)


# Reps keep NaN for measures a clip could not give (the back outline without a mask);
# JSON has no NaN, so they are stored as null and restored on the way back.
_REP_OPTIONAL = {"descent_s", "tempo_ok"}


def _report_json(report: FormReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(report.model_dump_json())
    return data


def _report_from(data: dict[str, Any] | None) -> FormReport | None:
    if data is None:
        return None
    reps = []
    for rep in data.get("reps", []):
        rep = dict(rep)
        for key, value in rep.items():
            if value is None and key not in _REP_OPTIONAL:
                rep[key] = math.nan
        reps.append(rep)
    return FormReport.model_validate({**data, "reps": reps})


def _clip(record: ClipRecord, trainee: str) -> Clip:
    status: ClipStatus = record.status  # type: ignore[assignment]
    return Clip(
        id=record.id,
        trainee=trainee,
        uploaded_at=record.uploaded_at,
        filename=record.filename,
        stored_path=record.stored_path,
        exercise_id=record.exercise_id,
        status=status,
        error_code=record.error_code,
        error_message=record.error_message,
        report=_report_from(record.report),
        annotated_path=record.annotated_path,
        finished_at=record.finished_at,
        logged_at=record.logged_at,
    )


def _load(uow: UnitOfWork, clip_id: int) -> tuple[ClipRecord, str] | None:
    record = uow.db.get(ClipRecord, clip_id)
    if record is None:
        return None
    trainee = uow.db.get(TraineeRecord, record.trainee_id)
    assert trainee is not None  # the foreign key cascades
    return record, trainee.name


def create_clip(
    engine: Engine,
    name: str,
    *,
    filename: str,
    stored_path: str,
    exercise_id: str,
    catalogue: Catalogue,
    now: dt.datetime,
) -> Clip:
    """Record an uploaded clip as queued for analysis."""
    exercise = find_exercise(catalogue, exercise_id)
    if exercise.id != exercise_id:
        raise InputError(f"use the exercise id {exercise.id!r}, not {exercise_id!r}")
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        record = ClipRecord(
            trainee_id=trainee.id,
            uploaded_at=now,
            filename=filename[:255],
            stored_path=stored_path,
            exercise_id=exercise_id,
            status="queued",
        )
        uow.db.add(record)
        uow.db.flush()
        clip = _clip(record, trainee.name)
        uow.commit()
        return clip


def record_analysed_clip(
    engine: Engine,
    name: str,
    *,
    filename: str,
    stored_path: str,
    exercise_id: str,
    report: FormReport,
    annotated_path: str | None,
    now: dt.datetime,
) -> Clip:
    """Record a clip analysed already (the demo's, from a pose track) as done."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        record = ClipRecord(
            trainee_id=trainee.id,
            uploaded_at=now,
            filename=filename[:255],
            stored_path=stored_path,
            exercise_id=exercise_id,
            status="done",
            report=_report_json(report),
            annotated_path=annotated_path,
            finished_at=now,
        )
        uow.db.add(record)
        uow.db.flush()
        clip = _clip(record, trainee.name)
        uow.commit()
        return clip


def get_clip(engine: Engine, account: Account, clip_id: int) -> Clip:
    """A clip this person may see; anything else is "unknown clip" (no hint it exists)."""
    with UnitOfWork(engine) as uow:
        found = _load(uow, clip_id)
    if found is None:
        raise UnknownIdError("clip", str(clip_id), hint="not one of the clips you can see")
    record, trainee = found
    try:
        accounts.require_trainee(engine, account, trainee)
    except UnknownIdError:
        raise UnknownIdError(
            "clip", str(clip_id), hint="not one of the clips you can see"
        ) from None
    return _clip(record, trainee)


def list_clips(engine: Engine, name: str, last: int = 50) -> list[Clip]:
    """A trainee's clips, newest first."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        rows = uow.db.scalars(
            select(ClipRecord)
            .where(ClipRecord.trainee_id == trainee.id)
            .order_by(ClipRecord.uploaded_at.desc(), ClipRecord.id.desc())
            .limit(last)
        ).all()
        return [_clip(r, trainee.name) for r in rows]


def delete_clip(engine: Engine, account: Account, clip_id: int, media_dir: Path) -> Clip:
    """Delete a clip this person may see, then (once that is committed) its uploaded and
    annotated files."""
    clip = get_clip(engine, account, clip_id)
    with UnitOfWork(engine) as uow:
        record = uow.db.get(ClipRecord, clip_id)
        if record is None:  # deleted meanwhile
            raise UnknownIdError("clip", str(clip_id), hint="not one of the clips you can see")
        files = [record.stored_path, record.annotated_path]
        uow.db.delete(record)
        uow.commit()
    remove_media(media_dir, files)
    return clip


def waiting_clip_count(engine: Engine, name: str) -> int:
    """How many of this trainee's clips are queued or being analysed."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        count = uow.db.scalar(
            select(func.count())
            .select_from(ClipRecord)
            .where(
                ClipRecord.trainee_id == trainee.id,
                ClipRecord.status.in_(("queued", "running")),
            )
        )
        return int(count or 0)


def unfinished_clip_ids(
    engine: Engine, statuses: tuple[ClipStatus, ...] = ("queued", "running")
) -> list[int]:
    """Clips still queued or running (a job to enqueue again after a restart)."""
    with UnitOfWork(engine) as uow:
        return list(
            uow.db.scalars(
                select(ClipRecord.id).where(ClipRecord.status.in_(statuses)).order_by(ClipRecord.id)
            ).all()
        )


# ---------------------------------------------------------------- claims
#
# Several workers (threads of the web app, `hingecoach worker` processes on any machine)
# may get a job for the same clip: a job is sent again after a restart, or when a worker
# died mid-clip. Each job first *claims* its clip in one atomic UPDATE: it takes a queued
# clip, or a running one whose claim has lapsed (its worker stopped renewing it). Only
# the worker holding the claim stores a result, so a clip analysed twice stores one.

DEFAULT_LEASE_S = 60.0
DEFAULT_MAX_ATTEMPTS = 3
_WORKER_LOST = (
    "the analysis stopped {n} times without finishing (the worker running it ended); "
    "trim the clip to the set, or film it again, and upload it again"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def claim_clip(
    engine: Engine,
    clip_id: int,
    worker: str,
    *,
    lease_s: float = DEFAULT_LEASE_S,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: dt.datetime | None = None,
) -> bool:
    """Claim a clip for ``worker`` (an id unique to the attempt) for ``lease_s`` seconds:
    True when this worker may analyse it now. A clip finished, deleted, or running under a
    live claim is not taken."""
    now = now or _now()
    lapsed = or_(ClipRecord.lease_until.is_(None), ClipRecord.lease_until < now)
    statement = (
        update(ClipRecord)
        .where(
            ClipRecord.id == clip_id,
            ClipRecord.attempts < max_attempts,
            or_(
                ClipRecord.status == "queued",
                and_(ClipRecord.status == "running", lapsed),
            ),
        )
        .values(
            status="running",
            claimed_by=worker[:80],
            lease_until=now + dt.timedelta(seconds=lease_s),
            started_at=now,
            attempts=ClipRecord.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    with engine.begin() as conn:
        return conn.execute(statement).rowcount == 1


def renew_claim(
    engine: Engine, clip_id: int, worker: str, *, lease_s: float = DEFAULT_LEASE_S
) -> bool:
    """Extend the claim while the analysis runs; False when it is no longer this
    worker's (another took the clip over after the claim lapsed, or it was deleted)."""
    statement = (
        update(ClipRecord)
        .where(
            ClipRecord.id == clip_id,
            ClipRecord.claimed_by == worker[:80],
            ClipRecord.status == "running",
        )
        .values(lease_until=_now() + dt.timedelta(seconds=lease_s))
        .execution_options(synchronize_session=False)
    )
    with engine.begin() as conn:
        return conn.execute(statement).rowcount == 1


def release_claim(engine: Engine, clip_id: int, worker: str) -> bool:
    """Give a clip back to the queue (the worker is stopping): queued again at once, and
    the attempt not counted against it."""
    statement = (
        update(ClipRecord)
        .where(
            ClipRecord.id == clip_id,
            ClipRecord.claimed_by == worker[:80],
            ClipRecord.status == "running",
        )
        .values(
            status="queued",
            claimed_by=None,
            lease_until=None,
            attempts=ClipRecord.attempts - 1,  # a claim counted one (so at least 1)
        )
        .execution_options(synchronize_session=False)
    )
    with engine.begin() as conn:
        return conn.execute(statement).rowcount == 1


def reap_stale_claims(
    engine: Engine,
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: dt.datetime | None = None,
) -> list[int]:
    """Clips whose worker stopped renewing its claim (killed, machine gone): queued
    again, or failed after ``max_attempts`` starts (a clip that ends every worker that
    takes it must not go round for ever). Returns the ids queued again, to enqueue."""
    now = now or _now()
    with engine.connect() as conn:
        stale = conn.execute(
            select(ClipRecord.id, ClipRecord.attempts).where(
                ClipRecord.status == "running",
                or_(ClipRecord.lease_until.is_(None), ClipRecord.lease_until < now),
            )
        ).all()
    requeued = []
    for clip_id, attempts in stale:
        still_stale = (
            ClipRecord.id == clip_id,
            ClipRecord.status == "running",
            or_(ClipRecord.lease_until.is_(None), ClipRecord.lease_until < now),
        )
        if attempts < max_attempts:
            values: dict[str, Any] = {"status": "queued", "claimed_by": None, "lease_until": None}
        else:
            values = {
                "status": "failed",
                "error_code": "worker-lost",
                "error_message": _WORKER_LOST.format(n=attempts),
                "finished_at": now,
                "lease_until": None,
            }
        statement = (
            update(ClipRecord)
            .where(*still_stale)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        with engine.begin() as conn:
            changed = conn.execute(statement).rowcount == 1
        if changed and values["status"] == "queued":
            requeued.append(clip_id)
        elif changed:
            log.warning("clip %s failed: its analysis stopped %s times", clip_id, attempts)
    return requeued


@dataclass(frozen=True)
class QueueWait:
    """How long a clip waiting for analysis should wait, from the queue as it stands and
    the analysis time measured on the clips finished lately."""

    ahead: int  # clips queued before this one
    running: int  # clips being analysed now (at least as many workers are busy)
    typical_s: float  # an analysis, measured (or the assumed minute, when none finished)
    measured: int  # finished clips the typical time is taken from (0: assumed)
    wait_s: float  # until this clip's analysis should be done


ASSUMED_ANALYSIS_S = 60.0


def _typical_analysis_s(uow: UnitOfWork, recent: int) -> tuple[float, int]:
    rows = uow.db.execute(
        select(ClipRecord.started_at, ClipRecord.finished_at)
        .where(
            ClipRecord.status.in_(("done", "failed")),
            ClipRecord.started_at.is_not(None),
            ClipRecord.finished_at.is_not(None),
        )
        .order_by(ClipRecord.finished_at.desc())
        .limit(recent)
    ).all()
    spans = [
        (finished - started).total_seconds() for started, finished in rows if finished >= started
    ]
    if not spans:
        return ASSUMED_ANALYSIS_S, 0
    return sum(spans) / len(spans), len(spans)


def queue_wait(
    engine: Engine, clip: Clip, *, recent: int = 20, now: dt.datetime | None = None
) -> QueueWait:
    """The expected wait for a clip still queued or running: the clips ahead of it,
    shared over the workers seen busy, times the typical analysis time measured over
    the last ``recent`` finished clips."""
    now = now or _now()
    with UnitOfWork(engine) as uow:
        typical, measured = _typical_analysis_s(uow, recent)
        counted = uow.db.execute(
            select(ClipRecord.status, func.count())
            .where(
                or_(
                    ClipRecord.status == "running",
                    and_(ClipRecord.status == "queued", ClipRecord.id < clip.id),
                )
            )
            .group_by(ClipRecord.status)
        ).all()
        started = uow.db.scalar(select(ClipRecord.started_at).where(ClipRecord.id == clip.id))
    counts = {status: int(n) for status, n in counted}
    ahead, running = counts.get("queued", 0), counts.get("running", 0)
    if clip.status == "running" and started is not None:
        if started.tzinfo is None:  # SQLite keeps UTC without its zone
            started = started.replace(tzinfo=dt.UTC)
        wait = max(typical - (now - started).total_seconds(), 0.0)
        return QueueWait(0, running, typical, measured, wait)
    workers = max(1, running)
    # the running clips are half done on average; then the ones ahead, shared out; then it
    wait = typical * (1 + (ahead + 0.5 * running) / workers)
    return QueueWait(ahead, running, typical, measured, wait)


def _finish(engine: Engine, clip_id: int, worker: str | None, **values: Any) -> str:
    """Store the outcome: "stored"; "missing" when the clip was deleted while it was
    analysed; "lost" when another worker holds the clip now (this one's claim lapsed and
    the clip was taken over: the other one stores the result)."""
    with UnitOfWork(engine) as uow:
        record = uow.db.get(ClipRecord, clip_id)
        if record is None:
            return "missing"
        if worker is not None and (record.claimed_by != worker[:80] or record.status != "running"):
            return "lost"
        for key, value in values.items():
            setattr(record, key, value)
        record.finished_at = _now()
        record.lease_until = None
        uow.commit()
        return "stored"


class _Heartbeat:
    """Renews a claim every quarter of its lease while the analysis runs (a thread)."""

    def __init__(self, engine: Engine, clip_id: int, worker: str, lease_s: float) -> None:
        import threading

        self.engine, self.clip_id, self.worker, self.lease_s = engine, clip_id, worker, lease_s
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"clip-{clip_id}-heartbeat", daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(max(0.2, self.lease_s / 4)):
            try:
                if not renew_claim(self.engine, self.clip_id, self.worker, lease_s=self.lease_s):
                    self.lost = True
                    log.warning("clip %s: the claim was lost; another worker has it", self.clip_id)
                    return
            except Exception:  # the database is away for a moment: try again
                log.exception("clip %s: could not renew the claim", self.clip_id)


def analyse_clip(
    engine: Engine,
    clip_id: int,
    catalogue: Catalogue,
    media_dir: Path,
    *,
    stop: EarlyStop | None = None,
    worker: str | None = None,
    lease_s: float = DEFAULT_LEASE_S,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> str:
    """The background job: claim one clip, analyse it and store the report (or the error).

    Safe to run twice, at once too: the clip is claimed first (see :func:`claim_clip`),
    so a clip finished, or analysed by another worker right now, is left alone; the
    claim is renewed while the analysis runs. Returns the final status ("done",
    "failed"), "missing" for a clip deleted, or "busy" when another worker has it.
    With ``stop``, a clip with nobody in view, or running too long, is refused without
    posing the rest of it, so one clip does not hold the worker. A worker stopped
    mid-clip (KeyboardInterrupt, SystemExit) gives the clip back to the queue.
    """
    import secrets as _secrets
    import socket

    from hingecoach.capture import analyze_video

    worker = worker or f"{socket.gethostname()[:40]}:{os.getpid()}:{_secrets.token_hex(4)}"
    if not claim_clip(engine, clip_id, worker, lease_s=lease_s, max_attempts=max_attempts):
        with UnitOfWork(engine) as uow:
            record = uow.db.get(ClipRecord, clip_id)
            if record is None:
                return "missing"
            return record.status if record.status in ("done", "failed") else "busy"
    with UnitOfWork(engine) as uow:
        record = uow.db.get(ClipRecord, clip_id)
        if record is None:
            return "missing"
        source, exercise_id = record.stored_path, record.exercise_id
    annotated = str(Path(source).with_name(Path(source).stem + "-annotated.mp4"))

    def finish(status: str, **values: Any) -> str:
        outcome = _finish(engine, clip_id, worker, status=status, **values)
        if outcome == "missing":  # deleted (or its trainee) meanwhile: no files left behind
            remove_media(media_dir, [source, annotated])
            return "missing"
        return status if outcome == "stored" else "busy"

    with _Heartbeat(engine, clip_id, worker, lease_s):
        try:
            result = analyze_video(
                media_dir / source,
                exercise=exercise_id,
                catalogue=catalogue,
                out_video=media_dir / annotated,
                stop=stop,
            )
        except HingecoachError as exc:
            code = str(getattr(exc, "code", "") or type(exc).__name__)
            return finish("failed", error_code=code[:40], error_message=str(exc))
        except Exception:  # a broken decoder must not leave the clip running for ever
            finish(
                "failed",
                error_code="internal-error",
                error_message="the analysis stopped unexpectedly; upload the clip again",
            )
            raise
        except BaseException:  # the worker is stopping: the clip goes back to the queue
            release_claim(engine, clip_id, worker)
            raise
    return finish(
        "done",
        report=_report_json(result.report),
        annotated_path=annotated if (media_dir / annotated).is_file() else None,
        error_code=None,
        error_message=None,
    )


def log_clip(
    engine: Engine,
    account: Account,
    clip_id: int,
    catalogue: Catalogue,
    today: dt.date,
    *,
    load_kg: float | None = None,
    rpe: float | None = None,
    pain: int = 0,
) -> coaching.Today:
    """Log an analysed clip as a set: a session of its own today, following today's
    prescription when the exercise matches (R-FORM-4, R-TRACK-1). Only once per clip."""
    from hingecoach.services.video import set_from_report

    clip = get_clip(engine, account, clip_id)
    if clip.report is None or clip.status != "done":
        raise InputError("this clip has not been analysed yet; wait for the analysis")
    if clip.logged_at is not None:
        raise ConflictError("this clip is already logged as a set")
    if not clip.report.reps:
        raise InputError("the analysis counted no complete reps, so there is no set to log")
    rx = coaching.today_for(engine, clip.trainee, catalogue).prescription
    followed = rx if rx is not None and rx.exercise_id == clip.exercise_id else None
    load = load_kg if load_kg is not None else (followed.load_kg if followed else None)
    logged = set_from_report(clip.report, load_kg=load, rpe=rpe, pain=pain)
    session = Session(
        date=today,
        exercise_id=clip.exercise_id,
        prescription=followed,
        sets=(logged,),
        notes=f"set judged from video: {clip.filename}"[:2000],
    )
    result = coaching.log_session(engine, clip.trainee, session, catalogue, today)
    with UnitOfWork(engine) as uow:
        record = uow.db.get(ClipRecord, clip_id)
        if record is not None:
            record.logged_at = dt.datetime.now(dt.UTC)
            uow.commit()
    return result
