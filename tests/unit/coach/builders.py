"""Small builders for the coach's tests: people, screens, sets, sessions and histories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from hingecoach.coach import (
    Decision,
    History,
    Prescription,
    Profile,
    ScreenAnswers,
    Session,
    SetLog,
    prescribe,
)
from hingecoach.knowledge import Catalogue

DAY0 = dt.date(2025, 3, 3)  # a Monday

NO_RED_FLAGS: dict[str, bool] = {
    "saddle_numbness": False,
    "new_bladder_problems": False,
    "new_bowel_problems": False,
    "symptoms_in_both_legs": False,
    "worsening_leg_weakness": False,
    "new_sexual_dysfunction_with_back_or_leg_pain": False,
    "major_trauma": False,
    "minor_trauma": False,
    "osteoporosis": False,
    "history_of_cancer": False,
    "unexplained_weight_loss": False,
    "fever_or_chills": False,
    "immunosuppression_or_steroids": False,
    "new_back_pain": False,
    "pain_worse_lying_down_or_at_night": False,
    "thoracic_pain": False,
}

KETTLEBELLS_12_16_20 = {"kettlebells_kg": [12, 16, 20]}
HOME_GYM = {
    "kettlebells_kg": [8, 12, 16, 20, 24],
    "dumbbells_kg": [5, 5, 10, 10],
    "barbell_kg": 20,
    "trap_bar_kg": 25,
    "plates_kg": [20, 20, 10, 5, 2.5, 1.25],
    "bands": ["light", "medium", "heavy"],
    "blocks": True,
}


def profile(**overrides: Any) -> Profile:
    data: dict[str, Any] = {
        "age": 35,
        "goal": "learn",
        "training_history": "novice",
        "body_mass_kg": 80,
        "equipment": {},
        "days_available": ["monday", "wednesday", "friday"],
    }
    data.update(overrides)
    return Profile.model_validate(data)


def answers(**overrides: Any) -> ScreenAnswers:
    data: dict[str, Any] = {
        **NO_RED_FLAGS,
        "current_pain": 0,
        "wall_touch_pass": True,
        "dowel_hinge_pass": True,
        "aslr_score": 2,
        "toe_touch_clean": True,
        "single_leg_stance_s": 40,
        "unloaded_hinge_pain": 0,
    }
    data.update(overrides)
    return ScreenAnswers.model_validate(data)


def work(
    reps: int | None = 12,
    *,
    load: float | None = None,
    rpe: float | None = None,
    pain: int = 0,
    form: str = "clean",
    faults: Sequence[str] = (),
    quality: Sequence[str] = (),
    seconds: float | None = None,
    band: str | None = None,
    warm_up: bool = False,
) -> SetLog:
    return SetLog.model_validate(
        {
            "reps": None if seconds is not None else reps,
            "seconds": seconds,
            "load_kg": load,
            "band": band,
            "rpe": rpe,
            "pain": pain,
            "form": form,
            "faults": list(faults),
            "pain_quality": list(quality),
            "work_set": not warm_up,
        }
    )


def sets_of(n: int, reps: int = 12, **kwargs: Any) -> list[SetLog]:
    return [work(reps, **kwargs) for _ in range(n)]


def session(
    day: int,
    exercise_id: str,
    sets: Iterable[SetLog],
    *,
    prescription: Prescription | None = None,
    morning: int | None = None,
    fatigue: bool = False,
) -> Session:
    return Session(
        date=DAY0 + dt.timedelta(days=day),
        exercise_id=exercise_id,
        sets=tuple(sets),
        prescription=prescription,
        next_morning_pain=morning,
        fatigue_flag=fatigue,
    )


def history(*sessions: Session) -> History:
    return History(sessions=tuple(sessions))


def run_of(
    exercise_id: str,
    count: int,
    *,
    first_day: int = 0,
    gap_days: int = 2,
    sets: int = 3,
    reps: int = 12,
    **kwargs: Any,
) -> list[Session]:
    """``count`` sessions of the same sets on one exercise, two days apart."""
    return [
        session(first_day + i * gap_days, exercise_id, sets_of(sets, reps, **kwargs))
        for i in range(count)
    ]


def follow(
    who: Profile,
    catalogue: Catalogue,
    past: History,
    logged: Callable[[Prescription], Sequence[SetLog]],
    *,
    start: Any = None,
    morning: int | None = None,
    fatigue: bool = False,
) -> tuple[History, Decision, Prescription]:
    """Prescribe, then log a session that followed the prescription, two days later."""
    decision, rx = prescribe(who, past, catalogue, placement_or_current_exercise=start)
    assert rx is not None, decision
    day = (past.sessions[-1].date - DAY0).days + 2 if past.sessions else 0
    done = session(
        day, rx.exercise_id, logged(rx), prescription=rx, morning=morning, fatigue=fatigue
    )
    return History(sessions=(*past.sessions, done)), decision, rx


def to_target(rx: Prescription, **kwargs: Any) -> list[SetLog]:
    """Every set done at the prescription's target, clean."""
    if rx.seconds is not None:
        return [work(seconds=rx.seconds, **kwargs) for _ in range(rx.sets)]
    assert rx.reps is not None
    return [work(rx.reps.target, load=rx.load_kg, band=rx.band, **kwargs) for _ in range(rx.sets)]


def to_top(rx: Prescription, **kwargs: Any) -> list[SetLog]:
    """Every set at the top of the range, clean."""
    assert rx.reps is not None
    return [work(rx.reps.max, load=rx.load_kg, band=rx.band, **kwargs) for _ in range(rx.sets)]
