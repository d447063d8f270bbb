"""Can the pose be trusted? Limb lengths that no body makes (R-FORM-5).

From the side, the thigh, shin and torso keep their length in the picture through a hinge or
a squat (the camera sees them side on). When a plate, a rack upright or the lifter's own arms
hide part of the body, the pose model still places every landmark, with a high visibility,
but guesses: a thigh shrinks to a third of its length at every rep bottom, the torso doubles.
Those frames are *implausible*; a clip whose side-view stretch holds several such episodes
is refused with what to re-film (``body-occluded``), not told to turn the camera; one where
the model guesses through much of it (a silhouette against the light) is ``pose-unreliable``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hingecoach.form.kinematics import Side, side_points
from hingecoach.form.pose import PoseSequence
from hingecoach.form.signal import runs
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["Reliability", "implausible_frames", "judge_reliability"]

_SEGMENTS = (("hip", "knee"), ("shoulder", "hip"), ("knee", "ankle"))


def implausible_frames(
    seq: PoseSequence, side: Side, th: FormThresholds = DEFAULT_THRESHOLDS
) -> npt.NDArray[np.bool_]:
    """``(frames,)`` a thigh, torso or shin shorter than ``min_segment_share`` or longer than
    ``max_segment_share`` of its median length in the sequence."""
    pts = side_points(side)
    xy = seq.xy
    bad = np.zeros(len(seq), dtype=bool)
    for a, b in _SEGMENTS:
        length = np.linalg.norm(xy[:, pts[a]] - xy[:, pts[b]], axis=1)
        finite = np.isfinite(length)
        if not finite.any():
            continue
        typical = float(np.median(length[finite]))
        if typical <= 0:
            continue
        rel = np.where(finite, length / typical, 1.0)
        bad |= (rel < th.min_segment_share) | (rel > th.max_segment_share)
    return bad


@dataclass(frozen=True)
class Reliability:
    """How much of a stretch the pose cannot be trusted on."""

    share: float
    """Share of the frames with implausible limb lengths."""
    episodes: int
    """Separate runs of such frames lasting at least ``sustained_s``."""
    frames: int = 0
    """The frames judged."""

    def __add__(self, other: Reliability) -> Reliability:
        """Two stretches judged together (a side view, a turn away, a side view again)."""
        frames = self.frames + other.frames
        share = (self.share * self.frames + other.share * other.frames) / max(frames, 1)
        return Reliability(share, self.episodes + other.episodes, frames)

    def unreliable(self, th: FormThresholds) -> bool:
        """The model guesses through much of the stretch (a silhouette against the light,
        a picture cut between shots): ``pose-unreliable``."""
        return self.share >= th.unreliable_min_share

    def occluded(self, th: FormThresholds) -> bool:
        """Several separate moments of guessing (a plate hiding the body at each rep
        bottom): ``body-occluded``."""
        return self.episodes >= th.occluded_min_episodes and self.share >= th.occluded_min_share


def judge_reliability(
    seq: PoseSequence, side: Side, th: FormThresholds = DEFAULT_THRESHOLDS
) -> Reliability:
    """The implausible share and episodes of ``seq`` (the stretch to be analysed)."""
    if len(seq) == 0:
        return Reliability(0.0, 0, 0)
    bad = implausible_frames(seq, side, th)
    sustain = max(2, round(th.sustained_s * seq.fps))
    episodes = sum(1 for a, b in runs(bad) if b - a >= sustain)
    return Reliability(float(bad.mean()), episodes, len(seq))
