"""Form from pose sequences: view, reps, metrics and faults (pure NumPy; R-FORM-1..5).

The entry point is :func:`analyze_pose`; video decoding and pose estimation live in
:mod:`hingecoach.capture`.
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
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds, rule_of

__all__ = [
    "DEFAULT_THRESHOLDS",
    "ClipFault",
    "FormError",
    "FormRating",
    "FormReport",
    "FormThresholds",
    "PoseSequence",
    "RepFaultResult",
    "RepResult",
    "TempoTarget",
    "UnreadableVideoError",
    "ViewRefusedError",
    "ViewResult",
    "analyze_pose",
    "rule_of",
]
