"""R-FORM-5: a phone that moved during the set (held in the hand, knocked, settling on a
soft surface) is told so, with what to do for the next clip.

The feet stay planted through a hinge or a squat, so where the ankles are in the picture
moves only when the camera does. The floor's height is a running median over
``camera_window_s`` of the ankle's height in the frames where it is clearly seen (a step,
a heel coming up or the model's jitter last less than that); how far it wandered within a
shot (cuts change the framing on purpose) is the camera's drift, in torso lengths. Feet
hidden most of a shot (behind a plate) say nothing.

Measured on the labelled clips that show their feet, over what the analysis reads: clips
from a steady phone drift 0.00-0.24 torso lengths, the hand-held one (chdh) 0.87; the same
tracks made hand-held as ``make sweep-form`` makes them drift 0.15-2.12, and the longer
ones, whose verdicts move, are past 0.4. The rep signal is measured against one framing per
shot, so a drifting picture moves it.

The picture tells how the camera moved too: the room behind the person shifts with it
(:class:`CameraPath`, measured on the background by
:mod:`hingecoach.capture.camera_motion`). A shot whose floor drifts past the limit is measured
against the room instead (:func:`steady_camera`: each frame moved back by the room's shift
since the shot began), when that steadies the feet: the planted ankle's wander, up and
down and across, falls to at most ``camera_steadied_share`` of what it was. A shift that
does not steady the feet (a bare wall gives the tracker nothing to hold, a caption stays
put while the room moves, the phone follows a person walking) is not trusted, and the clip
is measured as filmed, with the note that the count may be off. Feet hidden behind the
plates cannot confirm a path, so such a clip is measured as filmed too.

The labelled clips made hand-held in their pixels (``make sweep-handheld``, three walks
each): 27 of 72 had the labelled rep count measured as filmed, 42 measured against the
room; every 10-rep kettlebell set of the 12 lost reps as filmed and counts 10 now. On
steady phones nothing changes: ``make eval-form`` is identical on both label files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from hingecoach.form.kinematics import Kinematics, side_points
from hingecoach.form.pose import FloatArray, PoseSequence
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = [
    "CAMERA_FOLLOWED_NOTE",
    "CAMERA_MOVED_NOTE",
    "CameraCheck",
    "CameraPath",
    "floor_drift",
    "steady_camera",
]

CAMERA_MOVED_NOTE = (
    "The phone moved during the set. Rest it on something steady at hip height for the "
    "next clip: with the picture moving, the rep count and timings may be off."
)
CAMERA_FOLLOWED_NOTE = (
    "The phone moved during the set, so the reps were measured against the room behind you. "
    "Rest it on something steady at hip height for the next clip."
)


@dataclass(frozen=True, eq=False)
class CameraPath:
    """How the room moved in the picture: at ``times_s[i]``, a still point of the room is
    ``shift_xy[i]`` pixels (of the analysed frame; x right, y down) from where it was in the
    first frame looked at. Measured frame to frame on the background, away from the person.

    Attributes:
        times_s: ``(frames,)`` the frames looked at, increasing.
        shift_xy: ``(frames, 2)`` the room's shift since the first of them.
    """

    times_s: FloatArray
    shift_xy: FloatArray

    def __post_init__(self) -> None:
        times = np.asarray(self.times_s, dtype=np.float64)
        shift = np.asarray(self.shift_xy, dtype=np.float64)
        if times.ndim != 1 or shift.shape != (times.size, 2):
            raise ValueError(f"camera path: {times.shape} times for {shift.shape} shifts")
        object.__setattr__(self, "times_s", times)
        object.__setattr__(self, "shift_xy", shift)

    def at(self, times_s: FloatArray) -> FloatArray:
        """The shift at each of ``times_s`` (``(n, 2)``; between frames looked at, on the
        line between them; before the first or after the last, theirs)."""
        if self.times_s.size == 0:
            return np.zeros((np.size(times_s), 2))
        return np.stack(
            [np.interp(times_s, self.times_s, self.shift_xy[:, k]) for k in (0, 1)], axis=1
        )


@dataclass(frozen=True)
class CameraCheck:
    """R-FORM-5: what the floor said of the camera.

    Attributes:
        drift: the floor's wander as filmed, at most over the shots (torso lengths; None: no
            shot shows the feet clearly enough).
        steadied: the drift once measured against the room, when that was done (None: it
            was not: no drift past the limit, no camera path, or one that did not steady
            the feet).
    """

    drift: float | None
    steadied: float | None = None

    def note(self, th: FormThresholds = DEFAULT_THRESHOLDS) -> str | None:
        """What the person is told (None: the phone held still)."""
        if self.drift is None or self.drift <= th.camera_drift_max:
            return None
        return CAMERA_MOVED_NOTE if self.steadied is None else CAMERA_FOLLOWED_NOTE


def steady_camera(
    seq: PoseSequence,
    kin: Kinematics,
    shots: Sequence[tuple[int, int]],
    camera: CameraPath | None,
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> tuple[PoseSequence, CameraCheck]:
    """``seq`` measured against the room (each shot's frames moved back by the room's shift
    since the shot began) when its floor drifts past ``camera_drift_max`` and that steadies
    the feet (R-FORM-5); else ``seq`` as it is. With what the floor said."""
    drift = floor_drift(seq, kin, shots, th)
    if camera is None or drift is None or drift <= th.camera_drift_max:
        return seq, CameraCheck(drift)
    shift = camera.at(seq.times_s)
    for a, b in shots:
        shift[a:b] -= shift[a]
    landmarks = seq.landmarks.copy()
    landmarks[:, :, :2] -= shift[:, None, :]
    moved = replace(seq, landmarks=landmarks)
    # the feet stay put across the picture too: a path right in height alone is not the room's
    before = _feet_drift(seq, kin, shots, th, (0, 1))
    after = _feet_drift(moved, kin, shots, th, (0, 1))
    if before is None or after is None or after > th.camera_steadied_share * before:
        return seq, CameraCheck(drift)
    return moved, CameraCheck(drift, floor_drift(moved, kin, shots, th))


def floor_drift(
    seq: PoseSequence,
    kin: Kinematics,
    shots: Sequence[tuple[int, int]],
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> float | None:
    """How far the floor wandered in the picture within a shot, at most, in torso lengths
    (``kin``'s, of ``seq``); None when no shot shows the feet clearly enough to say."""
    return _feet_drift(seq, kin, shots, th, (1,))


def _feet_drift(
    seq: PoseSequence,
    kin: Kinematics,
    shots: Sequence[tuple[int, int]],
    th: FormThresholds,
    axes: tuple[int, ...],
) -> float | None:
    """How far the planted ankle wandered within a shot along ``axes`` (0: across, 1: up
    and down; both: the length of the two), at most, in torso lengths."""
    ankle = side_points(kin.side)["ankle"]
    xy = seq.xy[:, ankle]
    clear = np.isfinite(xy).all(axis=1) & (seq.visibility[:, ankle] >= th.foot_min_visibility)
    half = max(1, round(th.camera_window_s * seq.fps) // 2)
    drifts = [
        float(np.hypot.reduce([_wander(xy[a:b, k][clear[a:b]], half) for k in axes])) / kin.torso_px
        for a, b in shots
        if b - a > 2 * half and clear[a:b].mean() >= th.camera_feet_seen_share
    ]
    return max(drifts) if drifts else None


def _wander(heights: FloatArray, half: int) -> float:
    """The spread (5th to 95th percentile) of the running median of ``heights``."""
    padded = np.concatenate([np.full(half, np.nan), heights, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    floor = np.nanmedian(windows, axis=1)  # fewer frames near the ends, none made up
    return float(np.percentile(floor, 95) - np.percentile(floor, 5))
