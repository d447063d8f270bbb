"""Form from pose sequences: view, reps, metrics and faults (pure NumPy; R-FORM-1..5).

The entry points are :func:`analyze_pose` (a clip) and :class:`StreamingAnalyser` (live,
frame by frame: the same analysis, run as the frames come); video decoding and pose
estimation live in :mod:`hingecoach.capture`.
"""

from hingecoach.form.analysis import (
    ClipFault,
    FormRating,
    FormReport,
    RepFaultResult,
    RepResult,
    ViewResult,
    analyze_pose,
)
from hingecoach.form.errors import FormError, UnreadableVideoError, ViewRefusedError
from hingecoach.form.faults import TempoTarget
from hingecoach.form.pose import PoseSequence
from hingecoach.form.stream import LiveEvent, StreamingAnalyser, StreamSettings
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds, rule_of

__all__ = [
    "DEFAULT_THRESHOLDS",
    "ClipFault",
    "FormError",
    "FormRating",
    "FormReport",
    "FormThresholds",
    "LiveEvent",
    "PoseSequence",
    "RepFaultResult",
    "RepResult",
    "StreamSettings",
    "StreamingAnalyser",
    "TempoTarget",
    "UnreadableVideoError",
    "ViewRefusedError",
    "ViewResult",
    "analyze_pose",
    "rule_of",
]
