"""Per-frame hinge kinematics on one side of the body (R-FORM-1).

Landmarks are gap-filled and smoothed with a zero-phase Savitzky-Golay filter before any
angle is taken, so peaks keep their times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from hingecoach.form.geometry import angle_deg, signed_from_vertical_deg
from hingecoach.form.pose import LM, FloatArray, PoseSequence
from hingecoach.form.signal import fill_gaps, odd_window, smooth
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["Kinematics", "Side", "choose_side", "compute_kinematics", "facing_sign"]

Side = Literal["left", "right"]

_SIDE_POINTS: dict[str, dict[str, int]] = {
    "left": {
        "ear": LM.LEFT_EAR, "shoulder": LM.LEFT_SHOULDER, "hip": LM.LEFT_HIP,
        "knee": LM.LEFT_KNEE, "ankle": LM.LEFT_ANKLE, "heel": LM.LEFT_HEEL,
        "toe": LM.LEFT_FOOT_INDEX, "wrist": LM.LEFT_WRIST,
    },
    "right": {
        "ear": LM.RIGHT_EAR, "shoulder": LM.RIGHT_SHOULDER, "hip": LM.RIGHT_HIP,
        "knee": LM.RIGHT_KNEE, "ankle": LM.RIGHT_ANKLE, "heel": LM.RIGHT_HEEL,
        "toe": LM.RIGHT_FOOT_INDEX, "wrist": LM.RIGHT_WRIST,
    },
}  # fmt: skip


def side_points(side: Side) -> dict[str, int]:
    """Landmark indices of one side: ear, shoulder, hip, knee, ankle, heel, toe, wrist."""
    return _SIDE_POINTS[side]


def choose_side(seq: PoseSequence) -> Side:
    """The side facing the camera: the more visible one (MediaPipe sees the near side
    better); on a tie, the one nearer the camera (smaller z)."""
    left = [LM.LEFT_SHOULDER, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE]
    right = [LM.RIGHT_SHOULDER, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE]
    vis = seq.visibility
    if len(seq) == 0:
        return "left"
    vl, vr = float(np.nanmean(vis[:, left])), float(np.nanmean(vis[:, right]))
    if abs(vl - vr) > 0.02:
        return "left" if vl > vr else "right"
    z = seq.landmarks[:, :, 2]
    zl, zr = np.nanmean(z[:, left]), np.nanmean(z[:, right])
    return "left" if not (zr < zl) else "right"


def facing_sign(seq: PoseSequence) -> float:
    """+1 when the person faces +x (right in the image), -1 when facing left.

    From the feet (toes ahead of heels) and the nose ahead of the ears, over the clip.
    """
    xy = seq.xy
    toes = xy[:, [LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX], 0]
    heels = xy[:, [LM.LEFT_HEEL, LM.RIGHT_HEEL], 0]
    ears = xy[:, [LM.LEFT_EAR, LM.RIGHT_EAR], 0].mean(axis=1)
    votes = np.concatenate(
        [np.sign(toes - heels).ravel(), np.sign(xy[:, LM.NOSE, 0] - ears).ravel()]
    )
    total = float(np.nansum(votes))
    return 1.0 if total >= 0 else -1.0


@dataclass(frozen=True, eq=False)
class Kinematics:
    """Per-frame measurements, each ``(frames,)`` unless stated.

    Lengths are in torso lengths (``torso_px``), positions measured from the person's top
    (standing) position; ``hip_back``/``hip_down`` are positive backwards / downwards.
    """

    times_s: FloatArray
    side: Side
    facing: float
    torso_px: float
    hip_angle_deg: FloatArray
    knee_angle_deg: FloatArray
    trunk_deg: FloatArray
    """Trunk (hip -> shoulder) from vertical, positive leaning forward, negative back."""
    shin_deg: FloatArray
    """Shin (ankle -> knee) from vertical, positive with the knee ahead of the ankle."""
    thigh_deg: FloatArray
    """Thigh (hip -> knee) from hanging straight down, positive with the knee ahead of the
    hip: 0 standing, about 90 with the thigh level (a deep squat)."""
    hip_above_knee: FloatArray
    """Hip height above the knee, in torso lengths (about 0 at a parallel squat, more in a
    hinge, whose hips stay high)."""
    neck_deg: FloatArray
    """How far the ear-shoulder line is bent down (towards the front) from the hip-shoulder
    line: 0 = ear in line with the trunk, positive = head dropped / upper back rounded."""
    shoulder_drop: FloatArray
    """Shoulder height below its top position (the rep signal)."""
    hip_back: FloatArray
    hip_down: FloatArray
    foot_deg: FloatArray
    """Foot (heel -> toe) below horizontal: about 0 flat, 20+ with the heel up (NaN where
    the foot is not clearly seen)."""
    back_bulge: FloatArray
    """How far the back outline bulges beyond its end-to-end line (NaN without a mask)."""
    xy: FloatArray
    """``(frames, 33, 2)`` smoothed landmark pixels."""


def _bulge(profile: FloatArray) -> FloatArray:
    """``(frames, K)`` outline distances -> ``(frames,)`` bulge of the mid-back.

    The outline's furthest point over the middle of the back (30-70 % of the way from the
    shoulder to the hip) minus the mean of the outline near the ends (10 % and 90 %): a
    flat back gives about 0, a rounded back a positive bulge, in torso lengths.
    """
    k = profile.shape[1]
    i_lo, i_hi = round(0.1 * (k - 1)), round(0.9 * (k - 1))
    m_lo, m_hi = round(0.3 * (k - 1)), round(0.7 * (k - 1))
    middle = profile[:, m_lo : m_hi + 1]
    ok = (
        np.isfinite(middle).any(axis=1)
        & np.isfinite(profile[:, i_lo])
        & np.isfinite(profile[:, i_hi])
    )
    out = np.full(profile.shape[0], np.nan)
    if ok.any():
        out[ok] = np.nanmax(middle[ok], axis=1) - (profile[ok, i_lo] + profile[ok, i_hi]) / 2
    return out


def compute_kinematics(
    seq: PoseSequence, side: Side, th: FormThresholds = DEFAULT_THRESHOLDS
) -> Kinematics:
    """Smooth the landmarks of ``side`` and measure every per-frame quantity."""
    fps = seq.fps
    window = odd_window(th.smoothing_s, fps)
    xy = seq.xy.copy()
    xy[seq.visibility < 0.05] = np.nan  # a point the model did not place at all
    flat = xy.reshape(len(seq), -1)
    flat = smooth(fill_gaps(flat), window, order=2)
    xy = flat.reshape(len(seq), 33, 2)
    pts = {name: xy[:, idx] for name, idx in side_points(side).items()}
    facing = facing_sign(seq)
    torso = np.linalg.norm(pts["shoulder"] - pts["hip"], axis=1)
    torso_px = float(np.nanmedian(torso)) if np.isfinite(torso).any() else 1.0
    torso_px = max(torso_px, 1.0)
    hip_angle = angle_deg(pts["shoulder"], pts["hip"], pts["knee"])
    knee_angle = angle_deg(pts["hip"], pts["knee"], pts["ankle"])
    trunk = signed_from_vertical_deg(pts["hip"], pts["shoulder"], facing)
    shin = signed_from_vertical_deg(pts["ankle"], pts["knee"], facing)
    # the thigh from hanging straight down: the knee -> hip line from vertical, turned round
    # (a knee ahead of the hip leans that line backwards)
    thigh = -signed_from_vertical_deg(pts["knee"], pts["hip"], facing)
    # neck: signed turn from the trunk direction to the shoulder -> ear direction
    t_vec = pts["shoulder"] - pts["hip"]
    n_vec = pts["ear"] - pts["shoulder"]
    cross = t_vec[:, 0] * n_vec[:, 1] - t_vec[:, 1] * n_vec[:, 0]
    dot = np.sum(t_vec * n_vec, axis=1)
    # in image coords (y down) a turn towards the front and down has cross * facing > 0
    neck = np.degrees(np.arctan2(cross * facing, dot))
    shoulder_y = pts["shoulder"][:, 1]
    hip = pts["hip"]
    top = _top_frames(shoulder_y)
    ref_sh = float(np.nanmedian(shoulder_y[top])) if top.any() else float(np.nanmin(shoulder_y))
    ref_hip = np.nanmedian(hip[top], axis=0) if top.any() else hip[0]
    shoulder_drop = (shoulder_y - ref_sh) / torso_px
    hip_above_knee = (pts["knee"][:, 1] - hip[:, 1]) / torso_px
    hip_back = -facing * (hip[:, 0] - ref_hip[0]) / torso_px
    hip_down = (hip[:, 1] - ref_hip[1]) / torso_px
    foot = pts["toe"] - pts["heel"]
    foot_deg = np.degrees(np.arctan2(foot[:, 1], np.abs(foot[:, 0])))
    pts_idx = side_points(side)
    foot_vis = seq.visibility[:, [pts_idx["heel"], pts_idx["toe"]]].min(axis=1)
    foot_deg = np.where(foot_vis >= th.foot_min_visibility, foot_deg, np.nan)
    if seq.back_profile is not None and seq.back_profile.shape[1] >= 5:
        bulge = smooth(_bulge(seq.back_profile), window, order=2)
    else:
        bulge = np.full(len(seq), np.nan)
    return Kinematics(
        times_s=seq.times_s,
        side=side,
        facing=facing,
        torso_px=torso_px,
        hip_angle_deg=hip_angle,
        knee_angle_deg=knee_angle,
        trunk_deg=trunk,
        shin_deg=shin,
        thigh_deg=thigh,
        hip_above_knee=hip_above_knee,
        neck_deg=neck,
        shoulder_drop=shoulder_drop,
        hip_back=hip_back,
        hip_down=hip_down,
        foot_deg=foot_deg,
        back_bulge=bulge,
        xy=xy,
    )


def _top_frames(shoulder_y: FloatArray) -> np.ndarray:
    """Frames in the highest 10 % of shoulder positions (the person's standing posture)."""
    finite = np.isfinite(shoulder_y)
    if not finite.any():
        return finite
    cut = np.nanpercentile(shoulder_y, 10)
    return finite & (shoulder_y <= cut)
