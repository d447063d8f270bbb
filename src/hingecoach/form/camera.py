"""R-FORM-5: a phone that moved during the set (held in the hand, knocked, settling on a
soft surface) is told so, with what to do for the next clip.

The feet stay planted through a hinge or a squat, so where the ankles are in the picture
moves only when the camera does. The floor's height is a running median over
``camera_window_s`` of the ankle's height in the frames where it is clearly seen (a step,
a heel coming up or the model's jitter last less than that); how far it wandered within a
shot (cuts change the framing on purpose) is the camera's drift, in torso lengths. Feet
hidden most of a shot (behind a plate) say nothing.

Measured on the labelled clips that show their feet, over what the analysis reads: clips
from a steady phone drift 0.00-0.24 torso lengths, the hand-held one (chdh) 0.87; the same
tracks made hand-held as ``make sweep-form`` makes them drift 0.15-2.12, and the longer
ones, whose verdicts move, are past 0.4. The rep signal is measured against one framing per
shot, so a drifting picture moves it: the note says the count may be off, it does not change
it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hingecoach.form.kinematics import Kinematics, side_points
from hingecoach.form.pose import FloatArray, PoseSequence
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["CAMERA_MOVED_NOTE", "floor_drift"]

CAMERA_MOVED_NOTE = (
    "The phone moved during the set. Rest it on something steady at hip height for the "
    "next clip: with the picture moving, the rep count and timings may be off."
)


def floor_drift(
    seq: PoseSequence,
    kin: Kinematics,
    shots: Sequence[tuple[int, int]],
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> float | None:
    """How far the floor wandered in the picture within a shot, at most, in torso lengths
    (``kin``'s, of ``seq``); None when no shot shows the feet clearly enough to say."""
    ankle = side_points(kin.side)["ankle"]
    ankle_y = seq.xy[:, ankle, 1]
    clear = np.isfinite(ankle_y) & (seq.visibility[:, ankle] >= th.foot_min_visibility)
    half = max(1, round(th.camera_window_s * seq.fps) // 2)
    drifts = [
        _wander(ankle_y[a:b][clear[a:b]], half) / kin.torso_px
        for a, b in shots
        if b - a > 2 * half and clear[a:b].mean() >= th.camera_feet_seen_share
    ]
    return max(drifts) if drifts else None


def _wander(heights: FloatArray, half: int) -> float:
    """The spread (5th to 95th percentile) of the running median of ``heights``."""
    padded = np.concatenate([np.full(half, np.nan), heights, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    floor = np.nanmedian(windows, axis=1)  # fewer frames near the ends, none made up
    return float(np.percentile(floor, 95) - np.percentile(floor, 5))
