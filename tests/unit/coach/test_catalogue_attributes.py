"""Single-leg placement and power work follow the catalogue's attributes, not the ids.

``single_leg: free`` (R-ASSESS-3: 30 s of single-leg stance first) and ``power: true``
(R-RX-3: power dosing, and power rungs first for a power goal) are read from the catalogue,
so a coach's own rung with any id behaves the same, and a rung whose id says "single-leg"
but is not marked so is not treated as one.
"""

from __future__ import annotations

from typing import Any

from hingecoach.coach import Action, place
from hingecoach.coach.dose import base_dose
from hingecoach.coach.ladder import is_free_single_leg, progression_choices
from hingecoach.coach.models import Goal
from hingecoach.knowledge import Catalogue, Exercise, SingleLeg

from .builders import HOME_GYM, answers, history, profile, run_of
from .test_prescribe import next_session


def _with(catalogue: Catalogue, ex_id: str, **fields: Any) -> Catalogue:
    changed = catalogue.exercises[ex_id].model_copy(update=fields)
    return catalogue.model_copy(update={"exercises": {**catalogue.exercises, ex_id: changed}})


def _renamed(ex: Exercise, new_id: str, **fields: Any) -> Exercise:
    return ex.model_copy(update={"id": new_id, **fields})


def _video(stance: float) -> Any:
    return answers(
        aslr_score=3, technique_video_exercise_id="single-leg-rdl", single_leg_stance_s=stance
    )


ADVANCED = {"equipment": HOME_GYM, "training_history": "advanced"}


def test_r_assess_3_free_single_leg_is_the_attribute(catalogue: Catalogue) -> None:
    rdl = catalogue.exercises["romanian-deadlift"]
    assert is_free_single_leg(catalogue.exercises["single-leg-rdl"])
    assert not is_free_single_leg(catalogue.exercises["supported-single-leg-rdl"])
    assert not is_free_single_leg(rdl)
    # any id: a coach's own rung marked free is single-leg work; an unmarked one is not
    assert is_free_single_leg(_renamed(rdl, "b-stance-hinge", single_leg=SingleLeg.FREE))
    assert not is_free_single_leg(
        _renamed(catalogue.exercises["single-leg-rdl"], "single-leg-rdl", single_leg=None)
    )


def test_r_assess_3_short_stance_places_on_the_supported_rung(catalogue: Catalogue) -> None:
    placed = place(profile(**ADVANCED), _video(20), catalogue)
    assert placed.exercise_id == "supported-single-leg-rdl"
    assert "single-leg-stance" in {line.screen for line in placed.reasons}


def test_r_assess_3_unmarked_single_leg_id_needs_no_stance(catalogue: Catalogue) -> None:
    """The id still says "single-leg", but the catalogue no longer marks it: no stance check."""
    unmarked = _with(catalogue, "single-leg-rdl", single_leg=None)
    placed = place(profile(**ADVANCED), _video(20), unmarked)
    assert placed.exercise_id == "single-leg-rdl"
    assert "single-leg-stance" not in {line.screen for line in placed.reasons}


def test_r_assess_3_the_supported_rung_is_found_by_its_attribute(catalogue: Catalogue) -> None:
    """A short stance goes to the regression marked ``single_leg: supported``, wherever it is
    listed; with none marked, to the ladder's first regression."""
    both = _with(
        catalogue,
        "single-leg-rdl",
        regresses_to=["romanian-deadlift", "supported-single-leg-rdl"],
    )
    placed = place(profile(**ADVANCED), _video(20), both)
    assert placed.exercise_id == "supported-single-leg-rdl"
    unmarked = _with(both, "supported-single-leg-rdl", single_leg=None)
    placed = place(profile(**ADVANCED), _video(20), unmarked)
    assert placed.exercise_id == "romanian-deadlift"


def test_r_rx_3_power_dosing_follows_the_attribute(catalogue: Catalogue) -> None:
    power = profile(goal="power", equipment=HOME_GYM)
    swing = catalogue.exercises["kettlebell-swing"]
    rdl = catalogue.exercises["romanian-deadlift"]
    assert (
        base_dose(power, swing).why == base_dose(power, _renamed(rdl, "rdl-jump", power=True)).why
    )
    powered = base_dose(power, swing)
    assert powered.rule == "R-RX-3"
    unmarked = base_dose(power, swing.model_copy(update={"power": False}))
    assert unmarked.why != powered.why
    assert base_dose(power, rdl.model_copy(update={"power": True})).why == powered.why


def test_r_rx_3_power_rungs_rank_first_for_a_power_goal(catalogue: Catalogue) -> None:
    kbdl = catalogue.exercises["kettlebell-deadlift"]
    ranked = [
        e.id
        for e in progression_choices(
            catalogue, kbdl, Goal.POWER, profile(equipment=HOME_GYM).equipment
        )
    ]
    assert ranked[0] == "banded-pull-through"
    flipped = _with(
        _with(catalogue, "banded-pull-through", power=False), "trap-bar-deadlift", power=True
    )
    ranked = [
        e.id
        for e in progression_choices(
            flipped, kbdl, Goal.POWER, profile(equipment=HOME_GYM).equipment
        )
    ]
    assert ranked[0] == "trap-bar-deadlift"
    strength = [
        e.id
        for e in progression_choices(
            flipped, kbdl, Goal.STRENGTH, profile(equipment=HOME_GYM).equipment
        )
    ]
    assert strength[-1] == "trap-bar-deadlift"


def test_r_prog_1_a_power_goal_graduates_to_whatever_rung_is_marked_power(
    catalogue: Catalogue,
) -> None:
    who = profile(goal="power", equipment=HOME_GYM, body_mass_kg=60)
    flipped = _with(
        _with(catalogue, "banded-pull-through", power=False), "trap-bar-deadlift", power=True
    )
    decision, rx = next_session(
        who, history(*run_of("kettlebell-deadlift", 2, load=16, rpe=7)), flipped
    )
    assert decision.action is Action.PROGRESS
    assert rx is not None and rx.exercise_id == "trap-bar-deadlift"
