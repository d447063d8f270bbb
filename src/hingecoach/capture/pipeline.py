"""Clip -> pose track -> form report (-> annotated video, frames): the whole use case."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hingecoach.form.analysis import FormReport, analyze_pose
from hingecoach.form.errors import FormError, UnreadableVideoError, ViewRefusedError
from hingecoach.form.faults import TempoTarget
from hingecoach.form.people import PeopleScan
from hingecoach.form.pose import PoseSequence

if TYPE_CHECKING:
    from hingecoach.capture.frame_cuts import FrameCutDetector, FrameCuts
    from hingecoach.capture.people_scan import PeopleScanner
    from hingecoach.capture.spool import FrameSpool
    from hingecoach.knowledge import Catalogue

__all__ = [
    "EarlyStop",
    "ProgressFn",
    "analyze_video",
    "extract_pose",
    "load_pose",
    "pose_recipe",
]

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


#: Pose at most this many frames a second; a frame in between gets its landmarks
#: interpolated from its two posed neighbours. 30: a 60 fps phone clip is posed on every
#: other frame, a 30 fps one on every frame. Measured with ``make eval-form`` (both label
#: files): the same verdicts, reps and faults, rep-bottom error 0.078 -> 0.075 s.
POSE_FPS_MAX = 30.0
#: Sets :data:`POSE_FPS_MAX` (``0``: pose every frame).
POSE_FPS_MAX_ENV = "HINGECOACH_POSE_FPS_MAX"
#: Write the annotated video at most this many frames a second: a 60 fps clip's video
#: keeps every other frame (its posed ones), so half the frames are kept, drawn and
#: encoded; the video lasts as long as the clip and plays at its speed. 30 is smooth for
#: reviewing form, and halves the file of a 60 fps clip.
ANNOTATED_FPS_MAX = 30.0
#: Sets :data:`ANNOTATED_FPS_MAX` (``0``: the clip's own frame rate).
ANNOTATED_FPS_MAX_ENV = "HINGECOACH_ANNOTATED_FPS_MAX"
#: A clip split over several processes: each later part starts this many seconds before
#: its boundary so the tracker and its smoothing have settled when its own frames begin.
SPLIT_OVERLAP_S = 1.0
#: Do not split clips shorter than this (process start-up costs about a second).
SPLIT_MIN_S = 8.0


def pose_fps_max() -> float | None:
    """The pose-rate cap in force (see :data:`POSE_FPS_MAX_ENV`); None: every frame."""
    text = os.environ.get(POSE_FPS_MAX_ENV, "").strip()
    cap = float(text) if text else POSE_FPS_MAX
    return cap if cap > 0 else None


def pose_gap_s(fps_cap: float | None = None) -> float:
    """The least time between two posed frames under ``fps_cap`` (default: the cap in
    force): 3/4 of its period, so a 30 fps cap poses every frame of a 30 fps clip (jitter
    and all) and every other frame of a 60 fps one."""
    cap = pose_fps_max() if fps_cap is None else fps_cap
    return 0.0 if cap is None else 0.75 / cap


def annotated_fps_max() -> float | None:
    """The annotated video's frame-rate cap (see :data:`ANNOTATED_FPS_MAX_ENV`); None:
    the clip's own rate."""
    text = os.environ.get(ANNOTATED_FPS_MAX_ENV, "").strip()
    cap = float(text) if text else ANNOTATED_FPS_MAX
    return cap if cap > 0 else None


def pose_recipe() -> str:
    """How poses are extracted, for caches keyed by it: changes when the tracks would."""
    cap = pose_fps_max()
    return "full-seg" + ("" if cap is None else f"-cap{cap:g}")


@dataclass
class _Track:
    times: list[float] = field(default_factory=list)
    marks: list[np.ndarray] = field(default_factory=list)
    profiles: list[np.ndarray] = field(default_factory=list)
    posed: list[bool] = field(default_factory=list)
    width: int = 0
    height: int = 0

    def fill_skipped(self) -> None:
        """Landmarks of the frames not posed, linearly between the posed neighbours."""
        posed = np.flatnonzero(self.posed)
        if posed.size == len(self.posed) or posed.size == 0:
            return
        times = np.asarray(self.times)
        for i in np.flatnonzero(~np.asarray(self.posed)):
            after = posed[np.searchsorted(posed, i)] if i < posed[-1] else None
            before = posed[np.searchsorted(posed, i) - 1] if i > posed[0] else None
            if before is None or after is None:
                src = before if before is not None else after
                assert src is not None
                self.marks[i], self.profiles[i] = self.marks[src], self.profiles[src]
                continue
            w = float((times[i] - times[before]) / max(times[after] - times[before], 1e-9))
            self.marks[i] = ((1 - w) * self.marks[before] + w * self.marks[after]).astype(
                np.float32
            )
            self.profiles[i] = ((1 - w) * self.profiles[before] + w * self.profiles[after]).astype(
                np.float32
            )


def _pose_stretch(
    path: Path,
    *,
    start_s: float | None,
    end_s: float | None,
    segmentation: bool,
    max_side: int,
    progress: ProgressFn | None,
    stop: EarlyStop | None,
    keep: FrameSpool | None,
    keep_from_s: float | None,
    fps_cap: float | None,
    total_s: float,
    keep_to_s: float | None = None,
    people: PeopleScanner | None = None,
    cuts: FrameCutDetector | None = None,
) -> _Track:
    """Decode and pose ``start_s``..``end_s`` once; only the frames from ``keep_from_s`` and
    before ``keep_to_s`` are kept and returned (those before only warm the tracker up).
    ``people`` scans the frames it wants (see :class:`PeopleScanner`); ``cuts`` looks at
    every posed frame (see :class:`~hingecoach.capture.frame_cuts.FrameCutDetector`)."""
    from hingecoach.capture.mediapipe_pose import PoseEstimator
    from hingecoach.capture.video import iter_frames

    track = _Track()
    seen = False
    first: float | None = None
    previous: float | None = None
    last_posed = -1e9
    min_gap = 0.0 if fps_cap is None else pose_gap_s(fps_cap)
    with PoseEstimator(segmentation=segmentation) as estimator:
        for frame in iter_frames(path, start_s=start_s, end_s=end_s, max_side=max_side):
            track.height, track.width = frame.height, frame.width
            if keep_to_s is not None and frame.time_s >= keep_to_s:
                break
            own = keep_from_s is None or frame.time_s >= keep_from_s
            if frame.time_s - last_posed >= min_gap or not own or not track.times:
                lms, profile = estimator.process(frame.rgb)
                last_posed = frame.time_s
                posed = True
                if cuts is not None:  # the frame is converted already: a thumbnail's worth
                    cuts.add(frame.time_s, frame.rgb, own=own, landmarks=lms)
            else:
                lms, profile = track.marks[-1], track.profiles[-1]  # filled in later
                posed = False
            first = frame.time_s if first is None else first
            if stop is not None and posed:
                seen = seen or not np.isnan(lms[:, :2]).all()
                stop.check(frame.time_s - first, seen)
            # judged on every decoded frame (warm-up ones too): the same frames whatever
            # part of a split clip this is
            wanted = keep is not None and keep.wants(frame.time_s, previous)
            scanned = people is not None and people.wants(frame.time_s, previous)
            previous = frame.time_s
            if not own:
                continue
            if people is not None and scanned:
                people.add(frame.time_s, frame.rgb)
            if keep is not None and wanted:
                keep.add(frame.time_s, frame.preview())
            track.times.append(frame.time_s)
            track.marks.append(lms.astype(np.float32))
            track.profiles.append(profile.astype(np.float32))
            track.posed.append(posed)
            if progress is not None and frame.index % 15 == 0:
                progress(frame.time_s, total_s)
    track.fill_skipped()
    return track


def _sequence(path: Path, track: _Track, segmentation: bool) -> PoseSequence:
    if not track.times:
        raise UnreadableVideoError(f"{path.name}: no frames could be decoded")
    return PoseSequence(
        landmarks=np.stack(track.marks).astype(np.float64),
        times_s=np.asarray(track.times),
        width_px=track.width,
        height_px=track.height,
        back_profile=np.stack(track.profiles).astype(np.float64) if segmentation else None,
        source=path.name,
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
    keep: FrameSpool | None = None,
    processes: int = 1,
    people: PeopleScanner | None = None,
    cuts: FrameCutDetector | None = None,
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
        keep: gets the decoded frames it wants (:meth:`FrameSpool.wants`), in order, to
            draw them afterwards without decoding the clip again.
        processes: split the clip's time range over this many processes (clips of at
            least :data:`SPLIT_MIN_S` seconds; see :mod:`hingecoach.capture.split`).
        people: scans everyone in the picture on the frames it wants, as they are posed
            (a clip posed in parts: in each part, the parts' scans joined in order).
        cuts: finds where the picture cuts to another shot, on the posed frames (a clip
            posed in parts: likewise).

    Returns:
        The pose sequence: ``(frames, 33, 4)`` pixel landmarks, times and back profile.
    """
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, probe

    max_side = ANALYSIS_MAX_SIDE_PX if max_side is None else max_side
    info = probe(path)
    lo = start_s or 0.0
    hi = info.duration_s if end_s is None else min(end_s, info.duration_s)
    if processes > 1 and hi - lo >= SPLIT_MIN_S:
        from hingecoach.capture.split import pose_in_parts

        track = pose_in_parts(
            path,
            lo,
            hi,
            end_s=end_s,
            processes=processes,
            segmentation=segmentation,
            max_side=max_side,
            progress=progress,
            stop=stop,
            keep=keep,
            fps_cap=pose_fps_max(),
            total_s=info.duration_s,
            people=people,
            cuts=cuts,
        )
    else:
        track = _pose_stretch(
            path,
            start_s=start_s,
            end_s=end_s,
            segmentation=segmentation,
            max_side=max_side,
            progress=progress,
            stop=stop,
            keep=keep,
            keep_from_s=None,
            fps_cap=pose_fps_max(),
            total_s=info.duration_s,
            people=people,
            cuts=cuts,
        )
    return _sequence(path, track, segmentation)


def _duration(path: Path) -> float:
    from hingecoach.capture.video import probe

    return probe(path).duration_s


def require_video_support() -> None:
    """Decoding and posing need the video extra (PyAV, OpenCV, MediaPipe). Looked up, not
    imported: MediaPipe takes about 0.6 s to import, which a clip split over processes
    spends in each part's process while the others start (see
    :mod:`hingecoach.capture.split`)."""
    from importlib.util import find_spec

    for name in ("av", "cv2", "mediapipe"):
        if find_spec(name) is None:
            raise FormError(
                f"video support is not installed ({name}); install the extra: "
                "pip install 'hingecoach[video]' (or run `make setup`)",
                code="video-support-missing",
            )


def load_pose(
    path: Path,
    *,
    progress: ProgressFn | None = None,
    stop: EarlyStop | None = None,
    keep: FrameSpool | None = None,
    processes: int = 1,
    people: PeopleScanner | None = None,
    cuts: FrameCutDetector | None = None,
) -> PoseSequence:
    """A pose track file (.npz/.json/.csv) as is, or a video run through BlazePose
    (stopped early as ``stop`` says; its people scanned by ``people``, its cuts found by
    ``cuts``, see :func:`extract_pose`)."""
    from hingecoach.capture.tracks import TRACK_SUFFIXES, load_track

    if path.suffix.lower() in TRACK_SUFFIXES:
        return load_track(path)
    require_video_support()
    return extract_pose(
        path,
        progress=progress,
        stop=stop,
        keep=keep,
        processes=processes,
        people=people,
        cuts=cuts,
    )


@dataclass
class VideoAnalysis:
    """What :func:`analyze_video` produced."""

    report: FormReport
    pose: PoseSequence
    people: PeopleScan | None = None
    """Everyone in the picture on a sample of frames (None: a track, or scanning off)."""
    cuts: FrameCuts | None = None
    """Where the picture cuts to another shot (None: a track, or finding cuts off)."""
    annotated: Path | None = None
    frames: list[Path] = field(default_factory=list)


#: Share of the work that drawing and encoding the annotated video adds to posing (for the
#: progress bar's time left): about 3 ms a kept frame after about 33 ms of analysis (one
#: core, the 21 s phone clip at 720p and 1080p; ``python bench/run.py form_pipeline``).
DRAW_SHARE = 0.1


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
    processes: int = 1,
) -> VideoAnalysis:
    """Decode -> pose (and the people scan: a second lifter in the picture is refused, see
    :mod:`hingecoach.capture.people_scan`; and the cuts in the picture, see
    :mod:`hingecoach.capture.frame_cuts`) -> form report, then (optionally) the annotated
    video and the rep-bottom frames. The clip is decoded once for the pose: its frames are
    kept as YUV (see :mod:`hingecoach.capture.spool`) and drawn once the report is
    known. With ``stop``,
    a clip with nobody in view, or running too long, is refused part-way; with
    ``processes`` > 1, a long clip is posed in parts side by side."""
    is_track = path.suffix.lower() in (".npz", ".json", ".csv")
    drawing = (out_video is not None or frames_dir is not None) and not is_track
    share = DRAW_SHARE if out_video is not None else 0.02
    pose_progress = progress
    if drawing and progress is not None:
        outer = progress

        def pose_progress(done_s: float, total_s: float) -> None:
            outer(done_s, total_s * (1 + share))

    spool = None
    scanner: PeopleScanner | None = None
    detector: FrameCutDetector | None = None
    if drawing:
        from hingecoach.capture.spool import FrameSpool, thinning
        from hingecoach.capture.video import probe

        # the stills (--frames) come from the same frames: a rep bottom's is at most one
        # source frame later than it would be from every frame
        spool = FrameSpool(thin=thinning(probe(path).fps, annotated_fps_max()))
    try:
        if not is_track:
            from hingecoach.capture.frame_cuts import open_detector
            from hingecoach.capture.people_scan import open_scanner

            require_video_support()
            scanner = open_scanner(_duration(path))
            detector = open_detector()
        seq = load_pose(
            path,
            progress=pose_progress,
            stop=stop,
            keep=spool,
            processes=processes,
            people=scanner,
            cuts=detector,
        )
        people = scanner.result() if scanner is not None else None
        cuts = detector.result() if detector is not None else None
        report = analyze_pose(
            seq,
            exercise=exercise,
            tempo=tempo,
            catalogue=catalogue,
            people=people,
            cuts_s=cuts.cuts_s() if cuts is not None else (),
            camera=cuts.camera if cuts is not None else None,
        )
        result = VideoAnalysis(report=report, pose=seq, people=people, cuts=cuts)
        if spool is None:
            return result
        _draw(result, spool, path, out_video, frames_dir, progress, share)
        return result
    finally:
        if spool is not None:
            spool.close()
        if scanner is not None:
            scanner.close()


def _draw(
    result: VideoAnalysis,
    spool: FrameSpool,
    path: Path,
    out_video: Path | None,
    frames_dir: Path | None,
    progress: ProgressFn | None,
    share: float,
) -> None:
    from hingecoach.capture.annotate import Annotator, H264Writer, RepFrameWriter
    from hingecoach.capture.video import probe

    seq, report = result.pose, result.report
    annotator = Annotator(seq, report)
    writer = None
    if out_video is not None:
        fps = spool.thin.fps_out if spool.thin is not None else probe(path).fps
        writer = H264Writer(out_video, fps, seq.width_px, seq.height_px)
    stills = RepFrameWriter(report, frames_dir) if frames_dir is not None else None
    total = float(seq.times_s[-1]) if len(seq) else 0.0
    times = seq.times_s
    index = 0  # the kept frame's place in the pose track (every decoded frame)
    try:
        for count, (time_s, yuv) in enumerate(spool.frames()):
            while index < len(times) - 1 and times[index] < time_s - 1e-6:
                index += 1
            annotator.draw_i420(yuv, index, time_s)  # in place, on the spool's I420 frame
            if writer is not None:
                writer.write_i420(yuv, time_s)
            if stills is not None:
                stills.offer(time_s, yuv)
                if writer is None and stills.done:
                    break
            if progress is not None and count % 15 == 0:
                progress(total + share * time_s, total * (1 + share))
    except BaseException:
        if writer is not None:
            writer.abort()  # no half-written video left behind
        raise
    if writer is not None:
        writer.close()
    result.annotated = out_video
    result.frames = stills.written if stills is not None else []
