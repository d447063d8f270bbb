"""MediaPipe BlazePose (full model, shipped in the pinned wheel) in tracking mode.

Nothing is downloaded at run time: the "full" landmark model and the detector are inside the
``mediapipe`` 0.10.21 wheel. The segmentation mask is reduced at once to a small back-outline
profile per frame (see :func:`back_profile`), so memory stays flat whatever the clip length.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
import types
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

from hingecoach.form.pose import LM

__all__ = ["BACK_PROFILE_POINTS", "PoseEstimator", "back_profile"]

#: Points sampled along the shoulder -> hip line for the back outline.
BACK_PROFILE_POINTS = 11
#: How far out (in torso lengths) to look for the outline.
_MAX_REACH = 0.6
_STEPS = 60

FloatArray = npt.NDArray[np.float64]


def back_profile(mask: npt.NDArray[np.float32], landmarks: FloatArray) -> FloatArray:
    """Distance from the shoulder-hip line out to the body outline on the back side.

    Args:
        mask: ``(height, width)`` person probability 0..1 (MediaPipe segmentation).
        landmarks: ``(33, 4)`` x_px, y_px, z, visibility.

    Returns:
        ``(BACK_PROFILE_POINTS,)`` distances in torso lengths, shoulder first, hip last;
        NaN where the line leaves the mask or the outline is not found within reach.
    """
    out = np.full(BACK_PROFILE_POINTS, np.nan)
    xy = landmarks[:, :2]
    if not np.all(
        np.isfinite(xy[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP]])
    ):
        return out
    shoulder = (xy[LM.LEFT_SHOULDER] + xy[LM.RIGHT_SHOULDER]) / 2
    hip = (xy[LM.LEFT_HIP] + xy[LM.RIGHT_HIP]) / 2
    trunk = hip - shoulder
    length = float(np.hypot(*trunk))
    if length < 8:
        return out
    # facing direction from the feet (toe ahead of heel), else the nose ahead of the ears
    toes = xy[[LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX], 0] - xy[[LM.LEFT_HEEL, LM.RIGHT_HEEL], 0]
    facing = float(np.nansum(toes))
    if not np.isfinite(facing) or abs(facing) < 1e-6:
        ears = (xy[LM.LEFT_EAR, 0] + xy[LM.RIGHT_EAR, 0]) / 2
        facing = float(xy[LM.NOSE, 0] - ears)
    sign = 1.0 if facing >= 0 else -1.0
    normal = sign * np.array([-trunk[1], trunk[0]]) / length  # points to the back
    ts = np.linspace(0.0, 1.0, BACK_PROFILE_POINTS)
    reach = np.linspace(0.0, _MAX_REACH * length, _STEPS)
    pts = shoulder[None, None, :] + ts[:, None, None] * trunk[None, None, :]
    pts = pts + reach[None, :, None] * normal[None, None, :]  # (K, steps, 2)
    h, w = mask.shape
    cols = np.rint(pts[..., 0]).astype(np.int64)
    rows = np.rint(pts[..., 1]).astype(np.int64)
    inside_frame = (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h)
    vals = np.zeros(cols.shape, dtype=np.float32)
    vals[inside_frame] = mask[rows[inside_frame], cols[inside_frame]]
    inside = vals > 0.5
    for k in range(BACK_PROFILE_POINTS):
        if not inside[k, 0] or not inside_frame[k].all():
            continue
        outside = np.flatnonzero(~inside[k])
        if outside.size:
            out[k] = reach[outside[0]] / length
    return out


class _Deferred(types.ModuleType):
    """Stands in for a module not imported yet: the first attribute it lacks imports the
    real module, in its place in ``sys.modules``, and hands the attribute over."""

    def __getattr__(self, name: str) -> Any:
        for key in _DEFERRED:
            if isinstance(sys.modules.get(key), _Deferred):
                del sys.modules[key]
        return getattr(importlib.import_module(self.__name__), name)


_DEFERRED = ("matplotlib.pyplot", "matplotlib")


def defer_matplotlib() -> None:
    """MediaPipe's solutions package imports ``matplotlib.pyplot`` for drawing helpers we
    never call: about 0.4 s of every analysis process's start-up (half of MediaPipe's
    import). Put stand-ins in its place, which import it for real on first use."""
    if "matplotlib" in sys.modules:
        return
    top, pyplot = _Deferred("matplotlib"), _Deferred("matplotlib.pyplot")
    top.__dict__["pyplot"] = pyplot  # ``import matplotlib.pyplot as plt`` finds it set
    sys.modules["matplotlib"], sys.modules["matplotlib.pyplot"] = top, pyplot


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Silence the C++ start-up chatter (TFLite/absl INFO and W0000 lines) of MediaPipe,
    which writes straight to file descriptor 2, while the graph starts."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


class PoseEstimator:
    """BlazePose full in tracking (video) mode; one instance per clip, used as a context manager."""

    def __init__(self, *, segmentation: bool = True, min_confidence: float = 0.5) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        defer_matplotlib()
        from mediapipe.python.solutions import pose as mp_pose

        self.segmentation = segmentation
        self._quiet_frames = 5  # the models start lazily over the first frames
        with _quiet_native_stderr():
            self._pose: Any = self._make(mp_pose, segmentation, min_confidence)
            time.sleep(0.1)  # the graph's threads log their start-up asynchronously

    @staticmethod
    def _make(mp_pose: Any, segmentation: bool, min_confidence: float) -> Any:
        return mp_pose.Pose(
            static_image_mode=False,
            model_complexity=1,
            smooth_landmarks=True,
            enable_segmentation=segmentation,
            # MediaPipe 0.10.21's mask smoothing gives bit-identical masks (so identical
            # back profiles and tracks) and costs 4-5 ms a frame, 13 % of the pose model
            # with segmentation (tested: test_pose_estimator.py; bench: form_ab.py)
            smooth_segmentation=False,
            min_detection_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._pose.close()

    def process(self, rgb: npt.NDArray[np.uint8]) -> tuple[FloatArray, FloatArray]:
        """Landmarks and back profile of one ``(height, width, 3)`` RGB frame.

        Returns:
            ``(33, 4)`` x_px, y_px, z (x scale), visibility (NaN/0 when no person) and
            ``(BACK_PROFILE_POINTS,)`` back outline (NaN without segmentation).
        """
        h, w = rgb.shape[:2]
        rgb.flags.writeable = False
        if self._quiet_frames > 0:
            with _quiet_native_stderr():
                result = self._pose.process(rgb)
                if result.pose_landmarks is not None:
                    # the landmark model starts on the first person seen and logs from a
                    # worker thread: give it a moment inside the quiet window
                    self._quiet_frames -= 1
                    time.sleep(0.02)
        else:
            result = self._pose.process(rgb)
        lms = np.full((33, 4), np.nan)
        lms[:, 2:] = 0.0
        profile = np.full(BACK_PROFILE_POINTS, np.nan)
        if result.pose_landmarks is None:
            return lms, profile
        raw = np.array(
            [(p.x, p.y, p.z, p.visibility) for p in result.pose_landmarks.landmark],
            dtype=np.float64,
        )
        lms[:, 0] = raw[:, 0] * w
        lms[:, 1] = raw[:, 1] * h
        lms[:, 2] = raw[:, 2] * w
        lms[:, 3] = raw[:, 3]
        if self.segmentation and result.segmentation_mask is not None:
            profile = back_profile(result.segmentation_mask, lms)
        return lms, profile
