"""Clip -> pose track -> form report (-> annotated video, frames): the whole use case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hingecoach.form.analysis import FormReport, analyze_pose
from hingecoach.form.errors import FormError, UnreadableVideoError, ViewRefusedError
from hingecoach.form.faults import TempoTarget
from hingecoach.form.pose import PoseSequence

if TYPE_CHECKING:
    from hingecoach.knowledge import Catalogue

__all__ = ["EarlyStop", "ProgressFn", "analyze_video", "extract_pose", "load_pose"]

#: Called as ``progress(done_s, total_s)`` while a clip is decoded.
ProgressFn = Callable[[float, float], None]


@dataclass(frozen=True)
class EarlyStop:
    """When to stop posing a clip and refuse it, so one clip cannot hold the worker:
    nobody seen in the first ``nobody_s`` seconds, or a clip running past ``max_s``
    (its header may say less, or nothing)."""

    nobody_s: float | None = None
    max_s: float | None = None

    def check(self, looked_s: float, seen: bool) -> None:
        if self.nobody_s is not None and not seen and looked_s >= self.nobody_s:
            raise ViewRefusedError(
                "no-person",
                f"nobody in view in the first {self.nobody_s:g} s: film from the side "
                "with your whole body in frame",
            )
        if self.max_s is not None and looked_s > self.max_s:
            raise FormError(
                f"the clip runs past {self.max_s:g} s: trim the clip to one set and "
                "upload it again",
                code="clip-too-long",
            )


def extract_pose(
    path: Path,
    *,
    start_s: float | None = None,
    end_s: float | None = None,
    segmentation: bool = True,
    max_side: int | None = None,
    progress: ProgressFn | None = None,
    stop: EarlyStop | None = None,
) -> PoseSequence:
    """Run BlazePose over a clip as a stream (one frame in memory at a time).

    Args:
        path: a video file (mp4/mov/avi/webm ...).
        start_s, end_s: analyse only this stretch (presentation seconds).
        segmentation: also measure the back outline from the segmentation mask.
        max_side: scale frames to at most this long side first (default
            :data:`~hingecoach.capture.video.ANALYSIS_MAX_SIDE_PX`); coordinates are in
            the scaled frame's pixels.
        progress: called with (seconds done, clip seconds) every few frames.
        stop: refuse the clip part-way (nobody in view, too long) rather than posing
            the rest of it.

    Returns:
        The pose sequence: ``(frames, 33, 4)`` pixel landmarks, times and back profile.
    """
    from hingecoach.capture.mediapipe_pose import PoseEstimator
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames, probe

    max_side = ANALYSIS_MAX_SIDE_PX if max_side is None else max_side
    info = probe(path)
    times: list[float] = []
    marks: list[np.ndarray] = []
    profiles: list[np.ndarray] = []
    width, height = info.width_px, info.height_px
    seen = False
    with PoseEstimator(segmentation=segmentation) as estimator:
        for frame in iter_frames(path, start_s=start_s, end_s=end_s, max_side=max_side):
            height, width = frame.rgb.shape[:2]
            lms, profile = estimator.process(frame.rgb)
            if stop is not None:
                seen = seen or not np.isnan(lms[:, :2]).all()
                stop.check(frame.time_s - (times[0] if times else frame.time_s), seen)
            times.append(frame.time_s)
            marks.append(lms.astype(np.float32))
            profiles.append(profile.astype(np.float32))
            if progress is not None and frame.index % 15 == 0:
                progress(frame.time_s, info.duration_s)
    if not times:
        raise UnreadableVideoError(f"{path.name}: no frames could be decoded")
    return PoseSequence(
        landmarks=np.stack(marks).astype(np.float64),
        times_s=np.asarray(times),
        width_px=width,
        height_px=height,
        back_profile=np.stack(profiles).astype(np.float64) if segmentation else None,
        source=path.name,
    )


def require_video_support() -> None:
    """Decoding and posing need the video extra (PyAV, OpenCV, MediaPipe)."""
    try:
        import av  # noqa: F401
        import cv2  # noqa: F401
        import mediapipe  # noqa: F401
    except ImportError as exc:
        raise FormError(
            f"video support is not installed ({exc.name}); install the extra: "
            "pip install 'hingecoach[video]' (or run `make setup`)",
            code="video-support-missing",
        ) from exc


def load_pose(
    path: Path, *, progress: ProgressFn | None = None, stop: EarlyStop | None = None
) -> PoseSequence:
    """A pose track file (.npz/.json/.csv) as is, or a video run through BlazePose
    (stopped early as ``stop`` says, see :func:`extract_pose`)."""
    from hingecoach.capture.tracks import TRACK_SUFFIXES, load_track

    if path.suffix.lower() in TRACK_SUFFIXES:
        return load_track(path)
    require_video_support()
    return extract_pose(path, progress=progress, stop=stop)


@dataclass
class VideoAnalysis:
    """What :func:`analyze_video` produced."""

    report: FormReport
    pose: PoseSequence
    annotated: Path | None = None
    frames: list[Path] = field(default_factory=list)


def analyze_video(
    path: Path,
    *,
    exercise: str | None = None,
    tempo: TempoTarget | None = None,
    catalogue: Catalogue | None = None,
    out_video: Path | None = None,
    frames_dir: Path | None = None,
    progress: ProgressFn | None = None,
    stop: EarlyStop | None = None,
) -> VideoAnalysis:
    """Decode -> pose -> form report, then (optionally) the annotated video and the
    rep-bottom frames (a second decoding pass, so memory stays flat). With ``stop``,
    a clip with nobody in view, or running too long, is refused part-way."""
    seq = load_pose(path, progress=progress, stop=stop)
    report = analyze_pose(seq, exercise=exercise, tempo=tempo, catalogue=catalogue)
    result = VideoAnalysis(report=report, pose=seq)
    is_track = path.suffix.lower() in (".npz", ".json", ".csv")
    if (out_video is None and frames_dir is None) or is_track:
        return result
    from hingecoach.capture.annotate import Annotator, H264Writer, RepFrameWriter
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames, probe

    # one more decoding pass, at the analysis size so the landmarks line up
    annotator = Annotator(seq, report)
    writer = None
    if out_video is not None:
        writer = H264Writer(out_video, probe(path).fps, seq.width_px, seq.height_px)
    stills = RepFrameWriter(report, frames_dir) if frames_dir is not None else None
    try:
        for frame in iter_frames(path, max_side=ANALYSIS_MAX_SIDE_PX):
            drawn = annotator.draw(frame.rgb, frame.index, frame.time_s)
            if writer is not None:
                writer.write(drawn)
            if stills is not None:
                stills.offer(frame.time_s, drawn)
                if writer is None and stills.done:
                    break
    finally:
        if writer is not None:
            writer.close()
    result.annotated = out_video
    result.frames = stills.written if stills is not None else []
    return result
