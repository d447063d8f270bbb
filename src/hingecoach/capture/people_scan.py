"""The people scan: everyone in the picture, on a sparse sample of a clip's frames.

The clip's pose track follows one person (BlazePose in tracking mode never says who else
is there). This scan runs MediaPipe's Tasks API ``PoseLandmarker`` with up to
:data:`MAX_POSES` bodies in image mode on about :data:`PEOPLE_SCAN_FPS` frames a second, so
:func:`hingecoach.form.people.find_other_lifters` can tell a second lifter (a split-screen
reel, a partner in the picture) from a small background person.

The model is the ``.task`` bundle ``make setup`` builds (``scripts/vendor_live.py``, from
the pinned MediaPipe wheel's own model files) into the web app's static files, where the
live page finds it too; :data:`PEOPLE_MODEL_ENV` names another one. Nothing is downloaded
at run time. A clip's analysis scans frames its pose pass decodes and converts anyway
(:class:`PeopleScanner`), so the scan costs only the model: a few per cent of the pose
extraction.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hingecoach.form.errors import FormError, UnreadableVideoError
from hingecoach.form.people import PeopleScan

__all__ = [
    "MAX_POSES",
    "PEOPLE_MODEL_ENV",
    "PEOPLE_SCAN_FPS",
    "PEOPLE_SCAN_FPS_ENV",
    "PeopleScanner",
    "load_scan",
    "open_scanner",
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


class PeopleScanner:
    """Scans the frames offered to it, about ``fps`` a second; a context manager.

    The pose pass offers it the frames it decodes anyway (see
    :func:`hingecoach.capture.pipeline.extract_pose`), so the scan shares their decoding
    and colour conversion; :func:`scan_people` feeds it a clip of its own.
    """

    def __init__(self, fps: float = PEOPLE_SCAN_FPS, model: Path | None = None) -> None:
        self.period_s = 1.0 / fps
        self._landmarker = _landmarker(model or people_model_path())
        self._times: list[float] = []
        self._found: list[np.ndarray] = []
        self._size = (0, 0)

    def __enter__(self) -> PeopleScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._landmarker.close()

    def wants(self, time_s: float) -> bool:
        """Is the frame at ``time_s`` due for a scan?"""
        last = self._times[-1] if self._times else None
        return last is None or time_s >= last + self.period_s - 1e-3

    def add(self, time_s: float, rgb: npt.NDArray[np.uint8]) -> None:
        """Scan one ``(height, width, 3)`` RGB frame."""
        import mediapipe as mp

        from hingecoach.capture.mediapipe_pose import _quiet_native_stderr

        height, width = rgb.shape[:2]
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._times:
            result = self._landmarker.detect(image)
        else:  # the first frame logs a warning that the stock examples give too
            with _quiet_native_stderr():
                result = self._landmarker.detect(image)
        self._found.append(_bodies(result, width, height))
        self._times.append(time_s)
        self._size = (width, height)

    def result(self) -> PeopleScan | None:
        """The scan so far (None: no frame scanned)."""
        if not self._times:
            return None
        return PeopleScan(
            landmarks=np.stack(self._found),
            times_s=np.asarray(self._times),
            width_px=self._size[0],
            height_px=self._size[1],
        )


def open_scanner() -> PeopleScanner | None:
    """A scanner at the rate in force (None: scanning switched off)."""
    fps = people_scan_fps()
    return None if fps is None else PeopleScanner(fps)


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
    into: PeopleScanner | None = None,
) -> PeopleScan | None:
    """Everyone in the picture on about ``fps`` frames a second of a clip, decoded for
    the scan alone (the clip analysis scans the frames its pose pass decodes instead).

    Args:
        path: a video file.
        fps: frames scanned a second (default :func:`people_scan_fps`).
        start_s, end_s: scan only this stretch (presentation seconds).
        into: add to this scanner (and leave it open) rather than a new one.

    Returns:
        The scan, in the pixels of the analysis frame size (as the pose track); None when
        scanning is switched off (:data:`PEOPLE_SCAN_FPS_ENV` = 0).
    """
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames

    rate = fps if fps is not None else people_scan_fps()
    if rate is None and into is None:
        return None
    scanner = into or PeopleScanner(rate or PEOPLE_SCAN_FPS)
    try:
        for frame in iter_frames(path, start_s=start_s, end_s=end_s, max_side=ANALYSIS_MAX_SIDE_PX):
            if scanner.wants(frame.time_s):  # the frames skipped are never converted
                scanner.add(frame.time_s, frame.rgb)
        scan = scanner.result()
    finally:
        if into is None:
            scanner.close()
    if scan is None:
        raise UnreadableVideoError(f"{path.name}: no frames could be decoded")
    return scan


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
