"""Repetitions from the shoulder-height signal (R-FORM-1).

The shoulders drop in every hinge and squat, and stay visible when a plate hides the hips or
knees, so their height is the rep signal: how far the shoulders are below standing height
above the ankles, in torso lengths (:func:`depth_signal`). It is measured against the body's
own size in the picture within each shot, so a zooming or handheld camera, or a cut to
another framing, does not move it.

Zones with hysteresis: *top* below 30 % of the clip's range, *bottom* above 65 %; a zone
shorter than ``zone_min_s`` is noise and does not count. A rep is a bottom followed by a
return to the top; it must start from the top too, except for a lift from the floor whose
first bottom is at the floor (counting conventions of the labelled data). A bottom held for
seconds stays one zone, so it is one rep, timed at the centre of the hold. A bottom with no
return to the top (the final set-down, a clip that ends low) and a bottom with no top before
it (a clip that opens part-way or at the bottom) are partial reps and not counted. Reps are
counted across cuts (:mod:`hingecoach.form.shots`): top, bottom, top, whatever was edited
out between them; frames left out (no side view, a glitch) hold no zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from hingecoach.form.kinematics import Kinematics, side_points
from hingecoach.form.pose import FloatArray
from hingecoach.form.shots import Shots
from hingecoach.form.signal import odd_window
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = [
    "BottomTime",
    "RepSpan",
    "Segmentation",
    "StartPosition",
    "depth_signal",
    "segment_reps",
]

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
    judged_from: int | None = None
    """Where the rep's faults are looked for, when not from ``start``: a pull from the
    floor is judged from its set-up on (the set-down before it ended the rep before)."""


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


def depth_signal(
    kin: Kinematics,
    shots: Shots | None = None,
    left_out: npt.NDArray[np.bool_] | None = None,
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> FloatArray:
    """``(frames,)`` how far the shoulders are below standing, in torso lengths.

    Standing height is the body's length in the picture (torso + thigh + shin: from the
    side it keeps its length whatever the posture); the shoulders' height is measured from
    the ankles. Both are per frame, and the lengths are running medians over
    ``body_window_s`` within each shot, so the signal does not depend on where the camera
    is or how far it zooms. NaN on frames ``left_out``, glitches, and the few frames at each
    cut that the smoothing blurred.
    """
    pts = side_points(kin.side)
    xy = kin.xy
    sh, hip, knee, ankle = (xy[:, pts[k]].copy() for k in ("shoulder", "hip", "knee", "ankle"))
    if left_out is not None:  # measured, framing included, on the frames kept only
        for points in (sh, hip, knee, ankle):
            points[left_out] = np.nan
    torso = np.linalg.norm(sh - hip, axis=1)
    body = torso + np.linalg.norm(hip - knee, axis=1) + np.linalg.norm(knee - ankle, axis=1)
    n = kin.times_s.size
    fps = (n - 1) / float(kin.times_s[-1] - kin.times_s[0]) if n > 1 else 30.0
    out = np.full(n, np.nan)
    blur = odd_window(th.smoothing_s, fps) // 2
    bounds = shots.bounds(n) if shots is not None else [(0, n)]
    for a, b in bounds:
        # each shot against its own framing: the standing shoulder height is the ankles'
        # height less the body's length, the unit its torso (medians over the shot: the
        # ankles are often hidden behind a plate, and guessed)
        standing_y = _median(ankle[a:b, 1]) - _median(body[a:b])
        out[a:b] = (sh[a:b, 1] - standing_y) / max(_median(torso[a:b]), 1.0)
    if shots is not None:
        for a in shots.starts:
            out[max(0, a - blur) : a + blur] = np.nan
        out[shots.glitch] = np.nan
    if left_out is not None:
        out[left_out] = np.nan
    return out


def _median(values: FloatArray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def _zones(
    s: FloatArray, top: float, bottom: float, min_frames: int = 1
) -> list[tuple[str, int, int]]:
    """Alternating ``("T"|"B", first, last)`` zones with hysteresis; a zone with fewer
    than ``min_frames`` frames in it is dropped (its neighbours of one kind join)."""
    raw: list[tuple[str, int, int, int]] = []
    for i, v in enumerate(s):
        if not np.isfinite(v):
            continue
        kind = "T" if v <= top else "B" if v >= bottom else ""
        if not kind:
            continue
        if raw and raw[-1][0] == kind:
            k, first, _, count = raw[-1]
            raw[-1] = (k, first, i, count + 1)
        else:
            raw.append((kind, i, i, 1))
    zones: list[tuple[str, int, int]] = []
    for kind, first, last, count in raw:
        if count < min_frames:
            continue
        if zones and zones[-1][0] == kind:
            zones[-1] = (kind, zones[-1][1], last)
        else:
            zones.append((kind, first, last))
    return zones


def segment_reps(
    kin: Kinematics,
    *,
    start: StartPosition = "standing",
    bottom_time: BottomTime = "centre",
    shots: Shots | None = None,
    left_out: npt.NDArray[np.bool_] | None = None,
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> Segmentation:
    """Split the clip into counted reps and partial fragments (R-FORM-1).

    Args:
        kin: per-frame kinematics of the analysed stretch.
        start: ``"floor"`` for lifts that start with the load on the floor (a clip opening
            at the bottom then counts its first pull), ``"standing"`` otherwise.
        bottom_time: ``"centre"`` of the bottom band (lowest point, centre of a held
            bottom) or ``"liftoff"`` (its end: the moment a barbell leaves the floor).
        shots: the clip's cuts (:func:`hingecoach.form.shots.find_shots`), if any.
        left_out: ``(frames,)`` frames not to count on (not a side view).
    """
    s = depth_signal(kin, shots, left_out, th)
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
    times = kin.times_s
    fps = (times.size - 1) / float(times[-1] - times[0]) if times[-1] > times[0] else 30.0
    zones = _zones(s, top_thr, bot_thr, max(1, round(th.zone_min_s * fps)))
    reps: list[RepSpan] = []
    partial: list[RepSpan] = []
    for k, (kind, first, last) in enumerate(zones):
        if kind != "B":
            continue
        # frames left out (not side on) between a bottom and a top part them as the clip's
        # ends do: the rep was not seen whole
        before = zones[k - 1] if k > 0 and not _gap(left_out, zones[k - 1][2], first) else None
        after = (
            zones[k + 1]
            if k + 1 < len(zones) and not _gap(left_out, last, zones[k + 1][1])
            else None
        )
        # the rep starts and ends in what was seen of the tops around it (a top may reach
        # across frames left out; what came after them does not move the rep's end)
        span = _bottom_span(
            s,
            kin.times_s,
            first,
            last,
            _seen_part(before, left_out, last=True),
            _seen_part(after, left_out),
            lo,
            bottom_time,
            th,
        )
        opens_at_bottom = before is None and kin.times_s[first] - kin.times_s[0] <= 0.15
        floor_ok = (
            start == "floor"
            and opens_at_bottom
            and _hip_at(kin, first, last) <= th.floor_start_max_hip_deg
        )
        locked = after is not None and _locked_out(kin, after[1], after[2], th)
        opened_high = (
            k == 0 and before is None and bool(s[np.isfinite(s)][0] <= lo + th.open_top_level * rng)
        )
        if after is not None and locked and (before is not None or floor_ok or opened_high):
            reps.append(span)
        else:
            partial.append(span)
    note = "" if reps else "no complete rep found"
    return Segmentation(reps, partial, s, top_thr, bot_thr, rng, note)


def _seen_part(
    zone: tuple[str, int, int] | None,
    left_out: npt.NDArray[np.bool_] | None,
    *,
    last: bool = False,
) -> tuple[str, int, int] | None:
    """R-FORM-1: the part of ``zone`` next to the rep: up to the first frame left out
    inside it (its ``last`` part: from the last one), so a top that spans frames not seen
    does not carry the rep's end (or start) past them."""
    if zone is None or left_out is None:
        return zone
    kind, first, end = zone
    hidden = np.flatnonzero(left_out[first : end + 1])
    if hidden.size == 0:
        return zone
    if last:
        return (kind, first + int(hidden[-1]) + 1, end)
    return (kind, first, first + int(hidden[0]) - 1)


def _gap(left_out: npt.NDArray[np.bool_] | None, a: int, b: int) -> bool:
    """Are frames left out between frames ``a`` and ``b``?"""
    return left_out is not None and bool(left_out[a:b].any())


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
    # the bottom is every frame of the zone near the deepest point: a held bottom that
    # wavers (the model's jitter, a small bounce) is one bottom, timed at its centre
    near = first + np.flatnonzero(np.nan_to_num(seg, nan=-np.inf) >= depth - band)
    b0, b1 = int(near[0]), int(near[-1])
    pull = bottom_time == "liftoff"
    # lift-off is the end of the set-up hold (a tighter band: the bar breaks the floor as
    # soon as the shoulders start to rise)
    bottom = b1 if pull else (b0 + b1) // 2
    if pull:
        # R-FORM-1: the bottom position of a pull from the floor is its set-up, just before
        # lift-off, not the set-down of the rep before it, when the shoulders were as low
        b0 = max(b0, int(np.searchsorted(times, times[b1] - th.liftoff_setup_s)))
    # the movement runs while the shoulders move faster than a small share of the rep's
    # peak speed: from leaving the top to arriving at the bottom, and back
    speed = np.gradient(s, times) if times.size > 1 else np.zeros_like(s)
    speed = np.where(np.isfinite(speed), speed, 0.0)
    lo_i = before[1] if before is not None else first
    hi_i = after[2] if after is not None else last
    start, d_end = _moving(speed, lo_i, deepest, +1.0, th.tempo_speed_share)
    a_start, end = _moving(speed, deepest, hi_i, -1.0, th.tempo_speed_share)
    # a rep leaves the top no later than its top zone ends, and is back at the top by the
    # time its next top zone starts (where a cut edited the movement out, no speed says so)
    start = first if before is None else min(start, before[2])
    end = last if after is None else max(end, after[1])
    return RepSpan(
        start=start,
        bottom=bottom,
        bottom_first=b0,
        bottom_last=b1,
        end=end,
        descent_end=d_end,
        ascent_start=a_start,
        from_floor_start=before is None,
        judged_from=min(max(d_end, start), bottom) if pull else None,
    )
