"""How the camera moved, from the pictures: the room's move frame to frame (R-FORM-5).

A hand-held phone moves the whole picture, and the rep signal with it; the room behind the
person moves with the phone and not with the lift. On each frame the pose pass converts
anyway, a small grey copy (:data:`TRACK_SIDE_PX` on its long side) is kept. Corners of the
previous copy away from the person (outside the box round their landmarks, widened by
:data:`PERSON_MARGIN` of its size for the bar, the bell and the plates) are followed into
this one by pyramidal Lucas-Kanade optical flow, and the room's move is the shift, turn
and zoom that most of them agree on to within a pixel (OpenCV's RANSAC fit of a
similarity): a phone held in the hand drifts, rolls a little and comes nearer or goes
further. The corners that agreed are followed on into the next frame, and found anew every
few frames. A frame whose corners are too few, or do not agree (a bare wall, a crowd
moving, a cut to another shot), or whose move is larger than a hand's between two frames,
adds no move and is not the next frame's reference for a short while. The moves add up to
a :class:`~hingecoach.form.camera.CameraPath`, which the analysis uses only when it
steadies the feet (:func:`hingecoach.form.camera.steady_camera`).

Measured on the labelled clips made hand-held in their pixels (``make sweep-handheld``):
the path stays within 2 px of the true one over a 100 px drift where the room has texture
(and within 2.5 px through a 3 % zoom and a 2 deg turn, ``test_camera_motion.py``).
A caption or logo fixed in the picture, or a bare studio wall, can hold the fit still
or lose it; the feet's check catches those. Steady labelled clips have paths under 2 px,
and a few 10-60 px (slow real drift or overlays), none of which the feet confirm. The cost
is about 1.5 ms a posed frame, 6 % of the pose model's time, with the cuts' histogram
(``python bench/form_bench.py cuts 1080``). A copy 320 px wide, shrunk by area, with 150
corners found anew every frame cost 3 ms and followed two more of 72 hand-held clips
(both edited reels with animated captions).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hingecoach.form.camera import CameraPath, as_moves, room_moves

__all__ = ["PERSON_MARGIN", "TRACK_SIDE_PX", "CameraTracker", "camera_recipe"]

#: The grey copy the room is followed on (pixels on its long side; it keeps the frame's shape).
TRACK_SIDE_PX = 256
#: The person's box is widened by this share of its longer side on every side.
PERSON_MARGIN = 0.35
#: At most this many corners a frame, at least this far apart (grey-copy pixels).
_CORNERS, _CORNER_GAP = 60, 6
#: The corners followed into a frame are followed on into the next (while at least twice
#: :data:`_MIN_CORNERS` are left), and found anew every this many frames.
_REFRESH = 10
#: Lucas-Kanade's window (grey-copy pixels) and pyramid levels above the copy.
_WINDOW, _LEVELS = 15, 2
#: A frame's shift counts when at least this many corners were followed ...
_MIN_CORNERS = 8
#: ... and at least this share of them moved within this many grey-copy pixels of the median.
_AGREE_SHARE, _AGREE_PX = 0.5, 1.0
#: A larger move than this share of the width in one frame (at the picture's centre), a
#: zoom by more than this share or a turn by more than this many degrees is a cut, not the
#: hand.
_MAX_STEP, _MAX_ZOOM, _MAX_TURN_DEG = 0.1, 0.05, 3.0
#: After this many frames in a row not followed (a cut, a bare wall), the newest becomes the
#: reference and the move over them is lost.
_MAX_MISSED = 15
#: Landmarks this visible count towards the person's box.
_SEEN = 0.3


def camera_recipe() -> str:
    """How the camera's path is measured, for caches keyed by it."""
    return (
        f"lk{TRACK_SIDE_PX}w{_WINDOW}l{_LEVELS}-m{PERSON_MARGIN:g}-c{_CORNERS}x{_CORNER_GAP}"
        f"-n{_MIN_CORNERS}-a{_AGREE_SHARE:g}x{_AGREE_PX:g}-s{_MAX_STEP:g}z{_MAX_ZOOM:g}"
        f"t{_MAX_TURN_DEG:g}-sim"
        f"-k{_MAX_MISSED}-r{_REFRESH}"
    )


class CameraTracker:
    """Takes the frames it is offered, in order, each with the person's landmarks (pixels
    of the frame, ``(33, 4)``, NaN where unseen); frames not ``own`` (the warm-up of a later
    part of a clip posed in parts) only set the picture the next is compared with."""

    def __init__(self) -> None:
        self._previous: npt.NDArray[np.uint8] | None = None
        self._person: npt.NDArray[np.uint8] | None = None
        self._scale = 1.0
        self._times: list[float] = []
        self._moves: list[npt.NDArray[np.float64]] = []
        self._c, self._t = 1 + 0j, 0j  # the room's move so far: z -> c z + t
        self._missed = 0
        self._corners: npt.NDArray[np.float32] | None = None
        self._reused = 0
        self.followed = 0
        """Frames whose shift was measured (the others added none)."""

    def add(
        self,
        time_s: float,
        rgb: npt.NDArray[np.uint8],
        landmarks: npt.NDArray[np.floating] | None,
        own: bool = True,
    ) -> None:
        """Look at one ``(height, width, 3)`` RGB frame."""
        import cv2

        h, w = rgb.shape[:2]
        self._scale = TRACK_SIDE_PX / max(h, w)
        size = (max(2, round(w * self._scale)), max(2, round(h * self._scale)))
        # linear, not area: reads a fraction of the frame the pose model just pushed out of
        # the caches (about 0.3 ms a 960 px frame against 1.2)
        small = cv2.resize(rgb, size, interpolation=cv2.INTER_LINEAR)
        grey = np.asarray(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
        before = self._previous
        if before is not None and before.shape != grey.shape:
            before = None  # the picture changed size (a stream change): a new reference
        step, kept = self._step(before, grey) if before is not None else (None, None)
        if step is not None:
            c, t = step
            self._c, self._t = c * self._c, c * self._t + t / self._scale
            self.followed += 1
        if own:
            self._times.append(time_s)
            self._moves.append(np.array([self._c.real, self._c.imag, self._t.real, self._t.imag]))
        self._missed = 0 if step is not None else self._missed + 1
        if step is not None or before is None or self._missed > _MAX_MISSED:
            # a frame not followed is not the next one's reference: the room's move over
            # a short stretch of them is measured once they are past
            self._previous = grey
            self._person = self._mask(grey.shape, landmarks)
            self._corners = _outside(kept, self._person)
            self._missed = 0

    def _mask(
        self, shape: tuple[int, ...], landmarks: npt.NDArray[np.floating] | None
    ) -> npt.NDArray[np.uint8]:
        """Where corners may be taken: all but the person's widened box."""
        mask = np.full(shape[:2], 255, np.uint8)
        if landmarks is None:
            return mask
        xy = np.asarray(landmarks[:, :2], dtype=np.float64)
        seen = (np.asarray(landmarks[:, 3]) >= _SEEN) & np.isfinite(xy).all(axis=1)
        if not seen.any():
            return mask
        lo, hi = xy[seen].min(axis=0), xy[seen].max(axis=0)
        pad = PERSON_MARGIN * float((hi - lo).max())
        a = np.floor((lo - pad) * self._scale).astype(int).clip(0)
        b = np.ceil((hi + pad) * self._scale).astype(int).clip(0)
        mask[a[1] : b[1], a[0] : b[0]] = 0
        return mask

    def _step(
        self, before: npt.NDArray[np.uint8], grey: npt.NDArray[np.uint8]
    ) -> tuple[tuple[complex, complex] | None, npt.NDArray[np.float32] | None]:
        """The room's move from the grey copy ``before`` into ``grey`` (``z -> c z + t``,
        grey-copy pixels), and where the corners that agreed on it are in ``grey``; (None,
        None) when the corners are too few or disagree. The corners are those followed into
        ``before`` when enough of them are left and they are not due a refresh, else found
        anew."""
        import cv2

        corners = self._corners
        if corners is None or len(corners) < 2 * _MIN_CORNERS or self._reused >= _REFRESH:
            found_anew = cv2.goodFeaturesToTrack(
                before, _CORNERS, 0.01, _CORNER_GAP, mask=self._person
            )
            corners = None if found_anew is None else np.asarray(found_anew, dtype=np.float32)
            self._reused = 0
        else:
            self._reused += 1
        if corners is None or len(corners) < _MIN_CORNERS:
            return None, None
        moved, status, _err = cv2.calcOpticalFlowPyrLK(
            before, grey, corners, corners.copy(), winSize=(_WINDOW, _WINDOW), maxLevel=_LEVELS
        )
        found = status.ravel() == 1
        if found.sum() < _MIN_CORNERS:
            return None, None
        fit, inliers = cv2.estimateAffinePartial2D(
            corners[found], moved[found], method=cv2.RANSAC, ransacReprojThreshold=_AGREE_PX
        )
        if fit is None or inliers is None:
            return None, None
        agree = inliers.ravel() == 1
        c = complex(fit[0, 0], fit[1, 0])
        t = complex(fit[0, 2], fit[1, 2])
        if agree.mean() < _AGREE_SHARE or agree.sum() < _MIN_CORNERS or not _hand(c, t, grey):
            return None, None
        kept = np.asarray(moved[found][agree], dtype=np.float32).reshape(-1, 1, 2)
        return (c, t), kept

    def extend(self, path: CameraPath | None) -> None:
        """Add a later part of the clip, followed elsewhere: it goes on from where this one
        ends (the step between the parts is taken as none)."""
        if path is None or path.times_s.size == 0:
            return
        # the part's moves, from its first frame on, after this one's last
        c, t = room_moves(path.moves)
        c_joined = c / c[0] * self._c
        t_joined = c / c[0] * (self._t - t[0]) + t
        self._times.extend(path.times_s.tolist())
        self._moves.extend(as_moves(c_joined, t_joined))
        self._c, self._t = complex(c_joined[-1]), complex(t_joined[-1])

    def result(self) -> CameraPath | None:
        """The room's path so far (None: no frame looked at)."""
        if not self._times:
            return None
        return CameraPath(np.asarray(self._times), np.asarray(self._moves).reshape(-1, 4))


def _outside(
    corners: npt.NDArray[np.float32] | None, allowed: npt.NDArray[np.uint8]
) -> npt.NDArray[np.float32] | None:
    """The ``corners`` (``(n, 1, 2)``, x y) inside the picture and where ``allowed``."""
    if corners is None:
        return None
    h, w = allowed.shape
    xy = np.rint(corners.reshape(-1, 2)).astype(int)
    inside = (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)
    keep = inside.copy()
    keep[inside] = allowed[xy[inside, 1], xy[inside, 0]] > 0
    return np.asarray(corners[keep], dtype=np.float32)


def _hand(c: complex, t: complex, grey: npt.NDArray[np.uint8]) -> bool:
    """Whether ``z -> c z + t`` is a move a hand makes between two frames of ``grey``'s size
    (not a cut): a small zoom and turn, and the picture's centre moved a little."""
    centre = complex(grey.shape[1] / 2, grey.shape[0] / 2)
    turn = abs(float(np.angle(c, deg=True)))
    shift = abs((c - 1) * centre + t)
    return (
        abs(abs(c) - 1) <= _MAX_ZOOM
        and turn <= _MAX_TURN_DEG
        and shift <= _MAX_STEP * grey.shape[1]
    )
