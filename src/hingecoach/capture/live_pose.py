"""Server-side pose for live coaching: a JPEG from a browser that cannot run the model,
posed by one connection's MediaPipe graph (tracking mode) in the live pose pool."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ImageError", "JpegPoser"]


class ImageError(ValueError):
    """A picture that cannot be posed: not a JPEG, or too large."""


class JpegPoser:
    """One connection's MediaPipe graph (tracking mode), used only in the pose pool."""

    def __init__(self) -> None:
        self._estimator: Any = None

    def pose(self, jpeg: bytes, width: int, height: int, *, max_side_px: int) -> Any:
        """The landmarks of the person in a JPEG, in the browser's frame of ``width`` x
        ``height`` pixels (None: nobody seen)."""
        import cv2

        from hingecoach.capture.mediapipe_pose import PoseEstimator

        bgr = cv2.imdecode(np.frombuffer(jpeg, dtype=np.uint8), cv2.IMREAD_COLOR)
        if bgr is None:
            raise ImageError("the image is not a JPEG that can be decoded")
        h, w = bgr.shape[:2]
        if max(h, w) > max_side_px:
            raise ImageError(
                f"the image is {w}x{h}: send at most {max_side_px} px on the long side"
            )
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        if self._estimator is None:
            self._estimator = PoseEstimator(segmentation=False)
        landmarks, _ = self._estimator.process(rgb)
        if not np.isfinite(landmarks[:, 0]).any():
            return None
        landmarks[:, 0] *= width / w
        landmarks[:, 1] *= height / h
        landmarks[:, 2] *= width / w
        return landmarks

    def close(self) -> None:
        if self._estimator is not None:
            self._estimator.close()
            self._estimator = None
