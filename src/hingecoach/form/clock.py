"""A pose track on an even clock: frames at one steady rate, whatever the camera did.

The analysis reads time in frames: smoothing windows, the zones of a rep, the view's
stretches, how long a fault must hold (R-FORM-4: "sustained") and the lockout's hold are
each so many frames at the track's frame rate. That holds for a clip filmed at a steady
rate. A phone in low light, or one busy with something else, drops frames and stretches
others (a variable-rate clip): then the same number of frames covers more time in one
part of the clip than in another, and a short fault or a short hold is missed where
frames are missing.

:func:`on_even_clock` puts such a track back on a steady clock at its usual frame rate
(the median interval): each landmark is interpolated in time between the two frames around
it (a landmark unseen in the nearer of the two frames stays unseen), and a gap of more than
``clock_gap_max_s`` without frames is not filled in (nobody knows what happened there): its
frames are left unseen. A track already at a steady rate is returned as it is.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from hingecoach.form.pose import FloatArray, PoseSequence
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["is_even", "on_even_clock"]

#: An interval within this share of the median interval counts as steady (timestamps
#: are rounded to the container's time base, and phones jitter a little).
_STEADY_SHARE = 0.25
#: A grid time this close to a frame's (as a share of the interval) is that frame's time.
_ON_FRAME = 1e-6


def is_even(times_s: FloatArray) -> bool:
    """Are the frames at a steady rate (every interval within a quarter of the median)?"""
    if times_s.size < 3:
        return True
    dt = np.diff(times_s)
    step = float(np.median(dt))
    return bool(np.all(np.abs(dt - step) <= _STEADY_SHARE * step))


def on_even_clock(seq: PoseSequence, th: FormThresholds = DEFAULT_THRESHOLDS) -> PoseSequence:
    """``seq`` with its frames at one steady rate, its median one (R-FORM-4: "sustained"
    means the same time everywhere in the clip). Unchanged when already steady."""
    t = seq.times_s
    if is_even(t):
        return seq
    step = float(np.median(np.diff(t)))
    grid = t[0] + step * np.arange(int(np.floor((t[-1] - t[0]) / step + 0.5)) + 1)
    grid = grid[grid <= t[-1] + 0.5 * step]
    after = np.clip(np.searchsorted(t, grid, side="left"), 1, t.size - 1)
    before = after - 1
    span = t[after] - t[before]
    weight = np.clip((grid - t[before]) / span, 0.0, 1.0)
    # a grid time on a frame's own time (to rounding) takes that frame as it is
    weight[weight < _ON_FRAME] = 0.0
    weight[weight > 1.0 - _ON_FRAME] = 1.0
    landmarks = _blend(seq.landmarks, before, after, weight)
    # a grid frame inside a long gap is unseen, as is a point unseen in the nearer frame
    in_gap = (span > th.clock_gap_max_s) & (weight > 0.0) & (weight < 1.0)
    unseen = ~np.isfinite(landmarks[..., :2]).all(axis=-1) | in_gap[:, None]
    landmarks[unseen, :2] = np.nan
    landmarks[unseen, 3] = 0.0
    nearest = np.where(weight < 0.5, before, after)
    profile = seq.back_profile
    return replace(
        seq,
        landmarks=landmarks,
        times_s=grid,
        back_profile=None if profile is None else _blend(profile, before, after, weight),
        people=None if seq.people is None else seq.people[nearest],
    )


def _blend(
    values: FloatArray, before: np.ndarray, after: np.ndarray, weight: FloatArray
) -> FloatArray:
    """``values`` (``(frames, ...)``) between the frames ``before`` and ``after``, at
    ``weight`` from the first; where one side is unknown (NaN), the nearer frame's value
    (so a point unseen in one frame is unseen for as long as it was, not longer)."""
    w = weight.reshape((-1,) + (1,) * (values.ndim - 1))
    a, b = values[before], values[after]
    nearest = np.where(w < 0.5, a, b)
    mixed = a * (1.0 - w) + b * w
    return np.asarray(np.where(np.isfinite(mixed), mixed, nearest), dtype=np.float64)
