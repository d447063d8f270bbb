"""Is this a usable side view? Which stretch of the clip is? (R-FORM-1, R-FORM-5)

Per frame: is there a person, are they seen from the side (within about 20 deg), is the
whole body (head to ankles) in frame. Short flickers of a wrong view between two clear side
views do not split the stretch; the stretch is then refused when its pose cannot be trusted
(limb lengths no body makes: :mod:`hingecoach.form.reliability`). The analysis runs on every
usable stretch long enough to judge (a clip that cuts from a front to a side view is analysed
on its side part; one that turns side, front, side on both side parts, the frames between
left out); a clip whose usable parts together are too small is refused with what to re-film.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hingecoach.form.errors import ViewRefusedError
from hingecoach.form.framing import CutOff, RepFraming, cut_off_frames, judge_rep_framing
from hingecoach.form.kinematics import Side, choose_side
from hingecoach.form.people import PeopleScan, find_other_lifters
from hingecoach.form.pose import LM, FloatArray, PoseSequence
from hingecoach.form.reliability import judge_reliability
from hingecoach.form.shots import shot_bounds, shot_lengths_s
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
        "the camera is not side on ({angle} deg from a side view; need within "
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
    """The analysed frames are ``[start_index, stop_index)`` ..."""
    person_fraction: float
    note: str
    stretches: tuple[tuple[int, int], ...] = ()
    """... of which the usable side-view stretches ``[a, b)`` (clip frame indices) are
    judged; the frames between them are left out (empty: all of them are usable)."""
    not_side_on: tuple[tuple[int, int], ...] = ()
    """Runs ``[a, b)`` of analysed frames (clip frame indices) whose angle is over the
    limit: short flickers kept inside a stretch; no fault is read from them."""

    def left_out(self) -> npt.NDArray[np.bool_]:
        """``(stop_index - start_index,)`` the analysed frames that are not side on."""
        out = np.zeros(self.stop_index - self.start_index, dtype=bool)
        if self.stretches:
            out[:] = True
            for a, b in self.stretches:
                out[a - self.start_index : b - self.start_index] = False
        return out

    def judged(self) -> npt.NDArray[np.bool_]:
        """``(stop_index - start_index,)`` the analysed frames seen side on: the ones a
        fault may be read from (R-FORM-4)."""
        out = ~self.left_out()
        for a, b in self.not_side_on:
            out[a - self.start_index : b - self.start_index] = False
        return out


def view_angle_deg(seq: PoseSequence, th: FormThresholds = DEFAULT_THRESHOLDS) -> FloatArray:
    """``(frames,)`` estimated angle between the camera axis and the body's side normal.

    The shoulders and hips look narrow from the side and wide from the front: the sum of
    their apparent widths over the torso length, divided by its front-view value
    (``shoulder_hip_width_ratio``), is the sine of the view angle. NaN without a person.

    The pose model's depth (z) is no second opinion: the left-right depth gap of the
    shoulders and hips, read as an angle, ranks the labelled clips as the widths do but
    about three times smaller (side views 1-5 deg, oblique and rear views that must be
    refused 9-30 deg; median widths 3-13 and 23-90). A clip whose widths read 38 deg
    reads 14 by depth, as do the 35-45 deg oblique ones, so it tells them apart no better.
    The other cues measured (the far side's visibility, the ears' and knees' apparent
    spread) agree with the widths too.
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


def _running_median(values: FloatArray, window: int) -> FloatArray:
    """The median over ``window`` frames centred on each frame (keeps length; the ends are
    repeated). On an odd window, ``median <= limit`` is the running majority vote of
    ``value <= limit`` that :func:`_majority` takes."""
    if window <= 1 or values.size == 0:
        return values
    half = (window if window % 2 == 1 else window + 1) // 2
    padded = np.concatenate([np.repeat(values[:1], half), values, np.repeat(values[-1:], half)])
    return np.asarray(
        np.median(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1), axis=1),
        dtype=np.float64,
    )


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
    usable: npt.NDArray[np.bool_],
    seen: npt.NDArray[np.bool_],
    lost: npt.NDArray[np.bool_],
    th: FormThresholds,
    fps: float,
) -> npt.NDArray[np.bool_]:
    """Join two usable stretches, each at least ``view_bridge_min_s`` long, split by at most
    ``view_gap_s`` of frames where the person is still seen (in frame) but the view reads as
    not side on, or where the pose was ``lost`` for at most ``pose_lost_bridge_s`` at a
    time (motion blur, a plate passing the camera); two stretches of any length split by
    such a moment alone. The frames in between are not judged."""
    out = usable.copy()
    gap_limit, side_min = th.view_gap_s * fps, th.view_bridge_min_s * fps
    lost_limit = th.pose_lost_bridge_s * fps
    briefly_lost = np.zeros_like(lost)
    for a, b in true_runs(lost):
        if b - a <= lost_limit:
            briefly_lost[a:b] = True
    bridgeable = seen | briefly_lost
    merged: list[tuple[int, int]] = []
    for a, b in true_runs(usable):
        if merged:
            pa, pb = merged[-1]
            long_enough = pb - pa >= side_min and b - a >= side_min
            if briefly_lost[pb:a].all() or (
                a - pb <= gap_limit and long_enough and bridgeable[pb:a].all()
            ):
                out[pb:a] = True
                merged[-1] = (pa, b)
                continue
        merged.append((a, b))
    return out


def _check_reliability(
    seq: PoseSequence, side: Side, stretches: list[tuple[int, int]], th: FormThresholds
) -> None:
    """R-FORM-5: refuse stretches whose pose is a guess (limb lengths no body makes)."""
    found = judge_reliability(_frames(seq, *stretches[0]), side, th)
    for a, b in stretches[1:]:
        found = found + judge_reliability(_frames(seq, a, b), side, th)
    if found.unreliable(th):
        raise ViewRefusedError("pose-unreliable", MESSAGES["pose-unreliable"])
    if found.occluded(th):
        raise ViewRefusedError(
            "body-occluded", MESSAGES["body-occluded"].format(episodes=found.episodes)
        )


def _refuse_short_stretch(
    angle: FloatArray,
    present: npt.NDArray[np.bool_],
    side_on: npt.NDArray[np.bool_],
    cut_s: npt.NDArray[np.bool_],
    cut_off: CutOff,
    cut: npt.NDArray[np.bool_],
    th: FormThresholds,
) -> None:
    """The usable stretch is too short: say why, by what took most of the person's frames."""
    not_side = present & ~side_on
    cut_only = present & side_on & cut_s
    if not_side.any() and not_side.sum() >= cut_only.sum():
        # the angle tested on the frames judged not side on: each is over the limit
        shown = float(np.median(angle[not_side]))
        text = f"{shown:.0f}" if round(shown) > th.max_side_yaw_deg else f"{shown:.1f}"
        raise ViewRefusedError(
            "not-side-view",
            MESSAGES["not-side-view"].format(angle=text, limit=th.max_side_yaw_deg),
        )
    if cut_only.any():
        _refuse_cut_off(cut_off, cut)
    # neither: the person is seen too briefly (a flicker, a clip too short to judge)
    raise ViewRefusedError("no-person", MESSAGES["no-person"])


def _refuse_cut_off(cut_off: CutOff, frames: npt.NDArray[np.bool_]) -> None:
    parts = ", ".join(cut_off.parts(frames))
    raise ViewRefusedError("body-cut-off", MESSAGES["body-cut-off"].format(parts=parts))


def _run_around(
    mask: npt.NDArray[np.bool_], start: int, stop: int, shot: tuple[int, int]
) -> tuple[int, int]:
    """The run of ``mask`` holding ``[start, stop)``, widened to take that stretch in,
    inside ``shot`` (``[a, b)``)."""
    lo, hi = start, stop
    while lo > shot[0] and mask[lo - 1]:
        lo -= 1
    while hi < shot[1] and mask[hi]:
        hi += 1
    return lo, hi


def _frames(seq: PoseSequence, start: int, stop: int) -> PoseSequence:
    return PoseSequence(
        landmarks=seq.landmarks[start:stop],
        times_s=seq.times_s[start:stop],
        width_px=seq.width_px,
        height_px=seq.height_px,
    )


def _frames_cut(cut_off: CutOff, start: int, stop: int) -> CutOff:
    return CutOff(cut_off.any[start:stop], cut_off.which[start:stop])


def check_view(
    seq: PoseSequence,
    th: FormThresholds = DEFAULT_THRESHOLDS,
    people: PeopleScan | None = None,
    cuts: Sequence[int] = (),
) -> ViewCheck:
    """R-FORM-5: accept the usable side-view stretches or raise :class:`ViewRefusedError`.

    Several people (a second lifter in the people scan of a video, or more than one body
    in most frames of a live track) is judged before the camera angle: a crowded picture's
    first problem is the other people, whatever the angle. So is an edited reel (``cuts``:
    the frames where the pictures cut, see :func:`hingecoach.form.shots.cut_frames`): many
    short shots, none holding a rep. A usable stretch never runs across a cut, and the
    framing is judged shot by shot (each has its own).
    """
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
    if people is not None and find_other_lifters(people, seq, th).several(th):
        raise ViewRefusedError("several-people", MESSAGES["several-people"])
    _check_reel(seq, cuts, th)
    side = choose_side(seq)
    window = max(1, round(th.view_smoothing_s * seq.fps))
    raw_angle = view_angle_deg(seq, th)
    # the angle tested, and shown when refused: its median over the window, a frame without
    # the person counting as not side on (90); one number for both, so they cannot disagree
    seen_angle = np.where(person & np.isfinite(raw_angle), raw_angle, 90.0)
    angle = _running_median(seen_angle, window)
    side_on_s = angle <= th.max_side_yaw_deg
    cut_off = cut_off_frames(seq, side, th)
    cut = cut_off.any
    cut_s = _majority(cut & person, window)
    person_s = _majority(person, window)
    usable = _bridge(person_s & side_on_s & ~cut_s, person_s & ~cut_s, ~person_s, th, seq.fps)
    kept = _side_stretches(usable, seq.fps, th, cuts)
    if not _enough(seq, kept, person, th):
        _refuse_short_stretch(angle, person_s, side_on_s, cut_s, cut_off, cut & person, th)
    shots = shot_bounds(n, cuts)
    _check_reliability(seq, side, kept, th)
    _check_framing(seq, side, kept, person_s & side_on_s, cut_off, shots, th)
    start, stop = kept[0][0], kept[-1][1]
    judged = np.concatenate([raw_angle[a:b] for a, b in kept])
    finite = judged[np.isfinite(judged)]
    return ViewCheck(
        side=side,
        view_angle_deg=float(np.median(finite)) if finite.size else float("nan"),
        start_s=float(seq.times_s[start]),
        end_s=float(seq.times_s[stop - 1]),
        start_index=start,
        stop_index=stop,
        person_fraction=person_fraction,
        note=_skipped_note(seq, kept),
        stretches=tuple(kept) if len(kept) > 1 else (),
        not_side_on=tuple((start + a, start + b) for a, b in true_runs(~side_on_s[start:stop])),
    )


def _enough(
    seq: PoseSequence,
    kept: list[tuple[int, int]],
    person: npt.NDArray[np.bool_],
    th: FormThresholds,
) -> bool:
    """R-FORM-5: the usable stretches hold ``min_usable_fraction`` of the frames with the
    person and last ``min_usable_s`` (or are nearly the whole clip)."""
    length = sum(b - a for a, b in kept)
    duration = sum(float(seq.times_s[b - 1] - seq.times_s[a]) for a, b in kept if b - a > 1)
    return bool(
        length >= th.min_usable_fraction * person.sum()
        and (duration >= th.min_usable_s or length >= 0.9 * len(seq))
    )


def _check_reel(seq: PoseSequence, cuts: Sequence[int], th: FormThresholds) -> None:
    """R-FORM-5: an edited reel (at least ``reel_min_cuts`` cuts in the pictures, no shot
    lasting ``reel_max_shot_s``) is not a set filmed to be coached: ``pose-unreliable``."""
    lengths = shot_lengths_s(seq.times_s, cuts, th)
    if len(lengths) - 1 >= th.reel_min_cuts and max(lengths) < th.reel_max_shot_s:
        raise ViewRefusedError("pose-unreliable", MESSAGES["pose-unreliable"])


def _in_shot(shots: list[tuple[int, int]], a: int) -> tuple[int, int]:
    return next(s for s in shots if s[0] <= a < s[1])


def _side_stretches(
    usable: npt.NDArray[np.bool_], fps: float, th: FormThresholds, cuts: Sequence[int] = ()
) -> list[tuple[int, int]]:
    """The usable stretches judged, in order: the longest, and every other one lasting at
    least ``view_bridge_min_s`` (a side view, a turn to the front, a side view again: both
    side views; a moment of side view while turning is not one). A stretch ends at a cut
    in the pictures (``cuts``): each shot has its own framing."""
    found = [
        (a + x, a + y)
        for a, b in true_runs(usable)
        for x, y in shot_bounds(b - a, [c - a for c in cuts])
    ]
    if not found:
        return [(0, 0)]
    longest = max(found, key=lambda r: r[1] - r[0])
    side_min = th.view_bridge_min_s * fps
    return [r for r in found if r == longest or r[1] - r[0] >= side_min]


def _check_framing(
    seq: PoseSequence,
    side: Side,
    kept: list[tuple[int, int]],
    side_on: npt.NDArray[np.bool_],
    cut_off: CutOff,
    shots: list[tuple[int, int]],
    th: FormThresholds,
) -> None:
    """R-FORM-5: the body in the frame at every rep's top and bottom, over the side-on
    stretch around each one kept, inside its shot (cut-off frames included: a top cut off
    is what is judged), the tops and bottoms of all of them together."""
    mask = np.zeros(len(seq), dtype=bool)
    tops = tops_cut = bottoms = bottoms_cut = 0
    for lo, hi in sorted({_run_around(side_on, a, b, _in_shot(shots, a)) for a, b in kept}):
        framing = judge_rep_framing(_frames(seq, lo, hi), side, _frames_cut(cut_off, lo, hi), th)
        tops, tops_cut = tops + framing.tops, tops_cut + framing.tops_cut
        bottoms, bottoms_cut = bottoms + framing.bottoms, bottoms_cut + framing.bottoms_cut
        mask[lo:hi] |= framing.cut_frames
    if RepFraming(tops, tops_cut, bottoms, bottoms_cut, mask).refused(th):
        _refuse_cut_off(cut_off, mask)


def _skipped_note(seq: PoseSequence, kept: list[tuple[int, int]]) -> str:
    if kept[0][0] == 0 and kept[-1][1] == len(seq) and len(kept) == 1:
        return ""
    spans = " and ".join(f"{seq.times_s[a]:.1f}-{seq.times_s[b - 1]:.1f} s" for a, b in kept)
    views = "view" if len(kept) == 1 else "views"
    return f"analysed {spans}, the usable side {views}; the rest was skipped"
