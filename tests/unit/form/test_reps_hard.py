"""R-FORM-1 counting on the hard cases of issue 19: long held bottoms, clips that open at the
bottom, jump cuts, a turn from the front to the side, long sets (synthetic tracks with the
pose model's jitter, and a recorded one)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hingecoach.form import PoseSequence, analyze_pose
from hingecoach.form.kinematics import compute_kinematics
from hingecoach.form.pose import LM
from hingecoach.form.reps import segment_reps
from hingecoach.form.shots import find_shots
from tests.unit.form.synthetic import (
    Motion,
    cut_out,
    jitter,
    make_sequence,
    reframe,
    rep_bottoms,
    then,
)

SQUAT = {"trunk_bottom_deg": 40.0, "knee_bottom_deg": 70.0, "shin_bottom_deg": 30.0}


def _count(seq: PoseSequence, exercise: str) -> tuple[int, int]:
    report = analyze_pose(seq, exercise=exercise)
    return len(report.reps), report.partial_reps


@pytest.mark.parametrize("exercise", ["squat", "romanian-deadlift"])
def test_a_bottom_held_for_five_seconds_is_one_rep_timed_at_the_hold_centre(
    exercise: str,
) -> None:
    """R-FORM-1: a 5 s hold, with the model's jitter, is one bottom: 3 reps, not more."""
    shape = SQUAT if exercise == "squat" else {}
    motion = Motion(reps=3, bottom_hold_s=5.0, **shape)  # type: ignore[arg-type]
    report = analyze_pose(jitter(make_sequence(motion), px=8.0), exercise=exercise)
    assert [r.bottom_s for r in report.reps] == pytest.approx(rep_bottoms(motion), abs=0.3)
    assert report.partial_reps == 0


def test_a_model_glitch_in_a_held_bottom_does_not_split_it() -> None:
    """R-FORM-1: the model throws the pose up in the middle of a 4 s hold
    for five frames (it loses the person behind the arms): still one rep per bottom."""
    motion = Motion(reps=2, bottom_hold_s=4.0, **SQUAT)  # type: ignore[arg-type]
    seq = jitter(make_sequence(motion), px=6.0)
    lm = seq.landmarks.copy()
    mid = int(np.searchsorted(seq.times_s, rep_bottoms(motion)[0]))
    lm[mid : mid + 5, :, 1] -= 1.5 * motion.torso_px  # the whole figure jumps up, and back
    glitched = PoseSequence(lm, seq.times_s, seq.width_px, seq.height_px, source="glitch")
    assert _count(glitched, "squat") == (2, 0)


@pytest.mark.parametrize(
    ("exercise", "reps", "partial"),
    [("squat", 2, 1), ("romanian-deadlift", 2, 1), ("kettlebell-deadlift", 3, 0)],
)
def test_a_clip_that_opens_at_the_bottom_counts_it_as_a_partial(
    exercise: str, reps: int, partial: int
) -> None:
    """R-FORM-1: a lift that starts standing needs a top before its bottom: opening at the
    bottom (even held for 2 s) is a partial rep; a lift from the floor counts its first
    pull (the counting conventions of ../shared/data/README.md)."""
    motion = Motion(reps=3, start="bottom", bottom_hold_s=2.0)
    assert _count(jitter(make_sequence(motion), px=6.0), exercise) == (reps, partial)


@pytest.mark.parametrize(
    ("scale", "shift"), [(0.7, (120.0, 60.0)), (1.4, (-100.0, -150.0)), (1.0, (250.0, 0.0))]
)
def test_a_jump_cut_to_another_framing_mid_set_keeps_the_count(
    scale: float, shift: tuple[float, float]
) -> None:
    """R-FORM-1: the picture cuts to a closer, wider or moved framing between reps 2 and 3;
    each shot is measured against its own framing, so 4 reps stay 4."""
    seq = jitter(make_sequence(Motion(reps=4, **SQUAT)), px=4.0)  # type: ignore[arg-type]
    cut = reframe(seq, from_s=6.6, scale=scale, shift_px=shift)
    assert find_shots(cut).starts, "the cut is found"
    assert _count(cut, "squat") == (4, 0)


def test_a_rep_whose_ascent_was_edited_out_still_counts() -> None:
    """R-FORM-1: a jump cut from a held bottom straight to standing (its ascent edited
    out): top, bottom, top is still a rep (README: counted ignoring the edits)."""
    motion = Motion(reps=3, bottom_hold_s=4.0, **SQUAT)  # type: ignore[arg-type]
    seq = make_sequence(motion)
    # rep 2 runs 6.8 s (top 0.8, rep 1 of 6.8 s): its hold is 8.6-12.6 s, ascent 12.6-13.6
    edited = cut_out(seq, from_s=11.3, to_s=13.6)
    assert find_shots(edited).starts
    report = analyze_pose(edited, exercise="squat")
    assert len(report.reps) == 3 and report.partial_reps == 0


def test_a_turn_from_the_front_to_the_side_counts_only_the_side_on_reps() -> None:
    """R-FORM-1, R-FORM-5: 3 reps facing the camera, a cut, 4 reps side on: 4 counted."""
    front = make_sequence(Motion(reps=3, front_view=True, **SQUAT))  # type: ignore[arg-type]
    side = make_sequence(Motion(reps=4, **SQUAT))  # type: ignore[arg-type]
    report = analyze_pose(jitter(then(front, side), px=4.0), exercise="squat")
    assert len(report.reps) == 4
    assert report.view.start_s >= front.times_s[-1] - 1.0


@pytest.mark.parametrize("front_s", [3.0, 8.0])
def test_a_turn_side_front_side_counts_the_reps_of_both_side_views(front_s: float) -> None:
    """R-FORM-1, R-FORM-5: 3 reps side on, a cut to the front (the lifter keeps going),
    a cut back to the side for 2 reps: the 5 side-on reps are counted, none of the front."""
    side_a = make_sequence(Motion(reps=3, **SQUAT))  # type: ignore[arg-type]
    reps_front = max(1, round(front_s / 3.0))
    front = make_sequence(Motion(reps=reps_front, front_view=True, **SQUAT))  # type: ignore[arg-type]
    side_b = make_sequence(Motion(reps=2, **SQUAT))  # type: ignore[arg-type]
    seq = jitter(then(then(side_a, front), side_b), px=4.0)
    report = analyze_pose(seq, exercise="squat")
    front_from = side_a.times_s[-1]
    front_to = front_from + front.times_s[-1]
    expected = rep_bottoms(Motion(reps=3, **SQUAT)) + [  # type: ignore[arg-type]
        front_to + t
        for t in rep_bottoms(Motion(reps=2, **SQUAT))  # type: ignore[arg-type]
    ]
    assert [r.bottom_s for r in report.reps] == pytest.approx(expected, abs=0.2)
    assert not any(front_from < r.bottom_s < front_to for r in report.reps)
    assert "side views" in report.view.note


def test_a_long_set_of_many_reps_counts_every_one() -> None:
    """R-FORM-1: 25 reps over 75 s, with jitter: 25, each bottom in place."""
    motion = Motion(reps=25, **SQUAT)  # type: ignore[arg-type]
    report = analyze_pose(jitter(make_sequence(motion), px=6.0), exercise="squat")
    assert [r.bottom_s for r in report.reps] == pytest.approx(rep_bottoms(motion), abs=0.15)


def test_a_continuous_take_has_one_shot(track: Callable[[str], PoseSequence]) -> None:
    """R-FORM-1 shots: a real lift, however fast, is no cut (kettlebell deadlifts, 4 reps)."""
    seq = track("kb-deadlift-clean")
    shots = find_shots(seq)
    assert shots.starts == () and not shots.glitch.any()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hold_s=st.floats(min_value=0.1, max_value=8.0),
    reps=st.integers(min_value=1, max_value=4),
    squat=st.booleans(),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_a_hold_of_any_length_at_the_bottom_never_changes_the_count(
    hold_s: float, reps: int, squat: bool, seed: int
) -> None:
    """R-FORM-1 property: holding the bottom for any time (jitter included) leaves the
    count and the partials as they were."""
    shape = SQUAT if squat else {}
    exercise = "squat" if squat else "romanian-deadlift"
    motion = Motion(reps=reps, bottom_hold_s=hold_s, **shape)  # type: ignore[arg-type]
    seq = jitter(make_sequence(motion), px=6.0, seed=seed)
    assert _count(seq, exercise) == (reps, 0)


def test_the_landmark_jump_of_a_cut_is_whole_body() -> None:
    """R-FORM-1 shots: only the arms jumping (a hand passing the camera) is no cut."""
    seq = make_sequence(Motion(reps=2))
    lm = seq.landmarks.copy()
    lm[40:, [LM.LEFT_WRIST, LM.RIGHT_WRIST], 0] += 300.0
    arms = PoseSequence(lm, seq.times_s, seq.width_px, seq.height_px)
    assert find_shots(arms).starts == ()


def test_a_bottom_parted_from_its_top_by_frames_left_out_is_a_partial_rep() -> None:
    """R-FORM-1: frames left out (not side on) between a rep's bottom and its return to
    the top part them as a clip's end does: that rep was not seen whole and is not
    counted; the reps seen whole are."""
    motion = Motion(reps=3, **SQUAT)  # type: ignore[arg-type]
    seq = make_sequence(motion)
    kin = compute_kinematics(seq, "left")
    bottoms = rep_bottoms(motion)
    # rep 2's ascent is not seen: from just after its bottom to the top that follows it
    left_out = (seq.times_s > bottoms[1] + 0.3) & (seq.times_s < bottoms[1] + 1.6)
    whole = segment_reps(kin)
    parted = segment_reps(kin, left_out=left_out)
    assert len(whole.reps) == 3
    assert [seq.times_s[r.bottom] for r in parted.reps] == pytest.approx(
        [bottoms[0], bottoms[2]], abs=0.1
    )
    assert len(parted.partial) == len(whole.partial) + 1
