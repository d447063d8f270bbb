"""Placement on the ladder from the screens (R-ASSESS-3) with its reasons (R-ASSESS-4)."""

from __future__ import annotations

from typing import Any

import pytest

from hingecoach.coach import Action, place
from hingecoach.knowledge import Catalogue

from .builders import HOME_GYM, KETTLEBELLS_12_16_20, answers, profile


@pytest.mark.parametrize(
    ("screens", "who", "start", "deciding"),
    [
        pytest.param(
            {"wall_touch_pass": False, "dowel_hinge_pass": False},
            {},
            "hero-squat",
            {"wall-touch"},
            id="fails the wall touch -> hero squat (R-ASSESS-3)",
        ),
        pytest.param(
            {"dowel_hinge_pass": False},
            {},
            "wall-hip-hinge",
            {"dowel-hinge", "wall-touch"},
            id="passes the wall touch, fails the dowel -> wall hip hinge (R-ASSESS-3)",
        ),
        pytest.param(
            {"aslr_score": 1},
            {},
            "wall-hip-hinge",
            {"aslr", "wall-touch"},
            id="ASLR 1 -> wall hip hinge (R-ASSESS-3)",
        ),
        pytest.param(
            {"unloaded_hinge_pain": 4},
            {},
            "wall-hip-hinge",
            {"unloaded-hinge-pain", "wall-touch"},
            id="pain 4 in unloaded hinges -> wall hip hinge (R-ASSESS-3)",
        ),
        pytest.param(
            {},
            {},
            "dowel-hip-hinge",
            {"dowel-hinge", "aslr"},
            id="passes the dowel, ASLR 2 -> hinge practice on the dowel (R-ASSESS-3)",
        ),
        pytest.param(
            {"aslr_score": 3, "toe_touch_clean": True},
            {},
            "dowel-hip-hinge",
            {"dowel-hinge", "equipment"},
            id="ASLR 3 and clean toe touch but no kettlebell -> dowel (R-ASSESS-3)",
        ),
        pytest.param(
            {"aslr_score": 3, "toe_touch_clean": True},
            {"equipment": KETTLEBELLS_12_16_20},
            "elevated-kettlebell-deadlift",
            {"dowel-hinge", "aslr"},
            id="ASLR 3, clean toe touch, owns a kettlebell -> elevated KB lift (R-ASSESS-3)",
        ),
        pytest.param(
            {"aslr_score": 3, "technique_video_exercise_id": "romanian-deadlift"},
            {"equipment": HOME_GYM, "training_history": "intermediate"},
            "romanian-deadlift",
            {"dowel-hinge", "technique-video"},
            id="intermediate with a clean RDL video -> starts at the RDL (R-ASSESS-3)",
        ),
        pytest.param(
            {"aslr_score": 3, "technique_video_exercise_id": "trap-bar-deadlift"},
            {"equipment": KETTLEBELLS_12_16_20, "training_history": "advanced"},
            "kettlebell-deadlift",
            {"technique-video", "equipment"},
            id="trap-bar video but no trap bar -> the rung below it (R-ASSESS-3, R-RX-6)",
        ),
        pytest.param(
            {"aslr_score": 3, "technique_video_exercise_id": "romanian-deadlift"},
            {"equipment": HOME_GYM, "training_history": "novice"},
            "elevated-kettlebell-deadlift",
            {"technique-video", "aslr"},
            id="a novice's video does not skip the pattern rungs (R-ASSESS-3)",
        ),
        pytest.param(
            {
                "aslr_score": 3,
                "technique_video_exercise_id": "single-leg-rdl",
                "single_leg_stance_s": 20,
            },
            {"equipment": HOME_GYM, "training_history": "advanced"},
            "supported-single-leg-rdl",
            {"technique-video", "single-leg-stance"},
            id="single-leg video with 20 s stance -> supported variant (R-ASSESS-3)",
        ),
        pytest.param(
            {
                "aslr_score": 3,
                "technique_video_exercise_id": "single-leg-rdl",
                "single_leg_stance_s": 35,
            },
            {"equipment": HOME_GYM, "training_history": "advanced"},
            "single-leg-rdl",
            {"technique-video", "single-leg-stance"},
            id="single-leg video with 35 s stance -> free single-leg RDL (R-ASSESS-3)",
        ),
        pytest.param(
            {"dowel_hinge_pass": False, "technique_video_exercise_id": "dowel-hip-hinge"},
            {},
            "dowel-hip-hinge",
            {"dowel-hinge"},
            id="a clean dowel-hinge video counts as the dowel screen (R-ASSESS-2)",
        ),
    ],
)
def test_r_assess_3_placement(
    catalogue: Catalogue,
    screens: dict[str, Any],
    who: dict[str, Any],
    start: str,
    deciding: set[str],
) -> None:
    got = place(profile(**who), answers(**screens), catalogue)
    assert got.exercise_id == start
    assert got.exercise_name == catalogue.exercises[start].name
    # R-ASSESS-4: one reason line per deciding screen, each with its rule ids
    screens_named = {line.screen for line in got.reasons}
    assert deciding <= screens_named
    assert all(line.rules and line.text for line in got.reasons)
    assert len(screens_named) == len(got.reasons)


@pytest.mark.parametrize(
    "screens",
    [
        pytest.param({"aslr_score": 0}, id="ASLR 0 -> refer, no hinging (R-ASSESS-3)"),
        pytest.param(
            {"unloaded_hinge_pain": 6}, id="pain 6 in unloaded hinges -> refer (R-ASSESS-3)"
        ),
    ],
)
def test_r_assess_3_refer(catalogue: Catalogue, screens: dict[str, Any]) -> None:
    got = place(profile(), answers(**screens), catalogue)
    assert got.blocked and got.exercise_id is None
    assert got.safety is not None and got.safety.action is Action.REFER
    assert "R-ASSESS-3" in got.safety.rules


@pytest.mark.parametrize(
    ("flags", "action"),
    [
        pytest.param(
            {"saddle_numbness": True},
            Action.EMERGENCY,
            id="emergency beats a clean video (R-SAFE-1)",
        ),
        pytest.param(
            {"thoracic_pain": True}, Action.REFER, id="referral beats a clean video (R-SAFE-2)"
        ),
        pytest.param(
            {"pain_quality": ["shooting"]},
            Action.STOP,
            id="shooting pain stops placement (R-SAFE-4)",
        ),
    ],
)
def test_r_assess_3_safety_outcomes_come_first(
    catalogue: Catalogue, flags: dict[str, Any], action: Action
) -> None:
    screens = {"aslr_score": 3, "technique_video_exercise_id": "trap-bar-deadlift", **flags}
    got = place(
        profile(equipment=HOME_GYM, training_history="advanced"), answers(**screens), catalogue
    )
    assert got.blocked
    assert got.safety is not None and got.safety.action is action


def test_r_assess_3_mobility_limited_loaded_start_gets_an_elevated_start(
    catalogue: Catalogue,
) -> None:
    screens = {"aslr_score": 2, "technique_video_exercise_id": "trap-bar-deadlift"}
    got = place(
        profile(equipment=HOME_GYM, training_history="intermediate"), answers(**screens), catalogue
    )
    assert got.exercise_id == "trap-bar-deadlift"
    assert [m.id for m in got.modifiers] == ["elevated-start"]
    assert got.modifiers[0].step == catalogue.modifiers["elevated-start"].steps[0]
    assert got.modifiers[0].rule == "R-REG-5"


def test_r_assess_3_never_above_what_the_video_showed(catalogue: Catalogue) -> None:
    screens = {"aslr_score": 3, "technique_video_exercise_id": "kettlebell-deadlift"}
    got = place(
        profile(equipment=HOME_GYM, training_history="advanced"), answers(**screens), catalogue
    )
    assert got.exercise_id == "kettlebell-deadlift"


def test_r_assess_4_unknown_video_exercise_is_an_input_error(catalogue: Catalogue) -> None:
    from hingecoach.errors import UnknownIdError

    screens = {"aslr_score": 3, "technique_video_exercise_id": "romanian-deadlfit"}
    with pytest.raises(UnknownIdError, match="romanian-deadlift"):
        place(profile(training_history="advanced"), answers(**screens), catalogue)
