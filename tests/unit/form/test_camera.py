"""R-FORM-5: a phone that moved during the set is told so, with what to do next time; a
steady one is not. Recorded tracks of labelled clips, and the same tracks as a hand-held
phone would have filmed them (``make sweep-form``'s hand-held ways)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from hingecoach.form import PoseSequence, analyze_pose
from hingecoach.form.camera import CAMERA_MOVED_NOTE, floor_drift
from hingecoach.form.kinematics import choose_side, compute_kinematics
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS
from tests.unit.form.perturb import shaken
from tests.unit.form.synthetic import Motion, make_sequence, reframe

STEADY = ["kb-deadlift-clean", "bw-squat", "good-morning-knees-locked", "back-squat"]


@pytest.mark.parametrize("name", STEADY)
def test_a_steady_phone_gets_no_note_and_a_hand_held_one_does(
    track: Callable[[str], PoseSequence], name: str
) -> None:
    steady = track(name)
    assert CAMERA_MOVED_NOTE not in analyze_pose(steady).notes
    moved = analyze_pose(shaken(0.004, 2)(steady))
    assert CAMERA_MOVED_NOTE in moved.notes
    assert "something steady" in CAMERA_MOVED_NOTE, "it says what to do for the next clip"


@pytest.mark.parametrize("name", STEADY)
def test_the_floor_of_a_steady_phone_stays_put_and_a_hand_held_one_wanders(
    track: Callable[[str], PoseSequence], name: str
) -> None:
    seq = track(name)
    kin, whole = compute_kinematics(seq, choose_side(seq)), [(0, len(seq))]
    still = floor_drift(seq, kin, whole)
    assert still is not None and still < DEFAULT_THRESHOLDS.camera_drift_max / 2
    drifts = [floor_drift(shaken(0.004, seed)(seq), kin, whole) for seed in (1, 2, 3)]
    assert max(d for d in drifts if d is not None) > DEFAULT_THRESHOLDS.camera_drift_max


def test_feet_hidden_say_nothing_of_the_camera() -> None:
    seq = make_sequence(Motion(reps=4))
    lm = seq.landmarks.copy()
    lm[:, :, 3] = np.where(np.arange(33) >= 27, 0.3, lm[:, :, 3])  # ankles, heels, toes
    lm[:, 25:27, 3] = 0.3  # knees too: a plate in front of the legs
    hidden = replace(seq, landmarks=lm)
    kin = compute_kinematics(seq, choose_side(seq))
    assert floor_drift(shaken(0.004, 1)(hidden), kin, [(0, len(seq))]) is None


def test_a_cut_to_another_framing_is_not_the_camera_moving() -> None:
    """Each shot against its own framing: a jump cut moves the floor between shots only."""
    seq = make_sequence(Motion(reps=4))
    cut_s = float(seq.times_s[len(seq) // 2])
    edited = reframe(seq, cut_s, 1.0, (40.0, -150.0))
    at = int(np.searchsorted(edited.times_s, cut_s))
    kin = compute_kinematics(seq, choose_side(seq))
    as_one_shot = floor_drift(edited, kin, [(0, len(seq))])
    assert as_one_shot is not None and as_one_shot > DEFAULT_THRESHOLDS.camera_drift_max
    shots = [(0, at), (at, len(seq))]
    assert (floor_drift(edited, kin, shots) or 0.0) < 0.05
