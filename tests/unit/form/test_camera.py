"""R-FORM-5: a phone that moved during the set is told so, with what to do next time; a
steady one is not. Recorded tracks of labelled clips, and the same tracks as a hand-held
phone would have filmed them (``make sweep-form``'s hand-held ways). A hand-held clip whose
room was followed in the picture (a camera path) is measured against the room when its feet
confirm the path, and only then."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from hingecoach.form import PoseSequence, analyze_pose
from hingecoach.form.camera import (
    CAMERA_FOLLOWED_NOTE,
    CAMERA_MOVED_NOTE,
    CameraPath,
    floor_drift,
)
from hingecoach.form.kinematics import choose_side, compute_kinematics, side_points
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS
from tests.unit.form.perturb import hand_moves, hand_walk, shaken, wobbled
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


def _behind_plates(seq: PoseSequence) -> PoseSequence:
    """``seq`` with the feet hidden (visibility 0.3) while the shoulders are in the lower
    half of their travel: plates at the floor hide the feet of a side-on deadlift at every
    bottom, and show them again as the bar passes the knees."""
    kin = compute_kinematics(seq, choose_side(seq))
    low = kin.shoulder_drop > 0.5 * float(np.nanmax(kin.shoulder_drop))
    lm = seq.landmarks.copy()
    lm[low, 27:, 3] = 0.3  # ankles, heels, toes
    return replace(seq, landmarks=lm)


def test_feet_hidden_at_each_bottom_still_tell_the_camera_moved() -> None:
    """Plates hide the feet at the bottoms: the frames between still show the floor."""
    seq = make_sequence(Motion(reps=4))
    plated = _behind_plates(seq)
    kin = compute_kinematics(seq, choose_side(seq))
    ankle = side_points(kin.side)["ankle"]
    seen = plated.visibility[:, ankle] >= DEFAULT_THRESHOLDS.foot_min_visibility
    assert 0.3 < seen.mean() < 0.8, "the feet are hidden for a good part of the clip"
    still = floor_drift(plated, kin, [(0, len(seq))])
    assert still is not None and still < DEFAULT_THRESHOLDS.camera_steady_min
    drifts = [floor_drift(shaken(0.004, seed)(plated), kin, [(0, len(seq))]) for seed in (1, 2)]
    assert min(d for d in drifts if d is not None) > DEFAULT_THRESHOLDS.camera_steady_min


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


def _verdict(seq: PoseSequence, camera: CameraPath | None = None) -> tuple[object, ...]:
    report = analyze_pose(seq, camera=camera)
    bottoms = tuple(round(r.bottom_s, 1) for r in report.reps)
    return len(report.reps), bottoms, report.pattern, tuple(report.fault_ids)


def _room(seq: PoseSequence, seed: int, error_px: float = 0.0) -> CameraPath:
    """The room's path in a clip shaken as ``shaken(0.004, seed)`` shakes it, give or take
    ``error_px`` (a random walk of the tracker's own error: within 2 px over 100 measured)."""
    walk = hand_walk(len(seq), 0.004, seq.height_px, seed)
    noise = np.random.default_rng(seed + 100).normal(size=walk.shape)
    noise = np.cumsum(noise, axis=0) / np.sqrt(len(seq)) * error_px
    return CameraPath.shifted(seq.times_s, walk - walk[0] + noise)


@pytest.mark.parametrize("name", STEADY)
def test_a_hand_held_phone_is_measured_against_the_room_behind_the_person(
    track: Callable[[str], PoseSequence], name: str
) -> None:
    """The reps, their bottoms (to 0.1 s), the pattern and the faults are the steady
    phone's, and the person reads that the reps were measured against the room."""
    steady = track(name)
    for seed in (1, 2, 3):
        held = shaken(0.004, seed)(steady)
        report = analyze_pose(held, camera=_room(steady, seed, error_px=2.0))
        if CAMERA_MOVED_NOTE in analyze_pose(held).notes:
            assert CAMERA_FOLLOWED_NOTE in report.notes and CAMERA_MOVED_NOTE not in report.notes
        assert _verdict(held, _room(steady, seed, error_px=2.0)) == _verdict(steady), seed


@pytest.mark.parametrize("name", ["kb-deadlift-clean", "kb-deadlift-rounded"])
def test_a_hand_held_deadlift_whose_plates_hide_the_feet_is_measured_against_the_room(
    track: Callable[[str], PoseSequence], name: str
) -> None:
    """The feet seen between the bottoms confirm the room's path: the steady phone's
    verdict, and the note that the reps were measured against the room. A path the picture
    did not move by is still not trusted."""
    steady = _behind_plates(track(name))
    for seed in (1, 2, 3):
        held = shaken(0.004, seed)(steady)
        report = analyze_pose(held, camera=_room(steady, seed, error_px=2.0))
        assert CAMERA_FOLLOWED_NOTE in report.notes, seed
        assert _verdict(held, _room(steady, seed, error_px=2.0)) == _verdict(steady), seed
    held = shaken(0.004, 2)(steady)
    assert CAMERA_FOLLOWED_NOTE not in analyze_pose(held, camera=_room(steady, 7)).notes


@pytest.mark.parametrize("name", STEADY)
def test_a_phone_that_also_zooms_and_turns_is_measured_against_the_room(
    track: Callable[[str], PoseSequence], name: str
) -> None:
    """A zoom of 3 % and a turn of 2 deg (spread) on top of the drift: the room's move,
    with 2 px of tracker error, gives back the steady phone's verdict."""
    steady = track(name)
    for seed in (1, 2, 3):
        held = wobbled(seed)(steady)
        moves = hand_moves(len(steady), steady.height_px, steady.width_px, seed, 0.03, 2.0)
        noise = np.random.default_rng(seed + 100).normal(size=(len(steady), 2))
        moves[:, 2:] += np.cumsum(noise, axis=0) / np.sqrt(len(steady)) * 2.0
        room = CameraPath(steady.times_s, moves)
        assert _verdict(held, room) == _verdict(steady), seed


def test_following_the_room_wins_back_the_reps_a_hand_held_phone_loses(
    track: Callable[[str], PoseSequence],
) -> None:
    """Without the room, the hand-held kettlebell deadlift loses reps (10 -> fewer)."""
    steady = track("kb-deadlift-clean")
    held = shaken(0.004, 2)(steady)
    assert len(analyze_pose(held).reps) < len(analyze_pose(steady).reps)
    assert len(analyze_pose(held, camera=_room(steady, 2)).reps) == len(analyze_pose(steady).reps)


@pytest.mark.parametrize("name", STEADY)
def test_a_camera_path_that_does_not_steady_the_feet_is_not_trusted(
    track: Callable[[str], PoseSequence], name: str
) -> None:
    """A path that is not the one the picture moved by (a bare wall, a caption that stays
    put) leaves the clip measured as filmed, with the note that the count may be off."""
    steady = track(name)
    held = shaken(0.004, 2)(steady)
    wrong = _room(steady, 7)
    assert _verdict(held, wrong) == _verdict(held)
    assert CAMERA_MOVED_NOTE in analyze_pose(held, camera=wrong).notes


@pytest.mark.parametrize("name", STEADY)
def test_a_steady_phone_is_measured_as_filmed_whatever_the_path_says(
    track: Callable[[str], PoseSequence], name: str
) -> None:
    steady = track(name)
    report = analyze_pose(steady, camera=_room(steady, 3))
    assert _verdict(steady, _room(steady, 3)) == _verdict(steady)
    assert CAMERA_MOVED_NOTE not in report.notes and CAMERA_FOLLOWED_NOTE not in report.notes


def test_a_camera_path_is_read_between_and_beyond_its_frames() -> None:
    shifts = np.array([[0.0, 0.0], [10.0, -4.0], [10.0, 0.0]])
    path = CameraPath.shifted(np.array([0.0, 1.0, 2.0]), shifts)
    at = path.at(np.array([-1.0, 0.5, 1.5, 9.0]))
    assert at[:, 2:].tolist() == [[0.0, 0.0], [5.0, -2.0], [10.0, -2.0], [10.0, 0.0]]
    assert at[:, :2].tolist() == [[1.0, 0.0]] * 4  # no turn, no zoom
    with pytest.raises(ValueError, match="camera path"):
        CameraPath(np.array([0.0, 1.0]), np.zeros((3, 4)))
