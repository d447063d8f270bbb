"""Pose tracks on disk: NPZ (our own format), JSON and CSV of BlazePose-33 or COCO-17 points.

So a recorded track, or another pose model's output, can be analysed without video.

Formats read by :func:`load_track` (coordinates in pixels; normalised 0..1 coordinates are
scaled by the frame size when every value is at most 1.5):

- ``.npz``: ``landmarks (frames, 33, 4)`` or ``keypoints (frames, 17, 3)``, ``times_s``,
  ``width_px``, ``height_px``, optional ``back_profile (frames, K)``. Written by
  :func:`save_track`.
- ``.json``: either ``{"width_px", "height_px", "times_s": [...], "layout": "blazepose-33" |
  "coco-17", "keypoints": [[[x, y, (z,) score], ...], ...]}``, or a swing-analyzer style
  ``{"metadata": {"videoWidth", "videoHeight", ...}, "frames": [{"videoTime", "keypoints":
  [{"x", "y", "z", "score", "name"}, ...]}]}``.
- ``.csv``: long format, one row per frame and point: ``time_s,name,x,y[,z][,visibility]``
  (``name`` a point name, or an index in the layout); an optional first line
  ``# width_px=W height_px=H layout=coco-17`` gives the frame size (else it is taken from
  the points) and the layout of numeric indices (default blazepose-33).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

from hingecoach.form.errors import MissingVideoError, UnreadableVideoError
from hingecoach.form.pose import (
    BLAZEPOSE_NAMES,
    COCO17_TO_BLAZEPOSE,
    FloatArray,
    PoseSequence,
    coco17_to_blazepose33,
)

__all__ = ["TRACK_SUFFIXES", "load_track", "save_track"]

TRACK_SUFFIXES = (".npz", ".json", ".csv")


def save_track(seq: PoseSequence, path: Path) -> None:
    """Write a pose sequence as a compressed ``.npz`` (float32 landmarks: small files)."""
    arrays: dict[str, Any] = {
        "landmarks": seq.landmarks.astype(np.float32),
        "times_s": seq.times_s,
        "width_px": np.int64(seq.width_px),
        "height_px": np.int64(seq.height_px),
        "source": np.str_(seq.source),
    }
    if seq.back_profile is not None:
        arrays["back_profile"] = seq.back_profile.astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)


def load_track(path: Path) -> PoseSequence:
    """Read a pose track file (see the module docstring for the formats)."""
    if not path.is_file():
        raise MissingVideoError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".npz":
            return _load_npz(path)
        if suffix == ".json":
            return _load_json(path)
        if suffix == ".csv":
            return _load_csv(path)
    except UnreadableVideoError:
        raise
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise UnreadableVideoError(f"{path.name}: not a pose track we can read ({exc})") from exc
    raise UnreadableVideoError(
        f"{path.name}: unknown track format (use {', '.join(TRACK_SUFFIXES)})"
    )


def _finish(
    landmarks: FloatArray,
    times_s: FloatArray,
    width: int | None,
    height: int | None,
    source: str,
    back_profile: FloatArray | None = None,
) -> PoseSequence:
    xy = landmarks[:, :, :2]
    finite = xy[np.isfinite(xy)]
    if finite.size == 0:
        raise UnreadableVideoError(f"{source}: the track has no points")
    if width and height and float(np.max(np.abs(finite))) <= 1.5:
        landmarks = landmarks.copy()
        landmarks[:, :, 0] *= width
        landmarks[:, :, 1] *= height
        landmarks[:, :, 2] *= width
    if not width or not height:
        width = int(np.ceil(np.nanmax(landmarks[:, :, 0]))) + 1
        height = int(np.ceil(np.nanmax(landmarks[:, :, 1]))) + 1
    order = np.argsort(times_s, kind="stable")
    times_s = times_s[order]
    keep = np.concatenate([[True], np.diff(times_s) > 0])
    idx = order[keep]
    return PoseSequence(
        landmarks=landmarks[idx],
        times_s=times_s[keep],
        width_px=int(width),
        height_px=int(height),
        back_profile=None if back_profile is None else back_profile[idx],
        source=source,
    )


def _load_npz(path: Path) -> PoseSequence:
    with np.load(path, allow_pickle=False) as data:
        times = np.asarray(data["times_s"], dtype=np.float64)
        if "landmarks" in data:
            lms = np.asarray(data["landmarks"], dtype=np.float64)
        else:
            lms = coco17_to_blazepose33(np.asarray(data["keypoints"], dtype=np.float64))
        width = int(data["width_px"]) if "width_px" in data else None
        height = int(data["height_px"]) if "height_px" in data else None
        profile = (
            np.asarray(data["back_profile"], dtype=np.float64) if "back_profile" in data else None
        )
    return _finish(lms, times, width, height, path.name, profile)


def _points_to_landmarks(points: FloatArray, layout: str) -> FloatArray:
    """``(frames, N, 3 or 4)`` -> ``(frames, 33, 4)``."""
    if points.ndim != 3 or points.shape[2] not in (3, 4):
        raise ValueError(f"keypoints: expected shape (frames, N, 3 or 4), got {points.shape}")
    if points.shape[2] == 3:  # x, y, score
        points = np.concatenate(
            [points[:, :, :2], np.zeros((*points.shape[:2], 1)), points[:, :, 2:]], axis=2
        )
    if layout == "coco-17" or points.shape[1] == 17:
        coco = points[:, :, [0, 1, 3]]
        return coco17_to_blazepose33(coco)
    if points.shape[1] != 33:
        raise ValueError(
            f"keypoints: expected 33 (BlazePose) or 17 (COCO) points, got {points.shape[1]}"
        )
    return points


def _load_json(path: Path) -> PoseSequence:
    data = json.loads(path.read_text(encoding="utf-8"))
    if "frames" in data:  # swing-analyzer style
        meta = data.get("metadata", {})
        layout = str(meta.get("keypointFormat", "blazepose-33")).lower()
        times, pts = [], []
        for frame in data["frames"]:
            if "videoTime" in frame:
                times.append(float(frame["videoTime"]))
            else:
                times.append(float(frame["timestamp"]) / 1000.0)
            pts.append(
                [
                    [kp["x"], kp["y"], kp.get("z", 0.0), kp.get("score", kp.get("visibility", 1.0))]
                    for kp in frame["keypoints"]
                ]
            )
        lms = _points_to_landmarks(np.asarray(pts, dtype=np.float64), layout)
        return _finish(
            lms,
            np.asarray(times, dtype=np.float64),
            meta.get("videoWidth"),
            meta.get("videoHeight"),
            path.name,
        )
    layout = str(data.get("layout", "blazepose-33")).lower()
    lms = _points_to_landmarks(np.asarray(data["keypoints"], dtype=np.float64), layout)
    return _finish(
        lms,
        np.asarray(data["times_s"], dtype=np.float64),
        data.get("width_px"),
        data.get("height_px"),
        path.name,
    )


def _load_csv(path: Path) -> PoseSequence:
    width = height = None
    layout = "blazepose-33"
    with path.open(encoding="utf-8", newline="") as fh:
        first = fh.readline()
        if first.startswith("#"):
            fields = dict(part.split("=", 1) for part in first[1:].split() if "=" in part)
            width = int(fields["width_px"]) if "width_px" in fields else None
            height = int(fields["height_px"]) if "height_px" in fields else None
            layout = fields.get("layout", layout).lower()
        else:
            fh.seek(0)
        rows = list(csv.DictReader(fh))
    if not rows:
        raise UnreadableVideoError(f"{path.name}: the track has no rows")
    digits = COCO17_TO_BLAZEPOSE if layout == "coco-17" else tuple(range(33))
    times = sorted({float(row["time_s"]) for row in rows})
    index = {t: i for i, t in enumerate(times)}
    lms = np.full((len(times), 33, 4), np.nan)
    lms[:, :, 2:] = 0.0
    for row in rows:
        name = row["name"].strip()
        j = digits[int(name)] if name.isdigit() else BLAZEPOSE_NAMES.index(name)
        vis = row.get("visibility") or row.get("score") or "1"
        lms[index[float(row["time_s"])], j] = [
            float(row["x"]),
            float(row["y"]),
            float(row.get("z") or 0.0),
            float(vis),
        ]
    return _finish(lms, np.asarray(times), width, height, path.name)
