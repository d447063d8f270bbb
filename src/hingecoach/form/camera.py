"""R-FORM-5: a phone that moved during the set (held in the hand, knocked, settling on a
soft surface) is told so, with what to do for the next clip.

The feet stay planted through a hinge or a squat, so where the ankles are in the picture
moves only when the camera does. The floor's height is a running median over
``camera_window_s`` of the ankle's height in the frames where it is clearly seen (a step,
a heel coming up or the model's jitter last less than that); how far it wandered within a
shot (cuts change the framing on purpose) is the camera's drift, in torso lengths. Feet
seen in less than ``camera_feet_seen_share`` of a shot say nothing.

Measured on the labelled clips that show their feet, over what the analysis reads: clips
from a steady phone drift 0.00-0.24 torso lengths, the hand-held one (chdh) 0.87; the same
tracks made hand-held as ``make sweep-form`` makes them drift 0.15-2.12, and the longer
ones, whose verdicts move, are past 0.4. The rep signal is measured against one framing per
shot, so a drifting picture moves it.

The picture tells how the camera moved too: the room behind the person shifts, turns and
zooms with it (:class:`CameraPath`, measured on the background by
:mod:`hingecoach.capture.camera_motion`). A shot whose floor wanders past
``camera_steady_min`` is measured against the room instead (:func:`steady_camera`: each
frame moved back by the room's move since the shot began), when that steadies the feet:
the planted ankle's wander, up and down and across, falls to at most
``camera_steadied_share`` of what it was. The person is then told the reps were measured
against the room. A move that does not steady the feet (a bare wall gives the tracker
nothing to hold, a caption stays put while the room moves, the phone follows a person
walking) is not trusted, and the clip is measured as filmed, with the note that the count
may be off once the drift is past ``camera_drift_max``. The feet need to be seen only in
part of a shot (``camera_feet_seen_share``): a side-on deadlift's plates hide them at every
bottom, and the frames between show the floor and confirm the path.

The labelled clips made hand-held in their pixels (``make sweep-handheld``, three walks
each, 72 clips of ``labels.csv``): drifting only, 27 had the labelled rep count measured as
filmed and 44 measured against the room; drifting, zooming (3 %) and turning (2 deg), 26
and 41. The 10-rep kettlebell sets all lost reps as filmed; against the room 12 of 12
count 10 drifting, 10 of 12 also zooming and turning. On steady phones nothing changes:
``make eval-form`` is identical on both label files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from hingecoach.form.kinematics import Kinematics, side_points
from hingecoach.form.pose import FloatArray, PoseSequence
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = [
    "CAMERA_FOLLOWED_NOTE",
    "CAMERA_MOVED_NOTE",
    "CameraCheck",
    "CameraPath",
    "as_moves",
    "floor_drift",
    "room_moves",
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
    """How the room moved in the picture: at ``times_s[i]``, a still point of the room seen
    at ``p`` in the first frame looked at is at ``c p + t`` (as complex numbers ``x + iy``,
    pixels of the analysed frame, y down): ``c = a + ib`` turns and zooms (1: neither),
    ``t = tx + i ty`` shifts; ``moves[i] = (a, b, tx, ty)``. Measured on the background, away
    from the person, against a reference picture (:mod:`hingecoach.capture.camera_motion`).

    Attributes:
        times_s: ``(frames,)`` the frames looked at, increasing.
        moves: ``(frames, 4)`` the room's move since the first of them.
    """

    times_s: FloatArray
    moves: FloatArray

    def __post_init__(self) -> None:
        times = np.asarray(self.times_s, dtype=np.float64)
        moves = np.asarray(self.moves, dtype=np.float64)
        if times.ndim != 1 or moves.shape != (times.size, 4):
            raise ValueError(f"camera path: {times.shape} times for {moves.shape} moves")
        object.__setattr__(self, "times_s", times)
        object.__setattr__(self, "moves", moves)

    @classmethod
    def shifted(cls, times_s: FloatArray, shift_xy: FloatArray) -> CameraPath:
        """A path that only shifts the room, by ``shift_xy`` (``(frames, 2)``)."""
        shift = np.asarray(shift_xy, dtype=np.float64).reshape(-1, 2)
        turn = np.tile([1.0, 0.0], (shift.shape[0], 1))
        return cls(np.asarray(times_s), np.concatenate([turn, shift], axis=1))

    @property
    def shift_xy(self) -> FloatArray:
        """``(frames, 2)`` where the first frame's top-left corner went."""
        return self.moves[:, 2:]

    def at(self, times_s: FloatArray) -> FloatArray:
        """The move at each of ``times_s`` (``(n, 4)``; between frames looked at, on the
        line between them; before the first or after the last, theirs)."""
        if self.times_s.size == 0:
            return np.tile([1.0, 0.0, 0.0, 0.0], (np.size(times_s), 1))
        return np.stack(
            [np.interp(times_s, self.times_s, self.moves[:, k]) for k in range(4)], axis=1
        )


def room_moves(moves: FloatArray) -> tuple[npt.NDArray[np.complex128], npt.NDArray[np.complex128]]:
    """``(c, t)`` of each ``(a, b, tx, ty)`` row (see :class:`CameraPath`)."""
    m = np.asarray(moves, dtype=np.float64).reshape(-1, 4)
    return m[:, 0] + 1j * m[:, 1], m[:, 2] + 1j * m[:, 3]


def as_moves(c: npt.NDArray[np.complex128], t: npt.NDArray[np.complex128]) -> FloatArray:
    """The ``(a, b, tx, ty)`` rows of ``(c, t)`` (see :class:`CameraPath`)."""
    return np.stack([c.real, c.imag, t.real, t.imag], axis=-1).reshape(-1, 4)


def _back_to(ref: FloatArray, moves: FloatArray, xy: FloatArray) -> FloatArray:
    """``xy`` (``(frames, points, 2)``, in the pictures the rows of ``moves`` describe)
    where they would be in the picture ``ref`` describes: through the room."""
    c_ref, t_ref = room_moves(ref)
    c, t = room_moves(moves)
    z = xy[..., 0] + 1j * xy[..., 1]
    back = c_ref[0] / c[:, None] * (z - t[:, None]) + t_ref[0]
    return np.stack([back.real, back.imag], axis=-1)


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
        if self.steadied is not None:
            return CAMERA_FOLLOWED_NOTE
        if self.drift is None or self.drift <= th.camera_drift_max:
            return None
        return CAMERA_MOVED_NOTE


def steady_camera(
    seq: PoseSequence,
    kin: Kinematics,
    shots: Sequence[tuple[int, int]],
    camera: CameraPath | None,
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> tuple[PoseSequence, CameraCheck]:
    """``seq`` measured against the room (each shot's frames moved back by the room's move
    since the shot began: shift, turn and zoom) when its floor drifts past
    ``camera_steady_min`` and that steadies the feet (R-FORM-5); else ``seq`` as it is.
    With what the floor said."""
    drift = floor_drift(seq, kin, shots, th)
    if camera is None or drift is None or drift <= th.camera_steady_min:
        return seq, CameraCheck(drift)
    moves = camera.at(seq.times_s)
    landmarks = seq.landmarks.copy()
    for a, b in shots:
        landmarks[a:b, :, :2] = _back_to(moves[a], moves[a:b], landmarks[a:b, :, :2])
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
