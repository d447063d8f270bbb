"""Angles from 2-D points (image pixels, y down). Every angle is in degrees."""

from __future__ import annotations

import numpy as np

from hingecoach.form.pose import FloatArray

__all__ = ["angle_deg", "from_vertical_deg", "signed_from_vertical_deg"]


def angle_deg(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """The angle a-b-c at ``b``, 0..180 (180 = straight).

    Args:
        a, b, c: ``(..., 2)`` points.

    Returns:
        ``(...)`` angles (NaN where a point is missing or two coincide).
    """
    v1 = np.asarray(a, dtype=np.float64) - b
    v2 = np.asarray(c, dtype=np.float64) - b
    dot = np.sum(v1 * v2, axis=-1)
    norm = np.linalg.norm(v1, axis=-1) * np.linalg.norm(v2, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.where(norm > 0, dot / np.where(norm > 0, norm, 1.0), np.nan)
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))), dtype=np.float64)


def from_vertical_deg(lower: FloatArray, upper: FloatArray) -> FloatArray:
    """Angle of the segment lower -> upper from straight up, 0..180 (0 = vertical).

    Args:
        lower, upper: ``(..., 2)`` points (image pixels, y down).
    """
    v = np.asarray(upper, dtype=np.float64) - lower
    return np.asarray(np.degrees(np.arctan2(np.abs(v[..., 0]), -v[..., 1])), dtype=np.float64)


def signed_from_vertical_deg(lower: FloatArray, upper: FloatArray, facing: float) -> FloatArray:
    """Like :func:`from_vertical_deg` but signed: positive leaning the way the person faces.

    Args:
        lower, upper: ``(..., 2)`` points.
        facing: +1 when the person faces +x (right in the image), -1 when facing left.

    Returns:
        ``(...)`` angles in -180..180; negative = leaning back.
    """
    v = np.asarray(upper, dtype=np.float64) - lower
    return np.asarray(np.degrees(np.arctan2(facing * v[..., 0], -v[..., 1])), dtype=np.float64)
