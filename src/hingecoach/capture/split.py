"""One clip posed by several processes: its time range cut into consecutive parts, each
part decoded (from the key frame before it) and posed in its own process, the tracks
stitched back in order.

Each part after the first starts :data:`~hingecoach.capture.pipeline.SPLIT_OVERLAP_S`
early: the pose tracker starts cold there and has settled by the time the part's own
frames begin; the frames of the overlap are dropped (the previous part has them).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hingecoach.capture.frame_cuts import FrameCutDetector, FrameCuts
    from hingecoach.capture.people_scan import PeopleScanner
    from hingecoach.capture.pipeline import EarlyStop, ProgressFn, _Track
    from hingecoach.capture.spool import FrameSpool, Thinning
    from hingecoach.form.people import PeopleScan

__all__ = ["pose_in_parts"]

_progress_queue: Any = None
#: What a part gives back: its track, its people scan and its cuts (None: not looked for).
_Result = tuple["_Track", "PeopleScan | None", "FrameCuts | None"]


def _init(progress_queue: Any) -> None:
    global _progress_queue
    _progress_queue = progress_queue


@dataclass(frozen=True)
class _Part:
    index: int
    path: str
    start_s: float | None
    end_s: float | None
    own_from_s: float | None
    own_to_s: float | None
    segmentation: bool
    max_side: int
    stop: EarlyStop | None
    fps_cap: float | None
    total_s: float
    spool: str | None
    thin: Thinning | None
    scan_fps: float | None = None
    scan_model: str | None = None
    cut_min_change: float | None = None
    pin: bool = False


def _pin(index: int) -> None:
    """Keep part ``index`` on one CPU of its own (when there are enough): MediaPipe's and
    the decoder's threads then hand work over on one core instead of chasing each other
    across cores, about a sixth less CPU a part (measured on a 1080p clip, 2 cores)."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) > 1:
        os.sched_setaffinity(0, {cpus[index % len(cpus)]})


def _run(part: _Part) -> _Result:
    from hingecoach.capture.frame_cuts import FrameCutDetector
    from hingecoach.capture.people_scan import PeopleScanner
    from hingecoach.capture.pipeline import _pose_stretch
    from hingecoach.capture.spool import FrameSpool

    if part.pin:
        _pin(part.index)

    def progress(done_s: float, _total: float) -> None:
        if _progress_queue is not None:
            _progress_queue.put((part.index, done_s))

    spool = FrameSpool(Path(part.spool), thin=part.thin) if part.spool is not None else None
    people = None
    if part.scan_fps is not None and part.scan_model is not None:
        people = PeopleScanner(part.scan_fps, Path(part.scan_model))
    cuts = None if part.cut_min_change is None else FrameCutDetector(part.cut_min_change)
    try:
        track = _pose_stretch(
            Path(part.path),
            start_s=part.start_s,
            end_s=part.end_s,
            segmentation=part.segmentation,
            max_side=part.max_side,
            progress=progress,
            stop=part.stop,
            keep=spool,
            keep_from_s=part.own_from_s,
            keep_to_s=part.own_to_s,
            fps_cap=part.fps_cap,
            total_s=part.total_s,
            people=people,
            cuts=cuts,
        )
        found = cuts.result() if cuts is not None else None
        return track, people.result() if people is not None else None, found
    finally:
        if spool is not None:
            spool.close()
        if people is not None:
            people.close()


def pose_in_parts(
    path: Path,
    lo: float,
    hi: float,
    *,
    end_s: float | None,
    processes: int,
    segmentation: bool,
    max_side: int,
    progress: ProgressFn | None,
    stop: EarlyStop | None,
    keep: FrameSpool | None,
    fps_cap: float | None,
    total_s: float,
    people: PeopleScanner | None = None,
    cuts: FrameCutDetector | None = None,
) -> _Track:
    """Pose ``lo``..``hi`` of ``path`` in ``processes`` parts side by side, stitched;
    each part scans its own frames for ``people`` and looks for ``cuts`` in them."""
    from hingecoach.capture.pipeline import SPLIT_OVERLAP_S, EarlyStop, _Track

    bounds = [lo + (hi - lo) * k / processes for k in range(processes + 1)]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    pin = cpus >= processes  # one CPU for each part
    tmp = Path(tempfile.mkdtemp(prefix="hc-split-"))
    parts = []
    for k in range(processes):
        part_stop = stop
        if stop is not None and k > 0:
            # "nobody in view" is judged on the clip's start (the first part); the length
            # limit counts from the clip's start, not the part's
            max_s = None if stop.max_s is None else stop.max_s - (bounds[k] - SPLIT_OVERLAP_S)
            part_stop = EarlyStop(nobody_s=None, max_s=max_s)
        parts.append(
            _Part(
                index=k,
                path=str(path),
                start_s=None if k == 0 and lo == 0 else max(0.0, bounds[k] - SPLIT_OVERLAP_S),
                end_s=end_s if k == processes - 1 else bounds[k + 1],
                own_from_s=None if k == 0 else bounds[k],
                own_to_s=None if k == processes - 1 else bounds[k + 1],
                segmentation=segmentation,
                max_side=max_side,
                stop=part_stop,
                fps_cap=fps_cap,
                total_s=total_s,
                spool=str(tmp / f"part-{k}.spool") if keep is not None else None,
                thin=keep.thin if keep is not None else None,
                scan_fps=people.fps if people is not None else None,
                scan_model=str(people.model) if people is not None else None,
                cut_min_change=cuts.min_change if cuts is not None else None,
                pin=pin,
            )
        )
    try:
        tracks = _pose_parts(parts, lo, total_s, progress)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    stitched = _Track()
    for part, (track, scan, found) in zip(parts, tracks, strict=True):
        if people is not None:
            people.extend(scan)
        if cuts is not None:
            cuts.extend(found)
        stitched.times += track.times
        stitched.marks += track.marks
        stitched.profiles += track.profiles
        stitched.posed += track.posed
        stitched.width, stitched.height = track.width, track.height
        if keep is not None and part.spool is not None:
            keep.adopt(Path(part.spool))
    if keep is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return stitched


def _pose_parts(
    parts: list[_Part], lo: float, total_s: float, progress: ProgressFn | None
) -> list[_Result]:
    spawn = multiprocessing.get_context("spawn")  # MediaPipe aborts in a forked child
    progress_queue = spawn.Queue()
    done = [0.0] * len(parts)
    try:
        with ProcessPoolExecutor(
            len(parts), mp_context=spawn, initializer=_init, initargs=(progress_queue,)
        ) as pool:
            futures: list[Future[_Result]] = [pool.submit(_run, p) for p in parts]
            while not all(f.done() for f in futures):
                try:
                    index, done_s = progress_queue.get(timeout=0.2)
                except queue.Empty:
                    continue
                done[index] = done_s - (parts[index].own_from_s or lo)
                if progress is not None:
                    progress(lo + sum(max(0.0, d) for d in done), total_s)
            return [f.result() for f in futures]  # raises a part's error, if any
    finally:
        progress_queue.close()
