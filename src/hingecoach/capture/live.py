"""Live capture: frames from a camera (or a file replayed as one) -> pose -> streaming form.

A camera does not wait for the pose model: it gives a frame every 1/fps seconds whether or
not the last one was looked at. :class:`LatestFrame` is that hand-over: a one-frame slot the
camera side overwrites and the pose side takes the newest frame from, so when pose is
slower than the frame rate, frames are dropped exactly as they would be live (the newest is
analysed, never a backlog). :func:`replay_file` plays a clip (or a recorded pose track) at its
own pace as such a camera; :func:`open_camera` reads a webcam through OpenCV.

:func:`run_live` is the loop: take the newest frame, pose it with MediaPipe (tracking mode,
with the back outline, as the clip analysis does), feed the
:class:`~hingecoach.form.stream.StreamingAnalyser`, hand each event to a callback as it
happens. Heavy libraries are imported inside the functions that use them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hingecoach.capture.pipeline import require_video_support
from hingecoach.form.errors import FormError, UnreadableVideoError
from hingecoach.form.stream import LiveEvent, StreamingAnalyser

__all__ = [
    "CameraFrame",
    "FrameSource",
    "LatestFrame",
    "LiveRun",
    "open_camera",
    "replay_file",
    "require_video_support",
    "run_live",
]


@dataclass(frozen=True)
class CameraFrame:
    """One frame as it arrives: its time (seconds of stream time), and either a picture or,
    for a replayed pose track, the landmarks already found."""

    time_s: float
    rgb: npt.NDArray[np.uint8] | None = None
    landmarks: npt.NDArray[np.float64] | None = None
    back_profile: npt.NDArray[np.float64] | None = None


class LatestFrame:
    """A one-frame slot between a camera and the pose loop: ``put`` overwrites (the frame
    not taken yet is dropped, and counted), ``take`` waits for the newest frame."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: CameraFrame | None = None
        self._closed = False
        self.error: BaseException | None = None
        self.put_count = 0
        self.dropped = 0

    def put(self, frame: CameraFrame) -> None:
        with self._cond:
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self.put_count += 1
            self._cond.notify()

    def close(self, error: BaseException | None = None) -> None:
        """No more frames (the clip ended, the camera stopped, or ``error`` happened)."""
        with self._cond:
            self._closed = True
            self.error = error
            self._cond.notify_all()

    def take(self, timeout: float | None = None) -> CameraFrame | None:
        """The newest frame; None once closed and empty (or after ``timeout`` seconds)."""
        with self._cond:
            while self._frame is None and not self._closed:
                if not self._cond.wait(timeout):
                    return None
            frame, self._frame = self._frame, None
            return frame

    @property
    def closed(self) -> bool:
        with self._cond:
            return self._closed and self._frame is None


@dataclass
class FrameSource:
    """A camera-like source: a thread that puts frames into ``slot`` as they arrive."""

    name: str
    width_px: int
    height_px: int
    fps: float
    slot: LatestFrame
    _run: Callable[[LatestFrame, threading.Event], None]
    stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        def body() -> None:
            try:
                self._run(self.slot, self.stop)
            except BaseException as exc:  # handed to the pose loop, which raises it
                self.slot.close(exc)
            else:
                self.slot.close()

        self._thread = threading.Thread(target=body, name=f"camera:{self.name}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _paced(
    items: Iterator[CameraFrame], speed: float, stop: threading.Event
) -> Iterator[CameraFrame]:
    """Yield each frame when it is due: ``time_s / speed`` after the first one's arrival."""
    began: float | None = None
    first = 0.0
    for item in items:
        if began is None:
            began, first = time.monotonic(), item.time_s
        wait = began + (item.time_s - first) / speed - time.monotonic()
        if wait > 0 and stop.wait(wait):
            return
        if stop.is_set():
            return
        yield item


def replay_file(path: Path, *, speed: float = 1.0, max_side: int | None = None) -> FrameSource:
    """A clip, or a recorded pose track (.npz/.json/.csv), played at its own pace (times
    ``speed``) as a camera would give it. Frame times stay the clip's own, so tempo is
    measured as filmed."""
    from hingecoach.capture.tracks import TRACK_SUFFIXES, load_track

    if speed <= 0 or not np.isfinite(speed):
        raise ValueError(f"speed must be a positive number, got {speed}")
    if path.suffix.lower() in TRACK_SUFFIXES:
        seq = load_track(path)

        def play_track(slot: LatestFrame, stop: threading.Event) -> None:
            bp = seq.back_profile
            frames = (
                CameraFrame(
                    float(t),
                    landmarks=seq.landmarks[i],
                    back_profile=None if bp is None else bp[i],
                )
                for i, t in enumerate(seq.times_s)
            )
            for frame in _paced(frames, speed, stop):
                slot.put(frame)

        fps = (len(seq.times_s) - 1) / max(1e-9, float(seq.times_s[-1] - seq.times_s[0]))
        return FrameSource(path.name, seq.width_px, seq.height_px, fps, LatestFrame(), play_track)

    require_video_support()
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames, probe, scaled_size

    side = ANALYSIS_MAX_SIDE_PX if max_side is None else max_side
    info = probe(path)
    width, height = scaled_size(info.width_px, info.height_px, side)

    def play_clip(slot: LatestFrame, stop: threading.Event) -> None:
        decoded = (CameraFrame(f.time_s, rgb=f.rgb) for f in iter_frames(path, max_side=side))
        for frame in _paced(decoded, speed, stop):
            slot.put(frame)

    return FrameSource(path.name, width, height, info.fps, LatestFrame(), play_clip)


def open_camera(index: int, *, max_side: int | None = None) -> FrameSource:
    """A webcam through OpenCV's ``VideoCapture`` (frames timed by the clock as they come)."""
    require_video_support()
    import cv2

    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, scaled_size

    side = ANALYSIS_MAX_SIDE_PX if max_side is None else max_side
    capture: Any = cv2.VideoCapture(index)
    if not capture.isOpened():
        capture.release()
        raise UnreadableVideoError(
            f"camera {index}: cannot open it (is it there, and free? try another number)"
        )
    ok, first = capture.read()
    if not ok or first is None:
        capture.release()
        raise UnreadableVideoError(f"camera {index}: it opened but gives no picture")
    height0, width0 = first.shape[:2]
    width, height = scaled_size(width0, height0, side)
    fps = float(capture.get(cv2.CAP_PROP_FPS) or 30.0)

    def to_rgb(bgr: Any) -> npt.NDArray[np.uint8]:
        if (bgr.shape[1], bgr.shape[0]) != (width, height):
            bgr = cv2.resize(bgr, (width, height), interpolation=cv2.INTER_AREA)
        rgb: npt.NDArray[np.uint8] = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        return rgb

    def read(slot: LatestFrame, stop: threading.Event) -> None:
        began = time.monotonic()
        try:
            slot.put(CameraFrame(0.0, rgb=to_rgb(first)))
            while not stop.is_set():
                ok, bgr = capture.read()
                if not ok or bgr is None:
                    break
                slot.put(CameraFrame(time.monotonic() - began, rgb=to_rgb(bgr)))
        finally:
            capture.release()

    return FrameSource(f"camera {index}", width, height, fps, LatestFrame(), read)


@dataclass
class LiveRun:
    """What a live run did: the frames the camera gave, posed and dropped, the events."""

    frames_in: int = 0
    frames_posed: int = 0
    frames_dropped: int = 0
    reps: int = 0
    view_refused: bool = False  # the view was unusable, and nothing was counted
    events: list[LiveEvent] = field(default_factory=list)


def run_live(
    source: FrameSource,
    analyser: StreamingAnalyser,
    on_event: Callable[[LiveEvent], None],
    *,
    segmentation: bool = True,
    keep_events: bool = False,
) -> LiveRun:
    """Pose the newest frame, feed the analyser, hand on events, until the source ends (or
    Ctrl+C: the set then ends as if the lifter said so).

    Raises:
        UnreadableVideoError: the source could not be read (raised from its thread).
    """
    run = LiveRun()
    view_bad = False

    def emit(events: list[LiveEvent]) -> None:
        nonlocal view_bad
        for event in events:
            if event.type == "view":
                view_bad = not event.ok
            if keep_events:
                run.events.append(event)
            on_event(event)

    estimator: Any = None
    needs_pose = not source.name.lower().endswith((".npz", ".json", ".csv"))
    if needs_pose:
        from hingecoach.capture.mediapipe_pose import PoseEstimator

        estimator = PoseEstimator(segmentation=segmentation)
    source.start()
    try:
        while True:
            try:
                frame = source.slot.take(timeout=0.5)
            except KeyboardInterrupt:
                break
            if frame is None:
                if source.slot.closed:
                    break
                continue
            landmarks, profile = frame.landmarks, frame.back_profile
            if frame.rgb is not None and estimator is not None:
                landmarks, profile = estimator.process(frame.rgb)
            run.frames_posed += 1
            seen = landmarks is not None and bool(np.isfinite(landmarks[:, 0]).any())
            emit(
                analyser.push(
                    frame.time_s,
                    landmarks if seen else None,
                    back_profile=profile if seen else None,
                )
            )
    except KeyboardInterrupt:
        pass
    finally:
        source.close()
        if estimator is not None:
            estimator.close()
    if source.slot.error is not None and not isinstance(source.slot.error, KeyboardInterrupt):
        error = source.slot.error
        if isinstance(error, FormError):
            raise error
        raise UnreadableVideoError(f"{source.name}: reading stopped: {error}") from error
    emit(analyser.finish(reason="client"))
    run.frames_in = source.slot.put_count
    run.frames_dropped = source.slot.dropped
    run.reps = len(analyser.reps)
    run.view_refused = view_bad and run.reps == 0
    return run
