"""Demo data for `make run`: a trainee with a few weeks of generated history and decisions,
and (for the web demo) trainers, clients and an analysed clip."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from hingecoach.coach import PainQuality, demo_history, demo_profile, demo_screen_answers
from hingecoach.knowledge import Catalogue
from hingecoach.services.clips import Clip, record_analysed_clip
from hingecoach.services.coaching import assess_trainee, log_session
from hingecoach.services.trainees import add_note, add_trainee
from hingecoach.services.uow import UnitOfWork

__all__ = [
    "DEMO_CLIP_TRAINEE",
    "DEMO_LOGINS",
    "DEMO_NAME",
    "DEMO_TRACK",
    "DemoLogin",
    "ensure_demo_clip",
    "seed_demo",
    "seed_demo_clip",
    "seed_web_demo",
]

if TYPE_CHECKING:
    from hingecoach.form import FormReport, PoseSequence

log = logging.getLogger(__name__)

DEMO_NAME = "demo"
# The demo clip: a recorded pose track (see data/README.md), no video.
DEMO_TRACK = Path(__file__).parent / "data" / "demo-kb-deadlift.npz"
DEMO_CLIP_EXERCISE = "kettlebell-deadlift"
DEMO_CLIP_TRAINEE = "Ana"


def seed_demo(engine: Engine, catalogue: Catalogue, today: dt.date, weeks: int = 6) -> bool:
    """Create the demo trainee unless it exists; True when it was created now.

    The generated sessions are moved in time so the last one was two days ago, and each is
    logged through the same use case a person's log goes through, so the decisions log
    holds the coach's real decisions.
    """
    with UnitOfWork(engine) as uow:
        if uow.trainees.find(DEMO_NAME) is not None:
            return False
    history = demo_history(weeks=weeks)
    shift = (today - dt.timedelta(days=2)) - history.sessions[-1].date
    first_day = history.sessions[0].date + shift
    add_trainee(engine, DEMO_NAME, demo_profile(), notes="Generated demo data.", author="demo")
    assess_trainee(engine, DEMO_NAME, demo_screen_answers(), catalogue, first_day)
    for session in history.sessions:
        moved = session.model_copy(update={"date": session.date + shift})
        log_session(engine, DEMO_NAME, moved, catalogue, today)
    return True


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    display_name: str
    trainee: str | None = None


# The demo's people. Passwords are printed by `make run`: demo data only.
DEMO_LOGINS = (
    DemoLogin("coach@example.com", "coach-demo-pass", "trainer", "Sam Rivera"),
    DemoLogin("ana@example.com", "ana-demo-pass", "trainee", "Ana", "Ana"),
    DemoLogin("other.coach@example.com", "other-demo-pass", "trainer", "Kim Lee"),
)

# (client, trainer's email, weeks of history, days since the last session, seed, hurt)
_CLIENTS = (
    ("Ana", "coach@example.com", 10, 1, 11, False),
    ("Ben", "coach@example.com", 24, 2, 12, False),
    ("Chloe", "coach@example.com", 4, 12, 13, False),
    ("Dev", "coach@example.com", 16, 1, 14, True),
    ("Eli", "coach@example.com", 30, 3, 15, False),
    ("Fay", "other.coach@example.com", 6, 2, 16, False),
)


# A trainer's notes on clients: (client, trainer's email, days ago, text).
_NOTES = (
    ("Ana", "coach@example.com", 20, "Desk job; tight hamstrings. Wants to pick her son up."),
    ("Ana", "coach@example.com", 3, "Her hinge looks steady on video. Stay one more week."),
    ("Dev", "coach@example.com", 1, "Sharp pain in the last session: call before the next."),
    ("Ben", "coach@example.com", 6, "Owns bells up to 24 kg; ready to go heavier soon."),
    ("Fay", "other.coach@example.com", 4, "Trains before work: mornings only."),
)


def _seed_client(
    engine: Engine, catalogue: Catalogue, today: dt.date, client: tuple[str, int, int, int, bool]
) -> None:
    name, weeks, days_ago, seed, hurt = client
    history = demo_history(weeks=weeks, seed=seed)
    shift = (today - dt.timedelta(days=days_ago + (1 if hurt else 0))) - history.sessions[-1].date
    add_trainee(engine, name, demo_profile().model_copy(update={"name": name}))
    assess_trainee(engine, name, demo_screen_answers(), catalogue, history.sessions[0].date + shift)
    moved = [s.model_copy(update={"date": s.date + shift}) for s in history.sessions]
    for session in moved:
        log_session(engine, name, session, catalogue, today)
    if hurt:
        # A session that hurt yesterday: sharp pain at 5/10 from the second work set.
        last = next(s for s in reversed(moved) if s.exercise_id != "push-up")
        sets = [
            x.model_copy(update={"pain": 5, "pain_quality": (PainQuality.SHARP,)})
            if x.work_set and i > 3
            else x
            for i, x in enumerate(last.sets)
        ]
        painful = last.model_copy(update={"date": today - dt.timedelta(days=1), "sets": sets})
        log_session(engine, name, painful, catalogue, today)


def _stick_figure(seq: PoseSequence, report: FormReport, path: Path) -> bool:
    """Draw the track as a small H.264 stick-figure clip when the video extra is here."""
    try:
        import av  # noqa: F401
        import cv2  # noqa: F401

        from hingecoach.capture.annotate import render_stick_figure
    except ImportError:
        return False
    try:
        render_stick_figure(seq, report, path)
    except Exception:  # a demo without its picture still works
        log.warning("could not draw the demo clip's stick figure", exc_info=True)
        path.unlink(missing_ok=True)
        return False
    return True


def seed_demo_clip(
    engine: Engine,
    catalogue: Catalogue,
    media_dir: Path | None,
    now: dt.datetime,
    name: str = DEMO_CLIP_TRAINEE,
) -> Clip:
    """The demo's analysed clip: the recorded pose track analysed now (R-FORM-1..5) and
    stored as a finished clip with its report, per-rep faults and cues. With a media
    directory, the track is kept there as the clip's source and, when the video extra is
    installed, a stick-figure video of it is drawn for the page to play (about a second,
    once); without either, the clip page says there is no video and shows the analysis."""
    from hingecoach.capture.tracks import load_track
    from hingecoach.form import analyze_pose

    seq = load_track(DEMO_TRACK)
    report = analyze_pose(seq, exercise=DEMO_CLIP_EXERCISE, catalogue=catalogue)
    stored = f"demo-{secrets.token_hex(6)}.npz"
    annotated = None
    if media_dir is not None:
        media_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEMO_TRACK, media_dir / stored)
        video = stored.removesuffix(".npz") + "-annotated.mp4"
        if _stick_figure(seq, report, media_dir / video):
            annotated = video
    return record_analysed_clip(
        engine,
        name,
        filename="kettlebell deadlift, 4 reps (demo pose track)",
        stored_path=stored,
        exercise_id=DEMO_CLIP_EXERCISE,
        report=report,
        annotated_path=annotated,
        now=now,
    )


def ensure_demo_clip(
    engine: Engine, catalogue: Catalogue, media_dir: Path | None, now: dt.datetime
) -> Clip | None:
    """The demo clip, made when the demo trainee has no clip yet (a demo made by an
    earlier version gets one too); None when there is no demo trainee."""
    from hingecoach.services.clips import list_clips

    with UnitOfWork(engine) as uow:
        if uow.trainees.find(DEMO_CLIP_TRAINEE) is None:
            return None
    existing = list_clips(engine, DEMO_CLIP_TRAINEE, last=50)
    demo = [c for c in existing if c.from_track]
    if demo:
        return demo[-1]
    if existing:
        return None  # clips of their own: leave them be
    return seed_demo_clip(engine, catalogue, media_dir, now)


def seed_web_demo(
    engine: Engine, catalogue: Catalogue, today: dt.date, media_dir: Path | None = None
) -> bool:
    """Demo accounts for the web app: a trainer with five clients at different rungs (one
    hurting, one gone quiet), a trainee who signs in (with an analysed clip, see
    :func:`seed_demo_clip`), and a second trainer with a client of their own. True when
    created now; nothing is changed when they exist."""
    from hingecoach.services.accounts import assign_client, create_account

    with UnitOfWork(engine) as uow:
        if uow.users.by_email(DEMO_LOGINS[0].email) is not None:
            return False
    trainers = {}
    for login in DEMO_LOGINS:
        if login.role == "trainer":
            trainers[login.email] = create_account(
                engine,
                email=login.email,
                password=login.password,
                display_name=login.display_name,
                role="trainer",
            )
    for name, trainer, weeks, days_ago, seed, hurt in _CLIENTS:
        _seed_client(engine, catalogue, today, (name, weeks, days_ago, seed, hurt))
        assign_client(engine, name, trainer)
    now = dt.datetime.now(dt.UTC)
    for name, trainer, days_ago, text in _NOTES:
        author = trainers[trainer]
        add_note(
            engine,
            name,
            text,
            author_id=author.id,
            author_name=author.display_name,
            now=now - dt.timedelta(days=days_ago),
        )
    for login in DEMO_LOGINS:
        if login.role == "trainee":
            create_account(
                engine,
                email=login.email,
                password=login.password,
                display_name=login.display_name,
                role="trainee",
                trainee_name=login.trainee,
            )
    seed_demo_clip(engine, catalogue, media_dir, dt.datetime.now(dt.UTC))
    return True
