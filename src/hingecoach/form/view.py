"""Is this a usable side view? Which stretch of the clip is? (R-FORM-1, R-FORM-5)

Per frame: is there a person, are they seen from the side (within about 20 deg), is the
whole body (head to ankles) in frame. Short flickers of a wrong view between two clear side
views do not split the stretch; the stretch is then refused when its pose cannot be trusted
(limb lengths no body makes: :mod:`hingecoach.form.reliability`). The analysis runs on the
longest usable stretch (a clip that cuts from a front to a side view is analysed on its side
part); a clip whose usable part is too small is refused with what to re-film.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hingecoach.form.errors import ViewRefusedError
from hingecoach.form.kinematics import Side, choose_side, side_points
from hingecoach.form.pose import LM, FloatArray, PoseSequence
from hingecoach.form.reliability import judge_reliability
from hingecoach.form.signal import runs as true_runs
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["ViewCheck", "check_view", "view_angle_deg"]

_TORSO = [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP]

MESSAGES = {
    "no-person": (
        "no person found in the clip; film the whole body, side on, in good light, "
        "with the phone about 2-3 m away at hip height"
    ),
    "several-people": ("several people are in view; film with only the lifter in the frame"),
    "not-side-view": (
        "the camera is not side on ({angle:.0f} deg from a side view; need within "
        "{limit:.0f}); put the phone level with the hips, square to the side of the body"
    ),
    "body-cut-off": (
        "part of the body ({parts}) is out of the frame; step back or move the phone "
        "so head to feet stay in view for the whole set"
    ),
    "body-occluded": (
        "part of the body is hidden (behind the plates, the rack or the arms) in "
        "{episodes} moments of the set, so the joints cannot be placed; film from the "
        "side with nothing between the phone and the lifter, the whole body in view"
    ),
    "pose-unreliable": (
        "the body cannot be tracked reliably (the picture cuts between shots, or the "
        "lifter is hard to see against the light); film one continuous take from the "
        "side, in good light, with the whole body in view"
    ),
}


@dataclass(frozen=True)
class ViewCheck:
    """The view decision: accepted stretch, side and the measured view angle."""

    side: Side
    view_angle_deg: float
    start_s: float
    end_s: float
    start_index: int
    stop_index: int
    """The accepted frames are ``[start_index, stop_index)``."""
    person_fraction: float
    note: str


def view_angle_deg(seq: PoseSequence, th: FormThresholds = DEFAULT_THRESHOLDS) -> FloatArray:
    """``(frames,)`` estimated angle between the camera axis and the body's side normal.

    The shoulders and hips look narrow from the side and wide from the front: the sum of
    their apparent widths over the torso length, divided by its front-view value
    (``shoulder_hip_width_ratio``), is the sine of the view angle. NaN without a person.
    """
    xy = seq.xy
    sw = np.abs(xy[:, LM.LEFT_SHOULDER, 0] - xy[:, LM.RIGHT_SHOULDER, 0])
    hw = np.abs(xy[:, LM.LEFT_HIP, 0] - xy[:, LM.RIGHT_HIP, 0])
    mid_s = (xy[:, LM.LEFT_SHOULDER] + xy[:, LM.RIGHT_SHOULDER]) / 2
    mid_h = (xy[:, LM.LEFT_HIP] + xy[:, LM.RIGHT_HIP]) / 2
    torso = np.linalg.norm(mid_s - mid_h, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (sw + hw) / torso / th.shoulder_hip_width_ratio
    return np.asarray(np.degrees(np.arcsin(np.clip(ratio, 0.0, 1.0))), dtype=np.float64)


def _person(seq: PoseSequence) -> npt.NDArray[np.bool_]:
    xy = seq.xy[:, _TORSO]
    seen = np.all(np.isfinite(xy[..., 0]), axis=1)
    visible = seq.visibility[:, _TORSO].mean(axis=1) > 0.3
    return np.asarray(seen & visible, dtype=bool)


def _cut_off(
    seq: PoseSequence, side: Side, th: FormThresholds
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """``(frames,)`` any key point out of frame, and ``(frames, 5)`` which ones."""
    pts = side_points(side)
    idx = [pts["ear"], pts["shoulder"], pts["hip"], pts["knee"], pts["ankle"]]
    xy = seq.xy[:, idx]
    mx, my = th.frame_margin * seq.width_px, th.frame_margin * seq.height_px
    out = (
        (xy[..., 0] < -mx)
        | (xy[..., 0] > seq.width_px + mx)
        | (xy[..., 1] < -my)
        | (xy[..., 1] > seq.height_px + my)
    )
    return np.asarray(out.any(axis=1), dtype=bool), out.astype(np.float64)


def _majority(flags: np.ndarray, window: int) -> np.ndarray:
    """A running majority vote over ``window`` frames (keeps length)."""
    if window <= 1 or flags.size == 0:
        return flags
    window = window if window % 2 == 1 else window + 1
    kernel = np.ones(window) / window
    padded = np.concatenate(
        [np.repeat(flags[:1], window // 2), flags, np.repeat(flags[-1:], window // 2)]
    )
    return np.convolve(padded.astype(np.float64), kernel, mode="valid") >= 0.5


def _bridge(
    usable: npt.NDArray[np.bool_], seen: npt.NDArray[np.bool_], th: FormThresholds, fps: float
) -> npt.NDArray[np.bool_]:
    """Join two usable stretches, each at least ``view_bridge_min_s`` long, split by at most
    ``view_gap_s`` of frames where the person is still seen (in frame) but the view reads as
    not side on."""
    out = usable.copy()
    gap_limit, side_min = th.view_gap_s * fps, th.view_bridge_min_s * fps
    merged: list[tuple[int, int]] = []
    for a, b in true_runs(usable):
        if merged:
            pa, pb = merged[-1]
            if (
                a - pb <= gap_limit
                and pb - pa >= side_min
                and b - a >= side_min
                and seen[pb:a].all()
            ):
                out[pb:a] = True
                merged[-1] = (pa, b)
                continue
        merged.append((a, b))
    return out


def _check_reliability(
    seq: PoseSequence, side: Side, start: int, stop: int, th: FormThresholds
) -> None:
    """R-FORM-5: refuse a stretch whose pose is a guess (limb lengths no body makes)."""
    stretch = PoseSequence(
        landmarks=seq.landmarks[start:stop],
        times_s=seq.times_s[start:stop],
        width_px=seq.width_px,
        height_px=seq.height_px,
    )
    found = judge_reliability(stretch, side, th)
    if found.unreliable(th):
        raise ViewRefusedError("pose-unreliable", MESSAGES["pose-unreliable"])
    if found.occluded(th):
        raise ViewRefusedError(
            "body-occluded", MESSAGES["body-occluded"].format(episodes=found.episodes)
        )


def check_view(seq: PoseSequence, th: FormThresholds = DEFAULT_THRESHOLDS) -> ViewCheck:
    """R-FORM-5: accept the longest usable stretch or raise :class:`ViewRefusedError`."""
    n = len(seq)
    if n == 0:
        raise ViewRefusedError("no-person", MESSAGES["no-person"])
    person = _person(seq)
    person_fraction = float(person.mean())
    if person_fraction < th.min_person_fraction or person.sum() < 3:
        raise ViewRefusedError("no-person", MESSAGES["no-person"])
    if seq.people is not None:
        several = seq.people[person] > 1
        if several.mean() > 0.5:
            raise ViewRefusedError("several-people", MESSAGES["several-people"])
    side = choose_side(seq)
    angle = view_angle_deg(seq, th)
    side_on = person & (np.nan_to_num(angle, nan=90.0) <= th.max_side_yaw_deg)
    cut, which = _cut_off(seq, side, th)
    window = max(1, round(th.view_smoothing_s * seq.fps))
    side_on_s = _majority(side_on, window)
    cut_s = _majority(cut & person, window)
    person_s = _majority(person, window)
    usable = _bridge(person_s & side_on_s & ~cut_s, person_s & ~cut_s, th, seq.fps)
    runs = true_runs(usable)
    best = max(runs, key=lambda r: r[1] - r[0]) if runs else (0, 0)
    start, stop = best
    length = stop - start
    duration = float(seq.times_s[stop - 1] - seq.times_s[start]) if length > 1 else 0.0
    enough = length >= th.min_usable_fraction * person.sum() and (
        duration >= th.min_usable_s or length >= 0.9 * n
    )
    if not enough:
        present = person_s
        not_side = present & ~side_on_s
        cut_only = present & side_on_s & cut_s
        if not_side.sum() >= cut_only.sum():
            # the angle of the frames judged not side on: the number shown is the one tested
            seen = angle[not_side & np.isfinite(angle)]
            median_angle = float(np.median(seen)) if seen.size else 90.0
            raise ViewRefusedError(
                "not-side-view",
                MESSAGES["not-side-view"].format(angle=median_angle, limit=th.max_side_yaw_deg),
            )
        names = ["head", "shoulders", "hips", "knees", "feet"]
        share = which[cut & person].mean(axis=0) if (cut & person).any() else np.zeros(5)
        parts = ", ".join(nm for nm, s in zip(names, share, strict=True) if s > 0.2) or "feet"
        raise ViewRefusedError("body-cut-off", MESSAGES["body-cut-off"].format(parts=parts))
    _check_reliability(seq, side, start, stop, th)
    sub_angle = angle[start:stop]
    finite = sub_angle[np.isfinite(sub_angle)]
    notes = []
    if start > 0 or stop < n:
        notes.append(
            f"analysed {seq.times_s[start]:.1f}-{seq.times_s[stop - 1]:.1f} s, the usable side "
            "view; the rest was skipped"
        )
    return ViewCheck(
        side=side,
        view_angle_deg=float(np.median(finite)) if finite.size else float("nan"),
        start_s=float(seq.times_s[start]),
        end_s=float(seq.times_s[stop - 1]),
        start_index=start,
        stop_index=stop,
        person_fraction=person_fraction,
        note="; ".join(notes),
    )
