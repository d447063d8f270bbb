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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from hingecoach.capture.spool import FrameSpool

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


# -- issue 17: decode once, pose at most 30 fps, split a clip over processes ------------

#: A real phone clip: 360x640 portrait, 60 fps, 21 s, ten kettlebell deadlifts.
PHONE_CLIP = CLIPS / "tby66-kb-deadlift-c_1.mp4"
#: Made clips are kept between runs here (keyed by the source's size and mtime).
_MADE = Path(tempfile.gettempdir()) / "hingecoach-bench-clips"


def _made_path(src: Path, tag: str) -> Path:
    stat = src.stat()
    _MADE.mkdir(parents=True, exist_ok=True)
    return _MADE / f"{src.stem}-{stat.st_size}-{stat.st_mtime_ns}-{tag}.mp4"


def phone_clip(short_side: int) -> Path:
    """:data:`PHONE_CLIP` re-encoded (streamed, H.264) with its short side scaled to
    ``short_side`` pixels (720: 720x1280, 1080: 1080x1920), same frame rate and length."""
    import av

    dst = _made_path(PHONE_CLIP, f"{short_side}p")
    if dst.exists():
        return dst
    partial = dst.with_suffix(".partial.mp4")
    with av.open(str(PHONE_CLIP)) as src, av.open(str(partial), "w", format="mp4") as out:
        stream = src.streams.video[0]
        rate = Fraction(stream.average_rate or 30).limit_denominator(1001)
        w, h = stream.codec_context.width, stream.codec_context.height
        factor = short_side / min(w, h)
        width, height = round(w * factor / 2) * 2, round(h * factor / 2) * 2
        enc = out.add_stream("libx264", rate=rate)
        enc.width, enc.height, enc.pix_fmt = width, height, "yuv420p"
        enc.options = {"preset": "ultrafast", "crf": "18"}
        for index, frame in enumerate(src.decode(stream)):
            scaled = frame.reformat(width=width, height=height, format="yuv420p")
            scaled.pts, scaled.time_base = index, 1 / rate
            for packet in enc.encode(scaled):
                out.mux(packet)
        for packet in enc.encode():
            out.mux(packet)
    partial.replace(dst)
    return dst


def looped(clip: Path, seconds: float) -> Path:
    """``clip`` repeated (its packets copied, not re-encoded) to ``seconds`` long."""
    import av

    dst = _made_path(clip, f"loop{seconds:g}s")
    if dst.exists():
        return dst
    partial = dst.with_suffix(".partial.mp4")
    with av.open(str(partial), "w", format="mp4") as out:
        offset, ostream = 0, None
        while True:
            with av.open(str(clip)) as src:
                stream = src.streams.video[0]
                base = stream.time_base or Fraction(1, 90000)
                if ostream is None:
                    ostream = out.add_stream_from_template(stream)
                end = offset
                for packet in src.demux(stream):
                    if packet.dts is None or packet.pts is None:
                        continue
                    if float((packet.pts + offset) * base) >= seconds:
                        continue  # past the length: drop (B-frames come out of order)
                    end = max(end, packet.pts + offset + (packet.duration or 0))
                    packet.pts += offset
                    packet.dts += offset
                    packet.stream = ostream
                    out.mux(packet)
                if float(end * base) >= seconds - 0.1 or end == offset:
                    break
                offset = end
    partial.replace(dst)
    return dst


# Runs in a child process (pinned to one CPU when asked): prints one JSON line.
_MEASURE = r"""
import json, os, sys, time
from pathlib import Path
cpu, clip, what, processes = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
if cpu != "any":
    os.sched_setaffinity(0, {int(cpu)})
from hingecoach.capture import analyze_video
from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames, probe
from hingecoach.capture.pipeline import pose_fps_max

def main():
    out = {"duration_s": probe(clip).duration_s}
    if what == "pose":
        from hingecoach.capture.mediapipe_pose import PoseEstimator
        cap = pose_fps_max()
        frames, times, last = [], [], -1e9
        for f in iter_frames(clip, max_side=ANALYSIS_MAX_SIDE_PX):
            times.append(f.time_s)
            if cap is None or f.time_s - last >= 0.75 / cap:
                last = f.time_s
                if len(frames) < 240:
                    frames.append(f.rgb)
        with PoseEstimator(segmentation=True) as est:
            est.process(frames[0])
            start, cpu0 = time.perf_counter(), time.process_time()
            for rgb in frames:
                est.process(rgb)
            per = (time.perf_counter() - start) / len(frames)
            cpu_per = (time.process_time() - cpu0) / len(frames)
        # the frames the pipeline poses, at that cost each
        n, last = 0, -1e9
        for t in times:
            if cap is None or t - last >= 0.75 / cap:
                n, last = n + 1, t
        out.update(seconds=per * n, cpu_s=cpu_per * n, posed=n, frames=len(times))
    else:
        import resource
        def cpu():
            return sum(
                r.ru_utime + r.ru_stime
                for r in (resource.getrusage(resource.RUSAGE_SELF),
                          resource.getrusage(resource.RUSAGE_CHILDREN))
            )
        target = Path(os.environ["BENCH_OUT"]) if what == "out" else None
        start, cpu0 = time.perf_counter(), cpu()
        result = analyze_video(clip, out_video=target, processes=processes)
        out.update(
            seconds=time.perf_counter() - start, cpu_s=cpu() - cpu0, frames=len(result.pose)
        )
    print(json.dumps(out))

if __name__ == "__main__":
    main()
"""


def measure(
    clip: Path, what: str, *, one_core: bool = True, processes: int = 1
) -> dict[str, float]:
    """Seconds to run ``what`` ("pose": the estimator alone on the frames the pipeline
    poses; "bare": analyze; "out": analyze --out) on ``clip`` in a fresh process, on one
    CPU (the last one this process may use) or on any."""
    import json

    script = _TMP / "measure.py"
    script.write_text(_MEASURE)
    cpu = str(sorted(os.sched_getaffinity(0))[-1]) if one_core else "any"
    env = dict(os.environ, BENCH_OUT=str(_TMP / f"{clip.stem}-annotated.mp4"))
    done = subprocess.run(
        [sys.executable, str(script), cpu, str(clip), what, str(processes)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- issue 17: the annotated video's encoder settings and the frame spool ---------------


def _spooled(clip: Path) -> tuple[FrameSpool, float]:
    """The frames the annotated video of ``clip`` is made of (analysis size, at most
    the output cap), spooled; and the clip's length in seconds."""
    from hingecoach.capture import spool as spool_mod
    from hingecoach.capture.pipeline import annotated_fps_max
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames, probe

    info = probe(clip)
    spool = spool_mod.FrameSpool(thin=spool_mod.thinning(info.fps, annotated_fps_max()))
    previous = None
    for frame in iter_frames(clip, max_side=ANALYSIS_MAX_SIDE_PX):
        if spool.wants(frame.time_s, previous):
            spool.add(frame.time_s, frame.preview())
        previous = frame.time_s
    return spool, info.duration_s


def _psnr(a: object, b: object) -> float:
    import numpy as np

    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    mse = float(np.mean(diff**2))
    return 99.0 if mse == 0 else 10 * float(np.log10(255**2 / mse))


#: (preset, crf, x264-params) rows of ``form_bench.py encode``: the one in force first.
ENCODER_ROWS: tuple[tuple[str, int, str], ...] = (
    ("ultrafast", 28, "cabac=1:deblock=0,0:bframes=1"),
    ("ultrafast", 27, "cabac=1:deblock=0,0:bframes=2"),
    ("ultrafast", 28, "cabac=1:deblock=0,0:bframes=0"),
    ("superfast", 26, ""),
    ("veryfast", 26, ""),
    ("ultrafast", 26, ""),
    ("ultrafast", 28, ""),
)


def encoder_settings(
    clip: Path, rows: tuple[tuple[str, int, str], ...] = ENCODER_ROWS
) -> list[dict[str, float | str]]:
    """Per x264 preset, CRF and options: CPU ms per frame of :class:`H264Writer` (the
    spool's I420 frames encoded, read untimed), MB per minute of video and PSNR (dB) of
    every 10th frame (RGB) against its spooled source."""
    import av

    from hingecoach.capture.annotate import H264Writer
    from hingecoach.capture.spool import i420_to_rgb

    spool, duration = _spooled(clip)
    out_rows: list[dict[str, float | str]] = []
    try:
        fps = spool.thin.fps_out if spool.thin is not None else 30.0
        for preset, crf, params in rows:
            out = _TMP / f"enc-{preset}-{crf}-{len(params)}.mp4"
            cpu = 0.0
            writer = None
            sources = []
            for index, (time_s, yuv) in enumerate(spool.frames()):
                if writer is None:
                    h, w = yuv.shape[0] * 2 // 3, yuv.shape[1]
                    writer = H264Writer(out, fps, w, h, preset=preset, crf=crf, params=params)
                if index % 10 == 0:
                    sources.append(i420_to_rgb(yuv))
                start = time.process_time()
                writer.write_i420(yuv, time_s)
                cpu += time.process_time() - start
            assert writer is not None
            start = time.process_time()
            writer.close()
            cpu += time.process_time() - start
            with av.open(str(out)) as played:
                decoded = [f.to_ndarray(format="rgb24") for f in played.decode(video=0)]
            psnr = sum(_psnr(decoded[10 * i], s) for i, s in enumerate(sources)) / len(sources)
            out_rows.append(
                {
                    "preset": preset,
                    "crf": crf,
                    "params": params,
                    "frames": len(decoded),
                    "ms_per_frame": 1000 * cpu / len(decoded),
                    "cpu_s": cpu,
                    "mb_per_min": out.stat().st_size / 1e6 / (duration / 60),
                    "psnr_db": psnr,
                }
            )
    finally:
        spool.close()
    return out_rows


def spool_quality(
    clip: Path, qualities: tuple[int, ...] = (0, 90, 80, 70)
) -> list[dict[str, float]]:
    """Per way of keeping a frame (quality 0: raw I420; else the JPEG of its planes at
    that quality): CPU ms per frame to add (convert and write, on the spool's thread) and
    read a frame back, MB spooled per minute of clip and PSNR (dB) of the frame read back
    (RGB) against the RGB frame added."""
    from hingecoach.capture import spool as spool_mod
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames, probe

    info = probe(clip)
    thin = spool_mod.thinning(info.fps, 30.0)
    frames: list[tuple[float, npt.NDArray[np.uint8]]] = []
    previous = None
    for frame in iter_frames(clip, max_side=ANALYSIS_MAX_SIDE_PX):
        if (thin is None or thin.keeps(frame.time_s, previous)) and len(frames) < 200:
            frames.append((frame.time_s, frame.preview()))
        previous = frame.time_s
    rate = thin.fps_out if thin is not None else info.fps
    rows = []
    saved = spool_mod.SPOOL_JPEG_QUALITY
    try:
        for quality in qualities:
            spool_mod.SPOOL_JPEG_QUALITY = quality or saved
            path = _TMP / f"q{quality}.spool"
            spool = spool_mod.FrameSpool(path, raw_bytes=0 if quality else 1 << 40)
            start = time.process_time()
            for time_s, rgb in frames:
                spool.add(time_s, rgb)
            spool.flush()
            back = [yuv.copy() for i, (_, yuv) in enumerate(spool.frames()) if i % 10 == 0]
            cpu = time.process_time() - start
            size = path.stat().st_size
            spool.close()
            psnr = sum(
                _psnr(a, spool_mod.i420_to_rgb(b))
                for (_, a), b in zip(frames[::10], back, strict=True)
            )
            rows.append(
                {
                    "quality": quality,
                    "ms_per_frame": 1000 * cpu / len(frames),
                    "mb_per_min": size / 1e6 / (len(frames) / rate / 60),
                    "psnr_db": psnr / len(frames[::10]),
                }
            )
    finally:
        spool_mod.SPOOL_JPEG_QUALITY = saved
    return rows


# Runs in a child process pinned to one CPU: prints one JSON line.
_OUT_SHARE = r"""
import json, os, sys, time
from pathlib import Path
os.sched_setaffinity(0, {int(sys.argv[3])})
from hingecoach.capture import pipeline, spool

spent = {"add_s": 0.0, "thread_s": 0.0, "draw_s": 0.0}
add, loop, draw = spool.FrameSpool.add, spool._Writer._loop, pipeline._draw

def timed_add(self, *args):
    start = time.thread_time()
    add(self, *args)
    spent["add_s"] += time.thread_time() - start

def timed_loop(self):
    try:
        loop(self)
    finally:
        spent["thread_s"] += time.thread_time()  # the writer thread's own CPU

def timed_draw(*args, **kwargs):
    start = time.process_time()
    draw(*args, **kwargs)
    spent["draw_s"] += time.process_time() - start

spool.FrameSpool.add, spool._Writer._loop, pipeline._draw = timed_add, timed_loop, timed_draw
start = time.process_time()
pipeline.analyze_video(Path(sys.argv[1]), out_video=Path(sys.argv[2]))
total = time.process_time() - start
extra = sum(spent.values())
print(json.dumps(dict(spent, cpu_s=total, out_share=extra / (total - extra))))
"""


def out_share(clip: Path) -> dict[str, float]:
    """``analyze --out`` once in a fresh process on one CPU: the CPU seconds of the
    annotated video's own work (adding frames to the spool, the spool's writer thread,
    the draw and encode pass) and ``out_share``, that work over the rest (the analysis),
    both measured in the same run: a busy machine slows both alike, unlike two runs."""
    import json

    script = _TMP / "out_share.py"
    script.write_text(_OUT_SHARE)
    cpu = str(sorted(os.sched_getaffinity(0))[-1])
    done = subprocess.run(
        [sys.executable, str(script), str(clip), str(_TMP / "share.mp4"), cpu],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def people_scan_cost(clip: Path) -> tuple[int, float]:
    """(frames scanned, CPU seconds) of the people scan of ``clip`` as the analysis makes
    it (the bundle and rate in force), its frames decoded beforehand (untimed). The pose
    model is started first, as in the analysis: the scan's first frame alone would
    otherwise pay about 0.7 s of the runtime's one-off start-up."""
    from hingecoach.capture.mediapipe_pose import PoseEstimator
    from hingecoach.capture.people_scan import open_scanner
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames, probe

    scanner = open_scanner(probe(clip).duration_s)
    if scanner is None:
        return 0, 0.0
    frames, previous = [], None
    for frame in iter_frames(clip, max_side=ANALYSIS_MAX_SIDE_PX):
        if scanner.wants(frame.time_s, previous):
            frames.append((frame.time_s, frame.rgb))
        previous = frame.time_s
    with scanner, PoseEstimator() as estimator:
        estimator.process(frames[0][1])
        start = time.process_time()
        for time_s, rgb in frames:
            scanner.add(time_s, rgb)
        return len(frames), time.process_time() - start


def frame_cuts_cost(clip: Path, limit: int = 240) -> tuple[int, float, float]:
    """(frames, CPU s of looking for cuts and following the camera, CPU s of posing) on the
    first ``limit`` frames of ``clip`` the pose pass poses (decoded and converted beforehand,
    untimed), the two interleaved frame by frame so a busy moment of the machine hits both
    alike."""
    from hingecoach.capture.frame_cuts import FrameCutDetector
    from hingecoach.capture.mediapipe_pose import PoseEstimator
    from hingecoach.capture.pipeline import pose_gap_s
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames

    frames: list[tuple[float, npt.NDArray[np.uint8]]] = []
    last, gap = -1e9, pose_gap_s()
    for frame in iter_frames(clip, max_side=ANALYSIS_MAX_SIDE_PX):
        if frame.time_s - last >= gap and len(frames) < limit:
            frames.append((frame.time_s, frame.rgb))
            last = frame.time_s
    detector = FrameCutDetector()
    looking = posing = 0.0
    with PoseEstimator(segmentation=True) as estimator:
        estimator.process(frames[0][1])
        for time_s, rgb in frames:
            start = time.process_time()
            marks, _profile = estimator.process(rgb)
            middle = time.process_time()
            detector.add(time_s, rgb, landmarks=marks)  # and the camera's path, as posed
            looking, posing = looking + time.process_time() - middle, posing + middle - start
    return len(frames), looking, posing


def scan_models(
    clip: Path, models: tuple[str, ...] = ("pose_landmarker_full", "pose_landmarker_lite")
) -> list[dict[str, float | str]]:
    """Per people-scan ``.task`` bundle: CPU ms per scanned frame (two a second of
    ``clip``, decoded beforehand) and the bodies found."""
    from hingecoach.capture.people_scan import PeopleScanner, people_model_path
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames

    probe_scanner = PeopleScanner(2.0)
    frames, previous = [], None
    for frame in iter_frames(clip, max_side=ANALYSIS_MAX_SIDE_PX):
        if probe_scanner.wants(frame.time_s, previous):
            frames.append((frame.time_s, frame.rgb))
        previous = frame.time_s
    rows: list[dict[str, float | str]] = []
    for model in models:
        with PeopleScanner(2.0, people_model_path().with_name(f"{model}.task")) as scanner:
            scanner.add(*frames[0])  # starts the model
            start = time.process_time()
            for time_s, rgb in frames[1:]:
                scanner.add(time_s, rgb)
            cpu = time.process_time() - start
            scan = scanner.result()
        assert scan is not None
        rows.append(
            {
                "model": model,
                "ms_per_scan": 1000 * cpu / max(1, len(frames) - 1),
                "samples": len(scan),
                "bodies_mean": float(scan.counts.mean()),
            }
        )
    return rows


# python bench/form_bench.py encode|spool|scan|cuts|outshare [720|1080|CLIP]
if __name__ == "__main__":
    import json

    arg = sys.argv[2] if len(sys.argv) > 2 else "720"
    what = sys.argv[1] if len(sys.argv) > 1 else "encode"
    clip = phone_clip(int(arg)) if arg.isdigit() else Path(arg)
    rows_out: list[dict[str, float | str]]
    if what == "encode":
        rows_out = encoder_settings(clip)
    elif what == "outshare":
        rows_out = [dict(out_share(clip))]
    elif what == "scan":
        rows_out = scan_models(clip)
    elif what == "cuts":
        n, looking, posing = frame_cuts_cost(clip)
        rows_out = [
            {
                "frames": n,
                "cuts_ms_per_frame": 1000 * looking / n,
                "pose_ms_per_frame": 1000 * posing / n,
                "cuts_share_of_pose": looking / posing,
            }
        ]
    else:
        rows_out = [dict(row) for row in spool_quality(clip)]
    for row in rows_out:
        # shares to a tenth of a percent: the --out goal is one of 10 %
        places = {k: 3 if "share" in k else 2 for k in row}
        shown = {k: round(v, places[k]) if isinstance(v, float) else v for k, v in row.items()}
        print(json.dumps(shown))
