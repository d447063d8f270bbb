"""Video in, pose out, annotated video back: the adapter around the pure form analysis.

Heavy libraries (PyAV, MediaPipe, OpenCV) are imported inside the functions that use them,
so importing this package is instant. Install them with the ``video`` extra.
"""

from __future__ import annotations

from hingecoach.capture.pipeline import VideoAnalysis, analyze_video, extract_pose, load_pose
from hingecoach.capture.tracks import load_track, save_track

__all__ = [
    "VideoAnalysis",
    "analyze_video",
    "extract_pose",
    "load_pose",
    "load_track",
    "save_track",
]
