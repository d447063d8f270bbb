"""R-FORM-1, R-FORM-5 guard: what a real clip changes that the labelled ones may not (another
frame rate, the lifter facing the other way, another picture size) leaves the view decision,
the rep count and the pattern as they were (issue 19).

Recorded tracks of labelled clips, perturbed as an unseen clip would differ: landmarks
interpolated in time to another frame rate, mirrored (x -> width - x, left and right points
swapped), every coordinate and the frame size scaled.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from hingecoach.form import PoseSequence, analyze_pose
from tests.unit.form.perturb import mirrored, resampled, scaled

PERTURBATIONS: dict[str, Callable[[PoseSequence], PoseSequence]] = {
    "24-fps": lambda s: resampled(s, 24.0),
    "25-fps": lambda s: resampled(s, 25.0),
    "50-fps": lambda s: resampled(s, 50.0),
    "mirrored": mirrored,
    "half-size": lambda s: scaled(s, 0.5),
    "1.5x-size": lambda s: scaled(s, 1.5),
}

#: (fixture track, exercise, labelled reps, labelled pattern)
CLIPS = [
    ("kb-deadlift-clean", "kettlebell-deadlift", 4, "hinge"),
    ("good-morning-knees-locked", None, 3, "hinge"),
    ("bw-squat", None, 3, "squat"),
    ("back-squat", None, 2, "squat"),
]


@pytest.mark.parametrize("perturbation", list(PERTURBATIONS))
@pytest.mark.parametrize(("name", "exercise", "reps", "pattern"), CLIPS, ids=[c[0] for c in CLIPS])
def test_rep_count_and_pattern_survive_what_unseen_clips_change(
    track: Callable[[str], PoseSequence],
    name: str,
    exercise: str | None,
    reps: int,
    pattern: str,
    perturbation: str,
) -> None:
    """R-FORM-1: the counts hold at 24, 25 and 50 fps, mirrored, at half and 1.5 times the
    picture size (and the clip stays accepted: R-FORM-5)."""
    report = analyze_pose(PERTURBATIONS[perturbation](track(name)), exercise=exercise)
    assert len(report.reps) == reps
    assert report.pattern == pattern


def test_mirrored_track_is_seen_from_the_other_side(track: Callable[[str], PoseSequence]) -> None:
    """R-FORM-1: mirroring swaps the side the camera sees and keeps the rep bottoms."""
    seq = track("kb-deadlift-clean")
    plain = analyze_pose(seq, exercise="kettlebell-deadlift")
    flipped = analyze_pose(mirrored(seq), exercise="kettlebell-deadlift")
    assert {plain.view.side, flipped.view.side} == {"left", "right"}
    assert [r.bottom_s for r in flipped.reps] == pytest.approx(
        [r.bottom_s for r in plain.reps], abs=0.05
    )


def test_a_tilted_phone_turns_every_line_by_its_tilt_and_no_angle_between_them(
    track: Callable[[str], PoseSequence],
) -> None:
    """The sweep's tilted ways (``make sweep-form``) turn the picture, not the body: the
    trunk's angle from vertical moves by the tilt, the hip angle stays."""
    from hingecoach.form.kinematics import compute_kinematics
    from tests.unit.form.perturb import tilted

    seq = track("kb-deadlift-clean")
    before = compute_kinematics(seq, "left")
    after = compute_kinematics(tilted(3.0)(seq), "left")
    turned = after.trunk_deg - before.trunk_deg
    assert abs(float(np.nanmedian(np.abs(turned))) - 3.0) < 0.05
    assert np.nanmax(np.abs(after.hip_angle_deg - before.hip_angle_deg)) < 1e-6


def test_a_hand_held_phone_moves_every_point_alike_and_changes_no_angle(
    track: Callable[[str], PoseSequence],
) -> None:
    from tests.unit.form.perturb import shaken

    seq = track("kb-deadlift-clean")
    moved = shaken(0.004, 1)(seq)
    shift = moved.landmarks[:, :, :2] - seq.landmarks[:, :, :2]
    per_frame = shift[:, :1, :]
    assert np.allclose(shift, np.broadcast_to(per_frame, shift.shape), equal_nan=True)
    steps = np.diff(per_frame[:, 0, :], axis=0)
    assert abs(float(np.std(steps)) / seq.height_px - 0.004) < 0.001
    assert float(np.nanmax(np.abs(per_frame))) > 0.01 * seq.height_px, "it drifts"
