"""Is anyone else lifting in the picture? (R-FORM-5 several-people, from a people scan)

A single-person pose tracker follows one body and never says who else is there. A *people
scan* (:mod:`hingecoach.capture.people_scan`: a multi-person pose model on a sparse sample
of a clip's frames, twice a second under 10 s of clip, once a second from 10 s on) records
everyone it finds; this module decides, without any video library, whether one of them is
a second lifter:

- the lifter, in each sample, is the person the clip's pose track follows (the scan body
  nearest to it), else the biggest body;
- another body counts only when it is clearly a person (its shoulders and hips seen), is
  not the lifter found twice (boxes overlapping by ``people_same_overlap``), and is
  comparable to the lifter: at least ``people_min_size_share`` of the lifter's body
  length. A person further back in the room looks smaller in proportion to their
  distance, so a small background person is not a second lifter, and someone at the
  lifter's depth is;
- the clip has several people when such a second lifter is in at least
  ``people_min_share`` of the samples with a lifter (and in ``people_min_samples`` of
  them): somebody walking through for a second is not a second lifter.

Body length is the shoulder-hip, hip-knee and knee-ankle segments added up (the longer
side), so it does not shrink when the lifter bends over the bar as a bounding box does.

The ground line is not a test of its own: with the camera at hip height, the feet of a
person standing further back rise in the picture by about 0.65 lifter body lengths times
(1 - their size share), so it says what the size says; and the panels of a split-screen
reel, where two lifters are side by side or stacked, are framed each on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hingecoach.form.pose import LM, FloatArray, PoseSequence, check_timeline
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["PeopleFinding", "PeopleScan", "find_other_lifters"]

_CHAINS = (
    (LM.LEFT_SHOULDER, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE),
    (LM.RIGHT_SHOULDER, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
)
_TORSO = [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP]


@dataclass(frozen=True, eq=False)
class PeopleScan:
    """Everyone a multi-person pose model found on a sample of a clip's frames.

    Attributes:
        landmarks: ``(samples, slots, 33, 4)``: x_px, y_px, visibility 0..1 and presence
            0..1 of each body found (BlazePose-33 layout); a slot without a body has NaN
            x/y and zero visibility and presence.
        times_s: ``(samples,)`` presentation time of each sampled frame, increasing.
        width_px, height_px: the frame size the coordinates refer to.
    """

    landmarks: FloatArray
    times_s: FloatArray
    width_px: int
    height_px: int

    def __post_init__(self) -> None:
        lm = np.asarray(self.landmarks, dtype=np.float64)
        t = np.asarray(self.times_s, dtype=np.float64)
        if lm.ndim != 4 or lm.shape[2:] != (33, 4):
            raise ValueError(f"landmarks: expected shape (samples, slots, 33, 4), got {lm.shape}")
        check_timeline(t, lm.shape[0], self.width_px, self.height_px)
        object.__setattr__(self, "landmarks", lm)
        object.__setattr__(self, "times_s", t)

    def __len__(self) -> int:
        return int(self.landmarks.shape[0])

    @property
    def counts(self) -> npt.NDArray[np.int64]:
        """``(samples,)`` bodies found in each sample (duplicates included)."""
        found = np.isfinite(self.landmarks[..., 0]).any(axis=2)
        return np.asarray(found.sum(axis=1), dtype=np.int64)


@dataclass(frozen=True)
class PeopleFinding:
    """What the scan says about other lifters, with its evidence."""

    samples: int
    """Samples with the lifter in them."""
    crowded: int
    """Samples with a second person comparable to the lifter."""
    crowded_times_s: tuple[float, ...]
    size_share: float
    """Median body length of the biggest other person / the lifter's, in crowded samples
    (NaN: none)."""

    def several(self, th: FormThresholds = DEFAULT_THRESHOLDS) -> bool:
        """R-FORM-5: a second lifter in enough of the samples."""
        return self.crowded >= max(th.people_min_samples, th.people_min_share * self.samples)


def _body_length(xy: FloatArray) -> FloatArray:
    """``(..., 33, 2)`` -> ``(...)`` the longer side's shoulder-hip-knee-ankle length."""
    sides = []
    for chain in _CHAINS:
        pts = xy[..., list(chain), :]
        sides.append(np.linalg.norm(np.diff(pts, axis=-2), axis=-1).sum(axis=-1))
    return np.asarray(np.fmax(sides[0], sides[1]), dtype=np.float64)


def _tracked_lifter(scan: PeopleScan, lifter: PoseSequence | None) -> FloatArray:
    """``(samples, 33, 2)`` the tracked lifter's landmarks at each sample, in the scan's
    pixels (NaN: no track, or nobody tracked then)."""
    out = np.full((len(scan), 33, 2), np.nan)
    if lifter is None or len(lifter) == 0:
        return out
    nearest = np.clip(np.searchsorted(lifter.times_s, scan.times_s), 0, len(lifter) - 1)
    before = np.clip(nearest - 1, 0, len(lifter) - 1)
    closer = np.abs(lifter.times_s[before] - scan.times_s) < np.abs(
        lifter.times_s[nearest] - scan.times_s
    )
    index = np.where(closer, before, nearest)
    near = np.abs(lifter.times_s[index] - scan.times_s) <= 0.25
    scale = np.array([scan.width_px / lifter.width_px, scan.height_px / lifter.height_px])
    out[near] = lifter.xy[index[near]] * scale
    return out


def _pick_lifter(
    xy: FloatArray, length: FloatArray, person: npt.NDArray[np.bool_], tracked: FloatArray
) -> int:
    """The slot of the lifter in one sample: nearest the tracked body (mean distance of
    the torso and legs under half its body length), else the biggest person."""
    if np.isfinite(tracked[_TORSO, 0]).all():
        joints = [i for chain in _CHAINS for i in chain]
        dist = np.linalg.norm(xy[:, joints] - tracked[None, joints], axis=-1)  # (slots, 8)
        known = np.isfinite(dist)
        total = np.where(known, dist, 0.0).sum(axis=1)
        gap = np.where(person & known.any(axis=1), total / np.maximum(known.sum(axis=1), 1), np.inf)
        best = int(np.argmin(gap))
        if gap[best] <= 0.5 * float(_body_length(tracked[None])[0]):
            return best
    return int(np.argmax(np.where(person, length, -1.0)))


def find_other_lifters(
    scan: PeopleScan,
    lifter: PoseSequence | None = None,
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> PeopleFinding:
    """R-FORM-5 several-people: the samples where someone comparable to the lifter is in
    the picture too (see the module docstring for what counts).

    Args:
        scan: the people scan of the clip.
        lifter: the clip's pose track (the person followed), to tell the lifter from the
            others; without it the biggest body in each sample is the lifter.
        th: ``people_*`` thresholds.
    """
    xy = scan.landmarks[..., :2]
    seen = scan.landmarks[..., _TORSO, 2].mean(axis=-1)  # (samples, slots)
    person = np.isfinite(xy[..., 0]).all(axis=-1) & (seen >= th.people_min_visibility)
    length = np.nan_to_num(_body_length(xy), nan=0.0)
    tracked = _tracked_lifter(scan, lifter)
    samples = 0
    crowded: list[float] = []
    shares: list[float] = []
    for k in range(len(scan)):
        if not person[k].any():
            continue
        me = _pick_lifter(xy[k], length[k], person[k], tracked[k])
        if length[k, me] <= 0:
            continue
        samples += 1
        share = length[k] / length[k, me]
        others = person[k] & (share >= th.people_min_size_share)
        others &= ~_same_body(xy[k], me, th)
        others[me] = False
        if others.any():
            crowded.append(float(scan.times_s[k]))
            shares.append(float(share[others].max()))
    return PeopleFinding(
        samples=samples,
        crowded=len(crowded),
        crowded_times_s=tuple(round(t, 2) for t in crowded),
        size_share=float(np.median(shares)) if shares else float("nan"),
    )


def _boxes(xy: FloatArray) -> FloatArray:
    """``(slots, 33, 2)`` -> ``(slots, 4)`` x0, y0, x1, y1 around each body's landmarks."""
    out = np.full((xy.shape[0], 4), np.nan)
    found = np.isfinite(xy[..., 0]).all(axis=-1)
    out[found, :2] = xy[found].min(axis=1)
    out[found, 2:] = xy[found].max(axis=1)
    return out


def _same_body(xy: FloatArray, me: int, th: FormThresholds) -> npt.NDArray[np.bool_]:
    """``(slots,)`` bodies that are the lifter found twice: most of the smaller box inside
    the other (the model can place a second skeleton on a bent lifter)."""
    box = _boxes(xy)
    lo = np.maximum(box[:, :2], box[me, :2])
    hi = np.minimum(box[:, 2:], box[me, 2:])
    inter = np.prod(np.clip(hi - lo, 0, None), axis=1)
    area = np.prod(box[:, 2:] - box[:, :2], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = inter / np.minimum(area, area[me])
    return np.asarray(np.nan_to_num(overlap, nan=0.0) >= th.people_same_overlap, dtype=bool)
