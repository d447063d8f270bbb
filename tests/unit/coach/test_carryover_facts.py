"""R-PROG-4: a new rung's first load is a fact (carried by ratio with or without RPE, or the
lightest owned load); the "find your load" note follows the fact, not the words."""

from __future__ import annotations

import pytest

from hingecoach.coach.explain import carryover_why
from hingecoach.coach.load_progression import carryover_load
from hingecoach.coach.models import SetLog
from hingecoach.knowledge import Catalogue

from .builders import HOME_GYM, history, profile, session, work
from .test_prescribe import next_session


@pytest.mark.parametrize(
    ("past", "source", "find_note"),
    [
        pytest.param([], "lightest", True, id="nothing to carry: lightest owned, find it"),
        pytest.param([work(8, load=24)] * 3, "last-load", False, id="no RPE: last load x ratio"),
        pytest.param(
            [work(8, load=24, rpe=8)] * 3, "rpe", False, id="rated: e1RM x ratio at RPE 6-7"
        ),
    ],
)
def test_r_prog_4_first_session_on_a_rung_with_a_carry_over_ratio(
    catalogue: Catalogue, past: list[SetLog], source: str, find_note: bool
) -> None:
    who = profile(equipment=HOME_GYM)
    sessions = [session(0, "kettlebell-deadlift", past)] if past else []
    carry = carryover_load(
        catalogue.exercises["romanian-deadlift"], who, history(*sessions), catalogue, reps=8
    )
    assert carry.source == source
    assert (carry.from_id is None) is (source == "lightest")
    why = carryover_why(carry, who.unit)
    assert why is not None and why[1] == "R-PROG-4"
    assert ("lightest" in why[0]) is (source == "lightest")
    if source == "last-load":
        assert carry.last_kg == 24 and "24 kg" in why[0]
    _, rx = next_session(
        who, history(*sessions), catalogue, placement_or_current_exercise="romanian-deadlift"
    )
    assert rx is not None and rx.exercise_id == "romanian-deadlift"
    assert rx.load_kg == carry.load_kg
    assert any("Find your load" in n for n in rx.notes) is find_note


def test_r_prog_4_nothing_is_carried_to_a_bodyweight_rung(catalogue: Catalogue) -> None:
    carry = carryover_load(
        catalogue.exercises["romanian-deadlift"], profile(), history(), catalogue, reps=8
    )
    assert carry.load_kg is None and carry.source is None
    assert carryover_why(carry, "kg") is None
