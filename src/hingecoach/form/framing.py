"""Is the whole body in the frame, over the whole movement? (R-FORM-5)

Per frame, a key point (head, shoulder, hip, knee, ankle of the side seen) is cut off when
it lies beyond the frame edge by more than ``frame_margin``. The head is judged by its top,
about ``head_top_above_ear`` torso lengths above the ear: when the head leaves the top of the
frame the pose model keeps the ear at the edge, so the ear alone would read as in frame.
A foot is judged by its ankle: shoes at the bottom edge are tight framing, not cut off.

Per rep, the frame is judged where it matters, at the top and at the bottom of every rep:
the head leaves the top of the frame when the lifter stands, the hands or the knees a side
edge at the bottom. A median over the clip would miss both (most frames show the whole
body). The tops and bottoms are the runs of frames in the shoulder height's top and bottom
zones (``top_level``, ``bottom_level`` of its range); a top or bottom is cut off when most
of its frames are, and a clip with the body cut off at ``cut_off_rep_share`` or more of its
tops (or of its bottoms) is refused with the parts to bring into the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hingecoach.form.kinematics import Side, side_points
from hingecoach.form.pose import FloatArray, PoseSequence
from hingecoach.form.signal import runs
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["PARTS", "CutOff", "RepFraming", "cut_off_frames", "judge_rep_framing"]

#: The key points judged, in the order of :attr:`CutOff.which`'s columns, as they are named.
PARTS = ("head", "shoulders", "hips", "knees", "feet")
_POINTS = ("ear", "shoulder", "hip", "knee", "ankle")


@dataclass(frozen=True)
class CutOff:
    """Per frame: is any key point out of the frame, and which."""

    any: npt.NDArray[np.bool_]
    """``(frames,)``"""
    which: npt.NDArray[np.bool_]
    """``(frames, 5)``: head, shoulders, hips, knees, feet (see :data:`PARTS`)."""

    def parts(self, frames: npt.NDArray[np.bool_], share: float = 0.2) -> list[str]:
        """The parts cut off in more than ``share`` of ``frames`` (the feet if none is)."""
        if not frames.any():
            return ["feet"]
        seen = self.which[frames].mean(axis=0)
        return [name for name, s in zip(PARTS, seen, strict=True) if s > share] or ["feet"]


def _torso_px(seq: PoseSequence, side: Side) -> float:
    pts = side_points(side)
    length = np.linalg.norm(seq.xy[:, pts["shoulder"]] - seq.xy[:, pts["hip"]], axis=1)
    finite = length[np.isfinite(length)]
    return float(np.median(finite)) if finite.size else 0.0


def cut_off_frames(
    seq: PoseSequence, side: Side, th: FormThresholds = DEFAULT_THRESHOLDS
) -> CutOff:
    """R-FORM-5: which key points are out of the frame in each frame."""
    pts = side_points(side)
    xy = seq.xy[:, [pts[p] for p in _POINTS]]
    mx, my = th.frame_margin * seq.width_px, th.frame_margin * seq.height_px
    top_y = xy[..., 1].copy()
    top_y[:, 0] -= th.head_top_above_ear * _torso_px(seq, side)  # the top of the head
    with np.errstate(invalid="ignore"):
        out = (
            (xy[..., 0] < -mx)
            | (xy[..., 0] > seq.width_px + mx)
            | (top_y < -my)
            | (xy[..., 1] > seq.height_px + my)
        )
    return CutOff(np.asarray(out.any(axis=1), dtype=bool), np.asarray(out, dtype=bool))


@dataclass(frozen=True)
class RepFraming:
    """The tops and bottoms of the reps in a stretch, and how many had the body cut off."""

    tops: int
    tops_cut: int
    bottoms: int
    bottoms_cut: int
    cut_frames: npt.NDArray[np.bool_]
    """``(frames,)`` the frames of the cut-off tops and bottoms."""

    def refused(self, th: FormThresholds) -> bool:
        """Cut off at ``cut_off_rep_share`` or more of the tops, or of the bottoms."""
        return any(
            cut > 0 and cut >= th.cut_off_rep_share * total
            for cut, total in ((self.tops_cut, self.tops), (self.bottoms_cut, self.bottoms))
        )


def _zones(
    shoulder_y: FloatArray, torso_px: float, th: FormThresholds
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """``(top, bottom)`` frame masks from the shoulder height (y down); none without reps."""
    none = np.zeros(shoulder_y.size, dtype=bool)
    finite = np.isfinite(shoulder_y)
    if finite.sum() < 3:
        return none, none
    lo, hi = np.percentile(shoulder_y[finite], [5, 95])
    if hi - lo < th.min_rep_range * torso_px:
        return none, none
    level = np.where(finite, (shoulder_y - lo) / (hi - lo), np.nan)
    with np.errstate(invalid="ignore"):
        return level <= th.top_level, level >= th.bottom_level


def judge_rep_framing(
    seq: PoseSequence, side: Side, cut: CutOff, th: FormThresholds = DEFAULT_THRESHOLDS
) -> RepFraming:
    """R-FORM-5: the body in the frame at every rep's top and bottom (``cut`` is of ``seq``)."""
    shoulder_y = seq.xy[:, side_points(side)["shoulder"], 1]
    top, bottom = _zones(shoulder_y, _torso_px(seq, side), th)
    counts = []
    cut_frames = np.zeros(len(seq), dtype=bool)
    for zone in (top, bottom):
        spans = [(a, b) for a, b in runs(zone) if b - a >= 2]
        hit = [(a, b) for a, b in spans if cut.any[a:b].mean() >= 0.5]
        for a, b in hit:
            cut_frames[a:b] = True
        counts.append((len(spans), len(hit)))
    (tops, tops_cut), (bottoms, bottoms_cut) = counts
    return RepFraming(tops, tops_cut, bottoms, bottoms_cut, cut_frames)
