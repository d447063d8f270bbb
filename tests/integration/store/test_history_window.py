"""The coach's window of recent sessions keeps the trainee's hinge sessions when an import
adds many sessions of other training (one per exercise of each workout)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from hingecoach.coach.models import Profile, Session
from hingecoach.services.coaching import HISTORY_WINDOW
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.repositories import OTHER_TRAINING_ID

PROFILE = Profile.model_validate(
    {
        "age": 40,
        "goal": "strength",
        "training_history": "novice",
        "body_mass_kg": 70,
        "equipment": {"kettlebells_kg": [12, 16, 20]},
        "days_available": ["monday", "thursday"],
    }
)


def _session(day: dt.date, exercise_id: str) -> Session:
    return Session.model_validate(
        {"date": day, "exercise_id": exercise_id, "sets": [{"reps": 5, "load_kg": 16, "rpe": 7}]}
    )


def _window(engine: Engine, sessions: list[Session]) -> list[Session]:
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.add("Ana", PROFILE)
        for session in sessions:
            uow.sessions.add(trainee, session)
        uow.commit()
    with UnitOfWork(engine) as uow:
        return uow.sessions.sessions(uow.trainees.get("Ana"), last=HISTORY_WINDOW)


def test_other_training_does_not_push_hinge_sessions_out_of_the_window(engine: Engine) -> None:
    start = dt.date(2026, 1, 5)
    hinge_days = [start + dt.timedelta(days=2 * i) for i in range(HISTORY_WINDOW + 5)]
    sessions = [_session(day, "kettlebell-deadlift") for day in hinge_days]
    # each of the last 20 workouts also brought four sessions of leg work from another app
    sessions += [_session(day, OTHER_TRAINING_ID) for day in hinge_days[-20:] for _ in range(4)]

    window = _window(engine, sessions)

    hinge = [s for s in window if s.exercise_id != OTHER_TRAINING_ID]
    assert len(hinge) == HISTORY_WINDOW
    assert (hinge[0].date, hinge[-1].date) == (hinge_days[-HISTORY_WINDOW], hinge_days[-1])
    assert sum(s.exercise_id == OTHER_TRAINING_ID for s in window) == 80


def test_a_history_shorter_than_the_window_is_read_whole(engine: Engine) -> None:
    days = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(3)]
    sessions = [_session(d, OTHER_TRAINING_ID) for d in days] + [
        _session(days[0], "kettlebell-deadlift")
    ]
    assert len(_window(engine, sessions)) == 4
