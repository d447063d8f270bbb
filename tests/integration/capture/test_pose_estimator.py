"""The pose model as configured (capture/mediapipe_pose.py), on a real clip.

MediaPipe's segmentation smoothing is switched off because, in the pinned wheel, it changes
no mask at all and costs 4-5 ms a frame: if an upgrade makes it change the masks, the back
profiles (and so back-rounding, R-FORM-3) would depend on it and the choice must be
measured again with ``make eval-form``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.usefixtures("video_support")


def _masks(clip: Path, smooth: bool, frames: int = 45) -> list[np.ndarray]:
    from mediapipe.python.solutions import pose as mp_pose

    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames

    pose = mp_pose.Pose(
        static_image_mode=False,
        model_complexity=1,
        enable_segmentation=True,
        smooth_segmentation=smooth,
    )
    masks = []
    try:
        decoded = iter_frames(clip, max_side=ANALYSIS_MAX_SIDE_PX)
        for _, frame in zip(range(frames), decoded, strict=False):
            mask = pose.process(frame.rgb).segmentation_mask
            masks.append(np.full((1, 1), np.nan) if mask is None else mask.copy())
    finally:
        pose.close()
    return masks


def test_segmentation_smoothing_would_change_no_mask(clip: Callable[[str], Path]) -> None:
    path = clip("jeffchen-bad.mp4")
    smoothed, raw = _masks(path, smooth=True), _masks(path, smooth=False)
    found = [i for i, m in enumerate(raw) if m.size > 1]
    assert len(found) >= 20  # the lifter is found on most of these frames
    for a, b in zip(smoothed, raw, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_pose_model_starts_without_importing_matplotlib() -> None:
    """MediaPipe's drawing helpers import matplotlib.pyplot (a third of a second of every
    analysis process's start-up); it is imported only if something uses it."""
    code = (
        "import sys\n"
        "from hingecoach.capture.mediapipe_pose import PoseEstimator\n"
        "PoseEstimator(segmentation=False).close()\n"
        "assert 'mediapipe' in sys.modules\n"
        "print(type(sys.modules['matplotlib']).__name__)\n"
        "import matplotlib.pyplot as plt\n"
        "from matplotlib import colors\n"
        "print(callable(plt.figure), colors.to_rgb('red'))\n"
        "print(type(sys.modules['matplotlib']).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split("\n")
    assert out[0] == "_Deferred"  # not imported by starting the model
    assert out[1] == "True (1.0, 0.0, 0.0)"  # and imported for real when used
    assert out[2] == "module"
