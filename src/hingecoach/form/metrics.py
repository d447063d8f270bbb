"""Per-rep measurements (R-FORM-1) and the person's own reference posture (R-FORM-2)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from hingecoach.form.kinematics import Kinematics
from hingecoach.form.pose import FloatArray
from hingecoach.form.reps import RepSpan

__all__ = ["Reference", "RepFrames", "RepMetrics", "measure_rep", "reference_posture"]


def _med(values: FloatArray) -> float:
    v = values[np.isfinite(values)]
    return float(np.median(v)) if v.size else float("nan")


@dataclass(frozen=True)
class Reference:
    """The person's standing posture in this clip (R-FORM-2: faults are measured against
    the person's own top position, since single-camera angles are off by 6-17 deg)."""

    neck_deg: float
    back_bulge: float
    trunk_deg: float
    foot_deg: float


def reference_posture(kin: Kinematics, top_frames: np.ndarray) -> Reference:
    """Medians over the frames where the person stands at the top."""
    if not top_frames.any():
        top_frames = np.ones(kin.times_s.size, dtype=bool)
    return Reference(
        neck_deg=_med(kin.neck_deg[top_frames]),
        back_bulge=_med(kin.back_bulge[top_frames]),
        trunk_deg=_med(kin.trunk_deg[top_frames]),
        foot_deg=_med(kin.foot_deg[top_frames]),
    )


@dataclass(frozen=True, eq=False)
class RepFrames:
    """The per-frame measures a rep's faults are judged over (R-FORM-4: a fault is flagged
    only when its evidence holds over enough of the rep, on frames the view lets it be
    judged on)."""

    back_bulge: FloatArray
    """``(rep frames,)`` the mid-back outline bulge over the whole rep."""
    foot_deg: FloatArray
    """``(rep frames,)`` the foot's tilt over the whole rep (NaN: not clearly seen)."""
    judged: npt.NDArray[np.bool_]
    """``(rep frames,)`` frames seen side on (the rest count as no evidence)."""
    deep: npt.NDArray[np.bool_]
    """``(rep frames,)`` the deep part of the rep (within 20 % of its depth)."""
    neck_deg: FloatArray
    """``(rep frames,)`` the head drop (ear-shoulder line below the trunk line)."""


@dataclass(frozen=True)
class RepMetrics:
    """What R-FORM-1 measures on one rep. Angles in degrees, times in seconds, lengths in
    torso lengths."""

    start_s: float
    bottom_s: float
    end_s: float
    descent_s: float | None
    ascent_s: float
    hip_angle_bottom_deg: float
    knee_angle_bottom_deg: float
    trunk_bottom_deg: float
    shin_bottom_deg: float
    hip_back: float
    hip_down: float
    neck_bottom_deg: float
    """Head drop in the deep part of the rep: the ear-shoulder line turned down from the
    hip-shoulder line (0 = in line; positive = the head hangs below the trunk line)."""
    neck_peak_deg: float
    """The largest sustained head/upper-back drop during the rep."""
    back_bulge_bottom: float
    """Mid-back outline bulge in the deep part of the rep (torso lengths)."""
    lockout_hip_deg: float
    lockout_trunk_deg: float
    """Trunk from vertical at the top after the rep, the furthest back held for 0.3 s
    (negative = leaning back)."""
    trunk_when_knees_straight_deg: float
    """On the way up: trunk inclination when the knee angle first reaches near-straight."""
    foot_deg: float
    """Median foot angle over the rep (heel up when large; NaN if the feet are hidden)."""
    hands_low: bool
    """Hands near the floor at the bottom (a load lifted from the floor)."""
    hands_below_shoulder: float
    """How far the hands hang below the shoulders at the bottom (torso lengths): about an
    arm's length (1) when the arms hang holding a load, about 0 or less with the bar on the
    back, the load at the chest or the arms held forward."""
    thigh_bottom_deg: float
    """Thigh from hanging straight down at the bottom (90 = level)."""
    hip_above_knee: float
    """Hip height above the knee at the bottom (torso lengths)."""
    trunk_minus_thigh_deg: float
    """Trunk inclination minus thigh angle at the bottom: positive when the trunk leans
    further than the thigh (hips back, a hinge), strongly negative when the thigh goes level
    under an upright trunk (a squat)."""
    shin_deep_deg: float
    """Shin from vertical over the deep half of the rep (the knees travel forward)."""
    frames: RepFrames | None = field(default=None, compare=False)
    """The per-frame measures the faults are judged over (None: judged on the medians)."""


def _sustained_max(values: FloatArray, frames: int) -> float:
    """The largest value held for ``frames`` consecutive frames (R-FORM-4)."""
    v = np.where(np.isfinite(values), values, -np.inf)
    if v.size == 0:
        return float("nan")
    frames = max(1, min(frames, v.size))
    if frames == 1:
        best = float(v.max())
    else:
        windows = np.lib.stride_tricks.sliding_window_view(v, frames)
        best = float(windows.min(axis=1).max())
    return best if np.isfinite(best) else float("nan")


def _trunk_when_knees_straight(
    kin: Kinematics, ascent: slice, end: int, knee_straight_deg: float, frames: int
) -> float:
    """R-FORM-3 hips-rise-early: the trunk's inclination when the knees have straightened on
    the way up: from the first frame of the ascent where the knee angle stays at or past
    ``knee_straight_deg`` for ``frames`` frames (R-FORM-4: sustained, so a one-frame spike of
    the knee angle does not pick the moment), the median over those frames. The rep's end
    when the knees never straighten so."""
    straight = kin.knee_angle_deg[ascent] >= knee_straight_deg
    hold = max(1, frames)
    if straight.size >= hold:
        runs = np.lib.stride_tricks.sliding_window_view(straight, hold).all(axis=1)
        first = np.flatnonzero(runs)
        if first.size:
            at = (ascent.start or 0) + int(first[0])
            return _med(kin.trunk_deg[at : at + hold])
    return float(kin.trunk_deg[end])


def measure_rep(
    kin: Kinematics,
    rep: RepSpan,
    *,
    knee_straight_deg: float,
    sustain_frames: int,
    hands_low_max: float = 0.9,
    lockout_window_s: float = 0.45,
    judged: npt.NDArray[np.bool_] | None = None,
) -> RepMetrics:
    """Measure one rep. The lockout is read over ``lockout_window_s`` after it ends;
    ``judged`` (``(frames,)`` of ``kin``) marks the frames seen side on (default: all)."""
    t = kin.times_s
    b = rep.bottom
    band = slice(rep.bottom_first, rep.bottom_last + 1)
    first = rep.start if rep.judged_from is None else rep.judged_from
    whole = slice(first, rep.end + 1)
    n = t.size
    lock_end = int(np.searchsorted(t, t[rep.end] + lockout_window_s, side="right"))
    lock = slice(rep.end, max(rep.end + 1, min(n, lock_end)))
    ascent = slice(rep.bottom_last, rep.end + 1)
    trunk_ks = _trunk_when_knees_straight(kin, ascent, rep.end, knee_straight_deg, sustain_frames)
    wrist_y = kin.xy[b, kin_index(kin, "wrist"), 1]
    ankle_y = kin.xy[b, kin_index(kin, "ankle"), 1]
    shoulder_y = kin.xy[b, kin_index(kin, "shoulder"), 1]
    hands_above_ankle = (ankle_y - wrist_y) / kin.torso_px
    # the deep part of the rep: within 20 % of its depth from the deepest point
    s = kin.shoulder_drop[whole]
    depth = float(np.nanmax(s)) if np.isfinite(s).any() else 0.0
    top_s = float(np.nanmin(s)) if np.isfinite(s).any() else 0.0
    deep_mask = s >= top_s + 0.8 * (depth - top_s)
    deep_idx = np.arange(first, rep.end + 1)[deep_mask]
    # the deep half of the rep, down and up: where the hinge or squat shows
    half_idx = np.arange(first, rep.end + 1)[s >= top_s + 0.5 * (depth - top_s)]
    # lockout: the top after the rep, in the lockout window, where the hips are open
    after = np.arange(rep.end, max(rep.end + 1, min(n, lock_end)))
    top_level = (
        float(np.nanmin(s)) + 0.3 * (depth - float(np.nanmin(s))) if np.isfinite(s).any() else 0.0
    )
    locked = after[kin.shoulder_drop[after] <= top_level]
    hold = max(1, round(0.3 / max(1e-6, float(np.median(np.diff(t))) if n > 1 else 1 / 30)))
    return RepMetrics(
        start_s=float(t[rep.start]),
        bottom_s=float(t[b]),
        end_s=float(t[rep.end]),
        descent_s=None if rep.from_floor_start else float(t[rep.descent_end] - t[rep.start]),
        ascent_s=float(t[rep.end] - t[rep.ascent_start]),
        hip_angle_bottom_deg=_med(kin.hip_angle_deg[band]),
        knee_angle_bottom_deg=_med(kin.knee_angle_deg[band]),
        trunk_bottom_deg=_med(kin.trunk_deg[band]),
        shin_bottom_deg=_med(kin.shin_deg[band]),
        hip_back=_med(kin.hip_back[band]),
        hip_down=_med(kin.hip_down[band]),
        neck_bottom_deg=_med(kin.neck_deg[deep_idx]),
        neck_peak_deg=_sustained_max(kin.neck_deg[whole], sustain_frames),
        back_bulge_bottom=_med(kin.back_bulge[deep_idx]),
        lockout_hip_deg=float(np.nanmax(kin.hip_angle_deg[lock]))
        if np.isfinite(kin.hip_angle_deg[lock]).any()
        else float("nan"),
        lockout_trunk_deg=-_sustained_max(-kin.trunk_deg[locked], hold)
        if locked.size >= hold
        else _med(kin.trunk_deg[lock]),
        trunk_when_knees_straight_deg=trunk_ks,
        foot_deg=_med(kin.foot_deg[whole])
        if np.isfinite(kin.foot_deg[whole]).mean() >= 0.5
        else float("nan"),
        hands_low=bool(np.isfinite(hands_above_ankle) and hands_above_ankle <= hands_low_max),
        hands_below_shoulder=float((wrist_y - shoulder_y) / kin.torso_px),
        thigh_bottom_deg=_med(kin.thigh_deg[band]),
        hip_above_knee=_med(kin.hip_above_knee[band]),
        trunk_minus_thigh_deg=_med(kin.trunk_deg[band] - kin.thigh_deg[band]),
        shin_deep_deg=_med(kin.shin_deg[half_idx]),
        frames=RepFrames(
            back_bulge=kin.back_bulge[whole],
            foot_deg=kin.foot_deg[whole],
            judged=np.ones(s.size, dtype=bool) if judged is None else judged[whole],
            deep=np.asarray(deep_mask, dtype=bool),
            neck_deg=kin.neck_deg[whole],
        ),
    )


def kin_index(kin: Kinematics, name: str) -> int:
    from hingecoach.form.kinematics import side_points

    return side_points(kin.side)[name]
