"""Plans for stored trainees (R-PLAN-1..5), rebuilt from their records whenever asked.

A plan is not stored: it is built from the trainee's profile and history as they were on
the plan's first day, then re-planned from everything logged since (``replan``), so every
log changes it and nothing in the history is ever rewritten. The starting rung, an
override and fresh screen answers are read exactly as the coaching loop reads them
(:func:`hingecoach.services.coaching.trainee_state`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine

from hingecoach.coach import History, Weekday
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue
from hingecoach.plan import Plan, build_plan, replan
from hingecoach.plan.defaults import DELOAD_EVERY
from hingecoach.services.coaching import trainee_state
from hingecoach.services.uow import UnitOfWork

__all__ = ["plan_for"]


def plan_for(
    engine: Engine,
    name: str,
    catalogue: Catalogue,
    *,
    weeks: int,
    as_of: dt.date,
    start: dt.date | None = None,
    deload_every: int = DELOAD_EVERY,
    sessions_per_week: int | None = None,
    days: Sequence[Weekday] | None = None,
) -> Plan:
    """The trainee's plan of ``weeks`` weeks from ``start`` (default ``as_of``), as it
    stands on ``as_of``: past sessions marked from the history, the rest rebuilt from it.
    One read-only transaction."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        profile = uow.trainees.profile(trainee)
        _, where, answers = trainee_state(uow, trainee)
        # the whole history, so every past week of the plan shows what was done
        history = History(sessions=tuple(uow.sessions.sessions(trainee)))
    if where is None and not history.sessions:
        raise InputError(f"{name} has not been assessed yet; run `hingecoach assess {name}`")
    first = start or as_of
    plan = build_plan(
        profile,
        history,
        catalogue,
        weeks=weeks,
        start=first,
        deload_every=deload_every,
        placement_or_current_exercise=where,
        screen_answers=answers,
        sessions_per_week=sessions_per_week,
        days=days,
    ).model_copy(update={"name": name})
    if as_of > first:
        plan = replan(
            plan,
            profile,
            history,
            catalogue,
            as_of=as_of,
            placement_or_current_exercise=where,
            screen_answers=answers,
        )
    return plan
