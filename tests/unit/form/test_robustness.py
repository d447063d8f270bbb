"""R-FORM-1, R-FORM-5 guard: what a real clip changes that the labelled ones may not (another
frame rate, the lifter facing the other way, another picture size) leaves the view decision,
the rep count and the pattern as they were (issue 19).

Recorded tracks of labelled clips, perturbed as an unseen clip would differ: landmarks
interpolated in time to another frame rate, mirrored (x -> width - x, left and right points
swapped), every coordinate and the frame size scaled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from hingecoach.form import PoseSequence, analyze_pose
from hingecoach.form.pose import BLAZEPOSE_NAMES, FloatArray


def _mirror_index() -> list[int]:
    """Each BlazePose-33 point's index in the mirror image (left and right swapped)."""
    out = []
    for i, name in enumerate(BLAZEPOSE_NAMES):
        side, _, rest = name.partition("_")
        other = {"left": "right", "right": "left"}.get(side)
        out.append(BLAZEPOSE_NAMES.index(f"{other}_{rest}") if other else i)
    return out


def _interp(new_t: FloatArray, t: FloatArray, values: FloatArray) -> FloatArray:
    """Linear interpolation in time of ``(frames, ...)`` values (NaN next to a NaN)."""
    flat = values.reshape(values.shape[0], -1)
    j = np.clip(np.searchsorted(t, new_t, side="right") - 1, 0, t.size - 2)
    w = np.clip((new_t - t[j]) / (t[j + 1] - t[j]), 0.0, 1.0)[:, None]
    out = np.where(
        w == 0, flat[j], np.where(w == 1, flat[j + 1], flat[j] * (1 - w) + flat[j + 1] * w)
    )
    return np.asarray(out.reshape((new_t.size, *values.shape[1:])), dtype=np.float64)


def resampled(seq: PoseSequence, fps: float) -> PoseSequence:
    """The track at another frame rate (landmarks interpolated in time)."""
    t = seq.times_s
    new_t = np.arange(t[0], t[-1] + 1e-9, 1.0 / fps)
    lm = _interp(new_t, t, seq.landmarks)
    missing = ~np.isfinite(lm[..., :2]).all(axis=-1)
    lm[missing, :2] = np.nan
    lm[missing, 3] = 0.0
    profile = None if seq.back_profile is None else _interp(new_t, t, seq.back_profile)
    return replace(seq, landmarks=lm, times_s=new_t, back_profile=profile)


def mirrored(seq: PoseSequence) -> PoseSequence:
    """The lifter facing the other way."""
    lm = seq.landmarks[:, _mirror_index()].copy()
    lm[..., 0] = seq.width_px - lm[..., 0]
    return replace(seq, landmarks=lm)


def scaled(seq: PoseSequence, factor: float) -> PoseSequence:
    """The same clip at another picture size."""
    lm = seq.landmarks.copy()
    lm[..., :3] *= factor
    return replace(
        seq,
        landmarks=lm,
        width_px=round(seq.width_px * factor),
        height_px=round(seq.height_px * factor),
    )


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
