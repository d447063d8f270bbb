"""Shots: where a clip cuts to another picture (R-FORM-1 counting across cuts).

An edited clip jumps: a jump cut leaves out part of a held bottom, a reel cuts to a wider
framing, a demo cuts from a front view to a side view. At such a cut the pose model moves
most of the body at once, further in one frame than any lift moves it, and then carries on
smoothly. Reps are counted across the cuts (a top, a bottom and a top, whatever was edited
out between them: the counting conventions of the labelled data), but each shot is measured
against its own framing (see :func:`hingecoach.form.reps.depth_signal`).

A jump out and straight back within ``min_shot_s`` is the model losing the person for a few
frames, not a shot: those frames are marked as glitches and left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from hingecoach.form.pose import LM, PoseSequence
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["Shots", "find_shots", "joint_jumps"]

_JOINTS = [
    LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP,
    LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE,
]  # fmt: skip
_LOCAL_FRAMES = 3
"""The jump is compared with the typical jump this many frames either side."""


@dataclass(frozen=True)
class Shots:
    """Where the shots start, and frames that belong to none (model glitches)."""

    starts: tuple[int, ...]
    """First frame of every shot after the first (``()`` for one continuous take)."""
    glitch: npt.NDArray[np.bool_]
    """``(frames,)`` frames to leave out."""

    def bounds(self, n: int) -> list[tuple[int, int]]:
        """``[start, stop)`` of every shot in a sequence of ``n`` frames."""
        edges = [0, *self.starts, n]
        return [(a, b) for a, b in pairwise(edges) if b > a]


def joint_jumps(seq: PoseSequence) -> npt.NDArray[np.float64]:
    """``(frames,)`` how far the body moved into each frame from the one before: the median
    over shoulders, hips, knees and ankles, in torso lengths (0 for the first frame, NaN
    where too few of them are seen)."""
    xy = seq.xy[:, _JOINTS]
    n = len(seq)
    out = np.zeros(n)
    if n < 2:
        return out
    torso = np.linalg.norm(xy[:, :2].mean(axis=1) - xy[:, 2:4].mean(axis=1), axis=1)
    finite = torso[np.isfinite(torso) & (torso > 0)]
    size = float(np.median(finite)) if finite.size else 1.0
    step = np.linalg.norm(np.diff(xy, axis=0), axis=2)  # (n-1, joints)
    seen = np.isfinite(step).sum(axis=1)
    med = np.full(n - 1, np.nan)
    ok = seen >= len(_JOINTS) // 2
    if ok.any():
        med[ok] = np.nanmedian(step[ok], axis=1) / size
    out[1:] = med
    return out


def find_shots(seq: PoseSequence, th: FormThresholds = DEFAULT_THRESHOLDS) -> Shots:
    """Cuts where the body jumps at least ``cut_jump`` torso lengths in one frame, and at
    least ``cut_isolation`` times its typical jump around it (a fast lift moves the body
    every frame; a cut moves it once)."""
    n = len(seq)
    glitch = np.zeros(n, dtype=bool)
    if n < 3:
        return Shots((), glitch)
    jump = joint_jumps(seq)
    cuts: list[int] = []
    for i in np.flatnonzero(np.nan_to_num(jump) >= th.cut_jump).tolist():
        around = np.concatenate(
            [jump[max(1, i - _LOCAL_FRAMES) : i], jump[i + 1 : i + 1 + _LOCAL_FRAMES]]
        )
        around = around[np.isfinite(around)]
        typical = float(np.max(around)) if around.size else 0.0
        if jump[i] >= th.cut_isolation * typical:
            cuts.append(i)
    starts: list[int] = []
    times = seq.times_s
    k = 0
    while k < len(cuts):
        i = cuts[k]
        nxt = cuts[k + 1] if k + 1 < len(cuts) else None
        if nxt is not None and times[nxt] - times[i] < th.min_shot_s:
            glitch[i:nxt] = True  # out and straight back: the model lost the person
            k += 2
            continue
        starts.append(i)
        k += 1
    return Shots(tuple(starts), glitch)
