"""Progress for a stored trainee (R-TRACK-2/3): the whole history, read once.

The sessions planned a week are the ones the planner would choose for the trainee's days
and current rung (R-PLAN-1 with R-RX-3), so adherence is measured against the same week
the plan page shows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from hingecoach.coach import History
from hingecoach.coach.dose import sessions_per_week
from hingecoach.coach.tracking import Progress, progress
from hingecoach.knowledge import Catalogue
from hingecoach.plan import Schedule, choose_schedule
from hingecoach.plan.defaults import SESSIONS_PER_WEEK
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.window import oldest_session_date

__all__ = ["progress_for"]


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
