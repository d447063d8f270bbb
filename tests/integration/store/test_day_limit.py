"""How many sessions one trainee's day takes (``HINGECOACH_SESSIONS_MAX_PER_DAY``): every
way a session comes in is refused past it with what to do, and nothing is written; another
day, another trainee and the later sets of a live session (which replace) still go in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from hingecoach.coach import demo_screen_answers
from hingecoach.coach.models import Session, SetLog
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue, load_catalogue
from hingecoach.services.coaching import assess_trainee, log_session, today_for
from hingecoach.services.day_limit import ENV_SESSIONS_MAX_PER_DAY
from hingecoach.services.live import log_live_set
from hingecoach.services.trainees import add_trainee
from tests.integration.store.group_commit_kit import PROFILE, TODAY, stored

pytestmark = pytest.mark.usefixtures("three_a_day")


@pytest.fixture
def three_a_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_SESSIONS_MAX_PER_DAY, "3")


@pytest.fixture
def catalogue() -> Catalogue:
    return load_catalogue(None)


def _trainee(engine: Engine, catalogue: Catalogue, name: str = "Ana") -> None:
    add_trainee(engine, name, PROFILE)
    assess_trainee(engine, name, demo_screen_answers(), catalogue, TODAY - dt.timedelta(days=7))


def _session(day: dt.date) -> Session:
    return Session.model_validate(
        {"date": day, "exercise_id": "kettlebell-deadlift", "sets": [{"reps": 8, "load_kg": 12}]}
    )


def test_a_day_full_of_logs_refuses_one_more_and_writes_nothing(
    engine: Engine, catalogue: Catalogue
) -> None:
    _trainee(engine, catalogue)
    _trainee(engine, catalogue, "Bo")
    for _ in range(3):
        log_session(engine, "Ana", _session(TODAY), catalogue, TODAY)
    with pytest.raises(InputError) as refused:
        log_session(engine, "Ana", _session(TODAY), catalogue, TODAY)
    assert str(refused.value) == (
        "Ana already has 3 sessions logged on 20 Oct 2026, and a day takes at most 3: "
        "correct or delete one of them instead of logging another"
    )
    assert stored(engine, "Ana") == 3
    log_session(engine, "Ana", _session(TODAY - dt.timedelta(days=2)), catalogue, TODAY)
    log_session(engine, "Bo", _session(TODAY), catalogue, TODAY)
    assert (stored(engine, "Ana"), stored(engine, "Bo")) == (4, 1)


def test_a_live_set_starts_no_session_on_a_full_day_but_a_started_one_goes_on(
    engine: Engine, catalogue: Catalogue
) -> None:
    _trainee(engine, catalogue)
    rx = today_for(engine, "Ana", catalogue).prescription
    assert rx is not None
    one = SetLog(reps=8, load_kg=rx.load_kg)
    first = log_live_set(engine, "Ana", rx, [], one, catalogue, TODAY)
    for _ in range(2):
        log_session(engine, "Ana", _session(TODAY), catalogue, TODAY)
    # the live session's second set replaces it with both sets: the day stays at 3
    log_live_set(engine, "Ana", rx, [one], one, catalogue, TODAY, session_id=first.session_id)
    assert stored(engine, "Ana") == 3
    with pytest.raises(InputError, match="a day takes at most 3"):
        log_live_set(engine, "Ana", rx, [], one, catalogue, TODAY)
    assert stored(engine, "Ana") == 3
