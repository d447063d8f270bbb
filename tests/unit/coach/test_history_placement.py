"""An imported history places the person where their lifts say (R-ASSESS-3, R-PROG-5/6).

The issue's case: two years of deadlifting 3 x 5 in Strong, up to 140 kg, with RDLs, squats
and bench on the same days. The screen alone (a failed wall touch) would start on hero
squats; the history starts on the conventional deadlift, loaded from the e1RM of the recent
work sets, and says where the load came from. A red flag still stops everything first.
"""

from __future__ import annotations

import datetime as dt

import pytest

from hingecoach.coach import History, place, prescribe
from hingecoach.coach.history_placement import history_start, imported_source
from hingecoach.importers import builtin_names, plan_import, read_rows
from hingecoach.knowledge import Catalogue, load_catalogue
from tests.unit.coach.builders import HOME_GYM, answers, profile

LAST_DAY = dt.date(2025, 11, 2)
HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE"
)


def _two_years_of_strong() -> str:
    """Twice a week for two years: deadlift 3 x 5 from 80 to 140 kg, then accessories."""
    lines = [HEADER]
    days = [LAST_DAY - dt.timedelta(days=3 * i + (i // 2)) for i in range(208)][::-1]
    for n, day in enumerate(days):
        when = f"{day} 18:00:00"
        deadlift = min(140.0, 80 + 2.5 * (n // 3))
        lines.append(f"{when},Lower,1h,Deadlift (Barbell),W,60,5,0,0,,,")
        lines += [
            f"{when},Lower,1h,Deadlift (Barbell),{k},{deadlift:g},5,0,0,,," for k in (1, 2, 3)
        ]
        lines += [f"{when},Lower,1h,Romanian Deadlift (Barbell),{k},70,8,0,0,,," for k in (1, 2)]
        lines += [f"{when},Lower,1h,Squat (Barbell),{k},100,5,0,0,,," for k in (1, 2, 3)]
        lines.append(f"{when},Lower,1h,Bench Press (Barbell),1,70,8,0,0,,,")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def imported(catalogue: Catalogue) -> History:
    fmt, rows = read_rows(_two_years_of_strong(), None)
    plan = plan_import(fmt, rows, builtin_names(catalogue), catalogue, today=LAST_DAY)
    return History(sessions=tuple(s.session for s in plan.sessions))


def test_a_two_year_strong_history_places_on_the_deadlift_not_hero_squats(
    catalogue: Catalogue, imported: History
) -> None:
    person = profile(goal="strength", training_history="novice", equipment=HOME_GYM)
    screen = answers(wall_touch_pass=False)
    placement = place(person, screen, catalogue)
    assert placement.exercise_id == "hero-squat"  # the screen alone would start here

    decision, rx = prescribe(
        person, imported, catalogue, placement_or_current_exercise=placement, screen_answers=screen
    )
    assert rx is not None
    assert rx.exercise_id == "conventional-deadlift"
    assert "from your Strong history: 140 kg x 5 on 2 Nov" in decision.reason
    # e1RM of 140 x 5 (formulas, no RPE logged) is about 162 kg; the load is a real plate
    # load for the dose's reps at its target RPE, well above a beginner's first session.
    assert rx.load_kg is not None and 110 <= rx.load_kg <= 140
    load_change = next(c for c in rx.changes if c.what == "load")
    assert "from your Strong history" in load_change.reason
    assert "R-PROG-6" in load_change.rule


def test_a_red_flag_still_comes_first(catalogue: Catalogue, imported: History) -> None:
    person = profile(goal="strength", equipment=HOME_GYM)
    screen = answers(saddle_numbness=True)
    decision, rx = prescribe(
        person, imported, catalogue, placement_or_current_exercise=None, screen_answers=screen
    )
    assert rx is None and decision.action.value == "emergency"


def test_only_an_imported_history_places(catalogue: Catalogue, imported: History) -> None:
    start = history_start(imported, catalogue)
    assert start is not None and start.exercise_id == "conventional-deadlift"
    assert start.source == "Strong" and start.on == LAST_DAY
    own = History(sessions=tuple(s.model_copy(update={"notes": ""}) for s in imported.sessions))
    assert imported_source(own.sessions[-1]) is None
    assert history_start(own, catalogue) is None
