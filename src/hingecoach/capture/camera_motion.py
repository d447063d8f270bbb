"""How the camera moved, from the pictures: the room's shift frame to frame (R-FORM-5).

A hand-held phone moves the whole picture, and the rep signal with it; the room behind the
person moves with the phone and not with the lift. On each frame the pose pass converts
anyway, a small grey copy (:data:`TRACK_WIDTH_PX` wide) is kept; corners found in the
previous one away from the person (outside the box round their landmarks, widened by
:data:`PERSON_MARGIN` of its size for the bar, the bell and the plates) are followed into
this one by pyramidal Lucas-Kanade optical flow, and the room's shift is the median of
their moves. A frame whose corners are too few, or do not agree (a bare wall, a crowd
moving, a cut to another shot), adds no shift. The shifts add up to a
:class:`~hingecoach.form.camera.CameraPath`, which the analysis uses only when it steadies
the feet (:func:`hingecoach.form.camera.steady_camera`).

Measured on labelled clips made hand-held in their pixels (``python
scripts/handheld_clips.py``): the path is within 2 px of the true one over a 100 px drift
where the room has texture. A caption or logo fixed in the picture, or a bare studio wall,
can hold the median still or lose it; the feet's check catches those.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hingecoach.form.camera import CameraPath

__all__ = ["PERSON_MARGIN", "TRACK_WIDTH_PX", "CameraTracker", "camera_recipe"]

#: The grey copy the room is followed on (pixels wide; its height keeps the frame's shape).
TRACK_WIDTH_PX = 320
#: The person's box is widened by this share of its longer side on every side.
PERSON_MARGIN = 0.35
#: At most this many corners a frame, at least this far apart (grey-copy pixels).
_CORNERS, _CORNER_GAP = 150, 6
#: A frame's shift counts when at least this many corners were followed ...
_MIN_CORNERS = 8
#: ... and at least this share of them moved within this many grey-copy pixels of the median.
_AGREE_SHARE, _AGREE_PX = 0.5, 1.0
#: A larger move than this share of the width in one frame is a cut, not the hand.
_MAX_STEP = 0.1
#: After this many frames in a row not followed (a cut, a bare wall), the newest becomes the
#: reference and the move over them is lost.
_MAX_MISSED = 15
#: Landmarks this visible count towards the person's box.
_SEEN = 0.3


def camera_recipe() -> str:
    """How the camera's path is measured, for caches keyed by it."""
    return (
        f"lk{TRACK_WIDTH_PX}-m{PERSON_MARGIN:g}-c{_CORNERS}x{_CORNER_GAP}-n{_MIN_CORNERS}"
        f"-a{_AGREE_SHARE:g}x{_AGREE_PX:g}-s{_MAX_STEP:g}-k{_MAX_MISSED}"
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
        self._shift: list[npt.NDArray[np.float64]] = []
        self._at = np.zeros(2)
        self._missed = 0
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
        self._scale = TRACK_WIDTH_PX / w
        size = (TRACK_WIDTH_PX, max(2, round(h * self._scale)))
        small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        grey = np.asarray(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
        before, person = self._previous, self._person
        step = self._step(before, person, grey) if before is not None else None
        if step is not None:
            self._at = self._at + step / self._scale
            self.followed += 1
        if own:
            self._times.append(time_s)
            self._shift.append(self._at)
        self._missed = 0 if step is not None else self._missed + 1
        if step is not None or before is None or self._missed > _MAX_MISSED:
            # a frame not followed is not the next one's reference: the room's move over
            # a short stretch of them is measured once they are past
            self._previous = grey
            self._person = self._mask(grey.shape, landmarks)
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

    @staticmethod
    def _step(
        before: npt.NDArray[np.uint8],
        person: npt.NDArray[np.uint8] | None,
        grey: npt.NDArray[np.uint8],
    ) -> npt.NDArray[np.float64] | None:
        """The room's move from the grey copy ``before`` into ``grey`` (grey-copy pixels;
        corners outside ``person``); None when the corners are too few or disagree."""
        import cv2

        corners = cv2.goodFeaturesToTrack(before, _CORNERS, 0.01, _CORNER_GAP, mask=person)
        if corners is None or len(corners) < _MIN_CORNERS:
            return None
        moved, status, _err = cv2.calcOpticalFlowPyrLK(
            before, grey, corners, corners.copy(), winSize=(21, 21), maxLevel=3
        )
        found = status.ravel() == 1
        if found.sum() < _MIN_CORNERS:
            return None
        moves = (moved - corners)[found].reshape(-1, 2).astype(np.float64)
        step = np.median(moves, axis=0)
        agree = np.linalg.norm(moves - step, axis=1) <= _AGREE_PX
        if agree.mean() < _AGREE_SHARE or np.abs(step).max() > _MAX_STEP * grey.shape[1]:
            return None
        return np.asarray(moves[agree].mean(axis=0), dtype=np.float64)

    def extend(self, path: CameraPath | None) -> None:
        """Add a later part of the clip, followed elsewhere: it goes on from where this one
        ends (the step between the parts is taken as none)."""
        if path is None or path.times_s.size == 0:
            return
        self._times.extend(path.times_s.tolist())
        self._shift.extend(self._at + path.shift_xy - path.shift_xy[0])
        self._at = self._shift[-1]

    def result(self) -> CameraPath | None:
        """The room's path so far (None: no frame looked at)."""
        if not self._times:
            return None
        return CameraPath(np.asarray(self._times), np.asarray(self._shift).reshape(-1, 2))
