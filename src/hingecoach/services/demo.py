"""Demo data for `make run`: a trainee with a few weeks of generated history and decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from hingecoach.coach import PainQuality, demo_history, demo_profile, demo_screen_answers
from hingecoach.knowledge import Catalogue
from hingecoach.services.coaching import assess_trainee, log_session
from hingecoach.services.trainees import add_trainee
from hingecoach.services.uow import UnitOfWork

__all__ = ["DEMO_LOGINS", "DEMO_NAME", "DemoLogin", "seed_demo", "seed_web_demo"]

DEMO_NAME = "demo"


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
    add_trainee(engine, DEMO_NAME, demo_profile(), notes="Generated demo data.")
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


def _seed_client(
    engine: Engine, catalogue: Catalogue, today: dt.date, client: tuple[str, int, int, int, bool]
) -> None:
    name, weeks, days_ago, seed, hurt = client
    history = demo_history(weeks=weeks, seed=seed)
    shift = (today - dt.timedelta(days=days_ago + (1 if hurt else 0))) - history.sessions[-1].date
    add_trainee(engine, name, demo_profile().model_copy(update={"name": name}), notes="Demo.")
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


def seed_web_demo(engine: Engine, catalogue: Catalogue, today: dt.date) -> bool:
    """Demo accounts for the web app: a trainer with five clients at different rungs (one
    hurting, one gone quiet), a trainee who signs in, and a second trainer with a client
    of their own. True when created now; nothing is changed when they exist."""
    from hingecoach.services.accounts import assign_client, create_account

    with UnitOfWork(engine) as uow:
        if uow.users.by_email(DEMO_LOGINS[0].email) is not None:
            return False
    for login in DEMO_LOGINS:
        if login.role == "trainer":
            create_account(
                engine,
                email=login.email,
                password=login.password,
                display_name=login.display_name,
                role="trainer",
            )
    for name, trainer, weeks, days_ago, seed, hurt in _CLIENTS:
        _seed_client(engine, catalogue, today, (name, weeks, days_ago, seed, hurt))
        assign_client(engine, name, trainer)
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
    return True
