"""Cuts found from the pictures: where a clip cuts to another shot (R-FORM-1, R-FORM-5).

The same look at each frame also follows the room behind the person, for how the camera
moved (:mod:`hingecoach.capture.camera_motion`): :attr:`FrameCuts.camera`.

The pose track shows a cut only when the body jumps (:mod:`hingecoach.form.shots`); a cut to
a second recording of the same lift, framed a little wider and graded in other colours,
moves the landmarks no more than the lift does. The picture shows it: most of its colours
change at once, in one frame, and then hold. Per frame this module keeps a tiny thumbnail's
colour histogram (:data:`THUMB_PX`, hue x saturation and value), and the *change* into each
frame is the share of that histogram that moved since the frame before (0: the same colours,
1: none in common). A cut is a change of at least :data:`FRAME_CUT_MIN_CHANGE` that is at
least :data:`FRAME_CUT_ISOLATION` times the largest change 2-:data:`FRAME_CUT_LOCAL_FRAMES`
frames either side (a pan, a fast lift or a flaring light change the picture over many
frames; a cut changes it once; the frame right beside a cut is not compared, so a cut over
two frames, a frame of fade, still counts once). Only the frames the pose pass converts
anyway are looked at (:class:`FrameCutDetector`), so the clip is decoded once; the pure core
gets only the cut times (:func:`hingecoach.form.analysis.analyze_pose` ``cuts_s``).

Measured on the labelled clips (``../shared/data``, the test
``tests/integration/capture/test_frame_cuts.py``): the hard cuts change 0.36-0.99 (a
reel's cuts inside one gym 0.36-0.61, a second recording 0.52, a cut to an end card 0.98);
in the continuous takes nothing isolated changes more than 0.19 (a caption box appearing), a
street lamp flaring 0.33 over several frames, a handheld pan 0.05. A cut between a front
and a side view of one person in one white studio changes 0.04 and a jump cut inside one
shot 0.13: those are left to the pose track, which sees the body jump.

Why not PySceneDetect (``scenedetect`` 0.7, which can be fed frames one by one): measured on
the same thumbnails, its ``ContentDetector`` (default threshold) also cuts a street-lamp
flare and a handheld pan, its ``AdaptiveDetector`` the flare many times, and its
``HistogramDetector`` (luma only) flares, fades and a backlit clip; none checks that a change
is both large and alone. It also costs about 0.14 ms a frame on a 64x36 thumbnail (its
per-frame timecode objects), against 0.03 ms here, thumbnail included (0.13 ms interleaved
with the pose model, whose 24 ms a frame evict the frame from the caches: 0.5 % of pose;
``python bench/form_bench.py cuts 720``, before the camera's path was followed in the same
look: with it, 1.5 ms, 6 %); the cuts' budget is 1 %. And it is one more package (with its
CLI and tqdm) for what the few lines below do with OpenCV, already used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from hingecoach.capture.camera_motion import CameraTracker, camera_recipe
from hingecoach.errors import InputError
from hingecoach.form.camera import CameraPath
from hingecoach.form.errors import UnreadableVideoError

if TYPE_CHECKING:
    from hingecoach.form.pose import PoseSequence

__all__ = [
    "FRAME_CUT_ISOLATION",
    "FRAME_CUT_LOCAL_FRAMES",
    "FRAME_CUT_MIN_CHANGE",
    "FRAME_CUT_MIN_CHANGE_ENV",
    "THUMB_PX",
    "FrameCutDetector",
    "FrameCuts",
    "cuts_recipe",
    "find_frame_cuts",
    "frame_cut_min_change",
    "load_cuts",
    "open_detector",
    "save_cuts",
]

#: The thumbnail the colours are counted on (width, height; nearest pixels of the analysis
#: frame, whatever its shape: a histogram does not mind the squeeze).
THUMB_PX = (64, 36)
#: Histogram bins: hue x saturation, and value.
_HS_BINS = (12, 8)
_V_BINS = 16
#: A cut moves at least this share of the colour histogram in one frame ...
FRAME_CUT_MIN_CHANGE = 0.3
#: ... and this many times the largest change 2 to :data:`FRAME_CUT_LOCAL_FRAMES` frames
#: either side of it.
FRAME_CUT_ISOLATION = 3.0
FRAME_CUT_LOCAL_FRAMES = 4
#: Sets :data:`FRAME_CUT_MIN_CHANGE` (``0``: no cuts from the pictures, the pose track's
#: only; nor the camera's path, which is followed in the same look at each frame).
FRAME_CUT_MIN_CHANGE_ENV = "HINGECOACH_FRAME_CUT_MIN_CHANGE"


def frame_cut_min_change() -> float | None:
    """The smallest change that may be a cut (see :data:`FRAME_CUT_MIN_CHANGE_ENV`);
    None: finding cuts in the pictures is switched off."""
    text = os.environ.get(FRAME_CUT_MIN_CHANGE_ENV, "").strip()
    if not text:
        return FRAME_CUT_MIN_CHANGE
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 1:
        raise InputError(
            f"{FRAME_CUT_MIN_CHANGE_ENV}: expected the share of the picture's colours that "
            f"change at a cut, from 0 (off) to 1, got {text!r}; fix or unset it"
        )
    return value if value > 0 else None


def cuts_recipe() -> str:
    """How cuts are found, for caches keyed by it: changes when the cuts would."""
    from hingecoach.capture.pipeline import pose_recipe
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX

    thumb = "x".join(map(str, THUMB_PX))
    bins = "x".join(map(str, (*_HS_BINS, _V_BINS)))
    return (
        f"hist{bins}-{thumb}-min{frame_cut_min_change()}-iso{FRAME_CUT_ISOLATION:g}"
        f"-local{FRAME_CUT_LOCAL_FRAMES}-{ANALYSIS_MAX_SIDE_PX}-{pose_recipe()}-{camera_recipe()}"
    )


@dataclass(frozen=True, eq=False)
class FrameCuts:
    """The picture's change into each frame looked at, and the cuts among them.

    Attributes:
        times_s: ``(frames,)`` presentation time of each frame looked at, increasing.
        change: ``(frames,)`` share of the colour histogram that moved since the frame
            before (0 for the first).
        min_change: the smallest change that may be a cut.
        camera: how the room moved in the picture over the same frames (None: not
            followed).
    """

    times_s: npt.NDArray[np.float64]
    change: npt.NDArray[np.float64]
    min_change: float = FRAME_CUT_MIN_CHANGE
    camera: CameraPath | None = None

    def __len__(self) -> int:
        return int(self.times_s.shape[0])

    def cut_indices(self) -> list[int]:
        """The frames (of :attr:`times_s`) that start a new shot."""
        d = self.change
        found: list[int] = []
        for i in np.flatnonzero(d >= self.min_change).tolist():
            if i == 0:
                continue
            before = d[max(1, i - FRAME_CUT_LOCAL_FRAMES) : max(1, i - 1)]
            far = np.concatenate([before, d[i + 2 : i + 1 + FRAME_CUT_LOCAL_FRAMES]])
            if d[i] < FRAME_CUT_ISOLATION * (float(far.max()) if far.size else 0.0):
                continue
            if found and found[-1] == i - 1:  # a cut over two frames: keep its larger step
                if d[i] > d[found[-1]]:
                    found[-1] = i
                continue
            found.append(i)
        return found

    def cuts_s(self) -> tuple[float, ...]:
        """The time of the first frame of every shot after the first."""
        return tuple(float(self.times_s[i]) for i in self.cut_indices())


def _histogram(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """The thumbnail's hue x saturation and value histograms, each summing to 1."""
    import cv2

    thumb = cv2.resize(rgb, THUMB_PX, interpolation=cv2.INTER_NEAREST)
    hsv = cv2.cvtColor(thumb, cv2.COLOR_RGB2HSV)
    hs = cv2.calcHist([hsv], [0, 1], None, list(_HS_BINS), [0, 180, 0, 256]).ravel()
    v = cv2.calcHist([hsv], [2], None, [_V_BINS], [0, 256]).ravel()
    pixels = float(THUMB_PX[0] * THUMB_PX[1])
    return np.asarray(np.concatenate([hs, v]) / pixels, dtype=np.float32)


class FrameCutDetector:
    """Takes the frames it is offered (those the pose pass converts), in order.

    Frames before ``own_from_s`` (the warm-up of a later part of a clip posed in parts) only
    set the picture the next frame is compared with; :meth:`extend` joins the parts, so a
    clip posed in parts is looked at on the frames one process would look at (give or take
    the one before a part's first frame). The camera is followed on the same frames.
    """

    def __init__(self, min_change: float = FRAME_CUT_MIN_CHANGE) -> None:
        self.min_change = min_change
        self._previous: npt.NDArray[np.float32] | None = None
        self._times: list[float] = []
        self._change: list[float] = []
        self.camera = CameraTracker()

    def add(
        self,
        time_s: float,
        rgb: npt.NDArray[np.uint8],
        own: bool = True,
        landmarks: npt.NDArray[np.floating] | None = None,
    ) -> None:
        """Look at one ``(height, width, 3)`` RGB frame (``landmarks``: the person's in it,
        kept out of the camera's path)."""
        self.camera.add(time_s, rgb, landmarks, own)
        hist = _histogram(rgb)
        if own:
            # the mean of the two histograms' total variation distances
            moved = 0.0 if self._previous is None else float(np.abs(hist - self._previous).sum())
            self._times.append(time_s)
            self._change.append(moved / 4)
        self._previous = hist

    def extend(self, cuts: FrameCuts | None) -> None:
        """Add the frames of a later part of the clip, looked at elsewhere."""
        if cuts is None:
            return
        self._times.extend(cuts.times_s.tolist())
        self._change.extend(cuts.change.tolist())
        self.camera.extend(cuts.camera)

    def result(self) -> FrameCuts | None:
        """What was found so far (None: no frame looked at)."""
        if not self._times:
            return None
        return FrameCuts(
            np.asarray(self._times, dtype=np.float64),
            np.asarray(self._change, dtype=np.float64),
            self.min_change,
            self.camera.result(),
        )


def open_detector() -> FrameCutDetector | None:
    """A detector at the setting in force (None: switched off)."""
    min_change = frame_cut_min_change()
    return None if min_change is None else FrameCutDetector(min_change)


def find_frame_cuts(path: Path, pose: PoseSequence | None = None) -> FrameCuts | None:
    """The cuts of a clip, decoded for them alone, on the frames its pose pass would look
    at (for clips whose pose track ``pose`` is cached already; the clip analysis finds them
    in its pose pass, and the person's landmarks are kept out of the camera's path from
    ``pose``). None: switched off (:data:`FRAME_CUT_MIN_CHANGE_ENV` = 0)."""
    from hingecoach.capture.pipeline import pose_gap_s
    from hingecoach.capture.video import look_at_frames

    detector = open_detector()
    if detector is None:
        return None
    gap, last = pose_gap_s(), [-1e9]

    def posed(time_s: float, _previous: float | None) -> bool:
        if time_s - last[0] < gap:
            return False
        last[0] = time_s
        return True

    def look(time_s: float, rgb: npt.NDArray[np.uint8]) -> None:
        landmarks = None
        if pose is not None and len(pose):
            at = int(np.clip(np.searchsorted(pose.times_s, time_s - 1e-6), 0, len(pose) - 1))
            landmarks = pose.landmarks[at]
        detector.add(time_s, rgb, landmarks=landmarks)

    return look_at_frames(path, posed, look, detector.result)


def save_cuts(cuts: FrameCuts, path: Path) -> None:
    """Write the changes found as a compressed ``.npz``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {
        "times_s": cuts.times_s,
        "change": cuts.change.astype(np.float32),
        "min_change": np.float64(cuts.min_change),
    }
    if cuts.camera is not None:
        arrays |= {"camera_times_s": cuts.camera.times_s, "camera_moves": cuts.camera.moves}
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)


def load_cuts(path: Path) -> FrameCuts:
    """Read what :func:`save_cuts` wrote."""
    try:
        with np.load(path) as data:
            camera = None
            if "camera_moves" in data:
                camera = CameraPath(data["camera_times_s"], data["camera_moves"])
            return FrameCuts(
                data["times_s"].astype(np.float64),
                data["change"].astype(np.float64),
                float(data["min_change"]),
                camera,
            )
    except (OSError, ValueError, KeyError) as exc:
        raise UnreadableVideoError(f"{path.name}: not a cut list we can read ({exc})") from exc
