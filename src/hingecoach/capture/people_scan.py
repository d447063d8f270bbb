"""The people scan: everyone in the picture, on a sparse sample of a clip's frames.

The clip's pose track follows one person (BlazePose in tracking mode never says who else
is there). This scan runs MediaPipe's Tasks API ``PoseLandmarker`` with up to
:data:`MAX_POSES` bodies in image mode on about :data:`PEOPLE_SCAN_FPS` frames a second, so
:func:`hingecoach.form.people.find_other_lifters` can tell a second lifter (a split-screen
reel, a partner in the picture) from a small background person.

The model is the ``.task`` bundle ``make setup`` builds (``scripts/vendor_live.py``, from
the pinned MediaPipe wheel's own model files) into the web app's static files, where the
live page finds it too; :data:`PEOPLE_MODEL_ENV` names another one. Nothing is downloaded
at run time. The frames are decoded at the analysis size and only the sampled ones are
converted to RGB, so the scan costs a small share of the pose extraction (see
``make bench`` and the report of issue 19).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from hingecoach.form.errors import FormError, UnreadableVideoError
from hingecoach.form.people import PeopleScan

__all__ = [
    "MAX_POSES",
    "PEOPLE_MODEL_ENV",
    "PEOPLE_SCAN_FPS",
    "PEOPLE_SCAN_FPS_ENV",
    "load_scan",
    "people_model_path",
    "save_scan",
    "scan_people",
    "scan_recipe",
]

#: Frames scanned a second: two catch anyone in view for a second or more, at a few
#: per cent of the pose extraction's time.
PEOPLE_SCAN_FPS = 2.0
#: Sets :data:`PEOPLE_SCAN_FPS` (``0``: no scan, so no several-people check on video).
PEOPLE_SCAN_FPS_ENV = "HINGECOACH_PEOPLE_SCAN_FPS"
#: Bodies looked for in each frame: the lifter and two more.
MAX_POSES = 3
#: A ``PoseLandmarker`` ``.task`` bundle to use instead of the one ``make setup`` builds.
PEOPLE_MODEL_ENV = "HINGECOACH_PEOPLE_MODEL"
#: The bundle ``scripts/vendor_live.py`` writes (the full landmark model of the wheel).
_MODEL_NAME = "pose_landmarker_full.task"
_VENDOR_MODELS = ("web", "static", "vendor", "models")


def people_scan_fps() -> float | None:
    """The scan rate in force (see :data:`PEOPLE_SCAN_FPS_ENV`); None: no scan."""
    text = os.environ.get(PEOPLE_SCAN_FPS_ENV, "").strip()
    fps = float(text) if text else PEOPLE_SCAN_FPS
    return fps if fps > 0 else None


def people_model_path() -> Path:
    """The ``PoseLandmarker`` bundle (see :data:`PEOPLE_MODEL_ENV`)."""
    named = os.environ.get(PEOPLE_MODEL_ENV, "").strip()
    if named:
        return Path(named)
    import hingecoach

    return Path(hingecoach.__file__).parent.joinpath(*_VENDOR_MODELS, _MODEL_NAME)


def scan_recipe() -> str:
    """How scans are made, for caches keyed by it: changes when the scans would."""
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX

    fps = people_scan_fps()
    return f"{Path(people_model_path()).stem}-n{MAX_POSES}-fps{fps or 0:g}-{ANALYSIS_MAX_SIDE_PX}"


def _landmarker(model: Path) -> Any:
    from mediapipe.tasks.python import BaseOptions, vision

    from hingecoach.capture.mediapipe_pose import _quiet_native_stderr

    if not model.is_file():
        raise FormError(
            f"the people-scan model is missing ({model}); run `make setup` to build it",
            code="video-support-missing",
        )
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.IMAGE,
        num_poses=MAX_POSES,
    )
    with _quiet_native_stderr():
        return vision.PoseLandmarker.create_from_options(options)


def _bodies(result: Any, width: int, height: int) -> np.ndarray:
    """``(MAX_POSES, 33, 4)`` x_px, y_px, visibility, presence of the bodies found."""
    out = np.full((MAX_POSES, 33, 4), np.nan)
    out[..., 2:] = 0.0
    for slot, body in enumerate(result.pose_landmarks[:MAX_POSES]):
        out[slot] = [
            (p.x * width, p.y * height, p.visibility or 0.0, p.presence or 0.0) for p in body
        ]
    return out


def scan_people(
    path: Path,
    *,
    fps: float | None = None,
    start_s: float | None = None,
    end_s: float | None = None,
) -> PeopleScan | None:
    """Everyone in the picture on about ``fps`` frames a second of a clip.

    Args:
        path: a video file.
        fps: frames scanned a second (default :func:`people_scan_fps`).
        start_s, end_s: scan only this stretch (presentation seconds).

    Returns:
        The scan, in the pixels of the analysis frame size (as the pose track); None when
        scanning is switched off (:data:`PEOPLE_SCAN_FPS_ENV` = 0).
    """
    import mediapipe as mp

    from hingecoach.capture.mediapipe_pose import _quiet_native_stderr
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames

    rate = fps if fps is not None else people_scan_fps()
    if rate is None:
        return None
    landmarker = _landmarker(people_model_path())
    times: list[float] = []
    found: list[np.ndarray] = []
    width = height = 0
    next_s = -1.0
    try:
        for frame in iter_frames(path, start_s=start_s, end_s=end_s, max_side=ANALYSIS_MAX_SIDE_PX):
            if frame.time_s < next_s:
                continue  # decoded, never converted: the skipped frames cost little
            next_s = frame.time_s + 1.0 / rate - 1e-3
            height, width = frame.height, frame.width
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame.rgb)
            if times:
                result = landmarker.detect(image)
            else:  # the first frame logs a warning that the stock examples give too
                with _quiet_native_stderr():
                    result = landmarker.detect(image)
            found.append(_bodies(result, width, height))
            times.append(frame.time_s)
    finally:
        landmarker.close()
    if not times:
        raise UnreadableVideoError(f"{path.name}: no frames could be decoded")
    return PeopleScan(
        landmarks=np.stack(found), times_s=np.asarray(times), width_px=width, height_px=height
    )


def save_scan(scan: PeopleScan, path: Path) -> None:
    """Write a scan as a compressed ``.npz`` (float32 landmarks)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez_compressed(
            fh,
            landmarks=scan.landmarks.astype(np.float32),
            times_s=scan.times_s,
            width_px=np.int64(scan.width_px),
            height_px=np.int64(scan.height_px),
        )


def load_scan(path: Path) -> PeopleScan:
    """Read a scan written by :func:`save_scan`."""
    try:
        with np.load(path) as data:
            return PeopleScan(
                landmarks=data["landmarks"].astype(np.float64),
                times_s=data["times_s"],
                width_px=int(data["width_px"]),
                height_px=int(data["height_px"]),
            )
    except (OSError, ValueError, KeyError) as exc:
        raise UnreadableVideoError(f"{path.name}: not a people scan we can read ({exc})") from exc
