"""Shots: where a clip cuts to another picture (R-FORM-1 counting across cuts).

An edited clip jumps: a jump cut leaves out part of a held bottom, a reel cuts to a wider
framing, a demo cuts from a front view to a side view. At such a cut the pose model moves
most of the body at once, further in one frame than any lift moves it, and then carries on
smoothly. Reps are counted across the cuts (a top, a bottom and a top, whatever was edited
out between them: the counting conventions of the labelled data), but each shot is measured
against its own framing (see :func:`hingecoach.form.reps.depth_signal`).

A jump out and straight back within ``min_shot_s`` is the model losing the person for a few
frames, not a shot: those frames are marked as glitches and left out.

The pictures show cuts the body does not: a cut to a second recording of the same lift,
framed a little wider, moves the landmarks no more than the lift does. Those cuts are found
in the video (:mod:`hingecoach.capture.frame_cuts`) and come here as times only
(:func:`cut_frames`); :func:`find_shots` merges them with the body's jumps (one cut where
both see it), and a shot of a picture shorter than ``min_shot_s`` (a title card's first
frame, a black last frame, a flash) is left out like a glitch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from hingecoach.form.pose import LM, PoseSequence
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = [
    "Shots",
    "cut_frames",
    "find_shots",
    "joint_jumps",
    "shot_bounds",
    "shot_lengths_s",
]

_JOINTS = [
    LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP,
    LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE,
]  # fmt: skip
_LOCAL_FRAMES = 3
"""The jump is compared with the typical jump this many frames either side."""
_SAME_CUT_FRAMES = 2
"""A body jump this close to a cut in the pictures is that cut."""


@dataclass(frozen=True)
class Shots:
    """Where the shots start, and frames that belong to none (model glitches)."""

    starts: tuple[int, ...]
    """First frame of every shot after the first (``()`` for one continuous take)."""
    glitch: npt.NDArray[np.bool_]
    """``(frames,)`` frames to leave out."""

    def bounds(self, n: int) -> list[tuple[int, int]]:
        """``[start, stop)`` of every shot in a sequence of ``n`` frames."""
        return shot_bounds(n, self.starts)


def shot_bounds(n: int, starts: Sequence[int]) -> list[tuple[int, int]]:
    """``[start, stop)`` of every shot of ``n`` frames whose later shots start at ``starts``."""
    edges = [0, *sorted(c for c in starts if 0 < c < n), n]
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


def cut_frames(times_s: npt.NDArray[np.float64], cuts_s: Sequence[float]) -> tuple[int, ...]:
    """The first frame of each shot that starts at one of ``cuts_s`` (seconds; a cut found
    in the pictures starts on a frame of the track, give or take a skipped frame's time),
    inside ``times_s`` (``(frames,)``) and after its first frame, in order."""
    if not len(cuts_s) or times_s.size < 2:
        return ()
    half = 0.5 * float(np.median(np.diff(times_s)))
    found = np.searchsorted(times_s, np.asarray(cuts_s, dtype=np.float64) - half)
    return tuple(sorted({int(i) for i in found.tolist() if 0 < i < times_s.size}))


def _body_cuts(seq: PoseSequence, th: FormThresholds) -> list[int]:
    """Frames where the body jumps at least ``cut_jump`` torso lengths, and at least
    ``cut_isolation`` times its typical jump around it (a fast lift moves the body every
    frame; a cut moves it once)."""
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
    return cuts


def find_shots(
    seq: PoseSequence, th: FormThresholds = DEFAULT_THRESHOLDS, cuts: Sequence[int] = ()
) -> Shots:
    """The shots of ``seq``: cut where the body jumps (see :func:`_body_cuts`) and at
    ``cuts``, the frames where the pictures cut (see :func:`cut_frames`; a body jump within
    a frame or two of one is the same cut)."""
    n = len(seq)
    glitch = np.zeros(n, dtype=bool)
    if n < 3:
        return Shots((), glitch)
    seen = {c for c in cuts if 0 < c < n}
    body = [i for i in _body_cuts(seq, th) if all(abs(i - c) > _SAME_CUT_FRAMES for c in seen)]
    starts: list[int] = []
    times = seq.times_s
    pending = sorted({*body, *seen})
    k = 0
    while k < len(pending):
        i = pending[k]
        nxt = pending[k + 1] if k + 1 < len(pending) else None
        if nxt is not None and times[nxt] - times[i] < th.min_shot_s:
            glitch[i:nxt] = True  # out and straight back: the model lost the person ...
            if i in seen or nxt in seen:  # ... or a flash, or settling after a cut
                starts.append(nxt if nxt in seen else i)
            k += 2
            continue
        starts.append(i)
        k += 1
    return _edge_glitches(Shots(tuple(starts), glitch), seen, times, th)


def _edge_glitches(
    shots: Shots, seen: set[int], times: npt.NDArray[np.float64], th: FormThresholds
) -> Shots:
    """A picture cut that leaves a shot shorter than ``min_shot_s`` at the clip's start or
    end (a title card's first frame, a black last frame): those frames are left out."""
    starts = list(shots.starts)
    glitch = shots.glitch.copy()
    if starts and starts[0] in seen and times[starts[0]] - times[0] < th.min_shot_s:
        glitch[: starts[0]] = True
        starts.pop(0)
    if starts and starts[-1] in seen and times[-1] - times[starts[-1]] < th.min_shot_s:
        glitch[starts[-1] :] = True
        starts.pop()
    return Shots(tuple(starts), glitch) if len(starts) != len(shots.starts) else shots


def shot_lengths_s(
    times_s: npt.NDArray[np.float64], cuts: Sequence[int], th: FormThresholds = DEFAULT_THRESHOLDS
) -> list[float]:
    """How long each shot between the picture cuts ``cuts`` lasts, those shorter than
    ``min_shot_s`` (a frame or two of a title card, a flash) left out."""
    lengths = [float(times_s[b - 1] - times_s[a]) for a, b in shot_bounds(times_s.size, cuts)]
    return [s for s in lengths if s >= th.min_shot_s]
