"""Synthetic side-view pose sequences: a stick figure doing reps, with knobs for each fault.

Angles follow the project's conventions (trunk and shin from vertical, positive forward;
knee angle 180 = straight). The near side is the left one, seen better than the right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hingecoach.form.pose import LM, PoseSequence


@dataclass(frozen=True)
class Motion:
    reps: int = 4
    fps: float = 30.0
    descent_s: float = 1.0
    ascent_s: float = 1.0
    bottom_hold_s: float = 0.2
    top_hold_s: float = 0.8
    trunk_bottom_deg: float = 65.0
    knee_bottom_deg: float = 140.0
    shin_bottom_deg: float = 10.0
    neck_top_deg: float = 20.0
    neck_bottom_deg: float = -15.0
    lean_back_deg: float = 0.0
    back_bulge: float = 0.0
    foot_tilt_deg: float = 3.0
    """The foot's tilt while moving (heels up when large); standing it is the clean 3 deg."""
    camera_foot_tilt_deg: float = 0.0
    """Added to the foot's tilt in every frame: a phone below the feet sees flat feet tilted."""
    hands: str = "hang"  # "hang" (holding a load) or "forward"
    start: str = "top"  # "top", "bottom" or "mid-descent"
    end: str = "top"  # "top" or "bottom"
    hips_rise_first: bool = False
    facing: float = 1.0
    front_view: bool = False
    torso_px: float = 200.0
    frame_w: int = 1280
    frame_h: int = 1280
    faulty_reps: tuple[int, ...] | None = None
    """Apply the fault knobs (trunk/knee/neck/bulge/lean/foot) only on these reps (1-based)."""


def _depth_profile(m: Motion) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, depth 0..1 per frame, and the rep number of each frame (0 = none)."""
    dt = 1.0 / m.fps
    pieces: list[tuple[float, float, float, int]] = []  # (duration, from, to, rep)
    if m.start == "top":
        pieces.append((m.top_hold_s, 0, 0, 0))
    for r in range(1, m.reps + 1):
        if not (r == 1 and m.start in ("bottom", "mid-descent")):
            pieces.append((m.descent_s, 0, 1, r))
        elif m.start == "mid-descent":
            pieces.append((m.descent_s / 2, 0.75, 1, r))
        pieces.append((m.bottom_hold_s, 1, 1, r))
        pieces.append((m.ascent_s, 1, 0, r))
        pieces.append((m.top_hold_s, 0, 0, r))
    if m.end == "bottom":
        pieces.append((m.descent_s, 0, 1, m.reps + 1))
        pieces.append((m.bottom_hold_s, 1, 1, m.reps + 1))
    times, depth, rep = [], [], []
    t = 0.0
    for duration, a, b, r in pieces:
        n = max(1, round(duration * m.fps))
        for i in range(n):
            u = i / n
            ease = 0.5 - 0.5 * math.cos(math.pi * u)
            times.append(t)
            depth.append(a + (b - a) * ease)
            rep.append(r)
            t += dt
    return np.array(times), np.array(depth), np.array(rep)


def make_sequence(m: Motion = Motion()) -> PoseSequence:
    times, depth, rep_of = _depth_profile(m)
    n = times.size
    L = m.torso_px
    shin_len, thigh_len, arm_len, neck_len = 0.9 * L, 0.9 * L, 1.1 * L, 0.35 * L
    lm = np.zeros((n, 33, 4))
    lm[:, :, 3] = 0.9
    profile = np.full((n, 11), 0.1)
    f = m.facing
    ankle = np.array([m.frame_w * 0.5, m.frame_h * 0.85])
    for i in range(n):
        p = depth[i]
        faulty = m.faulty_reps is None or rep_of[i] in m.faulty_reps
        clean = Motion()
        trunk_b = m.trunk_bottom_deg if faulty else clean.trunk_bottom_deg
        knee_b = m.knee_bottom_deg if faulty else clean.knee_bottom_deg
        neck_b = m.neck_bottom_deg if faulty else clean.neck_bottom_deg
        knee = 180 - p * (180 - knee_b)
        trunk = p * trunk_b
        if m.hips_rise_first and faulty and i > 0 and depth[i] < depth[i - 1]:
            # on the way up the knees straighten first while the trunk tips further
            knee = 180 - max(0.0, (p - 0.5) / 0.5) * (180 - knee_b)
            peak = trunk_b + 15.0
            trunk = peak - 15.0 * max(0.0, (p - 0.5) / 0.5) if p >= 0.5 else p / 0.5 * peak
        if p < 0.05 and faulty:
            trunk -= m.lean_back_deg * (1 - p / 0.05)
        shin = p * m.shin_bottom_deg
        flex = 180 - knee
        knee_pt = ankle + shin_len * np.array(
            [math.sin(math.radians(shin)) * f, -math.cos(math.radians(shin))]
        )
        thigh_dir = math.radians(shin - flex)
        hip = knee_pt + thigh_len * np.array([math.sin(thigh_dir) * f, -math.cos(thigh_dir)])
        tr = math.radians(trunk)
        shoulder = hip + L * np.array([math.sin(tr) * f, -math.cos(tr)])
        neck = m.neck_top_deg + p * (neck_b - m.neck_top_deg)
        nd = math.radians(trunk + neck)
        ear = shoulder + neck_len * np.array([math.sin(nd) * f, -math.cos(nd)])
        nose = ear + 0.12 * L * np.array(
            [math.sin(nd + math.pi / 2) * f, -math.cos(nd + math.pi / 2)]
        )
        wrist = shoulder + (
            np.array([0.0, arm_len]) if m.hands == "hang" else np.array([arm_len * f, 0.0])
        )
        rising = faulty and p > 0.05  # heels come up once the movement starts
        tilt = math.radians(
            (m.foot_tilt_deg if rising else clean.foot_tilt_deg) + m.camera_foot_tilt_deg
        )
        toe = ankle + np.array([0.12 * L * f, 0.06 * L])
        heel = toe + 0.3 * L * np.array([-math.cos(tilt) * f, -math.sin(tilt)])
        points = {
            "EAR": ear, "SHOULDER": shoulder, "ELBOW": (shoulder + wrist) / 2, "WRIST": wrist,
            "HIP": hip, "KNEE": knee_pt, "ANKLE": ankle, "HEEL": heel, "FOOT_INDEX": toe,
        }  # fmt: skip
        spread = 0.35 * L if m.front_view else 3.0
        for name, pt in points.items():
            for side, sign, vis in (("LEFT", -1.0, 0.99), ("RIGHT", 1.0, 0.6)):
                idx = LM[f"{side}_{name}"]
                lm[i, idx, 0] = pt[0] + sign * spread
                lm[i, idx, 1] = pt[1]
                lm[i, idx, 2] = sign * (0.05 if m.front_view else 0.3) * L
                lm[i, idx, 3] = vis
        lm[i, LM.NOSE, :2] = nose
        lm[i, LM.LEFT_EYE, :2] = (nose + ear) / 2
        lm[i, LM.RIGHT_EYE, :2] = (nose + ear) / 2
        bulge = m.back_bulge if faulty else 0.0
        profile[i] = 0.1 + p * bulge * np.sin(np.linspace(0, math.pi, 11))
    # landmarks the figure does not model: put them at the hip, barely visible
    for j in range(33):
        if not lm[:, j, :2].any():
            lm[:, j, :2] = lm[:, LM.LEFT_HIP, :2]
            lm[:, j, 3] = 0.1
    return PoseSequence(lm, times, m.frame_w, m.frame_h, back_profile=profile, source="synthetic")


def rep_bottoms(m: Motion) -> list[float]:
    """The synthetic bottom times (centre of each bottom hold) of the complete reps."""
    times, depth, rep_of = _depth_profile(m)
    out = []
    for r in range(1, m.reps + 1):
        held = times[(rep_of == r) & (depth >= 0.999)]
        if held.size:
            out.append(float((held[0] + held[-1]) / 2))
    return out


def _with(
    seq: PoseSequence, landmarks: np.ndarray, times: np.ndarray | None = None
) -> PoseSequence:
    profile = seq.back_profile
    return PoseSequence(
        landmarks,
        seq.times_s if times is None else times,
        seq.width_px,
        seq.height_px,
        back_profile=profile,
        source=seq.source,
    )


def jitter(seq: PoseSequence, px: float, seed: int = 0) -> PoseSequence:
    """The model's frame-to-frame noise: every point moved by up to about ``px`` pixels."""
    rng = np.random.default_rng(seed)
    lm = seq.landmarks.copy()
    lm[:, :, :2] += rng.normal(0.0, px / 2, size=lm[:, :, :2].shape)
    return _with(seq, lm)


def reframe(
    seq: PoseSequence, from_s: float, scale: float, shift_px: tuple[float, float]
) -> PoseSequence:
    """A jump cut to another framing at ``from_s``: the picture zooms by ``scale`` about the
    frame centre and moves by ``shift_px`` (every landmark jumps at once)."""
    lm = seq.landmarks.copy()
    after = seq.times_s >= from_s
    centre = np.array([seq.width_px / 2, seq.height_px / 2])
    lm[after, :, :2] = (lm[after, :, :2] - centre) * scale + centre + np.asarray(shift_px)
    return _with(seq, lm)


def cut_out(seq: PoseSequence, from_s: float, to_s: float) -> PoseSequence:
    """A jump cut that edits out ``[from_s, to_s)``: the frames after it follow on at once
    (presentation time runs on without a gap)."""
    keep = (seq.times_s < from_s) | (seq.times_s >= to_s)
    dt = float(np.median(np.diff(seq.times_s)))
    times = np.arange(int(keep.sum()), dtype=np.float64) * dt
    back = None if seq.back_profile is None else seq.back_profile[keep]
    return PoseSequence(
        seq.landmarks[keep], times, seq.width_px, seq.height_px, back_profile=back,
        source=seq.source,
    )  # fmt: skip


def then(first: PoseSequence, second: PoseSequence) -> PoseSequence:
    """``second`` straight after ``first`` (a hard cut between two shots)."""
    dt = float(np.median(np.diff(first.times_s)))
    times = np.concatenate([first.times_s, first.times_s[-1] + dt + second.times_s])
    back = None
    if first.back_profile is not None and second.back_profile is not None:
        back = np.concatenate([first.back_profile, second.back_profile])
    return PoseSequence(
        np.concatenate([first.landmarks, second.landmarks]), times, first.width_px,
        first.height_px, back_profile=back, source=first.source,
    )  # fmt: skip
