"""A cache of pose tracks extracted from clips, shared by ``make eval-form`` and the tests.

A track is keyed by the clip's size and modification time, a version bumped when the
extraction code changes, and the extraction recipe in force (see
:func:`hingecoach.capture.pipeline.pose_recipe`: model, pose-rate cap), so an edited clip or
another recipe is extracted again and an unchanged one never is.

The people scan of a clip (:mod:`hingecoach.capture.people_scan`) is kept beside its track
in a file of its own (``<clip>.people-<key>.npz``), keyed the same way by its own recipe
(:func:`~hingecoach.capture.people_scan.scan_recipe`): adding or changing the scan never
invalidates a cached track. So are the cuts found in its pictures
(:mod:`hingecoach.capture.frame_cuts`, ``<clip>.cuts-<key>.npz``, keyed by
:func:`~hingecoach.capture.frame_cuts.cuts_recipe`), with the camera's path: a clip posed
here gets them from the same decode; a clip whose track is cached already gets them from a
decode-only pass (:func:`ensure_cuts`), its track untouched (and read for where the person
is).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from hingecoach.capture.frame_cuts import FrameCuts

__all__ = [
    "cache_path",
    "cuts_cache_path",
    "ensure_cuts",
    "ensure_scans",
    "ensure_tracks",
    "publish",
    "scan_cache_path",
]

T = TypeVar("T")

_VERSION = "v2"
_SCAN_VERSION = "p1"
_CUTS_VERSION = "c2"


def cache_path(clip: Path, cache: Path) -> Path:
    """Where the pose track of ``clip`` is kept in ``cache``."""
    from hingecoach.capture.pipeline import pose_recipe

    return cache / f"{clip.stem}.{_key(clip, f'{_VERSION}:{pose_recipe()}')}.npz"


def _key(clip: Path, recipe: str) -> str:
    stat = clip.stat()
    return hashlib.sha1(f"{stat.st_size}:{stat.st_mtime_ns}:{recipe}".encode()).hexdigest()[:10]


def scan_cache_path(clip: Path, cache: Path) -> Path:
    """Where the people scan of ``clip`` is kept in ``cache`` (beside its pose track)."""
    from hingecoach.capture.people_scan import scan_recipe

    return cache / f"{clip.stem}.people-{_key(clip, f'{_SCAN_VERSION}:{scan_recipe()}')}.npz"


def cuts_cache_path(clip: Path, cache: Path) -> Path:
    """Where the cuts found in the pictures of ``clip`` are kept in ``cache``."""
    from hingecoach.capture.frame_cuts import cuts_recipe

    return cache / f"{clip.stem}.cuts-{_key(clip, f'{_CUTS_VERSION}:{cuts_recipe()}')}.npz"


def _extract(args: tuple[str, str]) -> str:
    """Pose a clip, and find its cuts in the same decode when they are not cached."""
    from hingecoach.capture.frame_cuts import open_detector, save_cuts
    from hingecoach.capture.pipeline import extract_pose
    from hingecoach.capture.tracks import save_track

    clip, out = Path(args[0]), Path(args[1])
    cuts_out = cuts_cache_path(clip, out.parent)
    detector = None if cuts_out.exists() else open_detector()
    seq = extract_pose(clip, cuts=detector)
    out.parent.mkdir(parents=True, exist_ok=True)
    publish(out, lambda partial: save_track(seq, partial))
    found = detector.result() if detector is not None else None
    if found is not None:
        publish(cuts_out, lambda partial: save_cuts(found, partial))
    return clip.name


def publish(out: Path, write: Callable[[Path], None]) -> None:
    """Write through a partial file: a killed run never leaves half a file behind."""
    partial = out.with_suffix(".partial.npz")
    write(partial)
    partial.replace(out)


def ensure_tracks(
    clips: Sequence[Path],
    cache: Path,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Extract (with MediaPipe, ``jobs`` processes) the tracks not cached yet.

    Returns:
        The cached track of each clip, in order.
    """
    return _ensure(clips, cache, cache_path, _extract, "poses", jobs, progress)


def _ensure(
    clips: Sequence[Path],
    cache: Path,
    where: Callable[[Path, Path], Path],
    make: Callable[[tuple[str, str]], str],
    what: str,
    jobs: int,
    progress: Callable[[str], None],
) -> list[Path]:
    todo = [(str(c), str(where(c, cache))) for c in clips if not where(c, cache).exists()]
    if todo:
        progress(f"extracting {what} for {len(todo)} clip(s) with {jobs} process(es) ...")
        start = time.perf_counter()
        if jobs <= 1:
            for item in todo:
                progress(f"   {make(item)}")
        else:
            # spawn, not fork: MediaPipe aborts in a child forked after the parent used it
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(jobs, mp_context=spawn) as pool:
                for name in pool.map(make, todo):
                    progress(f"   {name}")
        progress(f"  done in {time.perf_counter() - start:.0f} s")
    return [where(c, cache) for c in clips]


def _kept(
    args: tuple[str, str],
    find: Callable[[Path], T | None],
    save: Callable[[T, Path], None],
    off: str,
) -> str:
    """``find`` what a clip holds and keep it at its cache path (``off``: what is said of a
    clip when finding it is switched off and ``find`` gives None)."""
    clip, out = Path(args[0]), Path(args[1])
    found = find(clip)
    if found is None:
        return f"{clip.name} ({off} switched off)"
    publish(out, lambda partial: save(found, partial))
    return clip.name


def _scan(args: tuple[str, str]) -> str:
    from hingecoach.capture.people_scan import save_scan, scan_people

    return _kept(args, lambda clip: scan_people(clip, fps=None), save_scan, "scan")


def ensure_scans(
    clips: Sequence[Path],
    cache: Path,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Scan (with MediaPipe, ``jobs`` processes) the clips whose people scan is not cached.

    Returns:
        The cached scan of each clip, in order (absent when scanning is switched off).
    """
    return _ensure(clips, cache, scan_cache_path, _scan, "people scans", jobs, progress)


def _find_cuts(args: tuple[str, str]) -> str:
    from hingecoach.capture.frame_cuts import find_frame_cuts, save_cuts
    from hingecoach.capture.tracks import load_track

    def find(clip: Path) -> FrameCuts | None:
        track = cache_path(clip, Path(args[1]).parent)  # the person, kept out of the camera's path
        return find_frame_cuts(clip, load_track(track) if track.is_file() else None)

    return _kept(args, find, save_cuts, "finding cuts")


def ensure_cuts(
    clips: Sequence[Path],
    cache: Path,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Find the cuts (decoding only, ``jobs`` processes) of the clips whose cuts are not
    cached; call it after :func:`ensure_tracks`, which finds them while posing.

    Returns:
        The cached cuts of each clip, in order (absent when finding cuts is switched off).
    """
    return _ensure(clips, cache, cuts_cache_path, _find_cuts, "cuts", jobs, progress)
