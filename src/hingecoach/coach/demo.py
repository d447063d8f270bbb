"""A deterministic demo trainee: a profile, screen answers and weeks of plausible history.

Used by ``make run`` and by the benchmarks. Everything comes from a seeded
``random.Random``, so the same arguments always give the same data. The trainee climbs the
ladder from the hero squat to the trap-bar deadlift three days a week, with a push-up
superset on two of them, the odd minor fault, a little pain now and then, and warm-up sets
before each hinge session. ``demo_history(weeks=104)`` gives over 300 hinge sessions and
over 3000 sets.
"""

from __future__ import annotations

import datetime as dt
import random

from hingecoach.coach.loads import available_loads, round_down
from hingecoach.coach.models import (
    Experience,
    FormRating,
    Goal,
    History,
    OwnedEquipment,
    Profile,
    ScreenAnswers,
    Session,
    SetLog,
    Weekday,
)
from hingecoach.knowledge import LoadMode

__all__ = ["DEMO_START", "demo_history", "demo_profile", "demo_screen_answers"]

DEMO_START = dt.date(2024, 1, 1)  # a Monday

# (exercise id, weeks on it, load mode or None, first load in kg); then the last rung stays.
_PATH: tuple[tuple[str, int, LoadMode | None, float], ...] = (
    ("hero-squat", 1, None, 0),
    ("wall-hip-hinge", 1, None, 0),
    ("bodyweight-hip-hinge", 1, None, 0),
    ("dowel-hip-hinge", 2, None, 0),
    ("hinge-to-squat", 1, None, 0),
    ("banded-hip-hinge", 2, LoadMode.BAND, 0),
    ("weighted-hip-hinge", 3, LoadMode.KETTLEBELL, 8),
    ("elevated-kettlebell-deadlift", 4, LoadMode.KETTLEBELL, 12),
    ("kettlebell-deadlift", 8, LoadMode.KETTLEBELL, 16),
    ("trap-bar-deadlift", 0, LoadMode.TRAP_BAR, 45),
)
_DAYS = (0, 2, 4)  # Monday, Wednesday, Friday
_PUSH_DAYS = (0, 4)
_MINOR_FAULTS = ("back-rounding", "weight-on-toes", "head-misaligned", "rushed-tempo")


def demo_profile() -> Profile:
    """A 38-year-old training for strength at home; two years in, now intermediate."""
    return Profile(
        name="Demo Trainee",
        age=38,
        goal=Goal.STRENGTH,
        training_history=Experience.INTERMEDIATE,
        body_mass_kg=78.0,
        equipment=OwnedEquipment(
            kettlebells_kg=[8, 12, 16, 16, 20, 24],
            dumbbells_kg=[5, 5, 10, 10],
            trap_bar_kg=25,
            plates_kg=[20, 20, 10, 5, 2.5, 1.25],
            bands=["light", "medium", "heavy"],
            blocks=True,
        ),
        days_available=[Weekday.MONDAY, Weekday.WEDNESDAY, Weekday.FRIDAY],
        baseline_pain=1,
    )


def demo_screen_answers() -> ScreenAnswers:
    """No red flags; fails the wall touch, so the ladder starts at the hero squat."""
    return ScreenAnswers(
        saddle_numbness=False,
        new_bladder_problems=False,
        new_bowel_problems=False,
        symptoms_in_both_legs=False,
        worsening_leg_weakness=False,
        new_sexual_dysfunction_with_back_or_leg_pain=False,
        major_trauma=False,
        minor_trauma=False,
        osteoporosis=False,
        history_of_cancer=False,
        unexplained_weight_loss=False,
        fever_or_chills=False,
        immunosuppression_or_steroids=False,
        new_back_pain=False,
        pain_worse_lying_down_or_at_night=False,
        thoracic_pain=False,
        current_pain=1,
        wall_touch_pass=False,
        dowel_hinge_pass=False,
        aslr_score=2,
        toe_touch_clean=False,
        single_leg_stance_s=25,
        unloaded_hinge_pain=1,
    )


def _rung_for_week(week: int) -> tuple[str, LoadMode | None, float, int]:
    """(exercise id, load mode, first load, weeks already on this rung)."""
    start = 0
    for ex_id, weeks, mode, first in _PATH:
        if weeks == 0 or week < start + weeks:
            return ex_id, mode, first, week - start
        start += weeks
    raise AssertionError("unreachable: the last rung has no end")


def _hinge_session(rng: random.Random, day: dt.date, week: int, profile: Profile) -> Session:
    ex_id, mode, first, weeks_on = _rung_for_week(week)
    equipment = profile.equipment
    loads = available_loads(equipment, mode) if mode is not None else ()
    load: float | None = None
    band: str | None = None
    if loads:
        wanted = first * (1 + 0.03 * weeks_on)
        load = round_down(wanted, loads) or loads[0]
    elif mode is LoadMode.BAND:
        band = equipment.bands[min(weeks_on, len(equipment.bands) - 1)]
    strength_block = mode is LoadMode.TRAP_BAR
    top = 6 if strength_block else 12
    sets: list[SetLog] = []
    for ramp in (0.4, 0.6, 0.8):
        sets.append(
            SetLog(
                reps=5 if strength_block else 8,
                load_kg=round_down(load * ramp, loads) if load is not None else None,
                band=band,
                work_set=False,
            )
        )
    for _ in range(4 if strength_block else 3 + rng.randint(0, 1)):
        reps = max(1, top - rng.choice((0, 0, 0, 1, 2)))
        fault = rng.random() < 0.08
        pain = rng.choice((0, 0, 0, 0, 1, 1, 2)) if rng.random() < 0.97 else 3
        sets.append(
            SetLog(
                reps=reps,
                load_kg=load,
                band=band,
                rpe=rng.choice((6.5, 7, 7.5, 8, 8, 8.5)),
                form=FormRating.MINOR if fault else FormRating.CLEAN,
                faults=(rng.choice(_MINOR_FAULTS),) if fault else (),
                pain=pain,
            )
        )
    return Session(
        date=day,
        exercise_id=ex_id,
        sets=tuple(sets),
        next_morning_pain=rng.choice((None, 0, 1, 1, 2)),
        fatigue_flag=rng.random() < 0.03,
        notes="",
    )


def _push_session(rng: random.Random, day: dt.date) -> Session:
    sets = [SetLog(reps=8, work_set=False)]
    sets += [SetLog(reps=rng.randint(8, 15), rpe=rng.choice((7, 7.5, 8))) for _ in range(4)]
    return Session(date=day, exercise_id="push-up", sets=tuple(sets))


def demo_history(weeks: int = 8, seed: int = 7) -> History:
    """``weeks`` of training for :func:`demo_profile`, oldest first (deterministic)."""
    rng = random.Random(seed)
    profile = demo_profile()
    sessions: list[Session] = []
    for week in range(weeks):
        for weekday in _DAYS:
            day = DEMO_START + dt.timedelta(weeks=week, days=weekday)
            sessions.append(_hinge_session(rng, day, week, profile))
            if weekday in _PUSH_DAYS:
                sessions.append(_push_session(rng, day))
    return History(sessions=tuple(sessions))
