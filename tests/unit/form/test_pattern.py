"""R-FORM-3: hinge or squat, and squatting the hinge, from a vote of several cues."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from hingecoach.form import PoseSequence, analyze_pose
from hingecoach.form.kinematics import compute_kinematics
from hingecoach.form.metrics import measure_rep
from hingecoach.form.pattern import CUES, knee_dominance
from hingecoach.form.reps import segment_reps
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS
from hingecoach.form.view import check_view
from tests.unit.form.synthetic import Motion, make_sequence

#: Recorded tracks: (rule, track, exercise, pattern, squatting flagged)
RECORDED = [
    ("R-FORM-3", "back-squat", "squat", "squat", False),  # barbell back squat
    ("R-FORM-3", "bw-squat", None, "squat", False),
    ("R-FORM-3", "kb-deadlift-squatting", "kettlebell-deadlift", "hinge", True),  # knee-dominant
    ("R-FORM-3", "kb-deadlift-clean", "kettlebell-deadlift", "hinge", False),
    ("R-FORM-3", "kb-deadlift-rounded", "kettlebell-deadlift", "hinge", False),
    ("R-FORM-3", "deadlift-heel-lift", "conventional-deadlift", "hinge", False),
    ("R-FORM-3", "good-morning-knees-locked", None, "hinge", False),
]


@pytest.mark.parametrize(
    ("rule", "name", "exercise", "pattern", "squatting"), RECORDED, ids=[r[1] for r in RECORDED]
)
def test_every_rep_is_the_right_pattern_and_only_a_squatted_hinge_is_squatting(
    track: Callable[[str], PoseSequence],
    rule: str,
    name: str,
    exercise: str | None,
    pattern: str,
    squatting: bool,
) -> None:
    report = analyze_pose(track(name), exercise=exercise)
    assert report.reps
    assert {r.pattern for r in report.reps} == {pattern}
    assert [any(f.id == "squatting" for f in r.faults) for r in report.reps] == [squatting] * len(
        report.reps
    )
    assert ("squatting" in report.fault_ids) == squatting
    if squatting:
        fault = next(f for f in report.faults if f.id == "squatting")
        assert fault.rule == rule and fault.cue


def test_a_squatted_hinge_says_which_cues_called_it_a_squat(
    track: Callable[[str], PoseSequence],
) -> None:
    """R-FORM-3: the evidence names the cues that leaned to a squat, with their measures,
    votes and the thresholds, in --json."""
    rep = analyze_pose(track("kb-deadlift-squatting"), exercise="kettlebell-deadlift").reps[0]
    fault = next(f for f in rep.faults if f.id == "squatting")
    assert "knee-dominant" in fault.evidence and "more upright than the thigh" in fault.evidence
    assert set(CUES) <= set(fault.measured)
    assert fault.measured["score"] > DEFAULT_THRESHOLDS.pattern_min_score
    assert sum(fault.measured[f"vote_{c}"] > 0 for c in CUES) >= 3
    assert fault.limits["pattern_trunk_deg"] == DEFAULT_THRESHOLDS.pattern_trunk_deg


def test_a_back_squat_is_squat_like_on_every_cue_that_is_not_the_trunk(
    track: Callable[[str], PoseSequence],
) -> None:
    """R-FORM-3: the back squat leans its trunk about as far as some deadlifts do; the other
    cues (thigh level under the trunk, hips at the knees, shins forward) carry the vote."""
    seq = track("back-squat")
    view = check_view(seq)
    kin = compute_kinematics(seq, view.side)
    for span in segment_reps(kin, start="standing").reps:
        m = measure_rep(kin, span, knee_straight_deg=150, sustain_frames=2)
        vote = knee_dominance(m)
        assert vote.knee_dominant
        assert all(vote.votes[c] > 0 for c in CUES)
        assert m.hands_below_shoulder < DEFAULT_THRESHOLDS.arms_hang_min  # bar on the back


@pytest.mark.parametrize(
    ("rule", "motion", "squatting"),
    [
        # a deadlift pulled from a low-hip, upright set-up (the clip opens at the bottom)
        ("R-FORM-3", Motion(start="bottom", reps=1, trunk_bottom_deg=38, knee_bottom_deg=65,
                            shin_bottom_deg=30), True),
        # the same depth with the trunk leaning: a deadlift, not squatted
        ("R-FORM-3", Motion(start="bottom", reps=1, trunk_bottom_deg=55, knee_bottom_deg=65,
                            shin_bottom_deg=40), False),
    ],
    ids=["upright-low-hip-pull", "leaning-low-hip-pull"],
)  # fmt: skip
def test_a_concentric_only_deadlift_is_squatting_only_when_the_trunk_stays_upright(
    rule: str, motion: Motion, squatting: bool
) -> None:
    report = analyze_pose(make_sequence(motion), exercise="conventional-deadlift")
    assert len(report.reps) == 1 and report.pattern == "hinge"
    assert ("squatting" in report.fault_ids) == squatting
    if squatting:
        assert next(f for f in report.faults if f.id == "squatting").rule == rule


def test_a_knee_dominant_lift_without_the_hands_at_the_floor_is_a_squat_not_squatting() -> None:
    """R-FORM-3: arms held forward (or a bar on the back): the same legs make a squat."""
    legs = Motion(trunk_bottom_deg=38, knee_bottom_deg=65, shin_bottom_deg=30)
    squat = analyze_pose(make_sequence(dataclasses.replace(legs, hands="forward")))
    assert squat.pattern == "squat" and "squatting" not in squat.fault_ids
    deadlift = analyze_pose(make_sequence(dataclasses.replace(legs, hands="hang")))
    assert deadlift.pattern == "hinge" and "squatting" in deadlift.fault_ids


def test_a_cue_that_cannot_be_measured_does_not_vote(
    track: Callable[[str], PoseSequence],
) -> None:
    seq = track("kb-deadlift-squatting")
    kin = compute_kinematics(seq, check_view(seq).side)
    span = segment_reps(kin, start="floor").reps[0]
    m = measure_rep(kin, span, knee_straight_deg=150, sustain_frames=2)
    blind = dataclasses.replace(m, hip_above_knee=float("nan"), shin_deep_deg=float("nan"))
    vote = knee_dominance(blind)
    assert set(vote.votes) == {"trunk_deg", "trunk_minus_thigh_deg"}
    assert vote.knee_dominant
