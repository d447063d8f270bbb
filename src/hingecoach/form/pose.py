"""The pose sequence: what every analysis starts from (BlazePose-33 layout, pixels).

A :class:`PoseSequence` checks its own shapes and says "expected X, got Y". Coordinates are
image pixels (x to the right, y down), so angles need no aspect correction. Other keypoint
layouts (COCO-17) are mapped onto the BlazePose-33 indices with the missing points marked
invisible.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

__all__ = [
    "BLAZEPOSE_NAMES",
    "COCO17_NAMES",
    "COCO17_TO_BLAZEPOSE",
    "LM",
    "FloatArray",
    "PoseSequence",
    "coco17_to_blazepose33",
]

FloatArray = npt.NDArray[np.float64]


class LM(IntEnum):
    """BlazePose-33 landmark indices (the ones the analysis uses, and a few more)."""

    NOSE = 0
    LEFT_EYE = 2
    RIGHT_EYE = 5
    LEFT_EAR = 7
    RIGHT_EAR = 8
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


BLAZEPOSE_NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
)  # fmt: skip

COCO17_NAMES: tuple[str, ...] = (
    "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
)  # fmt: skip

#: COCO-17 index -> BlazePose-33 index.
COCO17_TO_BLAZEPOSE: tuple[int, ...] = tuple(BLAZEPOSE_NAMES.index(n) for n in COCO17_NAMES)

N_LANDMARKS = 33


def check_timeline(times: FloatArray, samples: int, width_px: int, height_px: int) -> None:
    """One time per sample, strictly increasing, and a frame of positive size (ValueError)."""
    if times.shape != (samples,):
        raise ValueError(f"times_s: expected shape ({samples},), got {times.shape}")
    if times.size > 1 and not np.all(np.diff(times) > 0):
        raise ValueError("times_s: expected strictly increasing times")
    if width_px <= 0 or height_px <= 0:
        raise ValueError(f"frame size: expected positive pixels, got {width_px}x{height_px}")


def _as_float(name: str, value: object) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


@dataclass(frozen=True, eq=False)
class PoseSequence:
    """Body landmarks over time for one person, BlazePose-33 layout.

    Attributes:
        landmarks: ``(frames, 33, 4)``: x_px, y_px, z (depth, same scale as x, negative
            towards the camera; 0 when unknown) and visibility 0..1. A landmark not seen in a
            frame has NaN x/y and visibility 0.
        times_s: ``(frames,)`` presentation time of each frame in seconds, increasing.
        width_px, height_px: the frame size the coordinates refer to.
        back_profile: optional ``(frames, K)``: how far the body outline on the back side
            lies from the shoulder-hip line, at K evenly spaced points from shoulder (0) to
            hip (K-1), in torso lengths (NaN when unknown). From the segmentation mask.
        people: optional ``(frames,)`` number of people detected in each frame.
        source: where the sequence came from (a file name), for messages.
    """

    landmarks: FloatArray
    times_s: FloatArray
    width_px: int
    height_px: int
    back_profile: FloatArray | None = None
    people: npt.NDArray[np.int64] | None = None
    source: str = ""

    def __post_init__(self) -> None:
        lm = _as_float("landmarks", self.landmarks)
        t = _as_float("times_s", self.times_s)
        if lm.ndim != 3 or lm.shape[1:] != (N_LANDMARKS, 4):
            raise ValueError(f"landmarks: expected shape (frames, 33, 4), got {lm.shape}")
        check_timeline(t, lm.shape[0], self.width_px, self.height_px)
        object.__setattr__(self, "landmarks", lm)
        object.__setattr__(self, "times_s", t)
        if self.back_profile is not None:
            bp = _as_float("back_profile", self.back_profile)
            if bp.ndim != 2 or bp.shape[0] != lm.shape[0]:
                raise ValueError(f"back_profile: expected shape ({lm.shape[0]}, K), got {bp.shape}")
            object.__setattr__(self, "back_profile", bp)
        if self.people is not None:
            pp = np.asarray(self.people, dtype=np.int64)
            if pp.shape != (lm.shape[0],):
                raise ValueError(f"people: expected shape ({lm.shape[0]},), got {pp.shape}")
            object.__setattr__(self, "people", pp)

    def __len__(self) -> int:
        return int(self.landmarks.shape[0])

    @property
    def xy(self) -> FloatArray:
        """``(frames, 33, 2)`` pixel coordinates (NaN where unseen)."""
        return self.landmarks[:, :, :2]

    @property
    def visibility(self) -> FloatArray:
        """``(frames, 33)`` visibility 0..1."""
        return self.landmarks[:, :, 3]

    @property
    def duration_s(self) -> float:
        return float(self.times_s[-1] - self.times_s[0]) if len(self) > 1 else 0.0

    @property
    def fps(self) -> float:
        """Median frame rate (frames per second); 30 for a single frame."""
        if len(self) < 2:
            return 30.0
        return float(1.0 / np.median(np.diff(self.times_s)))

    def slice_time(self, start_s: float | None, end_s: float | None) -> PoseSequence:
        """The frames with ``start_s <= t <= end_s`` (either bound may be None)."""
        keep = np.ones(len(self), dtype=bool)
        if start_s is not None:
            keep &= self.times_s >= start_s
        if end_s is not None:
            keep &= self.times_s <= end_s
        return PoseSequence(
            landmarks=self.landmarks[keep],
            times_s=self.times_s[keep],
            width_px=self.width_px,
            height_px=self.height_px,
            back_profile=None if self.back_profile is None else self.back_profile[keep],
            people=None if self.people is None else self.people[keep],
            source=self.source,
        )


def coco17_to_blazepose33(keypoints: FloatArray) -> FloatArray:
    """Map COCO-17 keypoints onto the BlazePose-33 layout.

    Args:
        keypoints: ``(frames, 17, 3)`` x_px, y_px, score.

    Returns:
        ``(frames, 33, 4)`` with z = 0 and the points COCO lacks (heels, toes, hands)
        NaN with visibility 0.
    """
    kp = np.asarray(keypoints, dtype=np.float64)
    if kp.ndim != 3 or kp.shape[1:] != (17, 3):
        raise ValueError(f"COCO-17 keypoints: expected shape (frames, 17, 3), got {kp.shape}")
    out = np.full((kp.shape[0], N_LANDMARKS, 4), np.nan)
    out[:, :, 2] = 0.0
    out[:, :, 3] = 0.0
    idx = list(COCO17_TO_BLAZEPOSE)
    out[:, idx, 0] = kp[:, :, 0]
    out[:, idx, 1] = kp[:, :, 1]
    out[:, idx, 3] = kp[:, :, 2]
    return out
