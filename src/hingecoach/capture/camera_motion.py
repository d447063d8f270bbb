"""How the camera moved, from the pictures: the room's move in each frame (R-FORM-5).

A hand-held phone moves the whole picture, and the rep signal with it; the room behind the
person moves with the phone and not with the lift. On each frame the pose pass converts
anyway, a small grey copy (:data:`TRACK_SIDE_PX` on its long side) is kept.

Each frame is measured against a reference picture, not against the frame before it: a
fit's error then stays that frame's, where added up from frame to frame it piles up over a
long clip (11 px over 30 s in ``test_camera_motion.py``; a zoom of 5 % over 17 s of a
labelled clip filmed on a tripod, ulisses, which now reads 0.7 %). Corners of the reference
away from the person (outside the box round their landmarks, widened by
:data:`PERSON_MARGIN` of its size for the bar, the bell and the plates) are looked for in
the frame by pyramidal Lucas-Kanade optical flow, starting where the last frame's move puts
them, those the person now stands in front of left out. The room's move is what most of
them agree on to within a pixel (OpenCV's RANSAC fit of a similarity: a phone held in the
hand drifts, rolls a little and comes nearer or goes further); its zoom and turn count only
when they explain the corners measurably better than a shift alone
(:data:`_ZOOM_EVIDENCE`): corners bunched in a strip beside the person cannot tell a zoom
from a shift. A frame becomes the new reference when fewer than half the reference's
corners agree on it, or when it offers half as many again as agree (the person stepped
aside, the phone moved onto more of the room).

A frame whose corners are too few, or do not agree (a bare wall, a crowd moving, a cut to
another shot), or whose move since the last frame followed is larger than a hand's, adds no
move; after a short stretch of them, the newest is the reference and the move over them is
lost. The moves make a :class:`~hingecoach.form.camera.CameraPath`, which the analysis uses
only when it steadies the feet (:func:`hingecoach.form.camera.steady_camera`).

Measured: a point of the room is placed within 1 px through 30 s of a drift, a zoom and a
turn with sensor noise (11 px frame to frame), and within 2 px from a 40 px strip of room
(``test_camera_motion.py``). On the labelled clips filmed on a tripod, the paths of the
textured rooms stay within 1 px and 0.1 % of zoom; bare studio walls with captions and
edited reels wander (a zoom of 5-6 % on goli's white backdrop), and the feet do not confirm
them.
On the labelled clips made hand-held in their pixels (``make sweep-handheld``, three walks
each of the 24 usable clips of ``labels.csv``), measured against the room the labelled rep
count came out on 44 of 72 drifting (41 when added up from frame to frame) and on 41 of 72
also zooming and turning (40); the hard set 7 of 18 either way. The cost is about 1.9 ms
a posed frame with the cuts' histogram, 6-7 % of the pose model's time (1.4-1.6 ms frame
to frame, ``python bench/form_bench.py cuts 1080`` side by side). A copy 320 px wide, shrunk
by area, with 150 corners found anew every frame cost 3 ms and followed two more of 72
hand-held clips (both edited reels with animated captions).
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
#: A frame on which fewer than this share of the reference's corners agree becomes the new
#: reference (the person came in front of the rest, or the phone moved on from it).
_KEEP_SHARE = 0.5
#: Every this many frames, a frame with this many times the corners that agree now becomes
#: the new reference (corners found while the person hid most of the room are few).
_REFRESH, _BETTER = 10, 1.5
#: A zoom and turn count when they leave this many times less unexplained than a shift
#: alone, per number fitted, as the corners' jitter does (an F statistic; 1 in 1000 by
#: chance with 10-60 corners).
_ZOOM_EVIDENCE = 10.0
#: Lucas-Kanade's window (grey-copy pixels) and pyramid levels above the copy.
_WINDOW, _LEVELS = 15, 2
#: A frame's shift counts when at least this many corners were followed ...
_MIN_CORNERS = 8
#: ... and at least this share of them agree on the move within this many grey-copy pixels.
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
        f"-k{_MAX_MISSED}-ref{_KEEP_SHARE:g}-r{_REFRESH}x{_BETTER:g}-f{_ZOOM_EVIDENCE:g}"
    )


class CameraTracker:
    """Takes the frames it is offered, in order, each with the person's landmarks (pixels
    of the frame, ``(33, 4)``, NaN where unseen); frames not ``own`` (the warm-up of a later
    part of a clip posed in parts) move the path on unrecorded. Each frame is measured
    against a reference picture, not the frame before (see the module's notes)."""

    def __init__(self) -> None:
        self._key: npt.NDArray[np.uint8] | None = None
        self._key_corners: npt.NDArray[np.float32] | None = None
        self._key_c, self._key_t = 1 + 0j, 0j  # the room's move at the reference picture
        self._rel_c, self._rel_t = 1 + 0j, 0j  # from the reference to the last frame followed
        self._scale = 1.0
        self._times: list[float] = []
        self._moves: list[npt.NDArray[np.float64]] = []
        self._c, self._t = 1 + 0j, 0j  # the room's move so far: z -> c z + t
        self._missed = 0
        self._since = 0  # frames since the reference
        self.followed = 0
        """Frames whose move was measured (the others added none)."""

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
        person = self._mask(grey.shape, landmarks)
        key = self._key
        if key is not None and key.shape != grey.shape:
            key = None  # the picture changed size (a stream change): a new reference
        fit = self._fit(key, grey, person) if key is not None else None
        agreed = 0
        if fit is not None:
            (c, t), agreed = fit
            self._rel_c, self._rel_t = c, t
            self._c, self._t = c * self._key_c, c * self._key_t + t / self._scale
            self.followed += 1
        if own:
            self._times.append(time_s)
            self._moves.append(np.array([self._c.real, self._c.imag, self._t.real, self._t.imag]))
        self._missed = 0 if fit is not None else self._missed + 1
        self._since += 1
        thinning = fit is not None and agreed < _KEEP_SHARE * self._reference_corners
        if key is None or thinning or self._missed > _MAX_MISSED:
            # a new reference: this frame, where the room has moved by the path so far (a
            # stretch of frames not followed loses the move over it)
            self._new_reference(grey, _corners(grey, person))
        elif fit is not None and self._since >= _REFRESH:
            # the person moved aside, or the phone onto more of the room: more to follow
            self._since = 0
            found = _corners(grey, person)
            if found is not None and len(found) >= _BETTER * agreed:
                self._new_reference(grey, found)

    def _new_reference(
        self, grey: npt.NDArray[np.uint8], corners: npt.NDArray[np.float32] | None
    ) -> None:
        self._key, self._key_corners = grey, corners
        self._key_c, self._key_t = self._c, self._t
        self._rel_c, self._rel_t = 1 + 0j, 0j
        self._missed = self._since = 0

    @property
    def _reference_corners(self) -> int:
        return 0 if self._key_corners is None else len(self._key_corners)

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

    def _fit(
        self, key: npt.NDArray[np.uint8], grey: npt.NDArray[np.uint8], person: npt.NDArray[np.uint8]
    ) -> tuple[tuple[complex, complex], int] | None:
        """The room's move from the reference ``key`` into ``grey`` (``z -> c z + t``,
        grey-copy pixels), and how many corners agreed on it; None when the corners are too
        few, or disagree, or the move since the last frame followed is not a hand's. Each
        corner is looked for where the last move puts it, and left out where the person is
        now."""
        import cv2

        corners = self._key_corners
        if corners is None or len(corners) < _MIN_CORNERS:
            return None
        z = corners[:, 0, 0] + 1j * corners[:, 0, 1]
        guess_z = self._rel_c * z + self._rel_t
        guess = np.ascontiguousarray(
            np.stack([guess_z.real, guess_z.imag], axis=-1).reshape(-1, 1, 2), dtype=np.float32
        )
        followed, status, _err = cv2.calcOpticalFlowPyrLK(
            key,
            grey,
            corners,
            guess,
            winSize=(_WINDOW, _WINDOW),
            maxLevel=_LEVELS,
            flags=cv2.OPTFLOW_USE_INITIAL_FLOW,
        )
        moved = np.asarray(followed, dtype=np.float32)
        found = (status.ravel() == 1) & _allowed(moved, person)
        if found.sum() < _MIN_CORNERS:
            return None
        fit, inliers = cv2.estimateAffinePartial2D(
            corners[found], moved[found], method=cv2.RANSAC, ransacReprojThreshold=_AGREE_PX
        )
        if fit is None or inliers is None:
            return None
        agree = inliers.ravel() == 1
        if agree.mean() < _AGREE_SHARE or agree.sum() < _MIN_CORNERS:
            return None
        c, t = _zoom_and_turn_if_seen(
            corners[found][agree], moved[found][agree], complex(fit[0, 0], fit[1, 0])
        )
        # the step from the last frame followed: z -> c / c_rel (z - t_rel) + t
        step_c = c / self._rel_c
        step_t = t - step_c * self._rel_t
        if not _hand(step_c, step_t, grey):
            return None
        return (c, t), int(agree.sum())

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


def _corners(
    grey: npt.NDArray[np.uint8], allowed: npt.NDArray[np.uint8]
) -> npt.NDArray[np.float32] | None:
    """Corners of ``grey`` to follow (``(n, 1, 2)``, x y), where ``allowed``."""
    import cv2

    found = cv2.goodFeaturesToTrack(grey, _CORNERS, 0.01, _CORNER_GAP, mask=allowed)
    return None if found is None else np.asarray(found, dtype=np.float32)


def _zoom_and_turn_if_seen(
    before: npt.NDArray[np.float32], after: npt.NDArray[np.float32], c: complex
) -> tuple[complex, complex]:
    """The move ``z -> c z + t`` of the corners ``before`` to ``after`` (``(n, 1, 2)``, the
    ones that agreed): with the fit's zoom and turn ``c`` when they move the corners
    measurably more than the corners' own jitter (an F-test of the similarity against a
    shift alone, :data:`_ZOOM_EVIDENCE`), else a shift alone. Corners bunched in a strip
    beside the person (a phone held upright, the person filling its width) cannot tell a
    zoom from a shift, and a zoom read from their jitter moves the feet far from them."""
    z0 = before[:, 0, 0].astype(np.float64) + 1j * before[:, 0, 1]
    z1 = after[:, 0, 0].astype(np.float64) + 1j * after[:, 0, 1]
    t = complex(np.mean(z1 - c * z0))  # the least-squares shift for the fit's c
    shift = complex(np.mean(z1 - z0))
    left_sim = float(np.sum(np.abs(z1 - c * z0 - t) ** 2))
    left_shift = float(np.sum(np.abs(z1 - z0 - shift) ** 2))
    spare = 2 * len(z0) - 4  # the coordinates less the similarity's four numbers
    if spare <= 0 or (left_shift - left_sim) / 2 <= _ZOOM_EVIDENCE * max(left_sim, 1e-12) / spare:
        return 1 + 0j, shift
    return c, t


def _allowed(
    corners: npt.NDArray[np.float32], allowed: npt.NDArray[np.uint8]
) -> npt.NDArray[np.bool_]:
    """Which ``corners`` (``(n, 1, 2)``, x y) are inside the picture and where ``allowed``."""
    h, w = allowed.shape
    xy = np.rint(corners.reshape(-1, 2)).astype(int)
    inside = (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)
    keep = inside.copy()
    keep[inside] = allowed[xy[inside, 1], xy[inside, 0]] > 0
    return np.asarray(keep, dtype=np.bool_)


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
