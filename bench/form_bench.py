"""Form-analysis benchmarks (issue 6), called from ``bench/run.py``'s form section.

Clips come from ../shared/data/clips (skipped with a notice when absent). Generated clips
(720p, looped long clips) go to a temporary directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "data" / "clips"
CLIP_1080 = CLIPS / "mattiolato-deadlift-good-000001.mp4"  # 1920x1080, 145 frames
LOOP_SOURCE = CLIPS / "tobefrank-kb-deadlift.mp4"  # 480x480, one rep
_TMP = Path(tempfile.mkdtemp(prefix="hingecoach-bench-"))


def available() -> str | None:
    """None when the benches can run, else why not."""
    try:
        import av  # noqa: F401
        import mediapipe  # noqa: F401
    except ImportError as exc:
        return f"skipped: video support not installed ({exc.name})"
    if not CLIP_1080.is_file():
        return f"skipped: no clips at {CLIPS}"
    return None


def _transcode(
    src: Path,
    dst: Path,
    *,
    height: int | None = None,
    fps_div: int = 1,
    loop_to_s: float | None = None,
) -> Path:
    """Re-encode ``src`` (scaled to ``height``, every ``fps_div``-th frame, looped)."""
    import av
    import cv2
    import numpy as np

    from hingecoach.capture.video import iter_frames, probe

    if dst.exists():
        return dst
    info = probe(src)
    frames = [f.rgb for f in iter_frames(src)][::fps_div]
    if height is not None:
        width = round(info.width_px * height / info.height_px) // 2 * 2
        frames = [
            cv2.resize(f, (width, height), interpolation=cv2.INTER_AREA)  # type: ignore[misc]
            for f in frames
        ]
    fps = info.fps / fps_div
    total = len(frames) if loop_to_s is None else int(loop_to_s * fps)
    out = av.open(str(dst), "w")
    stream = out.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
    stream.height, stream.width = frames[0].shape[:2]
    stream.pix_fmt = "yuv420p"
    stream.options = {"preset": "ultrafast"}
    for i in range(total):
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(frames[i % len(frames)]), "rgb24")
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    out.close()
    return dst


def clip_720() -> Path:
    return _transcode(CLIP_1080, _TMP / "clip-720p.mp4", height=720)


def mediapipe_alone(clip: Path, max_side: int | None = None) -> tuple[float, int]:
    """Frames per second of pose estimation only (frames decoded beforehand, scaled to
    ``max_side`` when given: the pipeline's analysis size)."""
    from hingecoach.capture.mediapipe_pose import PoseEstimator
    from hingecoach.capture.video import iter_frames

    frames = [f.rgb for f in iter_frames(clip, max_side=max_side)]
    with PoseEstimator(segmentation=True) as est:
        est.process(frames[0])
        start = time.perf_counter()
        for rgb in frames:
            est.process(rgb)
        elapsed = time.perf_counter() - start
    return len(frames) / elapsed, len(frames)


def whole_pipeline(clip: Path, annotate: bool = True) -> tuple[float, int]:
    """Frames per second of decode + pose + analysis (+ the annotated video)."""
    from hingecoach.capture import analyze_video

    out = _TMP / f"{clip.stem}-annotated.mp4" if annotate else None
    start = time.perf_counter()
    result = analyze_video(clip, exercise="conventional-deadlift", out_video=out)
    elapsed = time.perf_counter() - start
    return len(result.pose) / elapsed, len(result.pose)


# peak RSS from VmHWM: ru_maxrss would carry the parent's peak across fork + exec
_CHILD = (
    "import sys, time; from pathlib import Path;"
    "from hingecoach.capture import analyze_video;"
    "t = time.perf_counter(); r = analyze_video(Path(sys.argv[1]), out_video={out});"
    "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0];"
    "print(len(r.pose), time.perf_counter() - t, hwm)"
)


def _child(clip: Path, annotate: bool) -> subprocess.Popen[str]:
    out = f"Path({str(_TMP / (clip.stem + '-child.mp4'))!r})" if annotate else "None"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD.format(out=out), str(clip)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def _result(proc: subprocess.Popen[str]) -> tuple[int, float, int]:
    out, _ = proc.communicate()
    frames, seconds, rss_kb = out.split()
    return int(frames), float(seconds), int(rss_kb)


def parallel_speedup(clip: Path) -> tuple[float, float, float]:
    """(fps of one process alone, total fps of two at once, speed-up), on a 20 s loop of
    the clip so start-up costs do not dominate."""
    clip = _transcode(clip, _TMP / f"{clip.stem}-20s.mp4", loop_to_s=20)
    frames, one, _ = _result(_child(clip, annotate=False))
    start = time.perf_counter()
    procs = [_child(clip, annotate=False) for _ in range(2)]
    results = [_result(p) for p in procs]
    both = time.perf_counter() - start
    single_fps = frames / one
    total_fps = sum(r[0] for r in results) / both
    # the wall time of two includes two process start-ups, as does 2 x one
    return single_fps, total_fps, total_fps / single_fps


def peak_memory(minutes: list[float]) -> list[tuple[float, int, float]]:
    """(clip minutes, frames, peak RSS MB) for looped clips of these lengths (10 fps)."""
    rows = []
    for m in minutes:
        clip = _transcode(LOOP_SOURCE, _TMP / f"loop-{m:g}min.mp4", fps_div=3, loop_to_s=m * 60)
        frames, _, rss_kb = _result(_child(clip, annotate=True))
        rows.append((m, frames, rss_kb / 1024))
    return rows
