"""Demo data for `make run`: a trainee with a few weeks of generated history and decisions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from hingecoach.coach import demo_history, demo_profile, demo_screen_answers
from hingecoach.knowledge import Catalogue
from hingecoach.services.coaching import assess_trainee, log_session
from hingecoach.services.trainees import add_trainee
from hingecoach.services.uow import UnitOfWork

__all__ = ["DEMO_NAME", "seed_demo"]

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
