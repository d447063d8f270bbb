"""The people scan: everyone in the picture, on a sparse sample of a clip's frames.

The clip's pose track follows one person (BlazePose in tracking mode never says who else
is there). This scan runs MediaPipe's Tasks API ``PoseLandmarker`` with up to
:data:`MAX_POSES` bodies in image mode on one or two frames a second (:func:`scan_fps`), so
:func:`hingecoach.form.people.find_other_lifters` can tell a second lifter (a split-screen
reel, a partner in the picture) from a small background person.

The model is the lite ``.task`` bundle ``make setup`` builds (``scripts/vendor_live.py``,
from the pinned MediaPipe wheel's own model files) into the web app's static files, where
the live page finds it too; :data:`PEOPLE_MODEL_ENV` names another one. Nothing is
downloaded at run time. A clip's analysis scans frames its pose pass decodes and converts
anyway (:class:`PeopleScanner`; a clip posed in parts is scanned in its parts), so the
scan costs only the model.

What it costs and why this recipe (measured with ``python bench/form_bench.py scan``, one
core): a scan is mostly the person detector, which runs on every scanned frame whatever the
landmark model (about 34 ms a frame with the full bundle, 27 with the lite one). The lite
bundle finds the same people on every labelled clip (``make eval-form`` unchanged on both
label files) and on the split-screen clip of the tests. The rate follows the clip's length
(:func:`scan_fps`): a second lifter must be in ``max(people_min_samples, people_min_share *
samples)`` samples (see :mod:`hingecoach.form.people`), that is ``max(3 / rate, 0.3 *
length)`` seconds of the clip; from ``3 / 0.3 = 10`` s on, one sample a second asks for the
same presence as two (``0.3 * length``), so longer clips are scanned once a second and
shorter ones twice. Together, on a 21 s phone clip: 22 frames scanned instead of 43, 0.75
CPU s instead of 1.6 (about 5 % of posing the clip instead of 11 %; ``make bench``).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hingecoach.errors import InputError
from hingecoach.form.errors import FormError, UnreadableVideoError
from hingecoach.form.people import PeopleScan

__all__ = [
    "MAX_POSES",
    "PEOPLE_MODEL_ENV",
    "PEOPLE_SCAN_FPS",
    "PEOPLE_SCAN_FPS_ENV",
    "PEOPLE_SCAN_FPS_LONG",
    "PeopleScanner",
    "load_scan",
    "open_scanner",
    "people_model_path",
    "save_scan",
    "scan_fps",
    "scan_people",
    "scan_recipe",
    "slow_scan_from_s",
]

#: Frames scanned a second on a clip shorter than :func:`slow_scan_from_s` (two catch
#: anyone in view for a second or more) ...
PEOPLE_SCAN_FPS = 2.0
#: ... and on a longer one (see the module docstring: the same presence is needed).
PEOPLE_SCAN_FPS_LONG = 1.0
#: Sets one rate for every clip (``0``: no scan, so no several-people check on video).
PEOPLE_SCAN_FPS_ENV = "HINGECOACH_PEOPLE_SCAN_FPS"
#: The most frames a second a people scan may be asked for (pose itself runs at most 30).
MAX_SCAN_FPS = 30.0
#: Bodies looked for in each frame: the lifter and two more.
MAX_POSES = 3
#: A ``PoseLandmarker`` ``.task`` bundle to use instead of the one ``make setup`` builds.
PEOPLE_MODEL_ENV = "HINGECOACH_PEOPLE_MODEL"
#: The bundle ``scripts/vendor_live.py`` writes (the lite landmark model of the wheel).
_MODEL_NAME = "pose_landmarker_lite.task"
_VENDOR_MODELS = ("web", "static", "vendor", "models")


def slow_scan_from_s() -> float:
    """Clips at least this long are scanned at :data:`PEOPLE_SCAN_FPS_LONG`: from there on
    a second lifter needs ``people_min_share`` of the clip either way (10 s)."""
    from hingecoach.form.thresholds import DEFAULT_THRESHOLDS as th

    return th.people_min_samples / (th.people_min_share * PEOPLE_SCAN_FPS_LONG)


def scan_fps(duration_s: float) -> float | None:
    """Frames scanned a second on a clip of ``duration_s`` (see
    :data:`PEOPLE_SCAN_FPS_ENV`); None: no scan."""
    text = os.environ.get(PEOPLE_SCAN_FPS_ENV, "").strip()
    if text:
        try:
            fps = float(text)
        except ValueError:
            fps = math.nan
        if not 0 <= fps <= MAX_SCAN_FPS:
            raise InputError(
                f"{PEOPLE_SCAN_FPS_ENV}: expected frames scanned a second from 0 (no scan) "
                f"to {MAX_SCAN_FPS:g}, got {text!r}; fix or unset it"
            )
        return fps if fps > 0 else None
    return PEOPLE_SCAN_FPS if duration_s < slow_scan_from_s() else PEOPLE_SCAN_FPS_LONG


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

    text = os.environ.get(PEOPLE_SCAN_FPS_ENV, "").strip()
    rate = (
        f"{float(text):g}"
        if text
        else f"{PEOPLE_SCAN_FPS:g}-{PEOPLE_SCAN_FPS_LONG:g}from{slow_scan_from_s():g}"
    )
    model = Path(people_model_path()).stem
    return f"{model}-n{MAX_POSES}-fps{rate}-slots-{ANALYSIS_MAX_SIDE_PX}"


def _landmarker(model: Path) -> Any:
    from hingecoach.capture.mediapipe_pose import _quiet_native_stderr, defer_matplotlib

    defer_matplotlib()
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.IMAGE,
        num_poses=MAX_POSES,
    )
    with _quiet_native_stderr():
        return vision.PoseLandmarker.create_from_options(options)


class PeopleScanner:
    """Scans the frames it wants (the first of each ``1 / fps`` slot of the clip's time
    line), as they are offered; a context manager.

    The pose pass offers it the frames it decodes anyway (see
    :func:`hingecoach.capture.pipeline.extract_pose`), so the scan shares their decoding
    and colour conversion; :func:`scan_people` feeds it a clip of its own. The slots are
    the clip's, so the parts of a clip posed in several processes scan the frames one
    process would (:meth:`extend` joins their scans).
    """

    def __init__(self, fps: float = PEOPLE_SCAN_FPS, model: Path | None = None) -> None:
        self.fps = fps
        self.model = model or people_model_path()
        if not self.model.is_file():
            raise FormError(
                f"the people-scan model is missing ({self.model}); run `make setup` to build it",
                code="video-support-missing",
            )
        self._landmarker: Any = None  # started on the first frame scanned
        self._times: list[float] = []
        self._found: list[np.ndarray] = []
        self._size = (0, 0)

    def __enter__(self) -> PeopleScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None

    def _slot(self, time_s: float) -> int:
        return math.floor(time_s * self.fps + 1e-3)

    def wants(self, time_s: float, previous_s: float | None) -> bool:
        """Is the frame at ``time_s`` due for a scan (the frame decoded before it being at
        ``previous_s``; None: it is the first)?"""
        return previous_s is None or self._slot(time_s) != self._slot(previous_s)

    def add(self, time_s: float, rgb: npt.NDArray[np.uint8]) -> None:
        """Scan one ``(height, width, 3)`` RGB frame."""
        import mediapipe as mp

        from hingecoach.capture.mediapipe_pose import _quiet_native_stderr

        height, width = rgb.shape[:2]
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._landmarker is not None:
            result = self._landmarker.detect(image)
        else:  # the first frame logs a warning that the stock examples give too
            self._landmarker = _landmarker(self.model)
            with _quiet_native_stderr():
                result = self._landmarker.detect(image)
        self._found.append(_bodies(result, width, height))
        self._times.append(time_s)
        self._size = (width, height)

    def extend(self, scan: PeopleScan | None) -> None:
        """Add the samples of a later part of the clip, scanned elsewhere."""
        if scan is None:
            return
        self._found.extend(np.asarray(scan.landmarks, dtype=np.float64))
        self._times.extend(float(t) for t in scan.times_s)
        self._size = (scan.width_px, scan.height_px)

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


def open_scanner(duration_s: float) -> PeopleScanner | None:
    """A scanner at the rate in force for a clip of ``duration_s`` (None: scanning
    switched off)."""
    fps = scan_fps(duration_s)
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
) -> PeopleScan | None:
    """Everyone in the picture on about ``fps`` frames a second of a clip, decoded for
    the scan alone (the clip analysis scans the frames its pose pass decodes instead).

    Args:
        path: a video file.
        fps: frames scanned a second (default :func:`scan_fps` of the clip's length).
        start_s, end_s: scan only this stretch (presentation seconds).

    Returns:
        The scan, in the pixels of the analysis frame size (as the pose track); None when
        scanning is switched off (:data:`PEOPLE_SCAN_FPS_ENV` = 0).
    """
    from hingecoach.capture.video import look_at_frames, probe

    rate = fps if fps is not None else scan_fps(probe(path).duration_s)
    if rate is None:
        return None
    with PeopleScanner(rate) as scanner:
        return look_at_frames(
            path, scanner.wants, scanner.add, scanner.result, start_s=start_s, end_s=end_s
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
