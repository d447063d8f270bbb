"""Safety first: red flags, pain bands, pain quality and calm wording (R-SAFE-1..6)."""

from __future__ import annotations

import re

import pytest

from hingecoach.coach import Action, Decision, screen
from hingecoach.coach.safety import RED_FLAG_QUESTIONS, PainBand, pain_band

from .builders import NO_RED_FLAGS, answers, profile

# R-SAFE-6: feedback never frightens
FRIGHTENING = re.compile(
    r"\b(danger\w*|damage\w*|injur(?:y|ies|e)|harm\w*|serious|warning)\b", re.I
)


def assert_calm(decision: Decision) -> None:
    """R-SAFE-6: calm words, and every message says what to do now."""
    for text in (decision.reason, decision.do_now, decision.would_change, *decision.advice):
        assert not FRIGHTENING.search(text.replace("not a sign of injury", "")), text
    assert decision.do_now.strip()


@pytest.mark.parametrize(
    "flag",
    [
        pytest.param("saddle_numbness", id="saddle numbness -> emergency, no exercise (R-SAFE-1)"),
        pytest.param("new_bladder_problems", id="new bladder problems -> emergency (R-SAFE-1)"),
        pytest.param("new_bowel_problems", id="new bowel problems -> emergency (R-SAFE-1)"),
        pytest.param("symptoms_in_both_legs", id="symptoms in both legs -> emergency (R-SAFE-1)"),
        pytest.param("worsening_leg_weakness", id="worsening leg weakness -> emergency (R-SAFE-1)"),
        pytest.param(
            "new_sexual_dysfunction_with_back_or_leg_pain",
            id="new sexual dysfunction with back pain -> emergency (R-SAFE-1)",
        ),
    ],
)
def test_r_safe_1_emergency(flag: str) -> None:
    got = screen(answers(**{flag: True}), profile())
    assert got.action is Action.EMERGENCY
    assert got.rules == ("R-SAFE-1",)
    assert "emergency" in got.do_now.lower() and "now" in got.do_now.lower()
    assert got.evidence[0].screen == flag
    assert got.blocks_hinging
    assert_calm(got)


@pytest.mark.parametrize(
    ("flags", "age"),
    [
        pytest.param({"major_trauma": True}, 35, id="major trauma -> refer (R-SAFE-2)"),
        pytest.param(
            {"minor_trauma": True, "osteoporosis": True},
            35,
            id="minor fall + osteoporosis (R-SAFE-2)",
        ),
        pytest.param({"minor_trauma": True}, 67, id="minor fall at 67 (R-SAFE-2)"),
        pytest.param({"history_of_cancer": True}, 35, id="history of cancer (R-SAFE-2)"),
        pytest.param({"unexplained_weight_loss": True}, 35, id="weight loss (R-SAFE-2)"),
        pytest.param({"fever_or_chills": True}, 35, id="fever or chills (R-SAFE-2)"),
        pytest.param({"immunosuppression_or_steroids": True}, 35, id="steroids (R-SAFE-2)"),
        pytest.param({"new_back_pain": True}, 17, id="new back pain at 17 (R-SAFE-2)"),
        pytest.param({"new_back_pain": True}, 55, id="new back pain at 55 (R-SAFE-2)"),
        pytest.param({"pain_worse_lying_down_or_at_night": True}, 35, id="night pain (R-SAFE-2)"),
        pytest.param({"thoracic_pain": True}, 35, id="thoracic pain (R-SAFE-2)"),
    ],
)
def test_r_safe_2_see_a_clinician_first(flags: dict[str, bool], age: int) -> None:
    got = screen(answers(**flags), profile(age=age))
    assert got.action is Action.REFER
    assert got.rules == ("R-SAFE-2",)
    assert "hinge training is blocked until a clinician clears it" in got.reason
    assert_calm(got)


@pytest.mark.parametrize(
    "flags",
    [
        pytest.param({"minor_trauma": True}, id="minor fall at 35 without osteoporosis (R-SAFE-2)"),
        pytest.param({"new_back_pain": True}, id="new back pain at 35 (R-SAFE-2)"),
    ],
)
def test_r_safe_2_age_rules_do_not_refer_a_35_year_old(flags: dict[str, bool]) -> None:
    assert screen(answers(**flags), profile(age=35)).action is Action.HOLD


def test_r_safe_2_a_clinicians_clearance_is_recorded_and_lifts_the_block() -> None:
    got = screen(answers(history_of_cancer=True, clinician_cleared=True), profile())
    assert got.action is Action.HOLD
    assert any("cleared" in a for a in got.advice)


def test_r_safe_1_emergency_comes_before_everything() -> None:
    everything = {k: True for k in NO_RED_FLAGS}
    got = screen(answers(**everything, current_pain=9, pain_quality=["sharp"]), profile())
    assert got.action is Action.EMERGENCY


@pytest.mark.parametrize(
    "quality",
    ["sharp", "shooting", "below-knee", "numbness", "tingling", "weakness"],
    ids=lambda q: f"{q} pain now -> stop hinging, red flags answered (R-SAFE-4)",
)
def test_r_safe_4_pain_quality_stops_hinging(quality: str) -> None:
    got = screen(answers(current_pain=3, pain_quality=[quality]), profile())
    assert got.action is Action.STOP
    assert got.rules == ("R-SAFE-4",)
    assert "no hinging today" in got.do_now.lower()
    assert_calm(got)


def test_r_safe_4_burning_is_rated_like_any_pain_with_advice() -> None:
    got = screen(answers(current_pain=2, pain_quality=["burning"]), profile())
    assert got.action is Action.HOLD
    advice = " ".join(got.advice)
    assert "rated like any other pain" in advice
    assert "settles within a day" in advice and "see a clinician" in advice
    assert "back-extensor endurance" in advice


@pytest.mark.parametrize(
    ("pain", "band"),
    [
        pytest.param(0, PainBand.CARRY_ON, id="pain 0 -> carry on (R-SAFE-3)"),
        pytest.param(2, PainBand.CARRY_ON, id="pain 2 -> carry on (R-SAFE-3)"),
        pytest.param(3, PainBand.CAUTION, id="pain 3 -> caution (R-SAFE-3)"),
        pytest.param(5, PainBand.CAUTION, id="pain 5 -> caution (R-SAFE-3)"),
        pytest.param(6, PainBand.STOP, id="pain 6 -> stop (R-SAFE-3)"),
        pytest.param(10, PainBand.STOP, id="pain 10 -> stop (R-SAFE-3)"),
    ],
)
def test_r_safe_3_pain_bands(pain: int, band: PainBand) -> None:
    assert pain_band(pain) is band


def test_r_safe_3_pain_6_now_stops_today() -> None:
    got = screen(answers(current_pain=6), profile())
    assert got.action is Action.STOP and got.rules == ("R-SAFE-3",)
    assert_calm(got)


def test_r_safe_3_pain_4_now_trains_without_progression() -> None:
    got = screen(answers(current_pain=4), profile())
    assert got.action is Action.HOLD
    assert any("no progression" in a for a in got.advice)


def test_r_safe_6_red_flag_questions_are_plain_questions() -> None:
    assert all(q.endswith("?") for q in RED_FLAG_QUESTIONS)
    assert len(RED_FLAG_QUESTIONS) >= 5
