"""Repetitions from the shoulder-height signal (R-FORM-1).

The shoulders drop in every hinge and squat, and stay visible when a plate hides the hips or
knees, so their height (in torso lengths below the standing position) is the rep signal.
Zones with hysteresis: *top* below 30 % of the clip's range, *bottom* above 65 %. A rep is a
bottom followed by a return to the top; it must start from the top too, except for a lift
from the floor whose clip opens at the bottom (counting conventions of the labelled data).
A bottom with no return to the top (the final set-down, a clip that ends low) and a bottom
with no top before it (a clip that opens part-way) are partial reps and not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from hingecoach.form.kinematics import Kinematics
from hingecoach.form.pose import FloatArray
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["BottomTime", "RepSpan", "Segmentation", "StartPosition", "segment_reps"]

StartPosition = Literal["floor", "standing"]
BottomTime = Literal["centre", "liftoff"]


@dataclass(frozen=True)
class RepSpan:
    """Frame indices of one repetition (into the analysed stretch)."""

    start: int
    """Leaving the top (or the first frame for a floor start)."""
    bottom: int
    """The bottom time's frame."""
    bottom_first: int
    bottom_last: int
    """The bottom band (frames within ``bottom_band`` of the deepest point)."""
    end: int
    """Back at the top."""
    descent_end: int
    ascent_start: int
    """Arriving at and leaving the bottom: the descent runs ``start..descent_end``, the
    ascent ``ascent_start..end`` (while the shoulders move faster than
    ``tempo_speed_share`` of the rep's peak speed)."""
    from_floor_start: bool
    """The clip opened at the bottom: no descent was seen."""


@dataclass(frozen=True)
class Segmentation:
    reps: list[RepSpan]
    partial: list[RepSpan]
    """Movement fragments that are not counted (clip ends, set-downs)."""
    signal: FloatArray
    top_level: float
    bottom_level: float
    range: float
    note: str


def _zones(s: FloatArray, top: float, bottom: float) -> list[tuple[str, int, int]]:
    """Alternating ``("T"|"B", first, last)`` zones with hysteresis."""
    zones: list[tuple[str, int, int]] = []
    for i, v in enumerate(s):
        if not np.isfinite(v):
            continue
        kind = "T" if v <= top else "B" if v >= bottom else ""
        if not kind:
            continue
        if zones and zones[-1][0] == kind:
            zones[-1] = (kind, zones[-1][1], i)
        else:
            zones.append((kind, i, i))
    return zones


def segment_reps(
    kin: Kinematics,
    *,
    start: StartPosition = "standing",
    bottom_time: BottomTime = "centre",
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> Segmentation:
    """Split the clip into counted reps and partial fragments (R-FORM-1).

    Args:
        kin: per-frame kinematics of the analysed stretch.
        start: ``"floor"`` for lifts that start with the load on the floor (a clip opening
            at the bottom then counts its first pull), ``"standing"`` otherwise.
        bottom_time: ``"centre"`` of the bottom band (lowest point, centre of a held
            bottom) or ``"liftoff"`` (its end: the moment a barbell leaves the floor).
    """
    s = kin.shoulder_drop
    finite = s[np.isfinite(s)]
    if finite.size < 3:
        return Segmentation([], [], s, 0.0, 0.0, 0.0, "too few frames")
    lo, hi = float(np.percentile(finite, 2)), float(np.percentile(finite, 98))
    rng = hi - lo
    if rng < th.min_rep_range:
        return Segmentation(
            [], [], s, lo, hi, rng, f"no rep: the shoulders moved only {rng:.2f} torso lengths"
        )
    top_thr = lo + th.top_level * rng
    bot_thr = lo + th.bottom_level * rng
    zones = _zones(s, top_thr, bot_thr)
    reps: list[RepSpan] = []
    partial: list[RepSpan] = []
    for k, (kind, first, last) in enumerate(zones):
        if kind != "B":
            continue
        before = zones[k - 1] if k > 0 else None
        after = zones[k + 1] if k + 1 < len(zones) else None
        span = _bottom_span(s, kin.times_s, first, last, before, after, lo, bottom_time, th)
        opens_at_bottom = before is None and kin.times_s[first] - kin.times_s[0] <= 0.15
        floor_ok = (
            start == "floor"
            and opens_at_bottom
            and _hip_at(kin, first, last) <= th.floor_start_max_hip_deg
        )
        locked = after is not None and _locked_out(kin, after[1], after[2], th)
        opened_high = before is None and bool(s[np.isfinite(s)][0] <= lo + th.open_top_level * rng)
        if after is not None and locked and (before is not None or floor_ok or opened_high):
            reps.append(span)
        else:
            partial.append(span)
    note = "" if reps else "no complete rep found"
    return Segmentation(reps, partial, s, top_thr, bot_thr, rng, note)


def _hip_at(kin: Kinematics, first: int, last: int) -> float:
    vals = kin.hip_angle_deg[first : last + 1]
    vals = vals[np.isfinite(vals)]
    return float(vals.min()) if vals.size else 180.0


def _locked_out(kin: Kinematics, first: int, last: int, th: FormThresholds) -> bool:
    """A top zone counts as lockout when the hip opened (or the trunk came upright)."""
    hip = kin.hip_angle_deg[first : last + 1]
    trunk = np.abs(kin.trunk_deg[first : last + 1])
    hip_ok = bool(np.any(hip >= th.lockout_hip_deg))
    trunk_ok = bool(np.any(trunk <= 25.0))
    return hip_ok or trunk_ok


def _moving(speed: FloatArray, lo: int, hi: int, sign: float, share: float) -> tuple[int, int]:
    """First and last frame of the movement in ``[lo, hi]`` going in ``sign`` direction."""
    if hi <= lo:
        return lo, hi
    seg = sign * speed[lo : hi + 1]
    peak = int(np.argmax(seg))
    limit = share * float(seg[peak])
    if limit <= 0:
        return lo, hi
    a = peak
    while a > 0 and seg[a - 1] > limit:
        a -= 1
    b = peak
    while b < seg.size - 1 and seg[b + 1] > limit:
        b += 1
    return lo + a, lo + b


def _bottom_span(
    s: FloatArray,
    times: FloatArray,
    first: int,
    last: int,
    before: tuple[str, int, int] | None,
    after: tuple[str, int, int] | None,
    lo: float,
    bottom_time: BottomTime,
    th: FormThresholds,
) -> RepSpan:
    seg = s[first : last + 1]
    deepest = first + int(np.nanargmax(seg))
    depth = float(s[deepest])
    share = th.bottom_band / 2 if bottom_time == "liftoff" else th.bottom_band
    band = share * max(depth - lo, 1e-6)
    b0 = deepest
    while b0 > first and s[b0 - 1] >= depth - band:
        b0 -= 1
    b1 = deepest
    while b1 < last and s[b1 + 1] >= depth - band:
        b1 += 1
    # lift-off is the end of the set-up hold (a tighter band: the bar breaks the floor as
    # soon as the shoulders start to rise)
    bottom = b1 if bottom_time == "liftoff" else (b0 + b1) // 2
    # the movement runs while the shoulders move faster than a small share of the rep's
    # peak speed: from leaving the top to arriving at the bottom, and back
    speed = np.gradient(s, times) if times.size > 1 else np.zeros_like(s)
    speed = np.where(np.isfinite(speed), speed, 0.0)
    lo_i = before[1] if before is not None else first
    hi_i = after[2] if after is not None else last
    start, d_end = _moving(speed, lo_i, deepest, +1.0, th.tempo_speed_share)
    a_start, end = _moving(speed, deepest, hi_i, -1.0, th.tempo_speed_share)
    if before is None:
        start = first
    if after is None:
        end = last
    return RepSpan(
        start=start,
        bottom=bottom,
        bottom_first=b0,
        bottom_last=b1,
        end=end,
        descent_end=d_end,
        ascent_start=a_start,
        from_floor_start=before is None,
    )
