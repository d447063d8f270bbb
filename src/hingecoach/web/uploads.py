"""Clips: upload a video of a set, see its analysis when the worker is done, log it.

Pages (``/clips``, ``/clips/{id}``, a trainer's ``/clients/{name}/clips``) and the API
(``POST /api/v1/trainees/{name}/clips``, ``GET /api/v1/clips/{id}``). An upload is checked
(size; extension and the container's first bytes), stored under the media directory,
recorded as queued and handed to the queue; the request returns at once.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from hingecoach.coach import Profile
from hingecoach.coach.loads import available_loads
from hingecoach.errors import ConflictError, InputError, UnknownIdError
from hingecoach.knowledge import Catalogue
from hingecoach.services import clips, coaching, trainees
from hingecoach.services.clips import Clip
from hingecoach.units import parse_load, snap_to_owned
from hingecoach.web.deps import (
    ApiAccount,
    CatalogueDep,
    ClientName,
    EngineDep,
    OwnTrainee,
    PageAccount,
    TodayDep,
    TraineeAccount,
    TrainerAccount,
    VisibleTrainee,
)
from hingecoach.web.jobs import ClipJobs
from hingecoach.web.templating import render

__all__ = ["ClipPublic", "UploadRejectedError", "router"]

router = APIRouter()

ClipId = Annotated[int, PathParam(ge=1, le=2**31 - 1, description="The clip's id")]

_CHUNK = 1024 * 1024


class UploadRejectedError(Exception):
    """An upload refused before anything is stored: too large (413) or not a video (415)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


class ClipPublic(BaseModel):
    id: int
    trainee: str
    uploaded_at: dt.datetime
    filename: str
    exercise_id: str
    status: str = Field(description="queued, running, done or failed")
    error_code: str | None = None
    error_message: str | None = None
    report: dict[str, Any] | None = Field(
        default=None, description="the form report (reps, faults, rating) once done"
    )
    annotated_video_url: str | None = None
    logged: bool = False


def _public(clip: Clip) -> ClipPublic:
    return ClipPublic(
        id=clip.id,
        trainee=clip.trainee,
        uploaded_at=clip.uploaded_at,
        filename=clip.filename,
        exercise_id=clip.exercise_id,
        status=clip.status,
        error_code=clip.error_code,
        error_message=clip.error_message,
        report=clip.report.model_dump(mode="json") if clip.report is not None else None,
        annotated_video_url=f"/clips/{clip.id}/video" if clip.annotated_path else None,
        logged=clip.logged_at is not None,
    )


def _jobs(request: Request) -> ClipJobs:
    jobs: ClipJobs = request.app.state.clip_jobs
    return jobs


def _limit_mb(request: Request) -> int:
    limit: int = request.app.state.settings.upload_max_bytes
    return limit // (1024 * 1024)


def _too_large(request: Request) -> UploadRejectedError:
    return UploadRejectedError(
        413, f"the clip is larger than {_limit_mb(request)} MB; trim it to the set and try again"
    )


def _length_words(seconds: float) -> str:
    """``180`` -> "3 minutes", ``90`` -> "90 s"."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds:g} s"


def _clip_seconds(path: Path) -> float | None:
    """The clip's length from its container's header; None when it cannot be read."""
    from hingecoach.capture.video import probe
    from hingecoach.form.errors import FormError

    try:
        return probe(path).duration_s
    except (FormError, IndexError, OSError, ValueError):
        return None


def _check_waiting(request: Request, engine: EngineDep, name: str) -> None:
    """429 when this trainee already has as many clips waiting as one may."""
    most: int = request.app.state.settings.clip_max_queued_per_user
    if clips.waiting_clip_count(engine, name) >= most:
        raise UploadRejectedError(
            429,
            f"you have {most} clips waiting for analysis already; "
            "wait for your clips to finish, then upload the next",
        )


def _check_length(request: Request, path: Path) -> None:
    """Refuse (413) a clip longer than the limit, or one whose header cannot be read (415)."""
    most: float = request.app.state.settings.clip_max_seconds
    try:
        seconds = _clip_seconds(path)
    except ImportError:  # no video support: the analysis says what to install
        return
    if seconds is None:
        raise UploadRejectedError(
            415, "the clip cannot be read as a video; film it again with the phone's camera app"
        )
    if seconds > most:
        raise UploadRejectedError(
            413,
            f"the clip is {seconds:.0f} s long and clips may be at most "
            f"{_length_words(most)}; "
            "trim the clip to one set and upload it again",
        )


def _copy_checked(upload: UploadFile, dest: Path, limit: int) -> int | None:
    """Copy to ``dest``; None (and nothing kept) when it is larger than ``limit``."""
    size = 0
    upload.file.seek(0)
    with dest.open("xb") as out:
        while chunk := upload.file.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    if size > limit:
        dest.unlink(missing_ok=True)
        return None
    return size


async def _receive_upload(
    request: Request,
    name: str,
    catalogue: CatalogueDep,
    engine: EngineDep,
) -> Clip:
    """Check, store and record the posted clip; enqueue its analysis."""
    # The body's size is limited as it arrives (hingecoach.web.bodylimit), its CSRF token
    # checked before the file is read (hingecoach.web.csrf); a trainee with enough clips
    # waiting is refused before the body is read at all.
    await run_in_threadpool(_check_waiting, request, engine, name)
    async with request.form(max_files=1, max_fields=10) as form:
        return await _store_upload(request, form, name, catalogue, engine)


async def _store_upload(
    request: Request, form: FormData, name: str, catalogue: CatalogueDep, engine: EngineDep
) -> Clip:
    limit: int = request.app.state.settings.upload_max_bytes
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError("choose a video file to upload")
    exercise_id = str(form.get("exercise_id") or "").strip()
    if not exercise_id:
        raise InputError("say which exercise the clip shows")
    filename = Path(upload.filename).name
    suffix = Path(filename).suffix.lower()
    family = clips.VIDEO_SUFFIXES.get(suffix)
    kinds = ", ".join(sorted(s.lstrip(".") for s in clips.VIDEO_SUFFIXES))
    if family is None:
        raise UploadRejectedError(415, f"{filename!r} is not a video we take; upload {kinds}")
    await upload.seek(0)
    head = await upload.read(16)
    if clips.sniff_video(head) != family:
        raise UploadRejectedError(
            415, f"{filename!r} does not look like a {suffix} video inside; upload {kinds}"
        )
    jobs = _jobs(request)
    stored = f"{secrets.token_hex(12)}{suffix}"
    size = await run_in_threadpool(_copy_checked, upload, jobs.media_dir / stored, limit)
    if size is None:
        raise _too_large(request)
    try:
        await run_in_threadpool(_check_length, request, jobs.media_dir / stored)
        clip = await run_in_threadpool(
            clips.create_clip,
            engine,
            name,
            filename=filename,
            stored_path=stored,
            exercise_id=exercise_id,
            catalogue=catalogue,
            now=dt.datetime.now(dt.UTC),
        )
    except BaseException:
        (jobs.media_dir / stored).unlink(missing_ok=True)
        raise
    await run_in_threadpool(jobs.enqueue, clip.id)
    return clip


def _exercise_choices(catalogue: CatalogueDep) -> list[tuple[str, str]]:
    return sorted((e.name, e.id) for e in catalogue.exercises.values())


def _clips_page(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    name: str,
    *,
    upload: bool,
    error: str | None = None,
    status_code: int = 200,
    chosen: str | None = None,
) -> Response:
    message = "Clip deleted, with its video." if request.query_params.get("deleted") else None
    if upload and chosen is None:
        rx = coaching.today_for(engine, name, catalogue).prescription
        chosen = rx.exercise_id if rx is not None else None
    return render(
        request,
        "clips.html",
        {
            "name": name,
            "clips": clips.list_clips(engine, name),
            "exercise_names": {e.id: e.name for e in catalogue.exercises.values()},
            "upload": upload,
            "exercises": _exercise_choices(catalogue),
            "chosen": chosen,
            "error": error,
            "message": message,
            "limit_mb": _limit_mb(request),
            "limit_length": _length_words(request.app.state.settings.clip_max_seconds),
        },
        status=status_code,
    )


# ---------------------------------------------------------------- pages


@router.get("/clips", response_class=HTMLResponse, include_in_schema=False)
def clips_page(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
) -> Response:
    return _clips_page(request, engine, catalogue, name, upload=True)


@router.post("/clips", response_class=HTMLResponse, include_in_schema=False)
async def upload_page(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
) -> Response:
    try:
        clip = await _receive_upload(request, name, catalogue, engine)
    except UploadRejectedError as exc:
        return _clips_page(
            request,
            engine,
            catalogue,
            name,
            upload=True,
            error=str(exc),
            status_code=exc.status_code,
        )
    except InputError as exc:
        if isinstance(exc, UnknownIdError) and exc.kind == "trainee":
            raise
        return _clips_page(
            request, engine, catalogue, name, upload=True, error=str(exc), status_code=422
        )
    return RedirectResponse(f"/clips/{clip.id}", status_code=303)


def _exercise_name(catalogue: CatalogueDep, exercise_id: str) -> str:
    exercise = catalogue.exercises.get(exercise_id)
    return exercise.name if exercise is not None else exercise_id


def _about(seconds: float) -> str:
    """A wait in plain words: "under a minute", "about 2 minutes", "about 1 hour"."""
    if seconds < 45:
        return "under a minute"
    minutes = math.ceil(seconds / 60 - 0.01)  # rounded up: a wait is not promised short
    if minutes < 90:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(seconds / 3600 - 0.01)
    return f"about {hours} hour{'s' if hours != 1 else ''}"


def wait_words(wait: clips.QueueWait, running: bool) -> str:
    """The expected wait for a clip, from the queue and the measured analysis time."""
    typical = (
        f"a clip takes about {wait.typical_s:.0f} s to analyse here"
        if wait.measured
        else "a clip of a set usually takes about a minute to analyse"
    )
    if running:
        if wait.wait_s <= 0:
            return f"It should be done any moment ({typical})."
        return f"Expect it in {_about(wait.wait_s)} ({typical})."
    if wait.ahead == 0:
        ahead = "Your clip is next in the queue"
        if wait.running:
            ahead += f" ({wait.running} being analysed now)"
    else:
        clips_word = "clip is" if wait.ahead == 1 else "clips are"
        ahead = f"{wait.ahead} {clips_word} ahead of yours in the queue"
    return f"{ahead}; {typical}, so expect yours in {_about(wait.wait_s)}."


def _clip_values(
    request: Request, clip: Clip, account: Any, catalogue: CatalogueDep
) -> dict[str, Any]:
    report = clip.report
    wait = None
    if not clip.finished:
        engine = request.app.state.engine
        wait = wait_words(clips.queue_wait(engine, clip), running=clip.status == "running")
    target = report.tempo_target if report is not None else {}
    video = clip.annotated_path
    can_log = account.role == "trainee" and clip.status == "done" and not clip.logged_at
    return {
        "clip": clip,
        # the page says so plainly when there is no video to play (a pose track, a
        # video that could not be drawn, a media folder moved)
        "has_video": bool(video) and (_jobs(request).media_dir / str(video)).is_file(),
        "exercise_name": _exercise_name(catalogue, clip.exercise_id),
        "report": report,
        "down_s": target.get("down_s", 3.0),
        "up_s": target.get("up_s", 2.0),
        "can_log": can_log,
        "unit": _unit(request, account) if can_log else "kg",
        "wait": wait,
    }


def _typed_load(typed: str, profile: Profile, clip: Clip, catalogue: Catalogue) -> float | None:
    """The load a trainee typed (in their unit, or with its own), as the owned load in kg it
    means: "35" lb is the 16 kg bell it was shown as."""
    kg = parse_load(typed, profile.unit)
    exercise = catalogue.exercises.get(clip.exercise_id)
    if kg is None or exercise is None:
        return kg
    owned = {w for mode in exercise.load_modes for w in available_loads(profile.equipment, mode)}
    return snap_to_owned(kg, owned, profile.unit)


def _unit(request: Request, account: Any) -> str:
    """The trainee's own unit, for the loads they type."""
    engine = request.app.state.engine
    return trainees.get_trainee(engine, account.trainee_name).profile.unit


@router.get("/clips/{clip_id}", response_class=HTMLResponse, include_in_schema=False)
def clip_page(
    request: Request,
    clip_id: ClipId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: PageAccount,
) -> Response:
    clip = clips.get_clip(engine, account, clip_id)
    return render(request, "clip.html", _clip_values(request, clip, account, catalogue))


@router.get("/clips/{clip_id}/status", response_class=HTMLResponse, include_in_schema=False)
def clip_status(
    request: Request,
    clip_id: ClipId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: PageAccount,
) -> Response:
    """The part of the clip page that changes; polled by htmx until the clip is finished."""
    clip = clips.get_clip(engine, account, clip_id)
    return render(request, "_clip_status.html", _clip_values(request, clip, account, catalogue))


@router.get("/clips/{clip_id}/video", include_in_schema=False)
def clip_video(
    request: Request, clip_id: ClipId, engine: EngineDep, account: PageAccount
) -> Response:
    """The annotated video (H.264 mp4); Range requests are answered, so it seeks."""
    clip = clips.get_clip(engine, account, clip_id)
    if clip.annotated_path is None:
        raise UnknownIdError("clip video", str(clip_id))
    path = _jobs(request).media_dir / clip.annotated_path
    if not path.is_file():
        raise UnknownIdError("clip video", str(clip_id))
    return FileResponse(path, media_type="video/mp4", headers={"Cache-Control": "private"})


@router.post("/clips/{clip_id}/log", response_class=HTMLResponse, include_in_schema=False)
def log_clip(
    request: Request,
    clip_id: ClipId,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    today: TodayDep,
    load_kg: Annotated[str, Form(max_length=16)] = "",
    rpe: Annotated[str, Form(max_length=5)] = "",
    pain: Annotated[int, Form(ge=0, le=10)] = 0,
) -> Response:
    """Log the analysed clip as a set of a session today."""
    error = message = None
    profile = trainees.get_trainee(engine, name).profile
    try:
        load = _typed_load(load_kg, profile, clips.get_clip(engine, account, clip_id), catalogue)
        effort = float(rpe) if rpe.strip() else None
    except InputError as exc:
        error = str(exc).capitalize() + "."
    except ValueError:
        error = "Effort is a number from 1 to 10, like 7 or 7.5."
    else:
        try:
            result = clips.log_clip(
                engine, account, clip_id, catalogue, today, load_kg=load, rpe=effort, pain=pain
            )
        except ConflictError as exc:
            error = str(exc).capitalize() + "."
        except InputError as exc:
            if isinstance(exc, UnknownIdError):
                raise
            error = str(exc).capitalize() + "."
        else:
            rx = result.prescription
            message = "Logged as a set. " + (
                f"Next session: {_exercise_name(catalogue, rx.exercise_id)}."
                if rx is not None
                else "See Today."
            )
    clip = clips.get_clip(engine, account, clip_id)
    values = _clip_values(request, clip, account, catalogue) | {
        "message": message,
        "error": error,
    }
    return render(request, "clip.html", values, status=200 if error is None else 422)


@router.post("/clips/{clip_id}/delete", include_in_schema=False)
def delete_clip(
    request: Request, clip_id: ClipId, engine: EngineDep, account: PageAccount
) -> Response:
    """Delete a clip (its trainee, or their trainer), then its files."""
    from urllib.parse import quote

    clip = clips.delete_clip(engine, account, clip_id, _jobs(request).media_dir)
    back = "/clips" if account.role == "trainee" else f"/clients/{quote(clip.trainee)}/clips"
    return RedirectResponse(f"{back}?deleted=1", status_code=303)


@router.get("/clients/{name}/clips", response_class=HTMLResponse, include_in_schema=False)
def client_clips(
    request: Request,
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
) -> Response:
    return _clips_page(request, engine, catalogue, name, upload=False)


# ---------------------------------------------------------------- API

_API_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API token, or not a valid one"},
    404: {"description": "No such trainee or clip among the ones you can see"},
    413: {"description": "The clip is too large or too long"},
    415: {"description": "Not a video (mp4, mov, avi or webm)"},
    422: {"description": "The input is not valid"},
    429: {"description": "Too many of this trainee's clips are waiting for analysis"},
}
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "exercise_id"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "exercise_id": {"type": "string", "maxLength": 60},
                    },
                }
            }
        },
    }
}


@router.post(
    "/api/v1/trainees/{name}/clips",
    response_model=ClipPublic,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["api"],
    responses=_API_ERRORS,
    openapi_extra=_UPLOAD_BODY,
)
async def api_upload(
    request: Request,
    name: VisibleTrainee,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
) -> Response:
    """Upload a clip of a set (multipart: ``file``, ``exercise_id``); analysed in the
    background. Poll ``GET /api/v1/clips/{id}`` until ``status`` is done or failed."""
    from fastapi.responses import JSONResponse

    try:
        clip = await _receive_upload(request, name, catalogue, engine)
    except UploadRejectedError as exc:
        return JSONResponse(
            {"detail": str(exc), "error": "UploadRejected"}, status_code=exc.status_code
        )
    return JSONResponse(
        _public(clip).model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/api/v1/clips/{clip.id}"},
    )


@router.get(
    "/api/v1/clips/{clip_id}", response_model=ClipPublic, tags=["api"], responses=_API_ERRORS
)
def api_clip(clip_id: ClipId, engine: EngineDep, account: ApiAccount) -> ClipPublic:
    """A clip: its status and, once done, the form report."""
    return _public(clips.get_clip(engine, account, clip_id))
