"""Inputs: plain dicts in, clear field-named errors out (R-ASSESS-1, R-ASSESS-2, R-TRACK-1)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from hingecoach.coach import History, Prescription, Profile, ScreenAnswers, Session, SetLog

from .builders import NO_RED_FLAGS, answers, profile, session, work


def _error_locs(exc: ValidationError) -> set[str]:
    return {".".join(str(p) for p in err["loc"]) for err in exc.errors()}


def test_r_assess_1_profile_from_a_plain_dict() -> None:
    who = Profile.model_validate(
        {
            "age": 41,
            "goal": "pain-free",
            "training_history": "novice",
            "body_mass_kg": 72.5,
            "equipment": {"kettlebells_kg": [16, 8, 12], "plates_kg": [10, 5], "bands": ["light"]},
            "days_available": ["tuesday", "friday"],
            "preferred_dose": "seconds",
            "baseline_pain": 2,
        }
    )
    assert who.schema_version == 1
    assert who.equipment.kettlebells_kg == [8, 12, 16]
    assert who.name is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"age": 5}, "age", id="age below 10 is refused (R-ASSESS-1)"),
        pytest.param({"goal": "bulk"}, "goal", id="an unknown goal names the field (R-ASSESS-1)"),
        pytest.param({"body_mass_kg": -3}, "body_mass_kg", id="negative body mass (R-ASSESS-1)"),
        pytest.param({"baseline_pain": 11}, "baseline_pain", id="pain above 10 (R-SAFE-3)"),
        pytest.param({"days_available": ["monday", "monday"]}, "days_available", id="a day twice"),
        pytest.param({"favourite_colour": "red"}, "favourite_colour", id="unknown fields"),
        pytest.param(
            {"equipment": {"kettlebells_kg": [-4]}}, "equipment.kettlebells_kg.0", id="-4 kg bell"
        ),
    ],
)
def test_r_assess_1_bad_profiles_name_the_field(change: dict[str, Any], field: str) -> None:
    data: dict[str, Any] = {
        "age": 30,
        "goal": "strength",
        "training_history": "novice",
        "body_mass_kg": 70,
    }
    data.update(change)
    with pytest.raises(ValidationError) as info:
        Profile.model_validate(data)
    assert field in _error_locs(info.value)


def test_r_assess_1_every_red_flag_must_be_answered() -> None:
    data: dict[str, Any] = {**NO_RED_FLAGS}
    del data["saddle_numbness"]
    data.update(
        current_pain=0,
        wall_touch_pass=True,
        dowel_hinge_pass=True,
        aslr_score=3,
        toe_touch_clean=True,
        unloaded_hinge_pain=0,
    )
    with pytest.raises(ValidationError) as info:
        ScreenAnswers.model_validate(data)
    assert "saddle_numbness" in _error_locs(info.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"aslr_score": 4}, "aslr_score", id="ASLR is scored 0-3 (R-ASSESS-2)"),
        pytest.param({"current_pain": 12}, "current_pain", id="pain is 0-10 (R-SAFE-3)"),
        pytest.param({"pain_quality": ["itchy"]}, "pain_quality.0", id="unknown pain quality"),
        pytest.param({"single_leg_stance_s": -1}, "single_leg_stance_s", id="negative stance"),
    ],
)
def test_r_assess_2_screen_values_are_checked(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        answers(**change)
    assert field in _error_locs(info.value)


def test_r_assess_2_screens_from_a_dict_dedupe_pain_quality() -> None:
    got = answers(pain_quality=["burning", "burning"])
    assert got.pain_quality == ("burning",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"reps": -1}, "greater than or equal to 0", id="negative reps"),
        pytest.param({"reps": 5, "pain": 11}, "less than or equal to 10", id="pain above 10"),
        pytest.param({"reps": 5, "rpe": 11}, "less than or equal to 10", id="RPE above 10"),
        pytest.param({"reps": 5, "rpe": 0.5}, "greater than or equal to 1", id="RPE below 1"),
        pytest.param({}, "either reps or seconds", id="neither reps nor seconds"),
        pytest.param({"reps": 5, "seconds": 60}, "either reps or seconds", id="both"),
        pytest.param(
            {"reps": 5, "faults": ["back-rounding"]}, "form is 'clean'", id="clean with faults"
        ),
        pytest.param({"reps": 5, "rpe": 9, "rir": 4}, "disagree", id="RPE and RIR disagree"),
    ],
)
def test_r_track_1_set_logs_refuse_nonsense(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SetLog.model_validate(data)


def test_r_rx_5_reps_in_reserve_become_rpe_and_low_ratings_are_not_usable() -> None:
    assert SetLog(reps=5, rir=2).effort_rpe == 8
    assert SetLog(reps=5, rir=2).usable_rpe == 8
    assert SetLog(reps=5, rpe=5.5).usable_rpe is None  # more than 4 RIR (R-RX-5)
    assert SetLog(reps=5, rir=5).usable_rpe is None


def test_session_with_the_prescription_it_followed_round_trips_through_json() -> None:
    from hingecoach.knowledge import Tempo

    rx = Prescription(
        exercise_id="dowel-hip-hinge",
        exercise_name="Dowel hip hinge",
        purpose="learning",
        sets=3,
        reps={"min": 8, "max": 12, "target": 12},
        tempo=Tempo(down_s=3, up_s=2),
        rest_s=60,
        rest_max_s=90,
        rpe_target=7,
        rpe_min=6,
        rpe_max=8,
    )
    one = session(0, "dowel-hip-hinge", [work(12)], prescription=rx)
    again = Session.model_validate_json(one.model_dump_json())
    assert again == one
    with pytest.raises(ValidationError, match="prescription is for"):
        Session.model_validate({**one.model_dump(), "exercise_id": "hero-squat"})


def test_history_is_sorted_by_date_and_versioned() -> None:
    late, early = session(5, "hero-squat", [work()]), session(1, "hero-squat", [work()])
    got = History(sessions=(late, early))
    assert [s.date for s in got.sessions] == [early.date, late.date]
    assert got.schema_version == 1


def test_profile_defaults_are_plain() -> None:
    who = profile()
    assert who.equipment.wall and who.equipment.dowel
    assert who.preferred_dose == "reps"
