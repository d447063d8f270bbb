"""One clip posed by several processes: its time range cut into consecutive parts, the
first posed by the calling process itself, each later one decoded (from the key frame
before it) and posed in a process of its own, the tracks stitched back in order.

Each part after the first starts :data:`~hingecoach.capture.pipeline.SPLIT_OVERLAP_S`
early: the pose tracker starts cold there and has settled by the time the part's own
frames begin; the frames of the overlap are dropped (the previous part has them). The
later parts' processes are started first, so their start-up runs while the calling
process loads its own model; and the first part is the longer by that overlap and
:data:`SPLIT_START_S`, so that all parts end together (see :func:`part_bounds`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hingecoach.form.errors import FormError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from hingecoach.capture.frame_cuts import FrameCutDetector, FrameCuts
    from hingecoach.capture.people_scan import PeopleScanner
    from hingecoach.capture.pipeline import EarlyStop, ProgressFn, _Track
    from hingecoach.capture.spool import FrameSpool, Thinning
    from hingecoach.form.people import PeopleScan

__all__ = ["SPLIT_START_S", "part_bounds", "pose_in_parts"]

#: What a process of its own costs a part before its first frame, beyond what the calling
#: process spends too (the interpreter, the imports the caller already has), in clip
#: seconds at about real time on one core (measured: 0.3-0.5 s, 1080p, ``make bench``).
SPLIT_START_S = 0.5
#: What a part gives back: its track, its people scan and its cuts (None: not looked for).
_Result = tuple["_Track", "PeopleScan | None", "FrameCuts | None"]
#: How long a part's process may take to exit once it has sent its result (seconds).
_EXIT_WAIT_S = 5.0
#: How often the caller looks for the other parts' progress and results once its own
#: part is done (seconds).
_POLL_S = 0.2


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


def part_bounds(lo: float, hi: float, parts: int, head_start_s: float) -> list[float]:
    """The ``parts + 1`` bounds of ``lo``..``hi``: the first part ``head_start_s`` longer
    than each of the others (they pose that much more before their own frames: the
    overlap and a process's start-up), the others of one length; evenly when the range
    is too short for that."""
    if parts <= 1:
        return [lo, hi]
    rest = (hi - lo - head_start_s) / parts
    if rest <= 0 or head_start_s < 0:
        rest, head_start_s = (hi - lo) / parts, 0.0
    first = lo + rest + head_start_s
    return [lo] + [first + rest * k for k in range(parts - 1)] + [hi]


@contextlib.contextmanager
def _pinned(index: int, pin: bool) -> Iterator[None]:
    """Keep the calling thread (and the decoder's and MediaPipe's threads it starts) on
    one CPU, ``index`` modulo the CPUs it may use, and give it back its CPUs after: the
    threads then hand work over on one core instead of chasing each other across cores,
    about a sixth less CPU a part (measured on a 1080p clip, 2 cores)."""
    cpus = sorted(os.sched_getaffinity(0)) if pin and hasattr(os, "sched_getaffinity") else []
    if len(cpus) <= 1:
        yield
        return
    os.sched_setaffinity(0, {cpus[index % len(cpus)]})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cpus)


def _pose_part(
    part: _Part,
    progress: Callable[[float, float], None],
    keep: FrameSpool | None,
    people: PeopleScanner | None,
    cuts: FrameCutDetector | None,
) -> _Track:
    from hingecoach.capture.pipeline import _pose_stretch

    with _pinned(part.index, part.pin):
        return _pose_stretch(
            Path(part.path),
            start_s=part.start_s,
            end_s=part.end_s,
            segmentation=part.segmentation,
            max_side=part.max_side,
            progress=progress,
            stop=part.stop,
            keep=keep,
            keep_from_s=part.own_from_s,
            keep_to_s=part.own_to_s,
            fps_cap=part.fps_cap,
            total_s=part.total_s,
            people=people,
            cuts=cuts,
        )


def _run(part: _Part, progress_queue: Any) -> _Result:
    """Pose a later part in its own process, its frames spooled, scanned and looked at
    for cuts there."""
    from hingecoach.capture.frame_cuts import FrameCutDetector
    from hingecoach.capture.people_scan import PeopleScanner
    from hingecoach.capture.spool import FrameSpool

    def progress(done_s: float, _total: float) -> None:
        progress_queue.put((part.index, done_s))

    spool = FrameSpool(Path(part.spool), thin=part.thin) if part.spool is not None else None
    people = None
    if part.scan_fps is not None and part.scan_model is not None:
        people = PeopleScanner(part.scan_fps, Path(part.scan_model))
    cuts = None if part.cut_min_change is None else FrameCutDetector(part.cut_min_change)
    try:
        track = _pose_part(part, progress, spool, people, cuts)
        found = cuts.result() if cuts is not None else None
        return track, people.result() if people is not None else None, found
    finally:
        if spool is not None:
            spool.close()
        if people is not None:
            people.close()


def _child_main(part: _Part, progress_queue: Any, conn: Connection) -> None:
    """A later part's process: its result, or the error that stopped it, sent back."""
    try:
        result = _run(part, progress_queue)
    except BaseException as exc:  # sent to the caller, which raises it
        conn.send(("error", _sendable(exc)))
    else:
        conn.send(("done", result))
    finally:
        conn.close()


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` if it comes back whole through pickle, else a :class:`FormError` with its
    message and code."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        code = getattr(exc, "code", None)
        return FormError(str(exc), code=code if isinstance(code, str) else "split-part-failed")
    return exc


class _Child:
    """A later part posed in a process of its own (spawned: MediaPipe aborts in a forked
    child); killed if the clip is stopped or fails elsewhere."""

    def __init__(self, ctx: Any, part: _Part, progress_queue: Any) -> None:
        self.part = part
        self._conn, child_conn = ctx.Pipe(duplex=False)
        self._process = ctx.Process(
            target=_child_main, args=(part, progress_queue, child_conn), daemon=True
        )
        self._process.start()
        child_conn.close()
        self.result: _Result | None = None

    def collect(self) -> bool:
        """Take the part's result if it is ready (raises the part's error); done?"""
        if self.result is not None:
            return True
        if not self._conn.poll():
            return False
        try:
            status, payload = self._conn.recv()
        except EOFError:
            self._process.join(_EXIT_WAIT_S)
            raise FormError(
                f"the process posing part {self.part.index + 1} of the clip stopped "
                f"(exit code {self._process.exitcode}); analyse the clip again",
                code="split-part-failed",
            ) from None
        if status == "error":
            raise payload
        self.result = payload
        return True

    def end(self, *, wait: bool) -> None:
        """Let the process exit (``wait``: it has sent its result and is flushing its
        last progress reports), else, or if it does not, kill it."""
        if wait:
            self._process.join(_EXIT_WAIT_S)
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._conn.close()


class _Progress:
    """The parts' progress summed, as seconds of the clip done."""

    def __init__(self, parts: list[_Part], lo: float, total_s: float, outer: ProgressFn | None):
        self._parts, self._lo, self._total, self._outer = parts, lo, total_s, outer
        self._done = [0.0] * len(parts)

    def part(self, index: int, done_s: float) -> None:
        self._done[index] = done_s - (self._parts[index].own_from_s or self._lo)
        if self._outer is not None:
            self._outer(self._lo + sum(max(0.0, d) for d in self._done), self._total)

    def drain(self, progress_queue: Any, wait_s: float = 0.0) -> None:
        """Take the later parts' progress reports waiting in ``progress_queue``."""
        deadline = time.monotonic() + wait_s
        while True:
            try:
                index, done_s = progress_queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return
            self.part(index, done_s)
            wait_s, deadline = 0.0, time.monotonic()


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
    """Pose ``lo``..``hi`` of ``path`` in ``processes`` parts side by side (the first in
    this process), stitched; each part scans its own frames for ``people`` and looks for
    ``cuts`` in them."""
    from hingecoach.capture.pipeline import SPLIT_OVERLAP_S, _Track

    bounds = part_bounds(lo, hi, processes, SPLIT_OVERLAP_S + SPLIT_START_S)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    tmp = Path(tempfile.mkdtemp(prefix="hc-split-"))
    parts = [
        _part(
            k,
            path,
            bounds,
            lo=lo,
            end_s=end_s,
            segmentation=segmentation,
            max_side=max_side,
            stop=stop,
            fps_cap=fps_cap,
            total_s=total_s,
            spool=tmp / f"part-{k}.spool" if keep is not None and k > 0 else None,
            keep=keep,
            people=people,
            cuts=cuts,
            pin=cpus >= processes,  # one CPU for each part
        )
        for k in range(processes)
    ]
    try:
        own, others = _pose_parts(parts, lo, total_s, progress, keep, people, cuts)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    stitched = _Track()
    for part, (track, scan, found) in zip(parts, [(own, None, None), *others], strict=True):
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


def _part(
    k: int,
    path: Path,
    bounds: list[float],
    *,
    lo: float,
    end_s: float | None,
    segmentation: bool,
    max_side: int,
    stop: EarlyStop | None,
    fps_cap: float | None,
    total_s: float,
    spool: Path | None,
    keep: FrameSpool | None,
    people: PeopleScanner | None,
    cuts: FrameCutDetector | None,
    pin: bool,
) -> _Part:
    from hingecoach.capture.pipeline import SPLIT_OVERLAP_S, EarlyStop

    last = k == len(bounds) - 2
    part_stop = stop
    if stop is not None and k > 0:
        # "nobody in view" is judged on the clip's start (the first part); the length
        # limit counts from the clip's start, not the part's
        max_s = None if stop.max_s is None else stop.max_s - (bounds[k] - SPLIT_OVERLAP_S)
        part_stop = EarlyStop(nobody_s=None, max_s=max_s)
    return _Part(
        index=k,
        path=str(path),
        start_s=None if k == 0 and lo == 0 else max(0.0, bounds[k] - SPLIT_OVERLAP_S),
        end_s=end_s if last else bounds[k + 1],
        own_from_s=None if k == 0 else bounds[k],
        own_to_s=None if last else bounds[k + 1],
        segmentation=segmentation,
        max_side=max_side,
        stop=part_stop,
        fps_cap=fps_cap,
        total_s=total_s,
        spool=str(spool) if spool is not None else None,
        thin=keep.thin if keep is not None else None,
        scan_fps=people.fps if people is not None else None,
        scan_model=str(people.model) if people is not None else None,
        cut_min_change=cuts.min_change if cuts is not None else None,
        pin=pin,
    )


def _pose_parts(
    parts: list[_Part],
    lo: float,
    total_s: float,
    progress: ProgressFn | None,
    keep: FrameSpool | None,
    people: PeopleScanner | None,
    cuts: FrameCutDetector | None,
) -> tuple[_Track, list[_Result]]:
    """The first part's track (posed here, into ``keep``, ``people`` and ``cuts``) and
    the later parts' results, from processes started before the first part begins."""
    spawn = multiprocessing.get_context("spawn")
    progress_queue = spawn.Queue()
    summed = _Progress(parts, lo, total_s, progress)
    children: list[_Child] = []
    finished = False
    try:
        children = [_Child(spawn, part, progress_queue) for part in parts[1:]]

        def own_progress(done_s: float, _total: float) -> None:
            summed.drain(progress_queue)
            summed.part(0, done_s)

        own = _pose_part(parts[0], own_progress, keep, people, cuts)
        while not all([child.collect() for child in children]):  # each looked at
            summed.drain(progress_queue, _POLL_S)
        finished = True
        return own, [child.result for child in children if child.result is not None]
    finally:
        if finished:
            summed.drain(progress_queue)
        for child in children:
            child.end(wait=finished)
        progress_queue.close()
        progress_queue.join_thread()
